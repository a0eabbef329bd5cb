import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { setAssetHealth } from '../src/storage/postgres/registry.ts';
import { upsertFeatures } from '../src/storage/postgres/timeseries.ts';
import { alignedStart, bodyOf, type Client, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';
import { windowFeatures } from './helpers/features.ts';

const pump = (id: string, lineId: string, siteId = 'plant-a') => ({
  siteId,
  lineId,
  name: `Pump ${id}`,
  kind: 'pump',
  sensors: [
    { id: `${id}.temp`, kind: 'temperature', unit: 'degC', sampleRateHz: 1, validMin: -50, validMax: 200 },
  ],
});

describe.each(engines)('the asset registry: sites, lines, assets and sensors, on $name', (engine) => {
  let app: MantisApp;
  let api: Client;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    api = client(app);
  });

  afterAll(async () => {
    await stop?.();
  });

  const send = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await api.request(method, path, body, headers);
    return {
      status: response.status,
      etag: response.headers.get('etag'),
      body: await bodyOf(response).catch(() => null),
    };
  };

  it('creates sites and lines once, and names the field of a bad reference', async () => {
    expect((await send('POST', '/v1/sites', { id: 'plant-a', name: 'Plant A' })).status).toBe(201);
    expect((await send('POST', '/v1/sites', { id: 'plant-b', name: 'Plant B' })).status).toBe(201);
    expect((await send('POST', '/v1/sites', { id: 'plant-c', name: 'Plant C' })).status).toBe(201);
    const again = await send('POST', '/v1/sites', { id: 'plant-a', name: 'Again' });
    expect([again.status, again.body.message]).toEqual([409, 'site plant-a already exists']);
    const line = await send('POST', '/v1/lines', { id: 'a-1', siteId: 'plant-a', name: 'Line 1' });
    expect([line.status, line.etag, line.body]).toMatchObject([
      201,
      '"1"',
      { siteId: 'plant-a', retiredAt: null },
    ]);
    await send('POST', '/v1/lines', { id: 'a-2', siteId: 'plant-a', name: 'Line 2' });
    await send('POST', '/v1/lines', { id: 'b-1', siteId: 'plant-b', name: 'Line 1' });
    const orphan = await send('POST', '/v1/lines', { id: 'x-1', siteId: 'atlantis', name: 'X' });
    expect([orphan.status, orphan.body.field, orphan.body.message]).toEqual([
      404,
      'body.siteId',
      'body.siteId: site atlantis does not exist',
    ]);
  });

  it('pages sites and lines by id, and filters lines by site', async () => {
    const first = await send('GET', '/v1/sites?limit=2');
    expect(first.body.items.map((s: { id: string }) => s.id)).toEqual(['plant-a', 'plant-b']);
    const second = await send('GET', `/v1/sites?limit=2&cursor=${first.body.next}`);
    expect([second.body.items.map((s: { id: string }) => s.id), second.body.next]).toEqual([
      ['plant-c'],
      null,
    ]);
    const lines = await send('GET', '/v1/lines?site=plant-a');
    expect(lines.body.items.map((l: { id: string }) => l.id)).toEqual(['a-1', 'a-2']);
    const bad = await send('GET', '/v1/sites?cursor=not%20an%20id');
    expect([bad.status, bad.body.field]).toEqual([400, 'querystring.cursor']);
  });

  it('updates with If-Match: 412 on a stale version, and on a value that names no version (RFC 9110)', async () => {
    const read = await send('GET', '/v1/sites/plant-b');
    expect(read.etag).toBe('"1"');
    const renamed = await send(
      'PATCH',
      '/v1/sites/plant-b',
      { name: 'Plant B (north)' },
      { 'if-match': '"1"' },
    );
    expect([renamed.status, renamed.etag, renamed.body.name]).toEqual([200, '"2"', 'Plant B (north)']);
    const stale = await send('PATCH', '/v1/sites/plant-b', { name: 'Lost update' }, { 'if-match': '"1"' });
    expect([stale.status, stale.body.message]).toEqual([412, 'site plant-b is at version 2, not 1']);
    const malformed = await send('PATCH', '/v1/sites/plant-b', { name: 'x' }, { 'if-match': 'v1' });
    expect([malformed.status, malformed.body.message]).toEqual([412, 'site plant-b is at version 2, not 0']);
    expect((await send('GET', '/v1/sites/plant-b')).body.name).toBe('Plant B (north)');
  });

  it('refuses bad, oversized and unknown fields naming them, and stores SQL-looking text verbatim', async () => {
    const long = await send('POST', '/v1/sites', { id: 'plant-z', name: 'x'.repeat(201) });
    expect([long.status, long.body.field]).toEqual([400, 'body.name']);
    const unknown = await send('PATCH', '/v1/sites/plant-c', { name: 'C', owner: 'me' });
    expect([unknown.status, unknown.body.message]).toEqual([400, 'body.owner: is not a known field']);
    const badId = await send('POST', '/v1/sites', { id: "x'; DROP TABLE sites; --", name: 'x' });
    expect([badId.status, badId.body.field]).toEqual([400, 'body.id']);
    const sql = "Line 3'); DROP TABLE assets; --";
    expect((await send('PATCH', '/v1/lines/a-2', { name: sql })).body.name).toBe(sql);
    expect((await send('GET', '/v1/sites/plant-zz')).status).toBe(404);
    expect((await send('PATCH', '/v1/sites/plant-zz', { name: 'x' })).status).toBe(404);
  });

  it('registers assets on lines of their site only', async () => {
    for (const [asset, line] of [
      ['p1', 'a-1'],
      ['p2', 'a-1'],
      ['p3', 'a-2'],
    ]) {
      expect((await send('PUT', `/v1/assets/${asset}`, pump(asset, line))).status).toBe(200);
    }
    const wrong = await send('PUT', '/v1/assets/p9', pump('p9', 'b-1'));
    expect([wrong.status, wrong.body.message]).toEqual([
      422,
      'body.lineId: line b-1 belongs to site plant-b',
    ]);
    const stolen = await send('PUT', '/v1/assets/p4', {
      ...pump('p4', 'a-2'),
      sensors: pump('p1', 'a-1').sensors,
    });
    expect([stolen.status, stolen.body.message]).toEqual([409, 'sensor p1.temp belongs to another asset']);
    expect((await send('GET', '/v1/assets/p4')).status).toBe(404);
  });

  it('filters and sorts assets, worst health first, a page at a time', async () => {
    await app.services.db?.transaction((tx) =>
      setAssetHealth(
        tx,
        new Map([
          ['p1', 80],
          ['p2', 35],
          ['p3', 60],
        ]),
        new Date(),
      ),
    );
    const first = await send('GET', '/v1/assets?sort=health&limit=2');
    expect(first.body.items.map((a: { id: string }) => a.id)).toEqual(['p2', 'p3']);
    const rest = await send('GET', `/v1/assets?sort=health&limit=2&cursor=${first.body.next}`);
    expect([rest.body.items.map((a: { id: string }) => a.id), rest.body.next]).toEqual([['p1'], null]);
    const line = await send('GET', '/v1/assets?line=a-1&sort=name');
    expect(line.body.items.map((a: { id: string }) => a.id)).toEqual(['p1', 'p2']);
    expect((await send('GET', '/v1/assets?site=plant-b')).body.items).toEqual([]);
  });

  it('patches an asset with If-Match and keeps its ideal cycle time for OEE', async () => {
    const read = await send('GET', '/v1/assets/p3');
    const patched = await send(
      'PATCH',
      '/v1/assets/p3',
      { idealCycleSeconds: 2.5, lineId: 'a-1' },
      { 'if-match': read.etag as string },
    );
    expect([patched.status, patched.body.idealCycleSeconds, patched.body.lineId]).toEqual([200, 2.5, 'a-1']);
    expect(patched.etag).not.toBe(read.etag);
    const stale = await send('PATCH', '/v1/assets/p3', { name: 'x' }, { 'if-match': read.etag as string });
    expect(stale.status).toBe(412);
    const otherSite = await send('PATCH', '/v1/assets/p3', { lineId: 'b-1' });
    expect([otherSite.status, otherSite.body.message]).toEqual([
      422,
      'body.lineId: is not an active line of site plant-a',
    ]);
    const negative = await send('PATCH', '/v1/assets/p3', { idealCycleSeconds: -1 });
    expect([negative.status, negative.body.field]).toEqual([400, 'body.idealCycleSeconds']);
    expect((await send('PATCH', '/v1/assets/p3', {})).status).toBe(400);
  });

  it('retires a sensor and an asset: readings refused, history and reads kept', async () => {
    const ts = Date.now() - 1000;
    const before = await send('POST', '/v1/readings', [{ sensorId: 'p2.temp', ts, value: 20 }]);
    expect(before.body.accepted).toBe(1);
    expect((await send('GET', '/v1/sensors/p1.temp')).body).toMatchObject({ assetId: 'p1', retiredAt: null });
    expect((await send('DELETE', '/v1/sensors/p1.temp')).status).toBe(204);
    const gone = await send('GET', '/v1/sensors/p1.temp');
    expect([gone.status, gone.body.message]).toEqual([
      404,
      expect.stringMatching(/^sensor p1\.temp was retired at \d{4}-.+Z; ask with retired=true to read it$/),
    ]);
    expect((await send('GET', '/v1/sensors/p1.temp?retired=true')).body.retiredAt).toEqual(
      expect.any(String),
    );
    expect((await send('GET', '/v1/sensors/nope')).status).toBe(404);
    expect((await send('DELETE', '/v1/sensors/p1.temp')).status).toBe(409);
    const retired = await send('DELETE', '/v1/assets/p2');
    expect([retired.status, typeof retired.body.retiredAt]).toEqual([200, 'string']);
    expect(retired.body.sensors[0].retiredAt).toEqual(expect.any(String));
    const after = await send('POST', '/v1/readings', [
      { sensorId: 'p1.temp', ts, value: 20 },
      { sensorId: 'p2.temp', ts, value: 20 },
    ]);
    expect([after.status, after.body.rejected.map((r: { reason: string }) => r.reason)]).toEqual([
      422,
      ['unknown sensor "p1.temp"', 'unknown sensor "p2.temp"'],
    ]);
    expect((await send('GET', '/v1/assets')).body.items.map((a: { id: string }) => a.id)).toEqual([
      'p1',
      'p3',
    ]);
    expect(
      (await send('GET', '/v1/assets?status=retired')).body.items.map((a: { id: string }) => a.id),
    ).toEqual(['p2']);
    expect((await send('PUT', '/v1/assets/p2', pump('p2', 'a-1'))).status).toBe(409);
    expect((await send('PATCH', '/v1/assets/p2', { name: 'x' })).status).toBe(409);
    expect((await send('DELETE', '/v1/assets/p2')).status).toBe(409);
  });

  it('retires a line or site only when nothing active is left in it', async () => {
    const busy = await send('DELETE', '/v1/sites/plant-a');
    expect([busy.status, busy.body.message]).toEqual([
      409,
      'site plant-a still has 2 active asset(s) and 2 active line(s); retire them first',
    ]);
    expect((await send('DELETE', '/v1/lines/a-2')).status).toBe(200);
    expect((await send('GET', '/v1/lines?site=plant-a')).body.items.map((l: { id: string }) => l.id)).toEqual(
      ['a-1'],
    );
    const retiredLine = await send('PUT', '/v1/assets/p5', pump('p5', 'a-2'));
    expect([retiredLine.status, retiredLine.body.message]).toEqual([409, 'body.lineId: line a-2 is retired']);
    expect((await send('DELETE', '/v1/sites/plant-c', undefined, { 'if-match': '"1"' })).status).toBe(200);
    expect(
      (await send('GET', '/v1/sites?status=all')).body.items.find((s: { id: string }) => s.id === 'plant-c')
        .retiredAt,
    ).toEqual(expect.any(String));
    const orphan = await send('POST', '/v1/lines', { id: 'c-1', siteId: 'plant-c', name: 'X' });
    expect([orphan.status, orphan.body.message]).toEqual([409, 'body.siteId: site plant-c is retired']);
  });
});

describe.each(engines)('listing assets while their health changes, on $name', (engine) => {
  let app: MantisApp;
  let api: Client;
  let stop: () => Promise<void>;
  const health = async (values: Record<string, number>) =>
    app.services.db?.transaction((tx) => setAssetHealth(tx, new Map(Object.entries(values)), new Date()));
  type Page = {
    status: number;
    ids: string[];
    health: (number | null)[];
    next: string | null;
    body: { field?: string; message?: string };
  };
  const page = async (query: string): Promise<Page> => {
    const response = await api.request('GET', `/v1/assets?site=ward&${query}`);
    const body = await bodyOf(response);
    const items = (body.items ?? []) as { id: string; health: number | null }[];
    return {
      status: response.status,
      ids: items.map((a) => a.id),
      health: items.map((a) => a.health),
      next: body.next ?? null,
      body,
    };
  };
  /** Every page of a listing, with `meanwhile` run after the first one. */
  const walk = async (query: string, meanwhile: () => Promise<unknown> = async () => {}) => {
    const pages = [await page(query)];
    await meanwhile();
    while (pages.at(-1)?.next) pages.push(await page(`${query}&cursor=${pages.at(-1)?.next}`));
    return pages;
  };

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    api = client(app);
    for (const id of ['w1', 'w2', 'w3', 'w4', 'w5']) {
      expect((await api.request('PUT', `/v1/assets/${id}`, pump(id, 'ward-1', 'ward'))).status).toBe(200);
    }
  });

  afterAll(async () => {
    await stop?.();
  });

  it('lists an asset that gets worse while a client pages worst first where it stood, once', async () => {
    await health({ w1: 10, w2: 20, w3: 30, w4: 40, w5: 50 });
    const pages = await walk('sort=health&limit=2', () => health({ w4: 5 }));
    expect(pages.map((p) => p.ids)).toEqual([['w1', 'w2'], ['w3', 'w4'], ['w5']]);
    // Items show their current health.
    expect(pages[1].health).toEqual([30, 5]);
    // The next listing ranks it first.
    expect((await page('sort=health&limit=2')).ids).toEqual(['w4', 'w1']);
  });

  it('lists an asset that gets better after its page once', async () => {
    await health({ w1: 10, w2: 20, w3: 30, w4: 40, w5: 50 });
    const pages = await walk('sort=health&limit=2', () => health({ w1: 95, w2: 99 }));
    expect(pages.flatMap((p) => p.ids)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
  });

  it('lists assets registered meanwhile after the ranked ones, by id', async () => {
    await health({ w1: 10, w2: 20, w3: 30, w4: 40, w5: 50 });
    const pages = await walk('sort=health&limit=2', async () => {
      await api.request('PUT', '/v1/assets/w7', pump('w7', 'ward-1', 'ward'));
      await api.request('PUT', '/v1/assets/w0', pump('w0', 'ward-1', 'ward'));
      await health({ w0: 1 });
    });
    expect(pages.map((p) => p.ids)).toEqual([['w1', 'w2'], ['w3', 'w4'], ['w5', 'w0'], ['w7']]);
    // The last ranked page is full: the new ones start the next page.
    const exact = await walk('sort=health&limit=1', () =>
      api.request('PUT', '/v1/assets/w8', pump('w8', 'ward-1', 'ward')),
    );
    expect(exact.flatMap((p) => p.ids)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w7', 'w8']);
  });

  it('pages by name through a snapshot too, and by id through the id', async () => {
    const byName = await walk('sort=name&limit=3', () =>
      api.request('PATCH', '/v1/assets/w7', { name: 'Aardvark pump' }),
    );
    expect(byName.flatMap((p) => p.ids)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w7', 'w8']);
    const byId = await walk('limit=3', () =>
      api.request('PUT', '/v1/assets/w6', pump('w6', 'ward-1', 'ward')),
    );
    expect(byId.flatMap((p) => p.ids)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8']);
  });

  it('keeps no snapshot for a listing of one page, and refuses a stale or foreign cursor', async () => {
    const db = app.services.db;
    const before = await db?.query<{ n: number }>('SELECT count(*)::int AS n FROM asset_list_snapshots');
    expect((await page('sort=health&limit=100')).next).toBeNull();
    expect(await db?.query('SELECT count(*)::int AS n FROM asset_list_snapshots')).toEqual(before);

    const first = await page('sort=health&limit=2');
    const other = await page(`sort=health&limit=2&status=all&cursor=${first.next}`);
    expect([other.status, other.body.field]).toEqual([422, 'querystring.cursor']);
    const byId = await page(`limit=2&cursor=${first.next}`);
    expect([byId.status, byId.body.field]).toEqual([422, 'querystring.cursor']);
    await db?.query("UPDATE asset_list_snapshots SET created_at = now() - interval '2 hours'");
    const stale = await page(`sort=health&limit=2&cursor=${first.next}`);
    expect([stale.status, stale.body.field]).toEqual([404, 'querystring.cursor']);
    expect(stale.body.message).toMatch(/has expired/);
  });

  it('refuses a sensor named twice in one registration, naming the repeat', async () => {
    const twice = {
      ...pump('w9', 'ward-1', 'ward'),
      sensors: [...pump('w9', 'ward-1').sensors, { ...pump('w9', 'ward-1').sensors[0], unit: 'K' }],
    };
    const response = await api.request('PUT', '/v1/assets/w9', twice);
    expect([response.status, (await bodyOf(response)).message]).toEqual([
      422,
      'body.sensors.1.id: repeats body.sensors.0.id (w9.temp)',
    ]);
    expect((await api.request('GET', '/v1/assets/w9')).status).toBe(404);
  });
});

describe.each(engines)('the vibration severity of each listed asset, on $name', (engine) => {
  let app: MantisApp;
  let api: Client;
  let stop: () => Promise<void>;
  // Recent windows: the features table is partitioned by day around now.
  const t0 = alignedStart(60);
  const t1 = t0 + 10_000;
  const vibration = (id: string) => ({
    id,
    kind: 'vibration',
    unit: 'g',
    sampleRateHz: 5120,
    validMin: -50,
    validMax: 50,
  });
  const listed = async () => {
    const body = await bodyOf(await api.request('GET', '/v1/assets?site=sev&sort=health'));
    return Object.fromEntries(
      (body.items as { id: string; severity: unknown; sensors: unknown[] }[]).map((a) => [a.id, a]),
    );
  };

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    api = client(app);
    const sensors = {
      sv1: [vibration('sv1.de'), vibration('sv1.nde'), pump('sv1', 'sev-1').sensors[0]],
      sv2: [vibration('sv2.vib')],
      sv3: pump('sv3', 'sev-1').sensors,
    };
    for (const [id, list] of Object.entries(sensors)) {
      const body = { ...pump(id, 'sev-1', 'sev'), sensors: list };
      expect((await api.request('PUT', `/v1/assets/${id}`, body)).status).toBe(200);
    }
    const db = app.services.db;
    if (!db) throw new Error('the app has no database');
    await upsertFeatures(db, [
      // sv1.de was in zone D, its latest window is back in B; sv1.nde's latest (older) window is in C.
      windowFeatures('sv1.de', t0, { velocityRms: 12, severityZone: 'D' }),
      windowFeatures('sv1.de', t1, { velocityRms: 3.1, severityZone: 'B' }),
      windowFeatures('sv1.nde', t0, { velocityRms: 5.2, severityZone: 'C' }),
      // sv2's latest window has no zone (diagnosis could not take a velocity): the older one does not count.
      windowFeatures('sv2.vib', t0, { velocityRms: 2, severityZone: 'B' }),
      windowFeatures('sv2.vib', t1),
      windowFeatures('sv3.temp', t1),
    ]);
  });

  afterAll(async () => {
    await stop?.();
  });

  it('gives each asset the worst zone among its vibration sensors’ latest windows, with its velocity', async () => {
    const items = await listed();
    expect(items.sv1.severity).toEqual({ zone: 'C', velocityRms: 5.2, sensorId: 'sv1.nde', windowStart: t0 });
    expect(items.sv1.sensors).toHaveLength(3);
    expect(items.sv2.severity).toBeNull();
    expect(items.sv3.severity).toBeNull();
  });

  it('leaves out a retired sensor', async () => {
    expect((await api.request('DELETE', '/v1/sensors/sv1.nde')).status).toBe(204);
    expect((await listed()).sv1.severity).toEqual({
      zone: 'B',
      velocityRms: 3.1,
      sensorId: 'sv1.de',
      windowStart: t1,
    });
  });

  it('describes the field in the OpenAPI document', async () => {
    const doc = await bodyOf(await fetch(`${app.url}/openapi.json`));
    const item =
      doc.paths['/v1/assets'].get.responses['200'].content['application/json'].schema.properties.items.items;
    expect(item.properties.severity.properties.zone.enum).toEqual(['A', 'B', 'C', 'D']);
  });
});
