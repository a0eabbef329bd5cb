import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { type DeadLetter, decodeJson } from '../src/bus/codec.ts';
import { topics } from '../src/bus/port.ts';
import { databaseUrl } from '../src/config/load.ts';
import type { Alert, Asset, WorkOrder } from '../src/domain/types.ts';
import { runSimulator } from '../src/simulator/driver.ts';
import { Fleet } from '../src/simulator/fleet.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { alignedStart, bodyOf, type Client, client, startApp } from './helpers/app.ts';

const SECONDS = 150;
/** The version pump-2's order reaches by the end of the run: opened (1), taken over by the diagnosis (2), escalated (3). */
const ORDER_VERSION = 3;

describe('the all target end to end, on embedded defaults', () => {
  let app: MantisApp;
  let api: Client;
  let dbUrl: string;
  // Minute-aligned, so that the first two minutes are two whole 1 min roll-up buckets.
  const startTs = alignedStart(SECONDS + 30, 60);
  const fleet = new Fleet();
  let mixed: Response;
  let mixedBody: { accepted: number; rejected: { index: number; field: string; reason: string }[] };

  beforeAll(async () => {
    app = await startApp();
    api = client(app);
    dbUrl = databaseUrl(app.services.config);
    await runSimulator({ url: app.url, token: app.token, startTs, speed: 0, durationSeconds: SECONDS });
    // A batch mixing good and bad items, after the simulated run, on registered sensors.
    const ts = startTs + SECONDS * 1000 + 500;
    mixed = await api.request('POST', '/v1/readings', [
      { sensorId: 'pump-1.temp', ts, value: 50.5 },
      { sensorId: 'no-such-sensor', ts, value: 1 },
      { sensorId: 'pump-1.current', ts, value: 9999 },
      { sensorId: 'pump-1.current', ts: new Date(ts).toISOString(), value: 30.25 },
      { sensorId: 'pump-1.vib', ts, rateHz: 5120, values: [0.1, Number.NaN] },
      'not an object',
    ]);
    mixedBody = await bodyOf(mixed);
    // Processing is asynchronous: wait until the first two minutes of every series are stored.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { items } = await api.json<{ items: unknown[] }>(
        `/v1/export/features?from=${startTs}&to=${startTs + 120_000}`,
      );
      if (items.length >= 24 * 12 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('reports bad items by index and field, and keeps the good ones of the same batch', async () => {
    expect(mixed.status).toBe(202);
    expect(mixedBody.accepted).toBe(2);
    expect(mixedBody.rejected).toEqual([
      { index: 1, field: 'sensorId', reason: 'unknown sensor "no-such-sensor"' },
      { index: 2, field: 'value', reason: "9999 is outside the sensor's valid range [0, 500] A" },
      // JSON has no NaN: it arrives as null.
      { index: 4, field: 'values[1]', reason: 'must be a finite number' },
      { index: 5, field: 'item', reason: 'must be an object' },
    ]);
  });

  it('sends every rejected item to the dead-letter topic with its reason', async () => {
    const consumer = app.services.bus?.subscribe(topics.deadLetters, 'test-inspect', 100);
    const letters = (await consumer?.poll(0))?.map((r) => decodeJson<DeadLetter>(r.value)) ?? [];
    await consumer?.close();
    expect(letters.map((l) => [l.source, l.index, l.field])).toEqual([
      ['http', 1, 'sensorId'],
      ['http', 2, 'value'],
      ['http', 4, 'values[1]'],
      ['http', 5, 'item'],
    ]);
    expect(letters[0].item).toEqual({ sensorId: 'no-such-sensor', ts: expect.any(Number), value: 1 });
  });

  it('accepts NDJSON and rejects only its malformed lines', async () => {
    const ts = startTs + SECONDS * 1000 + 700;
    const body = [
      JSON.stringify({ sensorId: 'pump-3.temp', ts, value: 48 }),
      '{"sensorId": "pump-3.temp", "ts": ',
      '',
      JSON.stringify({ sensorId: 'pump-3.current', ts, value: 28 }),
    ].join('\n');
    const response = await api.request('POST', '/v1/readings', body, {
      'content-type': 'application/x-ndjson',
    });
    expect(response.status).toBe(202);
    const result = await bodyOf(response);
    expect(result.accepted).toBe(2);
    expect(result.rejected).toEqual([
      { index: 1, field: 'item', reason: expect.stringMatching(/^not valid JSON/) },
    ]);
  });

  it('refuses requests without the token, without saying why', async () => {
    for (const auth of ['', 'Bearer wrong-token', `Basic ${app.token}`]) {
      const response = await fetch(`${app.url}/v1/readings`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: '[]',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await bodyOf(response)).toEqual({
        error: 'unauthorized',
        message: 'missing or invalid credentials',
      });
    }
  });

  it('answers 400 naming the body for malformed JSON and empty batches, 415 for other media', async () => {
    const broken = await api.request('POST', '/v1/readings', '[{"sensorId": ', {
      'content-type': 'application/json',
    });
    expect(broken.status).toBe(400);
    expect((await bodyOf(broken)).message).toMatch(/^body: /);
    const empty = await api.request('POST', '/v1/readings', []);
    expect(empty.status).toBe(400);
    expect(await bodyOf(empty)).toMatchObject({ field: 'body', message: 'body: contains no readings' });
    const xml = await api.request('POST', '/v1/readings', '<r/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
  });

  it('answers 422 when every item is rejected', async () => {
    const response = await api.request('POST', '/v1/readings', [{ sensorId: 'x', ts: Date.now(), value: 1 }]);
    expect(response.status).toBe(422);
    expect((await bodyOf(response)).accepted).toBe(0);
  });

  it('serves the assets, an OpenAPI 3.1 document, health and metrics', async () => {
    const { items } = await api.json<{ items: Asset[] }>('/v1/assets');
    expect(items.map((a) => a.id).sort()).toEqual(fleet.assets.map((a) => a.id).sort());
    const pump = await api.json<Asset & { latestFeatures: Record<string, unknown> }>('/v1/assets/pump-2');
    expect(Object.keys(pump.latestFeatures).sort()).toEqual(['pump-2.current', 'pump-2.temp', 'pump-2.vib']);
    expect(pump.health).toBeLessThan(40);
    const missing = await api.request('GET', '/v1/assets/nope');
    expect(missing.status).toBe(404);
    expect(await bodyOf(missing)).toEqual({ error: 'not_found', message: 'asset nope not found' });

    const openapi = await bodyOf(await fetch(`${app.url}/openapi.json`));
    expect(openapi.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/readings',
      '/v1/assets',
      '/v1/assets/{id}',
      '/v1/assets/{id}/features',
      '/v1/alerts',
      '/v1/work-orders',
    ]) {
      expect(openapi.paths).toHaveProperty([path]);
    }
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await bodyOf(ready)).checks).toMatchObject({
      database: { ok: true },
      bus: { ok: true },
      process: { ok: true },
    });
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/mantis_ingest_items_total\{transport="http",outcome="accepted"\} \d+/);
    expect(metrics).toMatch(/mantis_bus_send_duration_seconds_bucket/);
    expect(metrics).toMatch(
      /http_server_request_duration_seconds_count\{method="POST",route="\/v1\/readings",status_code="202"\}/,
    );
  });

  it('validates query parameters with a message naming the field', async () => {
    const bad = await api.request('GET', '/v1/assets/pump-1/features?from=yesterday');
    expect(bad.status).toBe(400);
    expect(await bodyOf(bad)).toMatchObject({ field: 'querystring.from' });
    const badLimit = await api.request('GET', '/v1/alerts?limit=0');
    expect(badLimit.status).toBe(400);
    expect((await bodyOf(badLimit)).message).toMatch(/^querystring\.limit/);
  });

  it('serves roll-ups that agree with the windows, and fleet-wide exports by time range', async () => {
    const range = `from=${startTs}&to=${startTs + 120_000}`;
    const windows = await api.json<{ items: { count: number; max: number }[] }>(
      `/v1/assets/pump-1/features?sensor=pump-1.temp&${range}`,
    );
    const minutes = await api.json<{
      resolution: string;
      items: { count: number; windows: number; max: number }[];
    }>(`/v1/assets/pump-1/features?sensor=pump-1.temp&${range}&resolution=1m`);
    expect(minutes.resolution).toBe('1m');
    expect(minutes.items).toHaveLength(2);
    expect(minutes.items.map((m) => m.windows)).toEqual([6, 6]);
    const sum = (items: { count: number }[]) => items.reduce((n, i) => n + i.count, 0);
    expect(sum(minutes.items)).toBe(sum(windows.items));
    expect(Math.max(...minutes.items.map((m) => m.max))).toBe(Math.max(...windows.items.map((w) => w.max)));

    const exported = await api.json<{ items: { sensorId: string; windowStart: number }[] }>(
      `/v1/export/features?${range}`,
    );
    expect(new Set(exported.items.map((f) => f.sensorId)).size).toBe(24);
    const starts = exported.items.map((f) => f.windowStart);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const readings = await api.json<{ items: { ts: number }[] }>(
      `/v1/export/readings?from=${startTs}&to=${startTs + 10_000}`,
    );
    expect(readings.items).toHaveLength(16 * 10);
    const tooLong = await api.request('GET', `/v1/export/readings?from=${startTs}&to=${startTs + 3_600_000}`);
    expect(tooLong.status).toBe(422);
    expect(await bodyOf(tooLong)).toMatchObject({ field: 'querystring.to' });
  });

  it("serves a sensor's raw signal: scalar readings in order, and its latest sample block", async () => {
    const range = `from=${startTs}&to=${startTs + 60_000}`;
    const temp = await api.json<{ readings: { ts: number; value: number }[]; block: null }>(
      `/v1/sensors/pump-1.temp/signal?${range}`,
    );
    expect(temp.readings).toHaveLength(60);
    expect(temp.readings.map((r) => r.ts)).toEqual([...temp.readings.map((r) => r.ts)].sort((a, b) => a - b));
    expect(temp.block).toBeNull();
    const vib = await api.json<{ block: { ts: number; rateHz: number; values: number[] } }>(
      `/v1/sensors/pump-1.vib/signal?${range}`,
    );
    // The simulator sends one block of samples each second: the latest starts at second 59.
    expect(vib.block.rateHz).toBe(5120);
    expect(vib.block.ts).toBe(startTs + 59_000);
    expect(vib.block.values).toHaveLength(fleet.options.vibrationBlockSize);
    expect(vib.block.values.every((v) => Number.isFinite(v) && Math.abs(v) < 10)).toBe(true);
    expect((await api.request('GET', '/v1/sensors/nope/signal')).status).toBe(404);
    const wide = await api.request('GET', `/v1/sensors/pump-1.temp/signal?from=0&to=${startTs}`);
    expect([wide.status, (await bodyOf(wide)).field]).toEqual([400, 'querystring.from']);
  });

  it('raises an anomaly alert and a named diagnosis, and one work order naming the fault, for the degrading asset only', async () => {
    const { items: alerts } = await api.json<{ items: Alert[] }>('/v1/alerts');
    const { items: orders } = await api.json<{ items: WorkOrder[] }>('/v1/work-orders');
    const byCause = <T extends { cause: string }>(xs: T[]) =>
      [...xs].sort((a, b) => a.cause.localeCompare(b.cause));
    expect(byCause(alerts).map((a) => [a.assetId, a.sensorId, a.cause, a.status])).toEqual([
      ['pump-2', 'pump-2.vib', 'diagnosis:outer-race:6205@drive end', 'active'],
      ['pump-2', 'pump-2.vib', 'vibration-anomaly', 'active'],
    ]);
    // One problem, one order: the diagnosis took over the anomaly's order (see raiseAlert).
    expect(orders.map((o) => [o.assetId, o.sensorId, o.cause, o.status])).toEqual([
      ['pump-2', 'pump-2.vib', 'diagnosis:outer-race:6205@drive end', 'open'],
    ]);
    const [diagnosis, anomaly] = byCause(alerts);
    // Caught within two minutes of the start of the run.
    expect(anomaly.raisedAt - startTs).toBeLessThanOrEqual(120_000);
    // Raised as a warning, escalated as the fault grew: the order's priority followed (a new version).
    expect(anomaly.severity).toBe('critical');
    expect(anomaly.health).toBeLessThan(20);
    expect(orders[0]).toMatchObject({ priority: 'urgent', alertId: diagnosis.id, version: ORDER_VERSION });
    // The simulated fault is named: pump-2's 6205 at 1797 rpm has BPFO = 3.5848 × 29.95 Hz = 107.4 Hz.
    expect(diagnosis.raisedAt - startTs).toBeLessThanOrEqual(120_000);
    expect(diagnosis.message).toMatch(
      /^outer-race defect suspected on bearing 6205 \(drive end\): envelope peaks at 107\.\d Hz = BPFO/,
    );
    expect(orders[0].title).toContain('outer-race defect suspected on bearing 6205');
  });

  it('moves a work order along its lifecycle, refusing skipped steps (409) and stale versions (412)', async () => {
    const { items } = await api.json<{ items: WorkOrder[] }>('/v1/work-orders?asset=pump-2');
    const path = `/v1/work-orders/${items[0].id}`;
    const move = (body: unknown, headers: Record<string, string> = {}) =>
      api.request('POST', `${path}/transitions`, body, headers);

    const skipped = await move({ to: 'done' });
    expect(skipped.status).toBe(409);
    expect((await bodyOf(skipped)).message).toBe(
      'a work order cannot go from open to done; from open it can go to assigned, cancelled',
    );
    const noAssignee = await move({ to: 'assigned' });
    expect(noAssignee.status).toBe(422);
    expect(await bodyOf(noAssignee)).toMatchObject({ field: 'body.assignee' });
    const badStatus = await move({ to: 'closed' });
    expect(badStatus.status).toBe(400);
    expect((await bodyOf(badStatus)).message).toMatch(/^body\.to/);

    const assigned = await move({ to: 'assigned', assignee: 'ana', note: 'check the outer race' });
    expect(assigned.status).toBe(200);
    // The versions before were the processor's (takeover by the diagnosis, escalation).
    expect(assigned.headers.get('etag')).toBe(`"${ORDER_VERSION + 1}"`);
    const stale = await move({ to: 'in_progress' }, { 'if-match': `"${ORDER_VERSION}"` });
    expect(stale.status).toBe(412);
    expect((await move({ to: 'in_progress' }, { 'if-match': `"${ORDER_VERSION + 1}"` })).status).toBe(200);
    const done = await bodyOf(
      await move({ to: 'done', note: 'bearing replaced', confirmedCause: 'outer-race' }),
    );
    expect(done).toMatchObject({
      status: 'done',
      assignee: 'ana',
      version: ORDER_VERSION + 3,
      confirmedCause: 'outer-race',
    });
    expect((await move({ to: 'cancelled' })).status).toBe(409);

    const order = await api.json<{
      events: { from: string; to: string; actor: string; at: number; note: string }[];
    }>(path);
    expect(order.events.map((e) => [e.from, e.to, e.note])).toEqual([
      ['open', 'assigned', 'check the outer race'],
      ['assigned', 'in_progress', null],
      ['in_progress', 'done', 'bearing replaced'],
    ]);
    expect(order.events.every((e) => e.actor === 'api-token' && e.at > startTs)).toBe(true);
    expect((await api.request('GET', '/v1/work-orders/wo-nope')).status).toBe(404);
  });

  it('lets people acknowledge and resolve an alert, once each, recording who and when', async () => {
    const { items } = await api.json<{ items: Alert[] }>('/v1/alerts?asset=pump-2');
    const path = `/v1/alerts/${items[0].id}`;
    const acknowledged = await api.request('POST', `${path}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    expect(await bodyOf(acknowledged)).toMatchObject({ status: 'active', acknowledgedBy: 'api-token' });
    const again = await api.request('POST', `${path}/acknowledge`);
    expect(again.status).toBe(409);
    expect((await bodyOf(again)).message).toBe(`alert ${items[0].id} was already acknowledged by api-token`);
    const resolved = await bodyOf(await api.request('POST', `${path}/resolve`));
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'api-token' });
    expect(resolved.resolvedAt).toBeGreaterThanOrEqual(resolved.acknowledgedAt);
    expect((await api.request('POST', `${path}/resolve`)).status).toBe(409);
    expect((await api.request('POST', '/v1/alerts/alr-nope/acknowledge')).status).toBe(404);
  });

  it('opens work orders by hand, refusing unknown assets, bad fields and a duplicate open one', async () => {
    const title = "Robert'); DROP TABLE work_orders; --";
    const created = await api.request('POST', '/v1/work-orders', {
      assetId: 'pump-1',
      title,
      priority: 'low',
    });
    expect(created.status).toBe(201);
    const order = await bodyOf(created);
    expect(order).toMatchObject({
      assetId: 'pump-1',
      sensorId: null,
      alertId: null,
      cause: 'manual',
      title,
      status: 'open',
    });
    expect(created.headers.get('location')).toBe(`/v1/work-orders/${order.id}`);
    expect(order.events).toMatchObject([{ from: 'open', to: 'open', note: 'opened', actor: 'api-token' }]);

    const duplicate = await api.request('POST', '/v1/work-orders', {
      assetId: 'pump-1',
      title: 'again',
      priority: 'low',
    });
    expect(duplicate.status).toBe(409);
    // A missing asset or sensor is not found (404, naming the field); a bad field is refused (400).
    const refusals: [unknown, string, number][] = [
      [{ assetId: 'no-such-asset', title: 't', priority: 'low' }, 'body.assetId', 404],
      [{ assetId: 'pump-1', sensorId: 'pump-3.temp', title: 't', priority: 'low' }, 'body.sensorId', 404],
      [{ assetId: 'pump-1', title: 'x'.repeat(201), priority: 'low' }, 'body.title', 400],
      [{ assetId: 'pump-1', title: 't', priority: 'whenever' }, 'body.priority', 400],
      [
        { assetId: 'pump-1', title: 't', priority: 'low', owner: 'me' },
        'body.owner: is not a known field',
        400,
      ],
    ];
    for (const [body, field, status] of refusals) {
      const response = await api.request('POST', '/v1/work-orders', body);
      expect(response.status, field).toBe(status);
      expect((await bodyOf(response)).message.startsWith(field), field).toBe(true);
    }
    const { items } = await api.json<{ items: WorkOrder[] }>('/v1/work-orders?asset=pump-1');
    expect(items.map((o) => o.title)).toEqual([title]);
  });

  it('pages through work orders newest first with an opaque cursor', async () => {
    await api.request('POST', '/v1/work-orders', { assetId: 'fan-1', title: 'belt', priority: 'medium' });
    const all = await api.json<{ items: WorkOrder[]; next: string | null }>('/v1/work-orders');
    // pump-2's (its diagnosis), pump-1's opened by hand, and fan-1's.
    expect(all.items.length).toBe(3);
    expect(all.next).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: WorkOrder[]; next: string | null } = await api.json(
        `/v1/work-orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((o) => o.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(all.items.map((o) => o.id));
    const created = all.items.map((o) => o.createdAt);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    const bad = await api.request('GET', '/v1/work-orders?cursor=not-ours');
    expect(bad.status).toBe(400);
    expect(await bodyOf(bad)).toMatchObject({ field: 'querystring.cursor' });
  });

  it('answers 413 past the body or batch size limits', async () => {
    const tooMany = Array.from({ length: 10_001 }, () => ({
      sensorId: 'pump-1.temp',
      ts: Date.now(),
      value: 1,
    }));
    const response = await api.request('POST', '/v1/readings', tooMany);
    expect(response.status).toBe(413);
    expect((await bodyOf(response)).message).toBe('body: 10001 items; at most 10000 per batch');
    const huge = `[${'1,'.repeat(5_000_000)}1]`;
    expect(
      (await api.request('POST', '/v1/readings', huge, { 'content-type': 'application/json' })).status,
    ).toBe(413);
  });

  it('stores features for every good reading, flushing open windows on a clean stop', async () => {
    await app.stop();
    const db = await openDatabase(dbUrl);
    try {
      const rows = await db.query<{ sensor_id: string; windows: number; total: number }>(
        'SELECT sensor_id, count(*)::int AS windows, sum(count)::int AS total FROM features GROUP BY sensor_id',
      );
      const bySensor = new Map(rows.map((r) => [r.sensor_id, r]));
      const sent = new Map<string, number>();
      for (let s = 0; s < SECONDS; s++) {
        for (const r of fleet.readings(s, startTs)) {
          sent.set(r.sensorId, (sent.get(r.sensorId) ?? 0) + ('values' in r ? r.values.length : 1));
        }
      }
      // The mixed and NDJSON batches added one reading to each of these.
      for (const id of ['pump-1.temp', 'pump-1.current', 'pump-3.temp', 'pump-3.current'])
        sent.set(id, (sent.get(id) ?? 0) + 1);
      for (const [sensorId, total] of sent) {
        expect(bySensor.get(sensorId)?.total, sensorId).toBe(total);
      }
      expect(bySensor.get('pump-1.temp')?.windows).toBe(SECONDS / 10 + 1);
      const [{ raw }] = await db.query<{ raw: number }>('SELECT count(*)::int AS raw FROM raw_readings');
      expect(raw).toBe(SECONDS * 16 + 4);
      const [{ blocks }] = await db.query<{ blocks: number }>(
        'SELECT count(*)::int AS blocks FROM raw_blocks',
      );
      expect(blocks).toBe(SECONDS * 8);
      // The roll-ups hold every window once.
      const [rolled] = await db.query<{ hours: number; days: number }>(
        `SELECT (SELECT sum(count)::int FROM features_1h) AS hours, (SELECT sum(count)::int FROM features_1d) AS days`,
      );
      const windowed = rows.reduce((n, r) => n + r.total, 0);
      expect(rolled).toEqual({ hours: windowed, days: windowed });
    } finally {
      await db.close();
    }
  });
});
