/**
 * The KPI, access, export and model operations answer exactly what /openapi.json documents: every answer here
 * passes the response checker (http.checkResponses, on in startApp), a missing referenced resource is a 404
 * naming its field, a rule between valid fields a 422 naming the field, and the schemas' patterns and bounds are the server's own, on both sides of each edge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { bodyOf, type Client, caughtUp, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

const H = 3_600_000;
const DAY = 24 * H;
// Whole UTC days that are over.
const D = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
const MIN_TS = Date.UTC(2000, 0, 1);
const MAX_TS = Date.UTC(2100, 0, 1);

const asset = (id: string, siteId: string, lineId: string) => ({
  siteId,
  lineId,
  name: id,
  kind: 'press',
  idealCycleSeconds: 30,
  sensors: [
    { id: `${id}.temp`, kind: 'temperature', unit: 'degC', sampleRateHz: 1, validMin: -50, validMax: 200 },
  ],
});

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary response shapes.
  body: any;
  headers: Headers;
}

describe.each(engines)('KPI, access, export and model operations as documented, on $name', (engine) => {
  let app: MantisApp;
  let api: Client;
  let stop: () => Promise<void>;
  let workOrderId: string;

  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await api.request(method, path, body, headers);
    const text = await response.text();
    const answer: Answer = {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      headers: response.headers,
    };
    // A 500 here is the response checker naming a mismatch with the document.
    expect(answer.status, `${method} ${path}: ${text}`).toBeLessThan(500);
    return answer;
  };
  const get = (path: string) => call('GET', path);
  const statusOf = async (path: string) => (await get(path)).status;

  beforeAll(async () => {
    ({ app, stop } = await engine.start({ 'http.authFailuresPerMinute': 1000 }));
    api = client(app);
    for (const [id, line] of [
      ['press-1', 'presses'],
      ['press-2', 'presses'],
      ['oven-1', 'ovens'],
    ]) {
      expect((await call('PUT', `/v1/assets/${id}`, asset(id, 'works', line))).status).toBe(200);
    }
    const order = await call('POST', '/v1/work-orders', {
      assetId: 'press-2',
      title: 'Replace the seal',
      priority: 'high',
    });
    expect(order.status).toBe(201);
    workOrderId = order.body.id;
  });

  afterAll(async () => {
    await stop?.();
  });

  describe('downtime', () => {
    it('records an event with 201, Location and ETag, reads it, and ends it with If-Match', async () => {
      const created = await call('POST', '/v1/downtime', {
        assetId: 'press-1',
        kind: 'unplanned',
        reason: 'hydraulic leak',
        start: new Date(D + 2 * H).toISOString(),
        end: null,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        assetId: 'press-1',
        kind: 'unplanned',
        start: new Date(D + 2 * H).toISOString(),
        end: null,
        workOrderId: null,
        createdBy: 'api-token',
        version: 1,
      });
      const { id } = created.body;
      expect(created.headers.get('location')).toBe(`/v1/downtime/${id}`);
      expect(created.headers.get('etag')).toBe('"1"');

      const read = await get(`/v1/downtime/${id}`);
      expect([read.status, read.headers.get('etag'), read.body]).toEqual([200, '"1"', created.body]);

      const ended = await call('PATCH', `/v1/downtime/${id}`, { end: D + 3 * H }, { 'if-match': '"1"' });
      expect([ended.status, ended.headers.get('etag'), ended.body.end, ended.body.version]).toEqual([
        200,
        '"2"',
        new Date(D + 3 * H).toISOString(),
        2,
      ]);
      const stale = await call('PATCH', `/v1/downtime/${id}`, { reason: 'x' }, { 'if-match': 'W/"1"' });
      expect(stale.status).toBe(412);
      const reopened = await call('PATCH', `/v1/downtime/${id}`, { end: null, reason: 'still leaking' });
      expect([reopened.status, reopened.body.end, reopened.body.reason]).toEqual([
        200,
        null,
        'still leaking',
      ]);
    });

    it('names a work order of the same asset, and answers 404 or 422 for one that is missing or elsewhere', async () => {
      const linked = await call('POST', '/v1/downtime', {
        assetId: 'press-2',
        kind: 'unplanned',
        reason: 'seal',
        start: D + 5 * H,
        end: D + 6 * H,
        workOrderId,
      });
      expect([linked.status, linked.body.workOrderId]).toEqual([201, workOrderId]);
      const missing = await call('POST', '/v1/downtime', {
        assetId: 'press-2',
        kind: 'unplanned',
        reason: 'seal',
        start: D,
        workOrderId: 'wo-nope',
      });
      expect([missing.status, missing.body]).toEqual([
        404,
        {
          error: 'not_found',
          message: 'body.workOrderId: work order wo-nope does not exist',
          field: 'body.workOrderId',
        },
      ]);
      const elsewhere = await call('POST', '/v1/downtime', {
        assetId: 'press-1',
        kind: 'unplanned',
        reason: 'seal',
        start: D,
        workOrderId,
      });
      expect([elsewhere.status, elsewhere.body]).toEqual([
        422,
        {
          error: 'rule_violated',
          message: `body.workOrderId: work order ${workOrderId} is of asset press-2, not of press-1`,
          field: 'body.workOrderId',
        },
      ]);
    });

    it('answers 404 naming the field for an asset that does not exist, in the body and in the query', async () => {
      const created = await call('POST', '/v1/downtime', {
        assetId: 'nope',
        kind: 'planned',
        reason: 'x',
        start: D,
      });
      expect([created.status, created.body]).toEqual([
        404,
        { error: 'not_found', message: 'body.assetId: asset nope does not exist', field: 'body.assetId' },
      ]);
      const listed = await get(`/v1/downtime?asset=nope&from=${D}&to=${D + DAY}`);
      expect([listed.status, listed.body.message]).toEqual([
        404,
        'querystring.asset: asset nope does not exist',
      ]);
      // An asset without events is an empty list.
      expect(await get(`/v1/downtime?asset=oven-1&from=${D}&to=${D + DAY}`)).toMatchObject({
        status: 200,
        body: { items: [] },
      });
      expect((await get('/v1/downtime/no-such-event')).status).toBe(404);
      expect((await call('PATCH', '/v1/downtime/no-such-event', { reason: 'x' })).status).toBe(404);
    });

    it('refuses an end before the start: 422 in a new event, 409 against a stored one', async () => {
      const backwards = await call('POST', '/v1/downtime', {
        assetId: 'oven-1',
        kind: 'planned',
        reason: 'x',
        start: D + H,
        end: D + H,
      });
      expect([backwards.status, backwards.body.field, backwards.body.message]).toEqual([
        422,
        'body.end',
        'body.end: must be after start',
      ]);
      const event = await call('POST', '/v1/downtime', {
        assetId: 'oven-1',
        kind: 'planned',
        reason: 'x',
        start: D + H,
      });
      const patched = await call('PATCH', `/v1/downtime/${event.body.id}`, { end: D });
      expect([patched.status, patched.body]).toEqual([
        409,
        { error: 'conflict', message: `body.end: must be after the start, ${new Date(D + H).toISOString()}` },
      ]);
    });

    it('refuses what the schemas refuse: unknown fields, bad enums, bad times, empty patches, overlong text', async () => {
      const base = { assetId: 'oven-1', kind: 'planned', reason: 'x', start: D };
      for (const [body, field] of [
        [{ ...base, extra: 1 }, 'body.extra'],
        [{ ...base, kind: 'coffee' }, 'body.kind'],
        [{ ...base, reason: '' }, 'body.reason'],
        [{ ...base, reason: 'r'.repeat(501) }, 'body.reason'],
        [{ ...base, assetId: '-a' }, 'body.assetId'],
        [{ ...base, start: MIN_TS - 1 }, 'body.start'],
        [{ ...base, start: MAX_TS }, 'body.start'],
        [{ ...base, start: '2025-02-29T00:00:00Z' }, 'body.start'],
        [{ ...base, start: '2026-01-31T24:00:00Z' }, 'body.start'],
        [{ ...base, start: '2026-01-31T12:00:00' }, 'body.start'],
        [{ ...base, end: 0 }, 'body.end'],
        [{ ...base, end: MAX_TS }, 'body.end'],
        [{ ...base, end: '2026-02-30T00:00:00Z' }, 'body.end'],
        [{ ...base, end: true }, 'body.end'],
      ] as const) {
        const answer = await call('POST', '/v1/downtime', body);
        expect([JSON.stringify(body), answer.status, answer.body.field]).toEqual([
          JSON.stringify(body),
          400,
          field,
        ]);
      }
      for (const start of [
        MIN_TS,
        MAX_TS - 1,
        '2000-01-01T00:00:00Z',
        '2099-12-31T23:59:59.999Z',
        '2024-02-29t12:00z',
      ]) {
        expect((await call('POST', '/v1/downtime', { ...base, start })).status).toBe(201);
      }
      expect((await call('POST', '/v1/downtime', { ...base, reason: 'r'.repeat(500) })).status).toBe(201);
      const event = await call('POST', '/v1/downtime', base);
      expect((await call('PATCH', `/v1/downtime/${event.body.id}`, {})).status).toBe(400);
      // If-Match takes any value (RFC 9110 §13.1.1): `*` matches every version, one naming no version gets 412.
      const any = await call('PATCH', `/v1/downtime/${event.body.id}`, { reason: 'y' }, { 'if-match': '*' });
      expect([any.status, any.body.version]).toEqual([200, 2]);
      const badTag = await call(
        'PATCH',
        `/v1/downtime/${event.body.id}`,
        { reason: 'z' },
        { 'if-match': '2' },
      );
      expect(badTag.status).toBe(412);
    });

    it('lists events overlapping a range, within the range rules', async () => {
      const { status, body } = await get(`/v1/downtime?asset=press-1&from=${D}&to=${D + DAY}&limit=1`);
      expect([status, body.items.length, body.items[0].assetId]).toEqual([200, 1, 'press-1']);
      expect(await statusOf(`/v1/downtime?from=${D}&to=${D + 3660 * DAY}`)).toBe(200);
      const long = await get(`/v1/downtime?from=${D}&to=${D + 3660 * DAY + 1}`);
      expect([long.status, long.body.message]).toEqual([
        422,
        'querystring.from: the range may span at most 3660 days',
      ]);
      const backwards = await get(`/v1/downtime?from=${D}&to=${D}`);
      expect([backwards.status, backwards.body.message]).toEqual([
        422,
        'querystring.from: must be before to',
      ]);
      for (const query of ['limit=0', 'limit=10001', 'limit=1.5', 'sort=asc', 'asset=a%20b']) {
        expect([query, await statusOf(`/v1/downtime?${query}`)]).toEqual([query, 400]);
      }
      expect(await statusOf('/v1/downtime?limit=10000')).toBe(200);
    });
  });

  describe('production', () => {
    it('records counts with 201 and lists them', async () => {
      const recorded = await call('POST', '/v1/production', [
        { assetId: 'press-1', ts: D + 12 * H, produced: 1000, good: 950 },
        { assetId: 'press-2', ts: new Date(D + 12 * H).toISOString(), produced: 1_000_000_000, good: 0 },
      ]);
      expect([recorded.status, recorded.body]).toEqual([201, { recorded: 2 }]);
      const listed = await get(`/v1/production?from=${D}&to=${D + DAY}`);
      expect(listed.body.items).toEqual([
        { assetId: 'press-1', ts: D + 12 * H, produced: 1000, good: 950, recordedBy: 'api-token' },
        { assetId: 'press-2', ts: D + 12 * H, produced: 1_000_000_000, good: 0, recordedBy: 'api-token' },
      ]);
    });

    it('answers 404 naming the count whose asset does not exist, and 422 for good above produced, storing none', async () => {
      const unknown = await call('POST', '/v1/production', [
        { assetId: 'oven-1', ts: D + H, produced: 1, good: 1 },
        { assetId: 'nope', ts: D + H, produced: 1, good: 1 },
      ]);
      expect([unknown.status, unknown.body]).toEqual([
        404,
        { error: 'not_found', message: 'body.1.assetId: asset nope does not exist', field: 'body.1.assetId' },
      ]);
      const over = await call('POST', '/v1/production', [
        { assetId: 'oven-1', ts: D + H, produced: 1, good: 2 },
      ]);
      expect([over.status, over.body.field, over.body.message]).toEqual([
        422,
        'body.0.good',
        'body.0.good: must not exceed produced',
      ]);
      expect((await get(`/v1/production?asset=oven-1&from=${D}&to=${D + DAY}`)).body.items).toEqual([]);
      const listed = await get(`/v1/production?asset=nope&from=${D}&to=${D + DAY}`);
      expect([listed.status, listed.body.message]).toEqual([
        404,
        'querystring.asset: asset nope does not exist',
      ]);
    });

    it('refuses counts outside the bounds', async () => {
      const count = { assetId: 'press-2', ts: D + H, produced: 1, good: 1 };
      for (const [body, field] of [
        [[], 'body'],
        [[{ ...count, produced: -1 }], 'body.0.produced'],
        [[{ ...count, produced: 1_000_000_001 }], 'body.0.produced'],
        [[{ ...count, produced: 1.5 }], 'body.0.produced'],
        [[{ ...count, good: -1 }], 'body.0.good'],
        [[{ ...count, ts: MIN_TS - 1 }], 'body.0.ts'],
        [[{ ...count, recordedBy: 'me' }], 'body.0.recordedBy'],
        [count, 'body'],
      ] as const) {
        const answer = await call('POST', '/v1/production', body);
        expect([JSON.stringify(body), answer.status, answer.body.field]).toEqual([
          JSON.stringify(body),
          400,
          field,
        ]);
      }
      const many = Array.from({ length: 10_001 }, (_, i) => ({ ...count, ts: D + i }));
      expect((await call('POST', '/v1/production', many)).status).toBe(400);
      expect((await call('POST', '/v1/production', many.slice(1))).body).toEqual({ recorded: 10_000 });
    });
  });

  describe('KPIs', () => {
    it('answers the KPIs of an asset, a line and a site with every documented field', async () => {
      const range = `from=${D}&to=${D + 3 * DAY}`;
      const one = await get(`/v1/kpis?asset=press-1&${range}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        scope: 'asset',
        id: 'press-1',
        from: new Date(D).toISOString(),
        to: new Date(D + 3 * DAY).toISOString(),
        assets: 1,
        produced: 1000,
        failures: 1,
      });
      expect((await get(`/v1/kpis?line=presses&${range}`)).body).toMatchObject({ scope: 'line', assets: 2 });
      expect((await get(`/v1/kpis?site=works&${range}`)).body).toMatchObject({ scope: 'site', assets: 3 });
      // Nothing produced on the ovens: the ratios over zero are null, as documented.
      expect((await get(`/v1/kpis?line=ovens&${range}`)).body).toMatchObject({ quality: null, oee: null });
      const daily = await get(`/v1/kpis/daily?asset=press-1&${range}`);
      expect([daily.status, daily.body.items.map((d: { day: string }) => d.day)]).toEqual([
        200,
        [0, 1, 2].map((i) => new Date(D + i * DAY).toISOString().slice(0, 10)),
      ]);
    });

    it('answers 404 naming the scope that does not exist, and 422 without exactly one scope', async () => {
      for (const scope of ['asset', 'line', 'site']) {
        for (const path of ['/v1/kpis', '/v1/kpis/daily']) {
          const answer = await get(`${path}?${scope}=atlantis`);
          expect([answer.status, answer.body.message]).toEqual([
            404,
            `querystring.${scope}: ${scope} atlantis does not exist`,
          ]);
        }
      }
      for (const query of ['', 'asset=press-1&line=presses', 'asset=press-1&line=presses&site=works']) {
        const answer = await get(`/v1/kpis?${query}`);
        expect([answer.status, answer.body.message]).toEqual([
          422,
          'querystring: give exactly one of asset, line or site',
        ]);
      }
      expect(await statusOf('/v1/kpis?asset=press-1&window=1')).toBe(400);
    });

    it('takes ranges up to 3660 days, and 366 days per day', async () => {
      // Future days: nothing is rolled up for them, so that the widest range costs little.
      const from = Math.floor(Date.now() / DAY) * DAY + DAY;
      expect(await statusOf(`/v1/kpis?site=works&from=${from}&to=${from + 3660 * DAY}`)).toBe(200);
      const long = await get(`/v1/kpis?site=works&from=${from}&to=${from + 3660 * DAY + 1}`);
      expect([long.status, long.body.message]).toEqual([
        422,
        'querystring.from: the range may span at most 3660 days',
      ]);
      const days = await get(`/v1/kpis/daily?asset=oven-1&from=${from}&to=${from + 366 * DAY}`);
      expect([days.status, days.body.items.length]).toEqual([200, 366]);
      const longer = await get(`/v1/kpis/daily?asset=oven-1&from=${from}&to=${from + 366 * DAY + 1}`);
      expect([longer.status, longer.body.message]).toEqual([
        422,
        'querystring.from: the range may span at most 366 days',
      ]);
    });
  });

  describe('time parameters', () => {
    it('takes exactly the instants the pattern allows, on both sides of each edge', async () => {
      const to = '2000-01-02T00:00:00Z';
      const accepted = [
        '2000-01-01T00:00:00Z',
        '2000-01-01T00:00Z',
        '2000-01-01t00:00:00.123456z',
        '2000-01-01T01:00:00+01:00',
        '2000-01-01T00:59:59+0059',
        String(MIN_TS),
        `000${MIN_TS}`,
        `${MIN_TS}.5`,
      ];
      for (const from of accepted) {
        expect([from, await statusOf(`/v1/downtime?from=${encodeURIComponent(from)}&to=${to}`)]).toEqual([
          from,
          200,
        ]);
      }
      const refused = [
        '1999-12-31T23:59:59Z',
        String(MIN_TS - 1),
        '2000-02-30T00:00:00Z',
        '2001-02-29T00:00:00Z',
        '2000-01-01T24:00:00Z',
        '2000-01-01T00:60:00Z',
        '2000-01-01T00:00:60Z',
        '2000-01-01T00:00:00+24:00',
        '2000-01-01T00:00:00',
        '2000-01-01',
        '-1',
        '1e12',
        'yesterday',
      ];
      for (const from of refused) {
        const answer = await get(`/v1/downtime?from=${encodeURIComponent(from)}&to=${to}`);
        expect([from, answer.status, answer.body.field]).toEqual([from, 400, 'querystring.from']);
      }
      expect(await statusOf(`/v1/downtime?from=2099-12-31T00:00:00Z&to=${MAX_TS - 1}`)).toBe(200);
      expect(await statusOf('/v1/downtime?from=2024-02-29T00:00:00Z&to=2024-03-01T00:00:00Z')).toBe(200);
      for (const bad of [String(MAX_TS), '2100-01-01T00:00:00Z']) {
        const answer = await get(`/v1/downtime?from=2099-12-31T00:00:00Z&to=${bad}`);
        expect([bad, answer.status, answer.body.field]).toEqual([bad, 400, 'querystring.to']);
      }
    });
  });

  describe('export', () => {
    let from: number;

    beforeAll(async () => {
      from = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
      const readings = Array.from({ length: 40 }, (_, i) => ({
        sensorId: 'oven-1.temp',
        ts: from + i * 1000,
        value: 20 + (i % 7),
      }));
      expect((await call('POST', '/v1/readings', readings)).status).toBe(202);
      await caughtUp(app);
    });

    it('exports windows and readings of a range, oldest first', async () => {
      const features = await get(`/v1/export/features?from=${from}&to=${from + H}`);
      expect(features.status).toBe(200);
      expect(features.body.items.length).toBeGreaterThan(0);
      expect(features.body.items[0]).toMatchObject({
        assetId: 'oven-1',
        sensorId: 'oven-1.temp',
        windowStart: from,
      });
      const readings = await get(`/v1/export/readings?from=${from}&to=${from + 600_000}&limit=2`);
      expect(readings.body).toEqual({
        items: [
          { sensorId: 'oven-1.temp', ts: from, value: 20 },
          { sensorId: 'oven-1.temp', ts: from + 1000, value: 21 },
        ],
      });
    });

    it('refuses ranges beyond one hour or ten minutes, empty ones, and missing bounds', async () => {
      for (const [path, longest] of [
        ['/v1/export/features', H],
        ['/v1/export/readings', 600_000],
      ] as const) {
        expect(await statusOf(`${path}?from=${from}&to=${from + longest}&limit=100000`)).toBe(200);
        const long = await get(`${path}?from=${from}&to=${from + longest + 1}`);
        expect([long.status, long.body.field]).toEqual([422, 'querystring.to']);
        const empty = await get(`${path}?from=${from}&to=${from}`);
        expect([empty.status, empty.body.field]).toEqual([422, 'querystring.from']);
        for (const query of [
          `to=${from}`,
          `from=${from}`,
          `from=${from}&to=${from + 1}&limit=100001`,
          `from=${from}&to=${from + 1}&limit=0`,
          `from=${from}&to=${from + 1}&sensor=x`,
        ]) {
          expect([path, query, await statusOf(`${path}?${query}`)]).toEqual([path, query, 400]);
        }
      }
    });
  });

  describe('access', () => {
    it('tells the credentials who they are', async () => {
      expect(await get('/v1/me')).toMatchObject({
        status: 200,
        body: { actor: 'api-token', role: 'admin', siteId: null },
      });
      expect(await statusOf('/v1/me?x=1')).toBe(400);
    });

    it('creates a key with 201 and Location, lists it, and revokes it with 204', async () => {
      const created = await call('POST', '/v1/keys', {
        name: 'g'.repeat(100),
        role: 'device',
        site: 'works',
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/v1/keys/${created.body.key.id}`);
      expect(created.body.token).toMatch(/^mnt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(created.body.key).toMatchObject({
        role: 'device',
        siteId: 'works',
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(await client(app, created.body.token).json('/v1/me')).toEqual({
        actor: `${'g'.repeat(100)} (${created.body.key.id})`,
        role: 'device',
        siteId: 'works',
      });
      const listed = await get('/v1/keys');
      expect(listed.body.items.map((k: { id: string }) => k.id)).toContain(created.body.key.id);
      const revoked = await call('DELETE', `/v1/keys/${created.body.key.id}`);
      expect([revoked.status, revoked.body]).toEqual([204, undefined]);
      expect((await call('DELETE', `/v1/keys/${created.body.key.id}`)).status).toBe(404);
      expect((await get('/v1/keys?revoked=false')).body.items.map((k: { id: string }) => k.id)).not.toContain(
        created.body.key.id,
      );
      const all = await get('/v1/keys?revoked=true');
      expect(all.body.items.find((k: { id: string }) => k.id === created.body.key.id).revokedAt).toEqual(
        expect.any(String),
      );
      expect(await statusOf('/v1/keys?revoked=maybe')).toBe(400);
    });

    it('answers 404 for a site that does not exist and 422 for the role and site rule', async () => {
      const unknown = await call('POST', '/v1/keys', { name: 'gw', role: 'device', site: 'atlantis' });
      expect([unknown.status, unknown.body]).toEqual([
        404,
        { error: 'not_found', message: 'body.site: site atlantis does not exist', field: 'body.site' },
      ]);
      for (const [body, message] of [
        [{ name: 'gw', role: 'device' }, 'body.site: a device token needs a site'],
        [{ name: 'v', role: 'viewer', site: 'works' }, 'body.site: only device tokens are site-scoped'],
      ] as const) {
        const answer = await call('POST', '/v1/keys', body);
        expect([answer.status, answer.body.field, answer.body.message]).toEqual([422, 'body.site', message]);
      }
      for (const [body, field] of [
        [{ name: '', role: 'viewer' }, 'body.name'],
        [{ name: 'n'.repeat(101), role: 'viewer' }, 'body.name'],
        [{ name: 'n', role: 'root' }, 'body.role'],
        [{ name: 'n', role: 'viewer', secret: 'x' }, 'body.secret'],
        [{ role: 'viewer' }, 'body.name'],
      ] as const) {
        const answer = await call('POST', '/v1/keys', body);
        expect([JSON.stringify(body), answer.status, answer.body.field]).toEqual([
          JSON.stringify(body),
          400,
          field,
        ]);
      }
    });

    it('pages the audit log with cursors the pattern takes', async () => {
      const first = await get('/v1/audit?limit=2');
      expect([first.status, first.body.items.length, first.body.next]).toEqual([
        200,
        2,
        first.body.items[1].id,
      ]);
      const next = await get(`/v1/audit?limit=2&cursor=${first.body.next}`);
      expect(Number(next.body.items[0].id)).toBeLessThan(Number(first.body.items[1].id));
      expect((await get(`/v1/audit?cursor=${'9'.repeat(18)}&limit=1000`)).status).toBe(200);
      expect((await get('/v1/audit?actor=api-token&limit=1')).body.items[0].actor).toBe('api-token');
      expect((await get('/v1/audit?cursor=1')).body).toEqual({ items: [], next: null });
      for (const query of [
        `cursor=${'9'.repeat(19)}`,
        'cursor=abc',
        'cursor=-1',
        'limit=1001',
        'limit=0',
        'page=2',
      ]) {
        const answer = await get(`/v1/audit?${query}`);
        expect([query, answer.status]).toEqual([query, 400]);
      }
    });
  });

  it('lists the model of each asset type in service', async () => {
    expect(await get('/v1/models')).toMatchObject({
      status: 200,
      body: { items: [{ assetType: 'press', model: null }] },
    });
    expect(await statusOf('/v1/models?type=press')).toBe(400);
  });

  it('documents each operation with its statuses, examples and strict request schemas', async () => {
    const doc = await bodyOf(await fetch(`${app.url}/openapi.json`));
    const op = (path: string, method: string) => doc.paths[path][method];
    const statuses = (path: string, method: string) => Object.keys(op(path, method).responses).sort();
    const common = ['400', '401', '403', '429', '500', '503'];
    const withBody = [...common, '413', '415'];
    expect(statuses('/v1/downtime', 'post')).toEqual(['201', '404', '422', ...withBody].sort());
    expect(statuses('/v1/downtime/{id}', 'patch')).toEqual(['200', '404', '409', '412', ...withBody].sort());
    expect(statuses('/v1/downtime/{id}', 'get')).toEqual(['200', '404', ...common].sort());
    expect(statuses('/v1/production', 'post')).toEqual(['201', '404', '422', ...withBody].sort());
    expect(statuses('/v1/production', 'get')).toEqual(['200', '404', '422', ...common].sort());
    expect(statuses('/v1/kpis', 'get')).toEqual(['200', '404', '422', ...common].sort());
    expect(statuses('/v1/kpis/daily', 'get')).toEqual(['200', '404', '422', ...common].sort());
    expect(statuses('/v1/keys', 'post')).toEqual(['201', '404', '422', ...withBody].sort());
    expect(statuses('/v1/keys/{id}', 'delete')).toEqual(['204', '404', ...common].sort());
    expect(statuses('/v1/export/features', 'get')).toEqual(['200', '422', ...common].sort());
    expect(statuses('/v1/export/readings', 'get')).toEqual(['200', '422', ...common].sort());
    expect(statuses('/v1/models', 'get')).toEqual(['200', ...common].sort());
    expect(op('/v1/keys/{id}', 'delete').responses['204'].content).toBeUndefined();
    expect(op('/v1/keys', 'post').responses['201'].headers.location).toBeDefined();
    expect(op('/v1/downtime', 'post').responses['201'].headers).toHaveProperty('etag');
    for (const [path, method] of [
      ['/v1/keys', 'post'],
      ['/v1/downtime', 'post'],
      ['/v1/production', 'post'],
    ]) {
      const media = op(path, method).requestBody.content['application/json'];
      expect([path, media.schema.additionalProperties ?? media.schema.items.additionalProperties]).toEqual([
        path,
        false,
      ]);
      expect([path, Boolean(media.example ?? media.examples)]).toEqual([path, true]);
    }
    const kpis = op('/v1/kpis', 'get');
    expect(kpis.description).toContain('Exactly one of `asset`, `line` and `site`');
    expect(kpis.responses['200'].content['application/json']).toHaveProperty('example');
    expect(kpis.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'asset',
      'from',
      'line',
      'site',
      'to',
    ]);
  });
});
