import { type Context, context, trace } from '@opentelemetry/api';
import { encodeJson } from '../bus/codec.ts';
import type { Bus, BusMessage } from '../bus/port.ts';
import { topics } from '../bus/port.ts';
import type { SampleBlock, ScalarReading, WindowFeatures } from '../domain/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { inSpan } from '../observability/tracing.ts';
import type { StoreFailure } from '../storage/ports/failures.ts';
import type { FeatureStore } from '../storage/ports/feature-store.ts';
import type { OnlineStore } from '../storage/ports/online-store.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import type { AlertAction } from './health.ts';
import { putOnline } from './online-writes.ts';
import {
  type Refused,
  type Rows,
  refusedLetter,
  rowsOfBatch,
  rowsOfUnits,
  type Unit,
  unitsOf,
} from './poison.ts';

/** The ports a batch is written to. */
export interface WriterDeps {
  bus: Bus;
  raw: RawStore;
  features: FeatureStore;
  online: OnlineStore;
  metrics: Metrics;
  log: Logger;
}

/** How the writer retries and judges failures (the processor's policy). */
export interface WritePolicy {
  /**
   * Runs a write again while it fails: without limit while the failure is not the data's, else up to
   * `maxAttempts` attempts in all (default: the processor's setting); throws the last error when it gives up.
   */
  retry<T>(write: () => Promise<T>, maxAttempts?: number): Promise<T>;
  classify(err: unknown): StoreFailure;
}

/** One batch of bus records, prepared in memory and ready to be written. */
export interface Batch {
  scalars: ScalarReading[];
  blocks: SampleBlock[];
  features: WindowFeatures[];
  actions: AlertAction[];
  progress: Map<string, [string, string, number]>;
  assetHealth: Map<string, number>;
  ingestedAt: number[];
  deadLetters: BusMessage[];
  commitOffsets: Map<number, number>;
  /** The batch's `process` span context, when traces are recorded. */
  trace?: Context;
}

/** fn in a child span of the active span (else of the batch's `process` span), when the batch is traced. */
function traced<T>(
  batch: Batch,
  name: string,
  attributes: Record<string, string | number>,
  fn: () => Promise<T>,
): Promise<T> {
  if (!batch.trace) return fn();
  return inSpan(name, trace.getSpan(context.active()) ? context.active() : batch.trace, attributes, fn);
}

/**
 * The storage half of a batch: one transaction, retried while storage is down; then events for other
 * consumers, then the dead letters. When the database refuses the batch for its data after the policy's
 * attempts, the batch is bisected until each refused reading, window, alert or health update stands alone:
 * the others are stored, the refused ones dead-lettered with the database's error. Throws only when the
 * policy gives up on a failure that is not the data's (a shutdown during an outage): then nothing may be
 * committed.
 */
export async function writeBatch(deps: WriterDeps, batch: Batch, policy: WritePolicy): Promise<void> {
  const { features: store, metrics } = deps;
  const letters = [...batch.deadLetters];
  const reasons: string[] = batch.deadLetters.map(() => 'undecodable');
  const rows = rowsOfBatch(batch);
  if (rows.scalars.length > 0 || rows.blocks.length > 0 || rows.features.length > 0) {
    const started = performance.now();
    const outcome = await traced(
      batch,
      `write ${store.kind}`,
      {
        ...(store.kind === 'postgres' || store.kind === 'pglite' ? { 'db.system.name': 'postgresql' } : {}),
        'mantis.readings': rows.scalars.length,
        'mantis.blocks': rows.blocks.length,
        'mantis.windows': rows.features.length,
      },
      () => storeIsolating(deps, batch, rows, policy),
    );
    const stored = outcome.stored ? rowsOfUnits(outcome.stored) : rows;
    const now = Date.now();
    metrics.storageWriteDuration.observe({ store: store.kind }, (performance.now() - started) / 1000);
    for (const at of batch.ingestedAt) metrics.ingestToStored.observe(Math.max(0, now - at) / 1000);
    metrics.pipelineWindows.inc(stored.features.length);
    metrics.storageRowsWritten.inc({ kind: 'reading' }, stored.scalars.length);
    metrics.storageRowsWritten.inc({ kind: 'block' }, stored.blocks.length);
    metrics.storageRowsWritten.inc({ kind: 'window' }, stored.features.length);
    metrics.workOrdersOpened.inc(outcome.workOrders);
    for (const [assetId, h] of stored.assetHealth) metrics.assetHealth.set({ asset: assetId }, h / 100);
    await putOnline(deps, stored.features);
    await announce(deps, batch, stored.actions);
    for (const refused of outcome.refused) {
      deps.log.error(
        { err: loggable(refused.err), kind: refused.unit.kind },
        'the database refused a record; dead-lettered',
      );
      letters.push(refusedLetter(refused, now));
      reasons.push(refused.failure.reason);
    }
  }
  if (letters.length === 0) return;
  await sendDeadLetters(deps, letters, policy);
  for (const reason of reasons) metrics.pipelineDeadLettered.inc({ reason });
}

/**
 * An error as logged once its write is given up on: all of it (message, SQLSTATE, detail, statement, stack)
 * but the statement's parameters, which hold the batch's data (PGlite attaches them).
 */
function loggable(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const { params: _params, queryOptions: _options, ...fields } = err as Error & Record<string, unknown>;
  // Of the same class, so that the log names it.
  return Object.assign(Object.create(Object.getPrototypeOf(err)), fields, {
    message: err.message,
    stack: err.stack,
  });
}

interface Outcome {
  /** The units stored, or null when the whole batch was. */
  stored: Unit[] | null;
  refused: Refused[];
  workOrders: number;
}

async function storeIsolating(
  deps: WriterDeps,
  batch: Batch,
  rows: Rows,
  policy: WritePolicy,
): Promise<Outcome> {
  try {
    return { stored: null, refused: [], workOrders: await policy.retry(() => store(deps, batch, rows)) };
  } catch (err) {
    if (policy.classify(err).kind !== 'record') throw err;
    deps.log.warn({ err: loggable(err) }, 'the database refuses the batch; isolating the records it refuses');
  }
  const outcome: Outcome = { stored: [], refused: [], workOrders: 0 };
  await bisect(deps, batch, unitsOf(rows), policy, outcome);
  return outcome;
}

/** Writes each half alone; a half refused for its data is split again, down to single units. */
async function bisect(
  deps: WriterDeps,
  batch: Batch,
  units: Unit[],
  policy: WritePolicy,
  outcome: Outcome,
): Promise<void> {
  const half = Math.ceil(units.length / 2);
  for (const part of [units.slice(0, half), units.slice(half)]) {
    if (part.length === 0) continue;
    const rows = rowsOfUnits(part);
    try {
      outcome.workOrders += await policy.retry(() => store(deps, batch, rows), 1);
      outcome.stored?.push(...part);
    } catch (err) {
      const failure = policy.classify(err);
      if (failure.kind !== 'record') throw err;
      if (part.length === 1) outcome.refused.push({ unit: part[0], err, failure });
      else await bisect(deps, batch, part, policy, outcome);
    }
  }
}

/** Per batch, the raised alerts whose work order was opened (not taken over or already open). */
const openedOrders = new WeakMap<Batch, Set<string>>();

/** The rows through the feature store (one transaction); returns the work orders opened. */
async function store(deps: WriterDeps, batch: Batch, rows: Rows): Promise<number> {
  // Kept only once the transaction commits: a rolled-back attempt's answers do not count.
  const opened = new Set<string>();
  const count = await deps.features.write(rows, deps.raw, {
    onRaise: async (alert, raise) => {
      const result = await traced(
        batch,
        'create alert and work order',
        { 'mantis.asset': alert.assetId, 'mantis.alert.severity': alert.severity },
        raise,
      );
      if (result === true) opened.add(alert.id);
      return result;
    },
  });
  const kept = openedOrders.get(batch) ?? new Set<string>();
  for (const id of opened) kept.add(id);
  openedOrders.set(batch, kept);
  return count;
}

/**
 * Sends the dead letters, retried like a write. A letter the bus itself refuses (too large) is logged and
 * dropped: there is nowhere else to put it, and it must not stop the pipeline.
 */
async function sendDeadLetters(deps: WriterDeps, letters: BusMessage[], policy: WritePolicy): Promise<void> {
  try {
    await policy.retry(() => deps.bus.send(topics.deadLetters, letters));
    return;
  } catch (err) {
    if (policy.classify(err).kind !== 'record') throw err;
  }
  for (const letter of letters) {
    try {
      await policy.retry(() => deps.bus.send(topics.deadLetters, [letter]), 1);
    } catch (err) {
      if (policy.classify(err).kind !== 'record') throw err;
      deps.log.error({ err, bytes: letter.value.byteLength }, 'the bus refused a dead letter; dropped');
    }
  }
}

/**
 * Alert events for downstream consumers (notifications); the database already holds them. A raised alert's
 * event says whether it opened a work order (`workOrderOpened`: false when an open order already covers it).
 */
async function announce(deps: WriterDeps, batch: Batch, actions: AlertAction[]): Promise<void> {
  const opened = openedOrders.get(batch);
  for (const action of actions) {
    if (action.kind === 'clear') continue;
    const { alert } = action;
    // An escalation publishes the alert again: same id, its new severity.
    if (action.kind === 'raise') deps.metrics.alertsRaised.inc({ severity: alert.severity });
    deps.log.info(
      { alert },
      `alert ${action.kind === 'raise' ? 'raised' : 'escalated'} on ${alert.assetId}: ${alert.message}`,
    );
    try {
      const event =
        action.kind === 'raise' ? { ...alert, workOrderOpened: opened?.has(alert.id) ?? false } : alert;
      await deps.bus.send(topics.alerts, [{ key: alert.assetId, value: encodeJson(event) }]);
    } catch (err) {
      deps.log.warn({ err }, 'could not publish alert event');
    }
  }
}
