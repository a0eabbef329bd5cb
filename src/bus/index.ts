import { KafkaBus, type KafkaSettings } from './kafka.ts';
import { MemoryBus } from './memory.ts';
import type { Bus } from './port.ts';

export interface BusSettings extends Omit<KafkaSettings, 'clientId'> {
  capacity: number;
}

/** Picks the bus adapter from the URL scheme. */
export function createBus(settings: BusSettings, clientId = 'mantis'): Bus {
  if (settings.url.startsWith('memory:')) return new MemoryBus(settings.capacity);
  if (settings.url.startsWith('kafka://')) return new KafkaBus({ ...settings, clientId });
  throw new Error(`no bus adapter for ${settings.url}`);
}

/** Whether the bus keeps messages across a restart of MANTIS (then open windows need not be flushed on stop). */
export function isDurableBus(url: string): boolean {
  return !url.startsWith('memory:');
}
