import type { Span } from '@opentelemetry/api';
import { type DeadLetter, decodeEnvelope, encodeJson, INGESTED_AT_HEADER } from '../bus/codec.ts';
import { type BusConsumer, type BusMessage, type BusRecord, topics } from '../bus/port.ts';
import {
  isSampleBlock,
  type SampleBlock,
  type ScalarReading,
  type SensorKind,
  type WindowFeatures,
} from '../domain/types.ts';
import { traceHeadersOf } from '../observability/trace-context.ts';
import { startProcess, tracingEnabled } from '../observability/tracing.ts';
import { activeAlerts } from '../storage/maintenance.ts';
import { forgetPartitions, isMissingPartition } from '../storage/partitions.ts';
import { listSensors } from '../storage/registry.ts';
import { loadProgress, loadScoringHistory } from '../storage/timeseries.ts';
import { type Batch, type WriterDeps, writeBatch } from './batch-writer.ts';
import { type AlertAction, type HealthOptions, HealthTracker } from './health.ts';
import { type ClosedWindow, seriesKey, type WindowOptions, WindowSet } from './windows.ts';

export const PROCESS_GROUP = 'mantis-process';

export interface ProcessorOptions {
  windows: WindowOptions;
  health: HealthOptions;
  maxBatchMessages: number;
  /** Close every open window on stop: right for a bus that forgets, like the memory bus. */
  drainWindowsOnStop: boolean;
}

/** What the processor works with: what its batch writer needs. */
export type ProcessorDeps = WriterDeps;

/**
 * Consumes readings, keeps windows, scores them and stores everything of a batch in one transaction;
 * offsets are committed only up to the oldest reading still held in an open window.
 */
export class Processor {
  private readonly windows: WindowSet;
  private readonly health: HealthTracker;
  private readonly kinds = new Map<string, SensorKind>();
  private consumer: BusConsumer | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private lastKindsRefresh = 0;
  private assignmentVersion: number | null = null;
  private readonly nextOffsets = new Map<number, number>();
  /** The write of the previous batch, overlapping the preparation of the next one. */
  private inFlight: Promise<void> = Promise.resolve();
  /** Set when a batch could not be written: nothing after it may be committed. */
  private unwritten = false;
  private readonly deps: ProcessorDeps;
  private readonly options: ProcessorOptions;

  constructor(deps: ProcessorDeps, options: ProcessorOptions) {
    this.deps = deps;
    this.options = options;
    this.windows = new WindowSet(options.windows);
    this.health = new HealthTracker(options.health);
  }

  async start(): Promise<void> {
    await this.restoreStored();
    await this.refreshKinds();
    this.consumer = this.deps.bus.subscribe(topics.readings, PROCESS_GROUP, this.options.maxBatchMessages);
    this.loop = this.run(this.consumer);
  }

  /** Finishes the batch in hand, drains what is queued, flushes open windows, commits. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    const consumer = this.consumer;
    if (!consumer) return;
    if (this.options.drainWindowsOnStop) {
      for (let records = await consumer.poll(0); records.length > 0; records = await consumer.poll(0)) {
        await this.pipe(consumer, await this.prepare(records, Date.now(), false));
      }
      await this.pipe(consumer, await this.prepare([], Date.now(), false, this.windows.drain()));
    }
    // On a durable bus, open windows stay uncommitted: the next owner replays them whole.
    await this.inFlight;
    await consumer.close();
    this.consumer = null;
  }

  /** What other instances (or an earlier run) stored: window progress, baselines, health, active alerts. */
  private async restoreStored(): Promise<void> {
    const { db } = this.deps;
    for (const p of await loadProgress(db)) this.windows.restore(p.assetId, p.sensorId, p.closedUntil);
    const history = await loadScoringHistory(db, this.options.health.baselineWindows);
    this.health.restore(history.first, history.latest, await activeAlerts(db));
  }

  /**
   * After partitions move between instances: forget windows fed from partitions lost (their new owner
   * replays them from the committed offset) and reload what the others stored for partitions gained.
   */
  private async onAssignmentChange(consumer: BusConsumer): Promise<void> {
    const state = consumer.assignmentState?.();
    if (!state || state.version === this.assignmentVersion) return;
    if (this.assignmentVersion === null) {
      this.assignmentVersion = state.version;
      return;
    }
    // What this instance wrote must be in the database before it reloads what the others wrote.
    await this.inFlight;
    const owned = state.partitions;
    const dropped = this.windows.dropPartitions((p) => !owned || owned.has(p));
    for (const partition of [...this.nextOffsets.keys()]) {
      if (owned && !owned.has(partition)) this.nextOffsets.delete(partition);
    }
    await this.withRetry(() => this.restoreStored());
    this.assignmentVersion = state.version;
    this.deps.log.info({ partitions: owned && [...owned], dropped }, 'partition assignment changed');
  }

  /** Bus partitions this instance owns; null when the bus has no partitions to share (memory:). */
  ownedPartitions(): number[] | null {
    const partitions = this.consumer?.assignmentState?.().partitions;
    return partitions ? [...partitions].sort((a, b) => a - b) : null;
  }

  openWindows(): number {
    return this.windows.openWindowCount();
  }

  private async run(consumer: BusConsumer): Promise<void> {
    while (!this.stopping) {
      try {
        const polled = await consumer.poll(200);
        await this.onAssignmentChange(consumer);
        const owned = consumer.assignmentState?.().partitions;
        const records = owned ? polled.filter((r) => owned.has(r.partition)) : polled;
        // One `process` span per batch, in the trace of the batch's first message (the others linked).
        const processing =
          tracingEnabled() && records.length > 0
            ? startProcess(
                topics.readings,
                records.map((r) => r.headers ?? {}),
              )
            : null;
        const batch = await this.prepare(records, Date.now(), true);
        batch.trace = processing?.ctx;
        await this.pipe(consumer, batch, processing?.span);
      } catch (err) {
        this.deps.log.error({ err }, 'processing failed; retrying');
        await sleep(1000);
      }
    }
  }

  /**
   * Queues a prepared batch's write behind the previous one, then its offset commit, and waits only for the
   * previous write: one batch is written while the next is prepared.
   */
  private async pipe(consumer: BusConsumer, batch: Batch, span?: Span): Promise<void> {
    const previous = this.inFlight;
    this.inFlight = previous.then(async () => {
      try {
        await this.writeAndCommit(consumer, batch);
      } finally {
        span?.end();
      }
    });
    await previous;
  }

  private async writeAndCommit(consumer: BusConsumer, batch: Batch): Promise<void> {
    if (this.unwritten) return;
    try {
      await writeBatch(this.deps, batch, (fn) => this.withRetry(fn));
    } catch (err) {
      // Only on stop, once retries are exhausted: neither this batch nor any later one is committed.
      this.unwritten = true;
      this.deps.log.error({ err }, 'batch not written; its readings stay uncommitted');
      return;
    }
    try {
      await consumer.commit(batch.commitOffsets);
    } catch (err) {
      this.deps.log.warn({ err }, 'offset commit failed; the next one covers it');
    }
    this.deps.metrics.busConsumerLag.set({ topic: topics.readings, group: PROCESS_GROUP }, consumer.lag());
  }

  /** The in-memory half of a batch: decode, window, close, score. Storage is read only to learn sensor kinds. */
  private async prepare(
    records: BusRecord[],
    now: number,
    closeReady: boolean,
    drained: ClosedWindow[] = [],
  ): Promise<Batch> {
    const { metrics } = this.deps;
    const scalars: ScalarReading[] = [];
    const blocks: SampleBlock[] = [];
    const ingestedAt: number[] = [];
    const deadLetters: BusMessage[] = [];
    for (const record of records) {
      this.nextOffsets.set(record.partition, record.offset + 1);
      const at = Number(record.headers?.[INGESTED_AT_HEADER]);
      if (Number.isFinite(at)) ingestedAt.push(at);
      let envelope: ReturnType<typeof decodeEnvelope>;
      try {
        envelope = decodeEnvelope(record.value);
      } catch (err) {
        metrics.pipelineBadMessages.inc();
        const letter: DeadLetter = {
          source: 'process',
          index: null,
          field: 'message',
          reason: (err as Error).message,
          item: Buffer.from(record.value).toString('base64'),
          receivedAt: new Date(now).toISOString(),
        };
        // The dead letter stays in the trace of the request that brought the message.
        deadLetters.push({
          key: 'process',
          value: encodeJson(letter),
          headers: traceHeadersOf(record.headers),
        });
        continue;
      }
      const origin = { partition: record.partition, offset: record.offset };
      let windowed = 0;
      for (const reading of envelope.readings) {
        if (isSampleBlock(reading)) {
          blocks.push(reading);
          metrics.pipelineSamples.inc(reading.values.length);
        } else {
          scalars.push(reading);
          metrics.pipelineSamples.inc();
        }
        if (this.windows.add(envelope.assetId, reading, origin, now) === 'added') windowed++;
      }
      metrics.pipelineReadings.inc({ outcome: 'windowed' }, windowed);
      metrics.pipelineReadings.inc({ outcome: 'late' }, envelope.readings.length - windowed);
    }
    const closed = [...drained, ...(closeReady ? this.windows.closeReady(now) : [])];
    metrics.pipelineOpenWindows.set(this.windows.openWindowCount());

    if (closed.some((c) => !this.kinds.has(c.sensorId))) await this.refreshKinds();
    const features: WindowFeatures[] = [];
    const actions: AlertAction[] = [];
    const progress = new Map<string, [string, string, number]>();
    const touchedAssets = new Set<string>();
    for (const window of closed) {
      const f: WindowFeatures = { ...window.features, anomalyScore: null, health: null };
      const action = this.health.score(f, this.kinds.get(window.sensorId) ?? 'other');
      if (action) actions.push(action);
      features.push(f);
      progress.set(seriesKey(window.assetId, window.sensorId), [window.assetId, window.sensorId, window.end]);
      touchedAssets.add(window.assetId);
    }
    const assetHealth = new Map<string, number>();
    for (const assetId of touchedAssets) {
      const h = this.health.assetHealth(assetId);
      if (h !== null) assetHealth.set(assetId, h);
    }
    // What may be committed once this batch is written: every record read so far, except those whose
    // readings still sit in open windows.
    const commitOffsets = new Map(this.nextOffsets);
    for (const [partition, offset] of this.windows.heldOffsets())
      commitOffsets.set(partition, Math.min(offset, commitOffsets.get(partition) ?? offset));
    return {
      scalars,
      blocks,
      features,
      actions,
      progress,
      assetHealth,
      ingestedAt,
      deadLetters,
      commitOffsets,
    };
  }

  /** Storage outages pause the processor rather than lose the batch. */
  private async withRetry<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        // While running, an outage only pauses the pipeline; on stop, give up after a few tries.
        if (this.stopping && attempt >= 3) throw err;
        if (isMissingPartition(err)) forgetPartitions(this.deps.db);
        this.deps.log.warn({ err, attempt }, 'storage write failed; retrying');
        await sleep(Math.min(5000, 100 * 2 ** attempt));
      }
    }
  }

  /** Best effort: a sensor's kind only names an alert's cause, so an outage here must not stop the batch. */
  private async refreshKinds(): Promise<void> {
    if (Date.now() - this.lastKindsRefresh < 1000) return;
    this.lastKindsRefresh = Date.now();
    try {
      for (const s of await listSensors(this.deps.db)) this.kinds.set(s.id, s.kind);
    } catch (err) {
      this.deps.log.warn({ err }, 'could not refresh sensor kinds');
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
