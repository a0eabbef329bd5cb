import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { ConflictError, RuleViolationError, ValidationError } from '../src/domain/errors.ts';
import type { Alert, AlertAction, ClosedFinding, WorkOrder } from '../src/domain/types.ts';
import { checkConfirmedCause, checkTransition } from '../src/domain/work-orders.ts';
import { labelsFromFindings } from '../src/ml/labels.ts';
import { MemoryFeatureStore } from '../src/storage/memory/feature-store.ts';
import { MemoryRawStore } from '../src/storage/memory/raw-store.ts';
import type { Database } from '../src/storage/ports/database.ts';
import type { WorkOrderRepository } from '../src/storage/ports/work-orders.ts';
import { raiseAlert } from '../src/storage/postgres/maintenance.ts';
import { postgresRepositories } from '../src/storage/postgres/repositories.ts';
import { bodyOf, type Client, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

const T0 = Date.UTC(2026, 2, 2, 6);
const MIN = 60_000;
const HOUR = 3_600_000;
const FAULTS = [
  'outer-race',
  'inner-race',
  'rolling-element',
  'cage',
  'imbalance',
  'misalignment',
  'looseness',
];
const ALLOWED =
  'one of outer-race, inner-race, rolling-element, cage, imbalance, misalignment, looseness, no-fault-found, or other:<text> (1–100 printable characters)';

/** An anomaly alert on `sensorId` and the work order it opens, raised at `at`. */
function raised(assetId: string, sensorId: string, at: number) {
  const alert: Alert = {
    id: `alr-${sensorId}-${at}`,
    assetId,
    sensorId,
    cause: 'vibration-anomaly',
    severity: 'warning',
    status: 'active',
    health: 35,
    score: 8,
    message: `anomaly on ${sensorId}`,
    raisedAt: at,
    resolvedAt: null,
  };
  const workOrder: WorkOrder = {
    id: `wo-${alert.id}`,
    assetId,
    sensorId,
    cause: alert.cause,
    alertId: alert.id,
    title: `Inspect ${assetId}`,
    priority: 'high',
    status: 'open',
    createdAt: at,
  };
  return { alert, workOrder };
}

describe('the finding a closing states', () => {
  it('accepts every named fault, no-fault-found and other:<text>', () => {
    for (const value of [...FAULTS, 'no-fault-found', 'other:worn belt', `other:${'é'.repeat(100)}`]) {
      expect([value, checkConfirmedCause(value)]).toEqual([value, null]);
    }
  });

  it('refuses anything else, naming confirmedCause and the allowed values', () => {
    const refused = [
      ['Outer-Race', '"Outer-Race" is not a finding'],
      ['diagnosis:outer-race', '"diagnosis:outer-race" is not a finding'],
      ['other:', '"other:" is not a finding'],
      ['other: worn belt', '"other: worn belt" is not a finding'],
      ['other:bell\u0007', '"other:bell\\u0007" is not a finding'],
      ['other:a\u200bb', '"other:a\u200bb" is not a finding'],
      [`other:${'x'.repeat(101)}`, `"other:${'x'.repeat(101)}" is not a finding`],
    ];
    for (const [value, start] of refused) {
      const error = checkConfirmedCause(value);
      expect(error).toBeInstanceOf(ValidationError);
      expect([error?.field, error?.reason]).toEqual(['confirmedCause', `${start}: must be ${ALLOWED}`]);
    }
    // A non-string is refused as such, never read as its text ("42" or "").
    for (const value of [42, 0, true, ['cage'], { cause: 'cage' }]) {
      const error = checkConfirmedCause(value);
      expect([error?.field, error?.reason]).toEqual(['confirmedCause', `must be a string: ${ALLOWED}`]);
    }
    const closing = checkTransition('in_progress', 'done', null, 42 as unknown as string);
    expect(closing.ok || closing.error.message).toBe(`confirmedCause: must be a string: ${ALLOWED}`);
  });

  it('is required to close, refused on other moves, checked after the lifecycle', () => {
    const missing = checkTransition('in_progress', 'done', null);
    expect(missing.ok || [missing.error.constructor, missing.error.message]).toEqual([
      RuleViolationError,
      `confirmedCause: is required to close a work order: ${ALLOWED}`,
    ]);
    const onCancel = checkTransition('in_progress', 'cancelled', null, 'imbalance');
    expect(onCancel.ok || onCancel.error.message).toBe(
      'confirmedCause: is stated only when closing a work order (to done), not to cancelled',
    );
    const skipped = checkTransition('open', 'done', null, 'imbalance');
    expect(skipped.ok || skipped.error).toBeInstanceOf(ConflictError);
    expect(checkTransition('in_progress', 'done', null, 'no-fault-found')).toEqual({ ok: true });
  });
});

describe.each(engines)('work-order findings on $name', (engine) => {
  let app: MantisApp;
  let stop: () => Promise<void>;
  let api: Client;
  let db: Database;
  let orders: WorkOrderRepository;

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    api = client(app);
    const sensor = (id: string) => ({
      id,
      kind: 'vibration',
      unit: 'm/s²',
      sampleRateHz: 1,
      validMin: -50,
      validMax: 50,
    });
    for (const id of ['pump-f', 'fan-f']) {
      const put = await api.request('PUT', `/v1/assets/${id}`, {
        siteId: 'works',
        lineId: 'line-f',
        name: id,
        kind: 'pump',
        sensors: [sensor(`${id}.vib`), sensor(`${id}.vib2`)],
      });
      expect(put.status).toBeLessThan(300);
    }
    db = app.services.db as Database;
    orders = postgresRepositories(db).workOrders;
  }, 60_000);

  afterAll(async () => {
    await stop?.();
  });

  /** Opens an order by hand at `at` and takes it to in progress 1 and 2 minutes later. */
  const started = async (assetId: string, sensorId: string | undefined, cause: string, at: number) => {
    const id = await orders.create({
      assetId,
      sensorId,
      title: cause,
      priority: 'medium',
      cause,
      actor: 'lead',
      at,
    });
    await orders.transition(id, { to: 'assigned', assignee: 'ana', actor: 'lead', at: at + MIN });
    await orders.transition(id, { to: 'in_progress', actor: 'ana', at: at + 2 * MIN });
    return id;
  };

  it('closes with each kind of finding, reads them back by closing time and labels the windows before', async () => {
    const alerted = raised('pump-f', 'pump-f.vib', T0);
    await db.transaction((tx) => raiseAlert(tx, alerted.alert, alerted.workOrder));
    const a = alerted.workOrder.id;
    await orders.transition(a, { to: 'assigned', assignee: 'ana', actor: 'lead', at: T0 + 10 * MIN });
    await orders.transition(a, { to: 'in_progress', actor: 'ana', at: T0 + 20 * MIN });
    await orders.transition(a, { to: 'done', confirmedCause: 'outer-race', actor: 'ana', at: T0 + 5 * HOUR });
    const b = await started('pump-f', undefined, 'noise', T0 + HOUR);
    await orders.transition(b, {
      to: 'done',
      confirmedCause: 'other:worn belt',
      actor: 'bo',
      at: T0 + 6 * HOUR,
    });
    const c = await started('fan-f', 'fan-f.vib2', 'check', T0 + 2 * HOUR);
    await orders.transition(c, {
      to: 'done',
      confirmedCause: 'no-fault-found',
      actor: 'cy',
      at: T0 + 7 * HOUR,
    });

    expect((await orders.get(a))?.confirmedCause).toBe('outer-race');
    const findings = await orders.closedFindings(T0, T0 + 8 * HOUR);
    const expected: ClosedFinding[] = [
      {
        workOrderId: a,
        assetId: 'pump-f',
        sensorId: 'pump-f.vib',
        cause: 'vibration-anomaly',
        confirmedCause: 'outer-race',
        raisedAt: T0,
        closedAt: T0 + 5 * HOUR,
        closedBy: 'ana',
      },
      {
        workOrderId: b,
        assetId: 'pump-f',
        sensorId: null,
        cause: 'noise',
        confirmedCause: 'other:worn belt',
        raisedAt: T0 + HOUR,
        closedAt: T0 + 6 * HOUR,
        closedBy: 'bo',
      },
      {
        workOrderId: c,
        assetId: 'fan-f',
        sensorId: 'fan-f.vib2',
        cause: 'check',
        confirmedCause: 'no-fault-found',
        raisedAt: T0 + 2 * HOUR,
        closedAt: T0 + 7 * HOUR,
        closedBy: 'cy',
      },
    ];
    expect(findings).toEqual(expected);
    // From inclusive, to exclusive, on the closing time.
    expect((await orders.closedFindings(T0 + 5 * HOUR, T0 + 5 * HOUR + 1)).map((f) => f.workOrderId)).toEqual(
      [a],
    );
    expect(await orders.closedFindings(T0, T0 + 5 * HOUR)).toEqual([]);

    // Horizon 3 h: from 3 h before each order was raised to its closing; the whole-asset order has no sensor.
    expect(labelsFromFindings(findings, { horizonMs: 3 * HOUR })).toEqual([
      {
        assetId: 'fan-f',
        sensorId: 'fan-f.vib2',
        from: T0 - HOUR,
        to: T0 + 7 * HOUR,
        fault: 'no-fault-found',
      },
      { assetId: 'pump-f', from: T0 - 2 * HOUR, to: T0 + 6 * HOUR, fault: 'other:worn belt' },
      {
        assetId: 'pump-f',
        sensorId: 'pump-f.vib',
        from: T0 - 3 * HOUR,
        to: T0 + 5 * HOUR,
        fault: 'outer-race',
      },
    ]);
  });

  it('refuses a closing without a valid finding, and a finding on another move, changing nothing', async () => {
    const id = await started('fan-f', 'fan-f.vib', 'refusals', T0 + 10 * HOUR);
    const before = await orders.get(id);
    const at = T0 + 11 * HOUR;
    for (const [change, reason] of [
      [{ to: 'done' }, `is required to close a work order: ${ALLOWED}`],
      [{ to: 'done', confirmedCause: 'bearing' }, `"bearing" is not a finding: must be ${ALLOWED}`],
      [
        { to: 'cancelled', confirmedCause: 'cage' },
        'is stated only when closing a work order (to done), not to cancelled',
      ],
    ] as const) {
      const refusal = orders.transition(id, { ...change, actor: 'ana', at });
      await expect(refusal).rejects.toBeInstanceOf(ValidationError);
      await expect(refusal).rejects.toMatchObject({ field: 'confirmedCause', reason });
    }
    expect(await orders.get(id)).toEqual(before);
  });

  it('keeps a finding only on a done order: the CHECK refuses an UPDATE by hand that breaks it', async () => {
    const open = await started('fan-f', 'fan-f.vib', 'check-constraint', T0 + 12 * HOUR);
    await expect(
      db.query(`UPDATE work_orders SET confirmed_cause = 'imbalance' WHERE id = $1`, [open]),
    ).rejects.toThrow(/work_orders_finding_when_done/);
    await orders.transition(open, {
      to: 'done',
      confirmedCause: 'imbalance',
      actor: 'ana',
      at: T0 + 13 * HOUR,
    });
    await expect(
      db.query(`UPDATE work_orders SET status = 'in_progress' WHERE id = $1`, [open]),
    ).rejects.toThrow(/work_orders_finding_when_done/);
    // A done order without a finding (closed before findings were kept) is allowed and yields no label.
    const legacy = await started('fan-f', 'fan-f.vib2', 'legacy', T0 + 12 * HOUR);
    await db.query(`UPDATE work_orders SET status = 'done', updated_at = $2 WHERE id = $1`, [
      legacy,
      new Date(T0 + 13 * HOUR),
    ]);
    expect((await orders.get(legacy))?.confirmedCause).toBeNull();
    expect((await orders.closedFindings(T0 + 12 * HOUR, T0 + 14 * HOUR)).map((f) => f.workOrderId)).toEqual([
      open,
    ]);
  });

  it('takes the finding in the transition body over the API and returns it with the order', async () => {
    const created = await api.request('POST', '/v1/work-orders', {
      assetId: 'pump-f',
      sensorId: 'pump-f.vib2',
      title: 'Rattle at the coupling',
      priority: 'high',
    });
    const { id } = await bodyOf(created);
    const move = (body: unknown) => api.request('POST', `/v1/work-orders/${id}/transitions`, body);
    expect((await move({ to: 'assigned', assignee: 'ana' })).status).toBe(200);
    const onStart = await move({ to: 'in_progress', confirmedCause: 'looseness' });
    expect([onStart.status, await bodyOf(onStart)]).toEqual([
      422,
      {
        error: 'rule_violated',
        field: 'body.confirmedCause',
        message:
          'body.confirmedCause: is stated only when closing a work order (to done), not to in_progress',
      },
    ]);
    expect((await move({ to: 'in_progress' })).status).toBe(200);
    const without = await move({ to: 'done', note: 'tightened' });
    expect([without.status, await bodyOf(without)]).toEqual([
      422,
      {
        error: 'rule_violated',
        field: 'body.confirmedCause',
        message: `body.confirmedCause: is required to close a work order: ${ALLOWED}`,
      },
    ]);
    const wrong = await move({ to: 'done', confirmedCause: 'loose' });
    expect([wrong.status, (await bodyOf(wrong)).field]).toEqual([400, 'body.confirmedCause']);
    const done = await move({ to: 'done', note: 'tightened', confirmedCause: 'looseness' });
    expect(done.status).toBe(200);
    expect(await bodyOf(done)).toMatchObject({ id, status: 'done', confirmedCause: 'looseness', version: 4 });
    const listed = await api.json<{ items: { id: string; confirmedCause: string | null }[] }>(
      '/v1/work-orders?asset=pump-f&limit=100',
    );
    expect(listed.items.find((o) => o.id === id)?.confirmedCause).toBe('looseness');
  });
});

describe('work-order findings in the memory store', () => {
  const store = new MemoryFeatureStore();
  const raise = (r: ReturnType<typeof raised>) =>
    store.write(
      {
        scalars: [],
        blocks: [],
        features: [],
        actions: [{ kind: 'raise', ...r } satisfies AlertAction],
        progress: new Map(),
        assetHealth: new Map(),
      },
      new MemoryRawStore(),
    );
  const start = async (id: string, at: number) => {
    await store.transition(id, { to: 'assigned', assignee: 'ana', actor: 'lead', at });
    await store.transition(id, { to: 'in_progress', actor: 'ana', at });
  };

  it('closes with each kind of finding, refuses the others and derives the same labels', async () => {
    const [x, y, z] = [
      raised('m1', 'm1.vib', T0),
      raised('m1', 'm1.vib2', T0 + HOUR),
      raised('m2', 'm2.vib', T0),
    ];
    for (const r of [x, y, z]) await raise(r);
    for (const r of [x, y, z]) await start(r.workOrder.id, r.alert.raisedAt + MIN);
    const id = x.workOrder.id;
    await expect(store.transition(id, { to: 'done', actor: 'ana', at: T0 })).rejects.toMatchObject({
      field: 'confirmedCause',
      reason: `is required to close a work order: ${ALLOWED}`,
    });
    await expect(
      store.transition(id, { to: 'assigned', assignee: 'bo', confirmedCause: 'cage', actor: 'ana', at: T0 }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(store.transition('wo-none', { to: 'done', actor: 'ana', at: T0 })).rejects.toThrow(
      'work order wo-none not found',
    );
    expect(store.workOrders.get(id)?.status).toBe('in_progress');

    await store.transition(id, {
      to: 'done',
      confirmedCause: 'misalignment',
      actor: 'ana',
      at: T0 + 4 * HOUR,
    });
    await store.transition(y.workOrder.id, {
      to: 'done',
      confirmedCause: 'other:soft foot',
      actor: 'bo',
      at: T0 + 3 * HOUR,
    });
    await store.transition(z.workOrder.id, {
      to: 'done',
      confirmedCause: 'no-fault-found',
      actor: 'cy',
      at: T0 + 9 * HOUR,
    });
    await expect(
      store.transition(id, { to: 'cancelled', actor: 'ana', at: T0 + 5 * HOUR }),
    ).rejects.toBeInstanceOf(ConflictError);

    const findings = await store.closedFindings(T0, T0 + 9 * HOUR);
    expect(
      findings.map((f) => [f.workOrderId, f.confirmedCause, f.raisedAt, f.closedAt, f.closedBy]),
    ).toEqual([
      [y.workOrder.id, 'other:soft foot', T0 + HOUR, T0 + 3 * HOUR, 'bo'],
      [id, 'misalignment', T0, T0 + 4 * HOUR, 'ana'],
    ]);
    expect(labelsFromFindings(findings, { horizonMs: 30 * MIN })).toEqual([
      { assetId: 'm1', sensorId: 'm1.vib', from: T0 - 30 * MIN, to: T0 + 4 * HOUR, fault: 'misalignment' },
      {
        assetId: 'm1',
        sensorId: 'm1.vib2',
        from: T0 + 30 * MIN,
        to: T0 + 3 * HOUR,
        fault: 'other:soft foot',
      },
    ]);
  });
});
