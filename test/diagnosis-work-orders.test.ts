import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertAction, WorkOrder } from '../src/domain/types.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { MemoryFeatureStore } from '../src/storage/memory/feature-store.ts';
import { MemoryRawStore } from '../src/storage/memory/raw-store.ts';
import { migrate } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { escalateAlert, raiseAlert } from '../src/storage/postgres/maintenance.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';

const postgres = await postgresAvailable();
const T0 = Date.UTC(2026, 3, 1, 8);
const OUTER = 'diagnosis:outer-race:6205@drive end';
const INNER = 'diagnosis:inner-race:6205@drive end';

const engines: [string, boolean, () => Promise<{ url: string; drop: () => Promise<void> }>][] = [
  ['PGlite', true, async () => ({ url: 'pglite://memory', drop: async () => {} })],
  ['PostgreSQL', postgres.available, createTestDatabase],
];

function raised(
  assetId: string,
  cause: string,
  at: number,
  priority: WorkOrder['priority'],
  sensorId = `${assetId}.vib`,
) {
  const alert: Alert = {
    id: `alr-${sensorId}-${cause}-${at}`,
    assetId,
    sensorId,
    cause,
    severity: 'warning',
    status: 'active',
    health: 40,
    score: 9,
    message: `${cause} on ${assetId}`,
    raisedAt: at,
    resolvedAt: null,
  };
  const workOrder: WorkOrder = {
    id: `wo-${alert.id}`,
    assetId,
    sensorId: alert.sensorId,
    cause,
    alertId: alert.id,
    title: `Inspect ${assetId}: ${alert.message}`,
    priority,
    status: 'open',
    createdAt: at,
  };
  return { alert, workOrder };
}

describe.each(engines)('work orders of named faults on %s', (_engine, available, create) => {
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

  const raise = (r: ReturnType<typeof raised>) =>
    db.transaction((tx) => raiseAlert(tx, r.alert, r.workOrder));
  const orders = (assetId: string) =>
    db.query<{
      id: string;
      cause: string;
      alert_id: string;
      title: string;
      priority: string;
      version: number;
    }>(
      'SELECT id, cause, alert_id, title, priority, version FROM work_orders WHERE asset_id = $1 ORDER BY created_at',
      [assetId],
    );

  it.runIf(available)('a diagnosis takes over the anomaly order; a second fault opens its own', async () => {
    const anomaly = raised('a1', 'vibration-anomaly', T0, 'high');
    expect(await raise(anomaly)).toBe(true);
    const outer = raised('a1', OUTER, T0 + 10_000, 'medium');
    // Taken over, not opened: one order for one problem, now saying what to repair, at the higher priority.
    expect(await raise(outer)).toBe(false);
    expect(await orders('a1')).toEqual([
      {
        id: anomaly.workOrder.id,
        cause: OUTER,
        alert_id: outer.alert.id,
        title: outer.workOrder.title,
        priority: 'high',
        version: 2,
      },
    ]);
    // Replayed: nothing changes.
    expect(await raise(anomaly)).toBe(false);
    expect(await raise(outer)).toBe(false);
    expect((await orders('a1')).map((o) => [o.cause, o.version])).toEqual([[OUTER, 2]]);
    // A different fault on the same sensor opens its own order.
    const inner = raised('a1', INNER, T0 + 20_000, 'medium');
    expect(await raise(inner)).toBe(true);
    expect((await orders('a1')).map((o) => [o.cause, o.priority])).toEqual([
      [OUTER, 'high'],
      [INNER, 'medium'],
    ]);
    // The anomaly's escalation reaches the orders its own became or sits beside, never lowering one.
    await db.transaction((tx) =>
      escalateAlert(tx, { ...anomaly.alert, severity: 'critical' }, 'urgent', T0 + 30_000),
    );
    expect((await orders('a1')).map((o) => [o.cause, o.priority, o.version])).toEqual([
      [OUTER, 'urgent', 3],
      [INNER, 'urgent', 2],
    ]);
    // A diagnosis's escalation reaches its own order only.
    await db.transaction((tx) => escalateAlert(tx, inner.alert, 'high', T0 + 40_000));
    expect((await orders('a1')).map((o) => o.version)).toEqual([3, 2]);
  });

  it.runIf(available)(
    'a named fault is the machine’s: a second sensor naming it opens no second order',
    async () => {
      const radial = raised('a4', 'diagnosis:misalignment', T0, 'high');
      expect(await raise(radial)).toBe(true);
      const axial = raised('a4', 'diagnosis:misalignment', T0 + 10_000, 'high', 'a4.axial');
      expect(await raise(axial)).toBe(false);
      expect((await orders('a4')).map((o) => [o.cause, o.alert_id])).toEqual([
        ['diagnosis:misalignment', radial.alert.id],
      ]);
      // The axial sensor's escalation reaches the asset's order.
      await db.transaction((tx) =>
        escalateAlert(tx, { ...axial.alert, severity: 'critical' }, 'urgent', T0 + 20_000),
      );
      expect((await orders('a4')).map((o) => [o.priority, o.version])).toEqual([['urgent', 2]]);
    },
  );

  it.runIf(available)('an anomaly opens no second order beside a named fault already open', async () => {
    expect(await raise(raised('a2', OUTER, T0, 'medium'))).toBe(true);
    expect(await raise(raised('a2', 'vibration-anomaly', T0 + 10_000, 'high'))).toBe(false);
    expect((await orders('a2')).map((o) => o.cause)).toEqual([OUTER]);
  });

  it.runIf(available)('a diagnosis leaves orders opened by hand and closed orders alone', async () => {
    const done = raised('a3', 'vibration-anomaly', T0, 'high');
    await raise(done);
    await db.query(`UPDATE work_orders SET status = 'done' WHERE id = $1`, [done.workOrder.id]);
    await db.query(
      `INSERT INTO work_orders (id, asset_id, sensor_id, cause, alert_id, title, priority, status, created_at, updated_at)
       VALUES ('wo-hand', 'a3', 'a3.vib', 'vibration-anomaly', NULL, 'by hand', 'low', 'open', now(), now())`,
    );
    const outer = raised('a3', OUTER, T0 + 10_000, 'medium');
    expect(await raise(outer)).toBe(true);
    const rows = await db.query<{ id: string; cause: string }>(
      'SELECT id, cause FROM work_orders WHERE asset_id = $1 ORDER BY id',
      ['a3'],
    );
    expect(rows).toEqual(
      [
        { id: outer.workOrder.id, cause: OUTER },
        { id: done.workOrder.id, cause: 'vibration-anomaly' },
        { id: 'wo-hand', cause: 'vibration-anomaly' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });
});

describe('work orders of named faults in the memory feature store', () => {
  const store = new MemoryFeatureStore();
  const raw = new MemoryRawStore();
  const write = (actions: AlertAction[]) =>
    store.write(
      { scalars: [], blocks: [], features: [], actions, progress: new Map(), assetHealth: new Map() },
      raw,
    );
  const raise = (r: ReturnType<typeof raised>) => write([{ kind: 'raise', ...r }]);
  const orders = (assetId: string) =>
    [...store.workOrders.values()]
      .filter((o) => o.assetId === assetId)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((o) => [o.id, o.cause, o.alertId, o.priority]);

  it('keeps the database semantics: takeover, a second fault apart, escalation, no anomaly order beside', async () => {
    const anomaly = raised('m1', 'vibration-anomaly', T0, 'high');
    expect(await raise(anomaly)).toBe(1);
    const outer = raised('m1', OUTER, T0 + 10_000, 'medium');
    expect(await raise(outer)).toBe(0);
    expect(await raise(anomaly)).toBe(0);
    expect(orders('m1')).toEqual([[anomaly.workOrder.id, OUTER, outer.alert.id, 'high']]);
    const inner = raised('m1', INNER, T0 + 20_000, 'medium');
    expect(await raise(inner)).toBe(1);
    await write([{ kind: 'escalate', alert: anomaly.alert, priority: 'urgent', at: T0 + 30_000 }]);
    expect(orders('m1').map((o) => o[3])).toEqual(['urgent', 'urgent']);

    expect(await raise(raised('m3', 'diagnosis:misalignment', T0, 'high'))).toBe(1);
    const axial = raised('m3', 'diagnosis:misalignment', T0 + 10_000, 'high', 'm3.axial');
    expect(await raise(axial)).toBe(0);
    await write([{ kind: 'escalate', alert: axial.alert, priority: 'urgent', at: T0 + 20_000 }]);
    expect(orders('m3').map((o) => [o[1], o[3]])).toEqual([['diagnosis:misalignment', 'urgent']]);

    expect(await raise(raised('m2', OUTER, T0, 'medium'))).toBe(1);
    expect(await raise(raised('m2', 'vibration-anomaly', T0 + 10_000, 'high'))).toBe(0);
    expect(orders('m2').map((o) => o[1])).toEqual([OUTER]);
  });
});
