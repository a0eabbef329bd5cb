/** The bus port: topics of keyed messages, consumed by groups that commit offsets. */

export const topics = {
  readings: 'mantis.readings.v1',
  deadLetters: 'mantis.readings.dlq.v1',
  alerts: 'mantis.alerts.v1',
} as const;

export interface BusMessage {
  key: string;
  value: Uint8Array;
  headers?: Record<string, string>;
}

export interface BusRecord extends BusMessage {
  topic: string;
  partition: number;
  offset: number;
}

/** The bus cannot take more right now; the caller should retry later. */
export class BusFullError extends Error {
  readonly retryAfterSeconds: number;
  constructor(topic: string, retryAfterSeconds = 1) {
    super(`bus topic ${topic} is full`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The bus did not take the messages: a broker restart (the caller should retry later), or a refusal that
 * `cause` (the client's error) explains. `closed`: this process closed the bus (a shutdown).
 */
export class BusUnavailableError extends Error {
  readonly retryAfterSeconds: number;
  readonly closed: boolean;
  constructor(message: string, retryAfterSeconds = 2, options: { cause?: unknown; closed?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = retryAfterSeconds;
    this.closed = options.closed ?? false;
  }
}

export interface BusConsumer {
  /** The next records, waiting up to waitMs for some; empty if none came. */
  poll(waitMs: number): Promise<BusRecord[]>;
  /** Marks everything before each partition's offset as processed. */
  commit(nextOffsets: Map<number, number>): Promise<void>;
  /** Records published but not yet committed by this group. */
  lag(): number;
  /**
   * Records published to the partitions this member owns that poll has not returned yet: work waiting for
   * the consumer (lag also counts records returned but not committed). Null while not known yet.
   */
  backlog(): number | null;
  /** Partitions this member owns (null: all), and a version that changes when they change. */
  assignmentState?(): { version: number; partitions: Set<number> | null };
  close(): Promise<void>;
}

export interface Bus {
  /** All-or-nothing for one call: either every message is queued or BusFullError is thrown. */
  send(topic: string, messages: BusMessage[]): Promise<void>;
  subscribe(topic: string, group: string, maxBatch: number): BusConsumer;
  /**
   * Asks the bus whether it can serve, within `timeoutMs` (default 5000): resolves with a one-line detail
   * (Kafka: the cluster's brokers and controller; memory: its deepest queue against its capacity); throws,
   * naming the bus and the reason, when it cannot (unreachable, no answer in time, closed).
   */
  ping(timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}
