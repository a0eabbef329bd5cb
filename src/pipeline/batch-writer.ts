import { type Context, context, trace } from '@opentelemetry/api';
import { encodeJson } from '../bus/codec.ts';
import type { Bus, BusMessage } from '../bus/port.ts';
import { topics } from '../bus/port.ts';
import type { SampleBlock, ScalarReading, WindowFeatures } from '../domain/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { inSpan } from '../observability/tracing.ts';
import { raiseAlert, resolveAlerts } from '../storage/maintenance.ts';
import type { OnlineStore } from '../storage/online.ts';
import { ensurePartitions } from '../storage/partitions.ts';
import type { Database } from '../storage/port.ts';
import type { RawStore } from '../storage/raw-store.ts';
import { setAssetHealth } from '../storage/registry.ts';
import { saveProgress, upsertFeatures } from '../storage/timeseries.ts';
import type { AlertAction } from './health.ts';

export interface WriterDeps {
  bus: Bus;
  db: Database;
  rawStore: RawStore;
  rawStoreIsDatabase: boolean;
  online: OnlineStore;
  metrics: Metrics;
  log: Logger;
}

/** Runs a write again while storage is down (the processor decides for how long). */
export type Retry = <T>(write: () => Promise<T>) => Promise<T>;

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

/** The storage half of a batch: one transaction, retried while storage is down; then events for other consumers. */
export async function writeBatch(deps: WriterDeps, batch: Batch, retry: Retry): Promise<void> {
  const { scalars, blocks, features, actions, progress, assetHealth, ingestedAt, deadLetters } = batch;
  const { db, rawStore, rawStoreIsDatabase, online, metrics } = deps;
  if (scalars.length > 0 || blocks.length > 0 || features.length > 0) {
    const started = performance.now();
    const opened = await traced(
      batch,
      `write ${db.kind}`,
      {
        'db.system.name': 'postgresql',
        'mantis.readings': scalars.length,
        'mantis.blocks': blocks.length,
        'mantis.windows': features.length,
      },
      () =>
        retry(async () => {
          await ensurePartitions(db, {
            features: features.map((f) => f.windowStart),
            ...(rawStoreIsDatabase && {
              raw_readings: scalars.map((r) => r.ts),
              raw_blocks: blocks.map((b) => b.ts),
            }),
          });
          if (!rawStoreIsDatabase) await rawStore.write(scalars, blocks);
          return db.transaction(async (tx) => {
            if (rawStoreIsDatabase) await rawStore.write(scalars, blocks, tx);
            await upsertFeatures(tx, features);
            await saveProgress(tx, progress);
            await setAssetHealth(tx, assetHealth, new Date());
            let workOrders = 0;
            for (const action of actions) {
              if (action.kind === 'raise') {
                const { alert, workOrder } = action;
                const attributes = { 'mantis.asset': alert.assetId, 'mantis.alert.severity': alert.severity };
                const opened = await traced(batch, 'create alert and work order', attributes, () =>
                  raiseAlert(tx, alert, workOrder),
                );
                workOrders += opened ? 1 : 0;
              } else await resolveAlerts(tx, action.assetId, action.sensorId, action.at);
            }
            return workOrders;
          });
        }),
    );
    const stored = Date.now();
    metrics.storageWriteDuration.observe({ store: db.kind }, (performance.now() - started) / 1000);
    for (const at of ingestedAt) metrics.ingestToStored.observe(Math.max(0, stored - at) / 1000);
    metrics.pipelineWindows.inc(features.length);
    metrics.storageRowsWritten.inc({ kind: 'reading' }, scalars.length);
    metrics.storageRowsWritten.inc({ kind: 'block' }, blocks.length);
    metrics.storageRowsWritten.inc({ kind: 'window' }, features.length);
    metrics.workOrdersOpened.inc(opened);
    for (const [assetId, h] of assetHealth) metrics.assetHealth.set({ asset: assetId }, h / 100);
    await online.put(features);
    await announce(deps, actions);
  }
  if (deadLetters.length > 0) await retry(() => deps.bus.send(topics.deadLetters, deadLetters));
}

/** Alert events for downstream consumers (notifications); the database already holds them. */
async function announce(deps: WriterDeps, actions: AlertAction[]): Promise<void> {
  for (const action of actions) {
    if (action.kind !== 'raise') continue;
    const { alert } = action;
    deps.metrics.alertsRaised.inc({ severity: alert.severity });
    deps.log.info({ alert }, `alert raised on ${alert.assetId}: ${alert.message}`);
    try {
      await deps.bus.send(topics.alerts, [{ key: alert.assetId, value: encodeJson(alert) }]);
    } catch (err) {
      deps.log.warn({ err }, 'could not publish alert event');
    }
  }
}
