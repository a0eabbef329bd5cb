import type { Span } from '@opentelemetry/api';
import { type DeadLetter, decodeEnvelope, encodeJson, INGESTED_AT_HEADER } from '../bus/codec.ts';
import { type BusConsumer, type BusMessage, type BusRecord, topics } from '../bus/port.ts';
import {
  isSampleBlock,
  type SampleBlock,
  type ScalarReading,
  type Sensor,
  type WindowFeatures,
} from '../domain/types.ts';
import { retry } from '../lib/retry.ts';
import { traceHeadersOf } from '../observability/trace-context.ts';
import { startProcess, tracingEnabled } from '../observability/tracing.ts';
import type { StoreFailure } from '../storage/ports/failures.ts';
import type { SensorCatalog } from '../storage/ports/registry.ts';
import { type Batch, type WritePolicy, type WriterDeps, writeBatch } from './batch-writer.ts';
import { type DiagnosisAlertOptions, DiagnosisTracker } from './diagnosis-alerts.ts';
import { MachineDirectory } from './diagnostics.ts';
import { type AlertAction, type HealthOptions, HealthTracker, type ScoredSensor } from './health.ts';
import { writeFailureJudge } from './poison.ts';
import { type ClosedWindow, seriesKey, type WindowOptions, WindowSet } from './windows.ts';

export const PROCESS_GROUP = 'mantis-process';

/** How much of an undecodable message its dead letter keeps (base64 of the first bytes). */
export const UNDECODABLE_PREVIEW_BYTES = 8192;

export interface ProcessorOptions {
  windows: WindowOptions;
  health: HealthOptions;
  maxBatchMessages: number;
  /** Close every open window on stop: right for a bus that forgets, like the memory bus. */
  drainWindowsOnStop: boolean;
  /** Attempts at a batch the database refuses for its data before its records are isolated (≥ 1). */
  writeAttempts: number;
  /** A write pending, or messages waiting unread, for this long (ms) is a stall (see stalled()). */
  stallMs: number;
  /** Backoff of the poll loop after a failed batch (ms): first wait and cap; 1 s and 10 s by default. */
  loopRetry?: { baseMs: number; maxMs: number };
  /**
   * How long stop() waits for the write in hand and the drain (ms) before giving them up uncommitted;
   * 8 s by default (shutdown.timeoutSeconds), within the 10 s Docker waits before it kills.
   */
  stopTimeoutMs?: number;
  /** When a named fault becomes an alert and clears (default: raised after 2 windows, cleared after 3). */
  diagnostics?: DiagnosisAlertOptions;
}

const DIAGNOSIS_ALERTS: DiagnosisAlertOptions = { raiseAfter: 2, clearAfter: 3 };
/** The registry is read again this often (ms) for sensors and machine models changed while running. */
const CATALOG_REFRESH_MS = 60_000;

/** Backoff of the processor's retries: from 100 ms, doubling, at most 5 s between attempts. */
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 5_000;
/** Backoff of the poll loop after a failed batch: from 0.5–1 s, doubling, at most 10 s between attempts. */
const LOOP_RETRY = { baseMs: 1_000, maxMs: 10_000 };
const STOP_TIMEOUT_MS = 8_000;
/** How far around now a restart looks for the latest reading of a speed sensor (a day; older is stale). */
const SPEED_RESTORE_MS = 86_400_000;

/** What the processor works with: its batch writer's ports, and the sensors' kinds and ranges for scoring. */
export interface ProcessorDeps extends WriterDeps {
  catalog: SensorCatalog;
}

/**
 * Consumes readings, keeps windows, scores them and stores everything of a batch in one transaction;
 * offsets are committed only up to the oldest reading still held in an open window.
 */
export class Processor {
  private readonly windows: WindowSet;
  private readonly health: HealthTracker;
  private readonly diagnosisAlerts: DiagnosisTracker;
  /** Vibration sensors with a machine model, diagnosed as their windows close. */
  private readonly machines = new MachineDirectory();
  /** Each sensor's kind and registered range, as scoring needs them. */
  private readonly sensors = new Map<string, ScoredSensor>();
  private consumer: BusConsumer | null = null;
  /** Records polled whose batch is not written yet (see unprocessed()). */
  private unwrittenRecords = 0;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private lastKindsRefresh = 0;
  /** A refresh was asked for and skipped by the throttle. */
  private catalogStale = false;
  private assignmentVersion: number | null = null;
  private readonly nextOffsets = new Map<number, number>();
  /** The write of the previous batch, overlapping the preparation of the next one. */
  private inFlight: Promise<void> = Promise.resolve();
  /** Set when a batch could not be written: nothing after it may be committed. */
  private unwritten = false;
  /** Aborted on stop: from then on, outages are retried a bounded number of times. */
  private readonly stopSignal = new AbortController();
  /** When the write in progress started (epoch ms), and the last error it met; null when none runs. */
  private pendingSince: number | null = null;
  private lastFailure: string | null = null;
  /** When the consumer last handed over records, and since when stalled() has seen messages waiting (epoch ms). */
  private lastReceivedAt = Date.now();
  private waitingSince: number | null = null;
  private readonly classify: (err: unknown) => StoreFailure;
  private readonly policy: WritePolicy = {
    retry: (write, maxAttempts) => this.retrying(write, maxAttempts),
    classify: (err) => this.classify(err),
  };
  private readonly deps: ProcessorDeps;
  private readonly options: ProcessorOptions;

  constructor(deps: ProcessorDeps, options: ProcessorOptions) {
    this.deps = deps;
    this.options = options;
    // The raw store first: when it is a separate engine, its errors are its own.
    this.classify = writeFailureJudge([deps.raw, deps.features]);
    this.windows = new WindowSet({
      ...options.windows,
      diagnose: (_assetId, sensorId, blocks) =>
        this.machines.empty ? null : this.machines.diagnose(sensorId, blocks),
    });
    this.health = new HealthTracker(options.health);
    this.diagnosisAlerts = new DiagnosisTracker(options.diagnostics ?? DIAGNOSIS_ALERTS);
  }

  async start(): Promise<void> {
    await this.restoreStored();
    await this.refreshKinds();
    await this.restoreSpeeds();
    this.consumer = this.deps.bus.subscribe(topics.readings, PROCESS_GROUP, this.options.maxBatchMessages);
    this.loop = this.run(this.consumer);
  }

  /**
   * Stops polling, finishes the batch in hand, drains what is queued, flushes open windows, commits; within
   * options.stopTimeoutMs. Past it (a store hung or down), what is not yet written is given up uncommitted:
   * a durable bus delivers it again to the next run, which stores it once (idempotent writes); the memory
   * bus loses it. A write that succeeds later still commits its own offsets, never those of a later batch.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    const timeoutMs = this.options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
    const finished = this.finish();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const late = await Promise.race([finished.then(() => false), expired]).finally(() => clearTimeout(timer));
    if (!late) return;
    finished.catch((err) => this.deps.log.warn({ err }, 'the stop given up on failed'));
    // Nothing more is written or committed; the pending write ends when its store closes.
    this.unwritten = true;
    this.deps.log.error(
      { timeoutMs, lastFailure: this.lastFailure },
      'stop deadline passed with a write pending; its readings stay uncommitted for the next run',
    );
    await this.consumer?.close();
    this.consumer = null;
  }

  /** stop() without its deadline: the loop's last batch, the drain (memory bus), every write, the consumer. */
  private async finish(): Promise<void> {
    await this.loop;
    const consumer = this.consumer;
    if (!consumer) return;
    if (this.options.drainWindowsOnStop) {
      for (let records = await consumer.poll(0); records.length > 0; records = await consumer.poll(0)) {
        if (this.unwritten) break;
        await this.pipe(consumer, await this.prepare(records, Date.now(), false));
      }
      if (!this.unwritten) {
        await this.pipe(consumer, await this.prepare([], Date.now(), false, this.windows.drain()));
      }
    }
    // On a durable bus, open windows stay uncommitted: the next owner replays them whole.
    await this.inFlight;
    await consumer.close();
    if (this.consumer === consumer) this.consumer = null;
  }

  /** What other instances (or an earlier run) stored: window progress, baselines, health, active alerts. */
  /**
   * The latest stored reading of each speed sensor a machine model names, so that a restart does not diagnose
   * without speed until the sensor next reports. A raw store that cannot answer leaves them unknown (logged).
   */
  private async restoreSpeeds(): Promise<void> {
    const now = Date.now();
    for (const sensorId of this.machines.speedSensorsWithoutReading()) {
      try {
        const { readings } = await this.deps.raw.readSignal(
          sensorId,
          now - SPEED_RESTORE_MS,
          now + SPEED_RESTORE_MS,
          1,
        );
        for (const r of readings) this.machines.observeSpeed(sensorId, r.value, r.ts);
      } catch (err) {
        this.deps.log.warn(
          { err, sensorId },
          'could not read the latest speed; diagnosis waits for its next reading',
        );
      }
    }
  }

  private async restoreStored(): Promise<void> {
    const { features } = this.deps;
    for (const p of await features.progress()) this.windows.restore(p.assetId, p.sensorId, p.closedUntil);
    const history = await features.scoringHistory(this.options.health.baselineWindows);
    const active = await features.activeAlerts();
    this.health.restore(history.first, history.latest, active);
    this.diagnosisAlerts.restore(active);
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
    await this.tracked(() => this.retrying(() => this.restoreStored()));
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

  /**
   * Messages not yet through this instance: on the bus undelivered, plus delivered but whose batch is not
   * written yet. 0 once every message published so far is written, with the windows it closed, their scores
   * and alerts (readings of still-open windows stay uncommitted for replay, so this is not the lag); null
   * while the bus does not know yet.
   */
  unprocessed(): number | null {
    const backlog = this.consumer?.backlog();
    return backlog == null ? null : backlog + this.unwrittenRecords;
  }

  /**
   * Polls and processes batches until stop. A batch that fails (its write failures are retried within, so
   * this is anything else: the bus, a defect) is tried again with backoff and jitter (options.loopRetry),
   * without limit while running; the backoff starts again after each batch that succeeds.
   */
  private async run(consumer: BusConsumer): Promise<void> {
    while (!this.stopping) {
      await retry(() => this.step(consumer), {
        isTransient: () => true,
        maxAttempts: 1,
        ...(this.options.loopRetry ?? LOOP_RETRY),
        signal: this.stopSignal.signal,
        onRetry: ({ err, attempt, delayMs }) =>
          this.deps.log.error({ err, attempt, delayMs }, 'processing failed; retrying'),
      }).catch((err) => {
        // Only once stopping: the batch's records stay uncommitted, for the next run to replay.
        this.deps.log.error({ err }, 'processing failed while stopping');
      });
    }
  }

  /** One poll and the processing of what it brought; nothing once stopping. */
  private async step(consumer: BusConsumer): Promise<void> {
    if (this.stopping) return;
    const polled = await consumer.poll(200);
    if (polled.length > 0) this.lastReceivedAt = Date.now();
    this.unwrittenRecords += polled.length;
    let batch: Batch;
    let processing: ReturnType<typeof startProcess> | null;
    try {
      await this.onAssignmentChange(consumer);
      const owned = consumer.assignmentState?.().partitions;
      const records = owned ? polled.filter((r) => owned.has(r.partition)) : polled;
      // One `process` span per batch, in the trace of the batch's first message (the others linked).
      processing =
        tracingEnabled() && records.length > 0
          ? startProcess(
              topics.readings,
              records.map((r) => r.headers ?? {}),
            )
          : null;
      batch = await this.prepare(records, Date.now(), true);
      batch.trace = processing?.ctx;
    } catch (err) {
      this.unwrittenRecords -= polled.length;
      throw err;
    }
    await this.pipe(consumer, batch, processing?.span, polled.length);
  }

  /**
   * Queues a prepared batch's write behind the previous one, then its offset commit, and waits only for the
   * previous write: one batch is written while the next is prepared.
   */
  private async pipe(consumer: BusConsumer, batch: Batch, span?: Span, polled = 0): Promise<void> {
    const previous = this.inFlight;
    this.inFlight = previous.then(async () => {
      try {
        await this.writeAndCommit(consumer, batch);
      } finally {
        this.unwrittenRecords -= polled;
        span?.end();
      }
    });
    await previous;
  }

  private async writeAndCommit(consumer: BusConsumer, batch: Batch): Promise<void> {
    if (this.unwritten) return;
    try {
      await this.tracked(() => writeBatch(this.deps, batch, this.policy));
    } catch (err) {
      // On stop, once an outage's retries are exhausted: neither this batch nor any later one is committed.
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
    let refreshedForBatch = false;
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
          // Bounded, so that the dead letter of a message near the bus's size limit still fits on it.
          item: Buffer.from(record.value.subarray(0, UNDECODABLE_PREVIEW_BYTES)).toString('base64'),
          ...(record.value.byteLength > UNDECODABLE_PREVIEW_BYTES && { truncated: true }),
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
      const outcomes = { windowed: 0, duplicate: 0, late: 0 };
      for (const reading of envelope.readings) {
        // A sensor registered since the last refresh: its machine model must be known before any of its
        // windows closes, which may happen in windows.add below. Once per batch at most.
        if (!refreshedForBatch && !this.sensors.has(reading.sensorId)) {
          refreshedForBatch = true;
          await this.refreshKinds(true);
        }
        if (isSampleBlock(reading)) {
          blocks.push(reading);
          // Before windows.add: the radial window it may close is diagnosed with this axial block.
          if (!this.machines.empty) this.machines.observeBlock(reading.sensorId, reading.ts, reading.values);
        } else {
          scalars.push(reading);
          if (!this.machines.empty) this.machines.observeSpeed(reading.sensorId, reading.value, reading.ts);
        }
        // Ingest's clock bounds how far the reading's timestamp may move its series' watermark.
        const outcome = this.windows.add(
          envelope.assetId,
          reading,
          origin,
          now,
          Number.isFinite(at) ? at : now,
        );
        outcomes[outcome === 'added' ? 'windowed' : outcome]++;
        // A duplicate is stored once: its values were counted with the first copy.
        if (outcome !== 'duplicate') {
          metrics.pipelineSamples.inc(isSampleBlock(reading) ? reading.values.length : 1);
        }
      }
      for (const [outcome, n] of Object.entries(outcomes)) metrics.pipelineReadings.inc({ outcome }, n);
    }
    // Before windows close: a new sensor's machine model must be known when its first window is diagnosed.
    if (
      this.catalogStale ||
      blocks.some((b) => !this.sensors.has(b.sensorId)) ||
      Date.now() - this.lastKindsRefresh >= CATALOG_REFRESH_MS
    )
      await this.refreshKinds();
    const closed = [...drained, ...(closeReady ? this.windows.closeReady(now) : [])];
    metrics.pipelineOpenWindows.set(this.windows.openWindowCount());

    if (closed.some((c) => !this.sensors.has(c.sensorId))) await this.refreshKinds();
    const features: WindowFeatures[] = [];
    const actions: AlertAction[] = [];
    const progress = new Map<string, [string, string, number]>();
    const touchedAssets = new Set<string>();
    for (const window of closed) {
      const f: WindowFeatures = {
        velocityRms: null,
        severityZone: null,
        diagnostics: null,
        ...window.features,
        anomalyScore: null,
        health: null,
      };
      const action = this.health.score(f, this.sensors.get(window.sensorId) ?? { kind: 'other' });
      if (action) actions.push(action);
      if (f.diagnostics) actions.push(...this.diagnosisAlerts.observe(f));
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

  /**
   * Runs a storage or bus operation under the processor's retry policy: an outage (or a store refusing every
   * write) pauses the processor without limit while it runs, and loses nothing; a refusal of the data is
   * tried `maxAttempts` times (default: the writeAttempts setting), then thrown for the writer to isolate.
   */
  private retrying<T>(operation: () => Promise<T>, maxAttempts = this.options.writeAttempts): Promise<T> {
    return retry(operation, {
      isTransient: (err) => this.classify(err).kind !== 'record',
      maxAttempts,
      baseMs: RETRY_BASE_MS,
      maxMs: RETRY_MAX_MS,
      signal: this.stopSignal.signal,
      onRetry: ({ err, attempt, delayMs }) => {
        const failure = this.classify(err);
        this.lastFailure = failure.message;
        this.deps.metrics.pipelineWriteRetries.inc({ class: failure.kind });
        // One short line per attempt; the whole error is logged once, by whoever gives up on it.
        this.deps.log.warn(
          { attempt, kind: failure.kind, code: failure.code, error: failure.message.slice(0, 300), delayMs },
          'storage write failed; retrying',
        );
      },
    });
  }

  /** Runs a write while noting when it started, for stalled() and mantis_pipeline_write_pending_seconds. */
  private async tracked<T>(write: () => Promise<T>): Promise<T> {
    this.pendingSince = Date.now();
    this.lastFailure = null;
    const ended = this.deps.metrics.pendingWrites.begin(this.pendingSince);
    try {
      return await write();
    } finally {
      this.pendingSince = null;
      ended();
    }
  }

  /**
   * Why the processor is not advancing, or null: a write pending (failing or hung) for the stall threshold, a
   * batch given up on, or messages waiting on the bus while none has been received for the threshold.
   * `now` is epoch ms.
   */
  stalled(now = Date.now()): string | null {
    const limit = this.options.stallMs;
    const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
    if (this.unwritten) return 'a batch could not be written; nothing is committed until a restart';
    if (this.pendingSince !== null && now - this.pendingSince >= limit) {
      const why = this.lastFailure ? `: ${this.lastFailure}` : '';
      return `a batch write has been pending for ${seconds(now - this.pendingSince)}${why}`;
    }
    const backlog = this.consumer?.backlog() ?? 0;
    // Seen waiting for the whole threshold: a burst after a quiet hour is not a stall.
    this.waitingSince = backlog > 0 ? (this.waitingSince ?? now) : null;
    const idle = now - Math.max(this.lastReceivedAt, this.waitingSince ?? now);
    if (backlog > 0 && idle >= limit) {
      return `${backlog} messages wait on the bus and none was received for ${seconds(idle)}`;
    }
    return null;
  }

  /**
   * Best effort: a sensor's kind names an alert's cause and its range floors the scale of its level; without
   * them scoring falls back to 'other' and a relative floor, so an outage here must not stop the batch.
   */
  private async refreshKinds(force = false): Promise<void> {
    // Throttled: a skipped refresh is remembered, so the next batch (even one without readings, when windows
    // close on idle) refreshes before its windows are diagnosed.
    if (!force && Date.now() - this.lastKindsRefresh < 1000) {
      this.catalogStale = true;
      return;
    }
    this.lastKindsRefresh = Date.now();
    this.catalogStale = false;
    let sensors: Sensor[];
    try {
      sensors = await this.deps.catalog.sensors();
      // The asset's type picks its learned model (see ml/champions.ts).
      const types = await this.deps.catalog.assetTypes();
      for (const s of sensors) {
        const assetType = types.get(s.assetId);
        this.sensors.set(s.id, { kind: s.kind, validMin: s.validMin, validMax: s.validMax, assetType });
      }
    } catch (err) {
      // Tried again at most once a second: a short line, not the whole error each time.
      const { kind, code, message } = this.classify(err);
      this.deps.log.warn({ kind, code, error: message.slice(0, 300) }, 'could not refresh sensor kinds');
      return;
    }
    // Apart: without machine models the windows are still scored, only not diagnosed.
    try {
      this.machines.update(sensors, await this.deps.catalog.machines());
    } catch (err) {
      const { kind, code, message } = this.classify(err);
      this.deps.log.warn({ kind, code, error: message.slice(0, 300) }, 'could not refresh machine models');
    }
  }
}
