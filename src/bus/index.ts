import type { KafkaSettings } from './kafka.ts';

/** Settings of every bus adapter (the registry in storage/adapters.ts picks one by the URL's scheme). */
export interface BusSettings extends Omit<KafkaSettings, 'clientId'> {
  /** The memory bus's bound: undelivered messages per consumer group before a send is refused. */
  capacity: number;
}
