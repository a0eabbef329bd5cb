import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workOrderPageSchema, workOrderWithHistorySchema } from '../src/api/work-order-schemas.ts';
import type { MantisApp } from '../src/app/app.ts';
import type { Alert, WorkOrder, WorkOrderView } from '../src/domain/types.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { raiseAlert, resolveAlerts } from '../src/storage/postgres/maintenance.ts';
import { bodyOf, type Client, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

const T0 = Date.UTC(2026, 2, 3, 8);
const MIN = 60_000;

/** Where each asset stands: two sites, three lines. */
const PLACES = {
  'pump-n1': { siteId: 'north', lineId: 'north-a' },
  'fan-n2': { siteId: 'north', lineId: 'north-b' },
  'pump-s1': { siteId: 'south', lineId: 'south-a' },
} as const;
type AssetId = keyof typeof PLACES;
type Priority = WorkOrder['priority'];

/** What the test knows of each order it made, to compute what every filter must answer. */
interface Made {
  id: string;
  assetId: AssetId;
  priority: Priority;
  status: WorkOrder['status'];
  createdAt: number;
  alert: Alert | null;
}

/** An alert of `cause` on the asset's first sensor and the order it opens at `at`. */
function alerted(assetId: AssetId, n: number, priority: Priority, at: number) {
  const sensorId = `${assetId}.vib`;
  const alert: Alert = {
    id: `alr-board-${assetId}-${n}`,
    assetId,
    sensorId,
    cause: `board-anomaly-${n}`,
    severity: priority === 'urgent' ? 'critical' : 'warning',
    status: 'active',
    health: 20 + n,
    score: 4.25 + n,
    message: `anomaly ${n} on ${sensorId}`,
    raisedAt: at,
    resolvedAt: null,
  };
  const workOrder: WorkOrder = {
    id: `wo-board-${assetId}-${n}`,
    assetId,
    sensorId,
    cause: alert.cause,
    alertId: alert.id,
    title: `Inspect ${assetId} (${n})`,
    priority,
    status: 'open',
    createdAt: at,
  };
  return { alert, workOrder };
}

const newestFirst = (a: Made, b: Made) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe.each(engines)('the work-order board on $name', (engine) => {
  let app: MantisApp;
  let stop: () => Promise<void>;
  let api: Client;
  let db: Database;
  const made: Made[] = [];
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  const validPage = ajv.compile(workOrderPageSchema);
  const validOrder = ajv.compile(workOrderWithHistorySchema);

  /** Every page of `query` with `limit`, checking each page against the documented schema. */
  async function pages(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let count = 0;
    do {
      const qs = `${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await api.request('GET', `/v1/work-orders?${qs}`);
      expect([qs, response.status]).toEqual([qs, 200]);
      const body = await bodyOf<{ items: WorkOrderView[]; next: string | null }>(response);
      expect(validPage(body) || validPage.errors).toBe(true);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...body.items.map((o) => o.id));
      cursor = body.next;
      count++;
    } while (cursor && count < 100);
    return { ids, pages: count };
  }

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    api = client(app);
    for (const [assetId, place] of Object.entries(PLACES)) {
      const put = await api.request('PUT', `/v1/assets/${assetId}`, {
        ...place,
        name: assetId,
        kind: 'pump',
        sensors: [
          {
            id: `${assetId}.vib`,
            kind: 'vibration',
            unit: 'm/s²',
            sampleRateHz: 1,
            validMin: -50,
            validMax: 50,
          },
        ],
      });
      expect([assetId, put.status < 300]).toEqual([assetId, true]);
    }
    db = app.services.db as Database;

    // Orders raised by alerts; pairs share a creation time, so paging must break ties by id.
    const priorities: Priority[] = ['low', 'medium', 'high', 'urgent'];
    const assets = Object.keys(PLACES) as AssetId[];
    for (let n = 0; n < 12; n++) {
      const assetId = assets[n % 3];
      const priority = priorities[(n * 5) % 4];
      const at = T0 + Math.floor(n / 2) * MIN;
      const { alert, workOrder } = alerted(assetId, n, priority, at);
      const opened = await db.transaction((tx) => raiseAlert(tx, alert, workOrder));
      expect(opened).toBe(true);
      made.push({ id: workOrder.id, assetId, priority, status: 'open', createdAt: at, alert });
    }
    // An alert that has since been resolved: the evidence says so.
    await resolveAlerts(db, 'pump-s1', 'pump-s1.vib', T0 + 30 * MIN);
    for (const m of made) {
      if (m.alert && m.assetId === 'pump-s1') m.alert = { ...m.alert, status: 'resolved' };
    }

    // Orders opened by hand, one assigned.
    const byHand: [AssetId, Priority][] = [
      ['pump-n1', 'urgent'],
      ['fan-n2', 'high'],
      ['pump-s1', 'high'],
    ];
    for (const [i, [assetId, priority]] of byHand.entries()) {
      const response = await api.request('POST', '/v1/work-orders', {
        assetId,
        title: `Walk-round ${i}`,
        priority,
        cause: `walk-round-${i}`,
      });
      expect(response.status).toBe(201);
      const order = await bodyOf<WorkOrderView>(response);
      made.push({ id: order.id, assetId, priority, status: 'open', createdAt: order.createdAt, alert: null });
    }
    const assigned = made[1];
    const moved = await api.request('POST', `/v1/work-orders/${assigned.id}/transitions`, {
      to: 'assigned',
      assignee: 'ana',
    });
    expect(moved.status).toBe(200);
    assigned.status = 'assigned';
    made.sort(newestFirst);
  }, 60_000);

  afterAll(async () => {
    await stop?.();
  });

  /** The orders a filter must answer, newest first. */
  const expected = (keep: (m: Made) => boolean) => made.filter(keep).map((m) => m.id);

  const filters: [string, (m: Made) => boolean][] = [
    ['', () => true],
    ['site=north', (m) => PLACES[m.assetId].siteId === 'north'],
    ['site=south', (m) => PLACES[m.assetId].siteId === 'south'],
    ['line=north-b', (m) => PLACES[m.assetId].lineId === 'north-b'],
    ['priority=high', (m) => m.priority === 'high'],
    ['priority=urgent', (m) => m.priority === 'urgent'],
    ['status=assigned', (m) => m.status === 'assigned'],
    ['asset=pump-s1', (m) => m.assetId === 'pump-s1'],
    ['site=north&priority=urgent', (m) => PLACES[m.assetId].siteId === 'north' && m.priority === 'urgent'],
    [
      'site=north&line=north-a&status=open&priority=high',
      (m) => PLACES[m.assetId].lineId === 'north-a' && m.status === 'open' && m.priority === 'high',
    ],
    ['line=south-a&asset=pump-s1&priority=high', (m) => m.assetId === 'pump-s1' && m.priority === 'high'],
    ['site=south&line=north-a', () => false],
  ];

  it('answers each filter alone and combined with exactly the matching orders, newest first', async () => {
    // The fixture gives every filter something to keep and something to leave out.
    for (const [query, keep] of filters.slice(1, -1)) {
      const n = expected(keep).length;
      expect([query, n > 0 && n < made.length]).toEqual([query, true]);
    }
    for (const [query, keep] of filters) {
      const { ids, pages: count } = await pages(query, 1000);
      expect([query, ids]).toEqual([query, expected(keep)]);
      expect(count).toBe(1);
    }
  });

  it('pages through every filtered list with a small limit, each matching order once', async () => {
    for (const [query, keep] of filters) {
      const want = expected(keep);
      const { ids, pages: count } = await pages(query, 2);
      expect([query, ids]).toEqual([query, want]);
      expect([query, count]).toEqual([query, Math.max(1, Math.ceil(want.length / 2))]);
    }
  });

  it("carries each order's site, line and the evidence of its alert; null for an order opened by hand", async () => {
    const body = await api.json<{ items: WorkOrderView[] }>('/v1/work-orders?limit=1000');
    expect(body.items).toHaveLength(made.length);
    for (const order of body.items) {
      const m = made.find((x) => x.id === order.id) as Made;
      expect([order.id, order.siteId, order.lineId]).toEqual([
        m.id,
        PLACES[m.assetId].siteId,
        PLACES[m.assetId].lineId,
      ]);
      if (m.alert === null) {
        expect([order.id, order.alertId, order.alert]).toEqual([m.id, null, null]);
        continue;
      }
      const a = m.alert;
      expect(order.alertId).toBe(a.id);
      expect(order.alert).toEqual({
        id: a.id,
        sensorId: a.sensorId,
        cause: a.cause,
        severity: a.severity,
        status: a.status,
        health: a.health,
        score: a.score,
        message: a.message,
        raisedAt: a.raisedAt,
      });
    }
    // Both kinds and both alert states are present.
    const statuses = body.items.map((o) => o.alert?.status ?? 'none');
    expect(new Set(statuses)).toEqual(new Set(['active', 'resolved', 'none']));
  });

  it('gives one order the same fields, with its history', async () => {
    const list = await api.json<{ items: WorkOrderView[] }>('/v1/work-orders?limit=1000');
    const byAlert = made.find((m) => m.alert !== null && m.status === 'assigned') as Made;
    const byHand = made.find((m) => m.alert === null) as Made;
    for (const m of [byAlert, byHand]) {
      const response = await api.request('GET', `/v1/work-orders/${m.id}`);
      expect(response.status).toBe(200);
      const order = await bodyOf<WorkOrderView & { events: { to: string }[] }>(response);
      expect(validOrder(order) || validOrder.errors).toBe(true);
      const { events, ...fields } = order;
      expect(fields).toEqual(list.items.find((o) => o.id === m.id));
      expect(events.at(-1)?.to).toBe(m.status);
    }
  });

  it('refuses a bad filter value with 400 naming the field', async () => {
    const refused: [string, string][] = [
      ['priority=critical', 'querystring.priority'],
      ['priority=', 'querystring.priority'],
      ['site=north%20east', 'querystring.site'],
      ['site=', 'querystring.site'],
      ['line=-a', 'querystring.line'],
      [`line=${'l'.repeat(129)}`, 'querystring.line'],
      ['status=closed', 'querystring.status'],
      ['asset=a%2Fb', 'querystring.asset'],
      ['sites=north', 'querystring.sites'],
    ];
    for (const [query, field] of refused) {
      const response = await api.request('GET', `/v1/work-orders?${query}`);
      const body = await bodyOf(response);
      expect([query, response.status, body.error, body.field]).toEqual([
        query,
        400,
        'invalid_request',
        field,
      ]);
      expect(body.message).toContain(field.split('.')[1]);
    }
  });
});
