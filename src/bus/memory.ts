import {
  type Bus,
  type BusConsumer,
  BusFullError,
  type BusMessage,
  type BusRecord,
  BusUnavailableError,
} from './port.ts';

interface GroupState {
  position: number;
  committed: number;
}

interface TopicLog {
  /** Offset of records[0]. */
  base: number;
  records: BusRecord[];
  groups: Map<string, GroupState>;
  waiters: Set<() => void>;
}

/**
 * In-process bus for one machine: one partition per topic, bounded. A topic with consumer groups
 * refuses new messages while its slowest group has `capacity` undelivered ones (backpressure); a topic
 * nobody consumes keeps its newest `capacity` messages (retention). Nothing survives the process.
 */
export class MemoryBus implements Bus {
  private readonly logs = new Map<string, TopicLog>();
  private readonly capacity: number;
  private closed = false;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  async send(topic: string, messages: BusMessage[]): Promise<void> {
    if (this.closed) throw new BusUnavailableError('bus is closed', 2, { closed: true });
    const log = this.logOf(topic);
    const head = log.base + log.records.length;
    if (log.groups.size > 0) {
      const slowest = Math.min(...[...log.groups.values()].map((g) => g.position));
      if (head - slowest + messages.length > this.capacity) throw new BusFullError(topic);
    }
    messages.forEach((m, i) => {
      log.records.push({ ...m, topic, partition: 0, offset: head + i });
    });
    this.trim(log);
    for (const wake of log.waiters) wake();
    log.waiters.clear();
  }

  subscribe(topic: string, group: string, maxBatch: number): BusConsumer {
    const log = this.logOf(topic);
    let state = log.groups.get(group);
    if (!state) {
      state = { position: log.base, committed: log.base };
      log.groups.set(group, state);
    }
    const groupState = state;
    let closed = false;
    return {
      poll: async (waitMs) => {
        if (closed) return [];
        if (groupState.position >= log.base + log.records.length && waitMs > 0) {
          await new Promise<void>((resolve) => {
            const wake = () => {
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(() => {
              log.waiters.delete(wake);
              resolve();
            }, waitMs);
            log.waiters.add(wake);
          });
        }
        const from = groupState.position - log.base;
        const batch = log.records.slice(from, from + maxBatch);
        groupState.position += batch.length;
        return batch;
      },
      commit: async (nextOffsets) => {
        const next = nextOffsets.get(0);
        if (next !== undefined && next > groupState.committed) {
          groupState.committed = Math.min(next, groupState.position);
          this.trim(log);
        }
      },
      lag: () => log.base + log.records.length - groupState.committed,
      backlog: () => log.base + log.records.length - groupState.position,
      close: async () => {
        closed = true;
        log.groups.delete(group);
      },
    };
  }

  /**
   * Nothing to reach: answers how full the deepest queue is, in messages not yet delivered to the slowest
   * group of a topic (what refuses sends once it reaches the capacity), or throws once closed.
   */
  async ping(): Promise<string> {
    if (this.closed) throw new Error('memory bus is closed');
    let depth = 0;
    let deepest: string | null = null;
    for (const [topic, log] of this.logs) {
      if (log.groups.size === 0) continue;
      const head = log.base + log.records.length;
      const queued = head - Math.min(...[...log.groups.values()].map((g) => g.position));
      if (queued > depth || deepest === null) [depth, deepest] = [queued, topic];
    }
    return `memory bus, ${depth} of ${this.capacity} messages queued${deepest ? ` (deepest: ${deepest})` : ''}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const log of this.logs.values()) {
      for (const wake of log.waiters) wake();
    }
  }

  private trim(log: TopicLog): void {
    const keepFrom =
      log.groups.size > 0
        ? Math.min(...[...log.groups.values()].map((g) => g.committed))
        : log.base + log.records.length - this.capacity;
    const drop = keepFrom - log.base;
    if (drop > 0) {
      log.records.splice(0, drop);
      log.base += drop;
    }
  }

  private logOf(topic: string): TopicLog {
    let log = this.logs.get(topic);
    if (!log) {
      log = { base: 0, records: [], groups: new Map(), waiters: new Set() };
      this.logs.set(topic, log);
    }
    return log;
  }
}
