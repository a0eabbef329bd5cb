import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowFeatures } from '../src/domain/types.ts';
import { type AlertAction, HealthTracker } from '../src/pipeline/health.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { escalateAlert, raiseAlert, resolveAlerts } from '../src/storage/postgres/maintenance.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';

const postgres = await postgresAvailable();
const T0 = Date.UTC(2026, 3, 1, 8);

const engines: [string, boolean, () => Promise<{ url: string; drop: () => Promise<void> }>][] = [
  ['PGlite', true, async () => ({ url: 'pglite://memory', drop: async () => {} })],
  ['PostgreSQL', postgres.available, createTestDatabase],
];

function window(assetId: string, i: number, mean: number): WindowFeatures {
  return {
    assetId,
    sensorId: `${assetId}.temp`,
    windowStart: T0 + i * 10_000,
    windowEnd: T0 + (i + 1) * 10_000,
    count: 10,
    mean,
    min: mean,
    max: mean,
    std: 0,
    rms: mean,
    peakToPeak: 0,
    crestFactor: 1,
    skewness: null,
    kurtosis: null,
    dominantHz: null,
    bandEnergies: null,
    anomalyScore: null,
    health: null,
  };
}

/** Stores an action as the batch writer does, in one transaction. */
async function apply(db: Database, action: AlertAction): Promise<void> {
  await db.transaction(async (tx) => {
    if (action.kind === 'raise') await raiseAlert(tx, action.alert, action.workOrder);
    else if (action.kind === 'escalate') await escalateAlert(tx, action.alert, action.priority, action.at);
    else await resolveAlerts(tx, action.assetId, action.sensorId, action.at);
  });
}

describe.each(engines)('alert escalation stored on %s', (_engine, available, create) => {
  let database: Awaited<ReturnType<typeof create>>;
  let db: Database;

  beforeAll(async () => {
    if (!available) return;
    database = await create();
    db = await openDatabase(database.url);
    await migrate(db);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  async function stored(assetId: string) {
    const alerts = await db.query<{ id: string; severity: string; status: string; health: number }>(
      'SELECT id, severity, status, health FROM alerts WHERE asset_id = $1 ORDER BY raised_at',
      [assetId],
    );
    const orders = await db.query<{ priority: string; status: string; version: number; updated_at: Date }>(
      'SELECT priority, status, version, updated_at FROM work_orders WHERE asset_id = $1 ORDER BY created_at',
      [assetId],
    );
    return {
      alerts: alerts.map((a) => [a.severity, a.status, a.health]),
      orders: orders.map((o) => [o.priority, o.status, o.version]),
      updatedAt: orders.map((o) => o.updated_at.getTime()),
    };
  }

  it.runIf(available)(
    'raises a warning, escalates it and its work order as health falls, clears it on recovery',
    async () => {
      const tracker = new HealthTracker({
        baselineWindows: 6,
        smoothing: 0.5,
        alertBelow: 40,
        clearAbove: 60,
        bandEdgesHz: [0, 100],
      });
      // Span 200: the mean's scale is 1, so a window's z-score is its distance from 50.
      const sensor = { kind: 'temperature' as const, validMin: 0, validMax: 200 };
      const seen: [string | null, Awaited<ReturnType<typeof stored>>][] = [];
      const zs = [0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 30, 30, 0, 0];
      for (const [i, z] of zs.entries()) {
        const action = tracker.score(window('pump-7', i, 50 + z), sensor);
        if (!action) continue;
        await apply(db, action);
        // A replay of the same action changes nothing more.
        await apply(db, action);
        seen.push([action.kind, await stored('pump-7')]);
      }
      expect(seen.map(([kind, s]) => [kind, s.alerts, s.orders])).toEqual([
        ['raise', [['warning', 'active', 38.8]], [['high', 'open', 1]]],
        ['escalate', [['critical', 'active', 19.9]], [['urgent', 'open', 2]]],
        ['clear', [['critical', 'resolved', 19.9]], [['urgent', 'open', 2]]],
      ]);
      // The order's last change is the escalation, at the end of the window that escalated.
      expect(seen[1][1].updatedAt).toEqual([T0 + 13 * 10_000]);
    },
  );

  it.runIf(available)(
    'raises the priority of the open order even once its alert was resolved by hand, never of a closed one',
    async () => {
      const tracker = new HealthTracker({
        baselineWindows: 3,
        smoothing: 1,
        alertBelow: 40,
        clearAbove: 60,
        bandEdgesHz: [0, 100],
      });
      const sensor = { kind: 'temperature' as const, validMin: 0, validMax: 200 };
      const step = (asset: string, i: number, z: number) => tracker.score(window(asset, i, 50 + z), sensor);
      for (const asset of ['pump-8', 'pump-9']) for (const i of [0, 1, 2]) step(asset, i, 0);
      // Health 36.8: a warning on each.
      for (const asset of ['pump-8', 'pump-9']) await apply(db, step(asset, 3, 9) as AlertAction);
      await db.exec(`UPDATE alerts SET status = 'resolved', resolved_by = 'ana' WHERE asset_id = 'pump-8'`);
      await db.exec(`UPDATE work_orders SET status = 'cancelled' WHERE asset_id = 'pump-9'`);
      // Health 1.1: critical.
      const escalations = ['pump-8', 'pump-9'].map((asset) => step(asset, 4, 30) as AlertAction);
      expect(escalations.map((a) => a.kind)).toEqual(['escalate', 'escalate']);
      for (const action of escalations) await apply(db, action);
      expect(await stored('pump-8')).toMatchObject({
        alerts: [['warning', 'resolved', 36.8]],
        orders: [['urgent', 'open', 2]],
      });
      expect(await stored('pump-9')).toMatchObject({
        alerts: [['critical', 'active', 1.1]],
        orders: [['high', 'cancelled', 1]],
      });
    },
  );
});
