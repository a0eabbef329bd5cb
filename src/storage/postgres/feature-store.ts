import { type AlertAction, DIAGNOSIS_CAUSE_PREFIX } from '../../domain/types.ts';
import type { Database, Queryable } from '../ports/database.ts';
import type { FeatureStore, WindowBatch } from '../ports/feature-store.ts';
import { classifyDatabaseError } from './errors.ts';
import { activeAlerts, escalateAlert, raiseAlert } from './maintenance.ts';
import { ensurePartitions, forgetPartitions, isMissingPartition } from './partitions.ts';
import { setAssetHealth } from './registry.ts';
import { recordLastReadings } from './sensor-activity.ts';
import { loadProgress, loadScoringHistory, saveProgress, upsertFeatures } from './timeseries.ts';

/**
 * Features, window progress, asset health, alerts, work orders and each sensor's latest reading time in
 * PostgreSQL (or PGlite), one transaction per batch; the raw rows join it when the raw store is this database.
 */
export function databaseFeatureStore(db: Database): FeatureStore {
  return {
    kind: db.kind,
    async write(batch: WindowBatch, raw, hooks = {}) {
      const joined = raw.transactional?.database === db ? raw.transactional : undefined;
      const { scalars, blocks, features, progress, assetHealth, actions } = batch;
      try {
        // Partitions before the transaction: making one locks its parent table (see ensurePartitions).
        await ensurePartitions(db, {
          features: features.map((f) => f.windowStart),
          ...(joined && { raw_readings: scalars.map((r) => r.ts), raw_blocks: blocks.map((b) => b.ts) }),
        });
        if (!joined) await raw.write({ scalars, blocks });
        return await db.transaction(async (tx) => {
          if (joined) await joined.write(tx, { scalars, blocks });
          await recordLastReadings(tx, { scalars, blocks });
          await upsertFeatures(tx, features);
          await saveProgress(tx, progress);
          await setAssetHealth(tx, assetHealth, new Date());
          let workOrders = 0;
          for (const action of actions) {
            if (action.kind === 'raise') {
              const raise = () => raiseAlert(tx, action.alert, action.workOrder);
              const opened = hooks.onRaise ? await hooks.onRaise(action.alert, raise) : await raise();
              workOrders += opened ? 1 : 0;
            } else if (action.kind === 'escalate') {
              await escalateAlert(tx, action.alert, action.priority, action.at);
            } else await resolveCleared(tx, action);
          }
          return workOrders;
        });
      } catch (err) {
        // Another process's retention dropped a day this one thought existed: ask the database again.
        if (isMissingPartition(err)) forgetPartitions(db);
        throw err;
      }
    },
    progress: () => loadProgress(db),
    scoringHistory: (baselineWindows) => loadScoringHistory(db, baselineWindows),
    activeAlerts: () => activeAlerts(db),
    classify: classifyDatabaseError,
  };
}

/**
 * Resolves what a clear action covers: the sensor's active alert of its cause (a diagnosis), or without a cause
 * every active alert of the sensor that is not a diagnosis's, which keep their own state.
 */
async function resolveCleared(tx: Queryable, action: Extract<AlertAction, { kind: 'clear' }>): Promise<void> {
  await tx.query(
    `UPDATE alerts SET status = 'resolved', resolved_at = to_timestamp($3 / 1000.0)
     WHERE asset_id = $1 AND sensor_id = $2 AND status = 'active'
       AND CASE WHEN $4::text IS NULL THEN NOT starts_with(cause, $5) ELSE cause = $4 END`,
    [action.assetId, action.sensorId, action.at, action.cause ?? null, DIAGNOSIS_CAUSE_PREFIX],
  );
}
