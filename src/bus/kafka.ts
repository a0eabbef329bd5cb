import { Admin, Consumer, type Message, type MessagesStream, Producer } from '@platformatic/kafka';
import {
  type Bus,
  type BusConsumer,
  type BusMessage,
  type BusRecord,
  BusUnavailableError,
  topics,
} from './port.ts';

/**
 * Apache Kafka through @platformatic/kafka: pure TypeScript (no native addon to build), maintained, and it
 * speaks the KIP-848 consumer-group protocol, whose incremental assignment moves only the partitions that
 * must move when an instance joins or leaves.
 */

export interface KafkaSettings {
  url: string;
  clientId: string;
  partitions: number;
  replicationFactor: number;
  retentionHours: number;
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /** How long a send may retry before ingest answers 503. */
  sendTimeoutMs: number;
  /** Prepended to every topic and consumer group, so that several installations can share a cluster. */
  topicPrefix: string;
}

type Bytes = Buffer;

export function brokersOf(url: string): string[] {
  return url
    .replace(/^kafka:\/\//, '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

/** The innermost message of a client error ("connect ECONNREFUSED 127.0.0.1:1"), on one line. */
function causeOf(err: unknown): string {
  let e = err as { message?: string; cause?: unknown; errors?: unknown[] } | undefined;
  for (let depth = 0; depth < 8; depth++) {
    const inner = (e?.errors?.[0] ?? e?.cause) as typeof e;
    if (!inner?.message) break;
    e = inner;
  }
  return (e?.message ?? String(err)).split('\n')[0];
}

/** Creates the MANTIS topics that are missing, with the configured partitions, replication and retention. */
export async function ensureTopics(settings: KafkaSettings): Promise<string[]> {
  const admin = new Admin({
    clientId: `${settings.clientId}-admin`,
    bootstrapBrokers: brokersOf(settings.url),
  });
  try {
    const existing = new Set(await admin.listTopics());
    const missing = Object.values(topics)
      .map((t) => settings.topicPrefix + t)
      .filter((t) => !existing.has(t));
    for (const topic of missing) {
      await admin.createTopics({
        topics: [topic],
        partitions: settings.partitions,
        replicas: settings.replicationFactor,
        configs: [{ name: 'retention.ms', value: String(settings.retentionHours * 3_600_000) }],
      });
    }
    return missing;
  } finally {
    await admin.close();
  }
}

export class KafkaBus implements Bus {
  private readonly producer: Producer<Bytes, Bytes, Bytes, Bytes>;
  private readonly consumers = new Set<KafkaConsumer>();
  private readonly settings: KafkaSettings;
  private closed = false;

  constructor(settings: KafkaSettings) {
    this.settings = settings;
    this.producer = new Producer({
      clientId: settings.clientId,
      bootstrapBrokers: brokersOf(settings.url),
      idempotent: true,
      acks: -1,
      compression: settings.compression,
      timeout: settings.sendTimeoutMs,
      retries: 3,
      retryDelay: 250,
    });
  }

  async send(topic: string, messages: BusMessage[]): Promise<void> {
    if (this.closed) throw new BusUnavailableError('bus is closed', 2, { closed: true });
    try {
      await this.producer.send({
        messages: messages.map((m) => ({
          topic: this.settings.topicPrefix + topic,
          key: Buffer.from(m.key),
          value: Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength),
          headers: new Map(Object.entries(m.headers ?? {}).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])),
        })),
      });
    } catch (err) {
      throw new BusUnavailableError(`bus cannot take ${topic} now: ${(err as Error).message}`, 2, {
        cause: err,
      });
    }
  }

  /**
   * A metadata request over the producer's own connections, answered by the cluster: its brokers and
   * controller. Bounded by `timeoutMs` whatever the client does; throws naming the brokers when they cannot
   * be reached or do not answer in time. Not retried: readiness asks again on its own schedule.
   */
  async ping(timeoutMs = 5_000): Promise<string> {
    const brokers = brokersOf(this.settings.url).join(',');
    if (this.closed) throw new Error(`Kafka bus to ${brokers} is closed`);
    const late = new Error(`Kafka broker(s) ${brokers} did not answer within ${timeoutMs} ms`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(late), timeoutMs);
    });
    try {
      const metadata = await Promise.race([
        this.producer.metadata({ topics: [], forceUpdate: true, retries: 0 }),
        timedOut,
      ]);
      return `Kafka cluster ${metadata.id}: ${metadata.brokers.size} broker(s), controller ${metadata.controllerId}`;
    } catch (err) {
      if (err === late) throw err;
      throw new Error(`Kafka broker(s) ${brokers} unreachable: ${causeOf(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  subscribe(topic: string, group: string, maxBatch: number): BusConsumer {
    const { topicPrefix } = this.settings;
    const consumer = new KafkaConsumer(
      this.settings,
      topicPrefix + topic,
      topicPrefix + group,
      maxBatch,
      () => this.consumers.delete(consumer),
    );
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.close()));
    await this.producer.close();
  }
}

/** Adapts the client's message stream to poll/commit, buffering a bounded number of records. */
class KafkaConsumer implements BusConsumer {
  private readonly consumer: Consumer<Bytes, Bytes, Bytes, Bytes>;
  private stream: MessagesStream<Bytes, Bytes, Bytes, Bytes> | null = null;
  private readonly started: Promise<void>;
  private buffer: Message<Bytes, Bytes, Bytes, Bytes>[] = [];
  private wake: (() => void) | null = null;
  private readonly leaderEpochs = new Map<number, number>();
  private assignment: Set<number> | null = null;
  private version = 0;
  private lastLag = 0;
  /** Per partition: the log end offset at the last lag sample, and the offset after the last record polled. */
  private readonly logEnds = new Map<number, number>();
  private readonly positions = new Map<number, number>();
  private closed = false;
  private readonly topic: string;
  private readonly maxBatch: number;
  private readonly onClose: () => void;
  private readonly prefixLength: number;

  constructor(settings: KafkaSettings, topic: string, group: string, maxBatch: number, onClose: () => void) {
    this.topic = topic;
    this.prefixLength = settings.topicPrefix.length;
    this.maxBatch = maxBatch;
    this.onClose = onClose;
    this.consumer = new Consumer({
      clientId: settings.clientId,
      groupId: group,
      bootstrapBrokers: brokersOf(settings.url),
      groupProtocol: 'consumer',
      maxWaitTime: 200,
      retries: true,
      retryDelay: 500,
    });
    this.consumer.on('consumer:group:join', () => this.noteAssignment());
    this.consumer.on('consumer:group:leave', () => this.noteAssignment());
    this.consumer.on('consumer:lag', (lag: Map<string, bigint[]>) => {
      const perPartition = lag.get(topic) ?? [];
      this.lastLag = perPartition.reduce((sum, l) => sum + Math.max(0, Number(l)), 0);
      // The client computes lag as log end minus the committed offset it holds, read in this same tick.
      const committed = this.stream?.offsetsCommitted;
      perPartition.forEach((l, partition) => {
        const at = committed?.get(`${topic}:${partition}`);
        if (l >= 0n && at !== undefined) this.logEnds.set(partition, Number(at + l));
      });
    });
    this.started = this.start();
  }

  private async start(): Promise<void> {
    const stream = await this.consumer.consume({
      topics: [this.topic],
      mode: 'committed',
      fallbackMode: 'earliest',
      autocommit: false,
    });
    this.stream = stream;
    stream.on('data', (message) => {
      this.buffer.push(message);
      this.leaderEpochs.set(message.partition, message.leaderEpoch);
      // Backpressure: stop fetching while the processor has several batches waiting.
      if (this.buffer.length >= this.maxBatch * 4) stream.pause();
      this.wake?.();
    });
    stream.on('error', () => {
      // The client reconnects with backoff; the processor keeps polling.
    });
    this.consumer.startLagMonitoring({ topics: [this.topic] }, 5_000);
    this.noteAssignment();
  }

  /** Null while the member has no answer from the group yet: that is not a change. */
  private noteAssignment(): void {
    const assigned = this.consumer.assignments;
    if (!assigned) return;
    const next = new Set(assigned.filter((a) => a.topic === this.topic).flatMap((a) => a.partitions));
    const current = this.assignment;
    if (current && next.size === current.size && [...next].every((p) => current.has(p))) return;
    this.assignment = next;
    this.version++;
  }

  async poll(waitMs: number): Promise<BusRecord[]> {
    await this.started;
    // Assignment changes arrive with heartbeats, not always as events: look at every poll.
    this.noteAssignment();
    if (this.buffer.length === 0 && waitMs > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    // Again after the wait: records of partitions gained meanwhile have arrived, and must not be dropped as
    // if they belonged to partitions this member no longer owns.
    this.noteAssignment();
    const batch = this.buffer.splice(0, this.maxBatch);
    if (this.stream?.isPaused() && this.buffer.length < this.maxBatch) this.stream.resume();
    const assigned = this.assignment;
    const owned = batch.filter((m) => !assigned || assigned.has(m.partition));
    for (const m of owned) this.positions.set(m.partition, Number(m.offset) + 1);
    return owned.map((m) => ({
      topic: m.topic.slice(this.prefixLength),
      partition: m.partition,
      offset: Number(m.offset),
      key: m.key?.toString() ?? '',
      value: m.value,
      headers: Object.fromEntries([...m.headers].map(([k, v]) => [k.toString(), v.toString()])),
    }));
  }

  async commit(nextOffsets: Map<number, number>): Promise<void> {
    await this.started;
    const offsets = [...nextOffsets]
      .filter(([partition]) => !this.assignment || this.assignment.has(partition))
      .map(([partition, offset]) => ({
        topic: this.topic,
        partition,
        offset: BigInt(offset),
        leaderEpoch: this.leaderEpochs.get(partition) ?? -1,
      }));
    if (offsets.length > 0) await this.consumer.commit({ offsets });
  }

  lag(): number {
    return this.lastLag;
  }

  /** From the last lag sample (every 5 s): log ends past the records polled or committed, on owned partitions. */
  backlog(): number | null {
    if (this.logEnds.size === 0) return null;
    const committed = this.stream?.offsetsCommitted;
    let waiting = 0;
    for (const [partition, end] of this.logEnds) {
      if (this.assignment && !this.assignment.has(partition)) continue;
      const at = committed?.get(`${this.topic}:${partition}`);
      const position = Math.max(this.positions.get(partition) ?? 0, at === undefined ? 0 : Number(at));
      waiting += Math.max(0, end - position);
    }
    return waiting;
  }

  /** Partitions this member owns, and a number that changes whenever they change. */
  assignmentState(): { version: number; partitions: Set<number> | null } {
    return { version: this.version, partitions: this.assignment };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    await this.started.catch(() => {});
    this.consumer.stopLagMonitoring();
    await this.stream?.close().catch(() => {});
    await this.consumer.close(true).catch(() => {});
    this.onClose();
  }
}
