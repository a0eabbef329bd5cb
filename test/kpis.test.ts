import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { storeDailyRollups } from '../src/storage/postgres/kpi-rollup.ts';
import { bodyOf, type Client, client } from './helpers/app.ts';
import { engines, zonedPglite } from './helpers/engines.ts';

const H = 3_600_000;
const DAY = 24 * H;
// Three whole UTC days that are over: the range the stored daily roll-ups answer.
const D = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;

const asset = (id: string, idealCycleSeconds: number | null) => ({
  siteId: 'works',
  lineId: 'presses',
  name: id,
  kind: 'press',
  idealCycleSeconds,
  sensors: [],
});

// PGlite in UTC and in a zone with daylight saving, PostgreSQL in that zone: days are UTC days in all of them.
const allEngines = [...engines, zonedPglite];

describe.each(allEngines)(
  'KPIs from downtime and production, worked by hand (docs/kpis.md), on $name',
  (engine) => {
    let app: MantisApp;
    let api: Client;
    let u2: string;
    let stop: () => Promise<void>;

    const post = async (path: string, body: unknown) => {
      const response = await api.request('POST', path, body);
      return { status: response.status, body: await bodyOf(response) };
    };
    const kpis = (query: string) => api.json<Record<string, number | null>>(`/v1/kpis?${query}`);

    beforeAll(async () => {
      ({ app, stop } = await engine.start());
      api = client(app);
      await api.request('PUT', '/v1/assets/press-1', asset('press-1', 30));
      await api.request('PUT', '/v1/assets/press-2', asset('press-2', 60));
      await api.request('PUT', '/v1/assets/press-3', asset('press-3', null));
      // In service since before day 0: registered then.
      await app.services.db?.query(
        'UPDATE assets SET created_at = to_timestamp($1 / 1000.0) WHERE id = ANY($2::text[])',
        [D - DAY, ['press-1', 'press-2', 'press-3']],
      );
      const events = [
        // press-1: a 1 h failure on day 0; 2 h planned maintenance on day 1; a failure across midnight
        // (day 1 23:00 → day 2 01:00) overlapped by another (day 2 00:30 → 02:00): one 3 h period.
        { assetId: 'press-1', kind: 'unplanned', reason: 'jam', start: D + 2 * H, end: D + 3 * H },
        {
          assetId: 'press-1',
          kind: 'planned',
          reason: 'service',
          start: D + DAY + 8 * H,
          end: D + DAY + 10 * H,
        },
        {
          assetId: 'press-1',
          kind: 'unplanned',
          reason: 'hydraulics',
          start: D + DAY + 23 * H,
          end: D + 2 * DAY + H,
        },
        {
          assetId: 'press-1',
          kind: 'unplanned',
          reason: 'hydraulics',
          start: D + 2 * DAY + H / 2,
          end: D + 2 * DAY + 2 * H,
        },
        // press-2: down since day 2 20:00, still open.
        {
          assetId: 'press-2',
          kind: 'unplanned',
          reason: 'motor',
          start: new Date(D + 2 * DAY + 20 * H).toISOString(),
        },
      ];
      for (const e of events) {
        const created = await post('/v1/downtime', e);
        expect(created.status).toBe(201);
        if (e.reason === 'hydraulics') u2 = created.body.id;
      }
      const counts = [
        { assetId: 'press-1', ts: D + 12 * H, produced: 1000, good: 950 },
        { assetId: 'press-1', ts: D + DAY + 12 * H, produced: 1200, good: 1180 },
        { assetId: 'press-1', ts: new Date(D + 2 * DAY + 12 * H).toISOString(), produced: 900, good: 880 },
      ];
      expect((await post('/v1/production', counts)).status).toBe(201);
    });

    afterAll(async () => {
      await stop?.();
    });

    it('computes an asset over three whole days from the stored daily roll-ups', async () => {
      const result = await kpis(`asset=press-1&from=${D}&to=${D + 3 * DAY}`);
      // PBT = 72 h − 2 h planned = 70 h; unplanned 1 h + 3 h = 4 h; APT = 66 h; 2 failures, 2 repairs of 4 h.
      expect(result).toMatchObject({
        plannedBusyMs: 70 * H,
        unplannedDowntimeMs: 4 * H,
        actualProductionMs: 66 * H,
        failures: 2,
        repairs: 2,
        repairMs: 4 * H,
        openRepairs: 0,
        produced: 3100,
        good: 3010,
        idealRunMs: 3100 * 30_000,
        mtbfMs: 33 * H,
        mttrMs: 2 * H,
      });
      expect(result.availability).toBeCloseTo(66 / 70, 12);
      expect(result.effectiveness).toBeCloseTo(93_000 / (66 * 3600), 12);
      expect(result.quality).toBeCloseTo(3010 / 3100, 12);
      expect(result.oee).toBeCloseTo((66 / 70) * (93_000 / (66 * 3600)) * (3010 / 3100), 12);
      // Its own three days (the etl job may store other days of the asset meanwhile).
      const stored = await app.services.db?.query(
        `SELECT * FROM kpi_daily WHERE asset_id = $1 AND day >= $2::date AND day < $3::date`,
        ['press-1', new Date(D).toISOString().slice(0, 10), new Date(D + 3 * DAY).toISOString().slice(0, 10)],
      );
      expect(stored).toHaveLength(3);
      expect(await kpis(`asset=press-1&from=${D}&to=${D + 3 * DAY}`)).toEqual(result);
    });

    it('clips downtime crossing the range edges, and counts failures and repairs where they start and end', async () => {
      // [day 0 02:30, day 2 01:00): the first failure started before (not counted) and ends inside (its whole
      // 1 h repair counts); the merged period starts inside (a failure) and ends after (no repair yet).
      const result = await kpis(`asset=press-1&from=${D + 2.5 * H}&to=${D + 2 * DAY + H}`);
      expect(result).toMatchObject({
        plannedBusyMs: 46.5 * H - 2 * H,
        unplannedDowntimeMs: 0.5 * H + 2 * H,
        actualProductionMs: 42 * H,
        failures: 1,
        repairs: 1,
        repairMs: H,
        produced: 2200,
        good: 2130,
        mtbfMs: 42 * H,
        mttrMs: H,
      });
    });

    it('reports a repair still open, and no MTTR without a finished repair', async () => {
      const result = await kpis(`asset=press-2&from=${D}&to=${D + 3 * DAY}`);
      expect(result).toMatchObject({
        plannedBusyMs: 72 * H,
        unplannedDowntimeMs: 4 * H,
        actualProductionMs: 68 * H,
        failures: 1,
        repairs: 0,
        openRepairs: 1,
        mtbfMs: 68 * H,
        mttrMs: null,
        produced: 0,
        quality: null,
        oee: null,
      });
    });

    it('gives no MTBF without a failure, and full availability', async () => {
      expect(await kpis(`asset=press-3&from=${D}&to=${D + DAY}`)).toMatchObject({
        failures: 0,
        mtbfMs: null,
        mttrMs: null,
        availability: 1,
      });
    });

    it("sums a line's times and counts, never averaging ratios", async () => {
      const result = await kpis(`line=presses&from=${D}&to=${D + 3 * DAY}`);
      expect(result).toMatchObject({
        assets: 3,
        plannedBusyMs: (70 + 72 + 72) * H,
        actualProductionMs: (66 + 68 + 72) * H,
        failures: 3,
        repairs: 2,
        openRepairs: 1,
        mttrMs: 2 * H,
        mtbfMs: ((66 + 68 + 72) * H) / 3,
      });
      expect(result.availability).toBeCloseTo((66 + 68 + 72) / (70 + 72 + 72), 12);
      expect(await kpis(`site=works&from=${D}&to=${D + 3 * DAY}`)).toMatchObject({
        ...result,
        scope: 'site',
        id: 'works',
      });
    });

    it('gives the KPIs per day, each day on its own', async () => {
      const { items } = await api.json<{ items: Record<string, unknown>[] }>(
        `/v1/kpis/daily?asset=press-1&from=${D}&to=${D + 3 * DAY}`,
      );
      const d = (i: number) => new Date(D + i * DAY).toISOString().slice(0, 10);
      expect(items).toMatchObject([
        {
          day: d(0),
          plannedBusyMs: 24 * H,
          unplannedDowntimeMs: H,
          failures: 1,
          repairs: 1,
          repairMs: H,
          produced: 1000,
        },
        { day: d(1), plannedBusyMs: 22 * H, unplannedDowntimeMs: H, failures: 1, repairs: 0, produced: 1200 },
        {
          day: d(2),
          plannedBusyMs: 24 * H,
          unplannedDowntimeMs: 2 * H,
          failures: 0,
          repairs: 1,
          repairMs: 3 * H,
        },
      ]);
    });

    it('recomputes stored days when an input changes', async () => {
      await post('/v1/production', [{ assetId: 'press-1', ts: D + 13 * H, produced: 100, good: 100 }]);
      expect((await kpis(`asset=press-1&from=${D}&to=${D + 3 * DAY}`)).produced).toBe(3200);
      // The second hydraulics event ends at 01:30 instead of 02:00: the merged period is 2.5 h, not 3 h.
      const read = await api.request('GET', `/v1/downtime/${u2}`);
      const patched = await api.request(
        'PATCH',
        `/v1/downtime/${u2}`,
        { end: D + 2 * DAY + 1.5 * H },
        { 'if-match': read.headers.get('etag') as string },
      );
      expect(patched.status).toBe(200);
      const stale = await api.request('PATCH', `/v1/downtime/${u2}`, { reason: 'x' }, { 'if-match': '"1"' });
      expect(stale.status).toBe(412);
      expect(await kpis(`asset=press-1&from=${D}&to=${D + 3 * DAY}`)).toMatchObject({
        repairMs: 3.5 * H,
        unplannedDowntimeMs: 3.5 * H,
      });
      await api.request('PATCH', '/v1/assets/press-1', { idealCycleSeconds: 15 });
      expect((await kpis(`asset=press-1&from=${D}&to=${D + 3 * DAY}`)).idealRunMs).toBe(3200 * 15_000);
    });

    it('refuses bad inputs naming the field, and writes none of a batch with one bad count', async () => {
      const backwards = await post('/v1/downtime', {
        assetId: 'press-1',
        kind: 'planned',
        reason: 'x',
        start: D + H,
        end: D,
      });
      expect([backwards.status, backwards.body.field]).toEqual([422, 'body.end']);
      const unknown = await post('/v1/downtime', { assetId: 'nope', kind: 'planned', reason: 'x', start: D });
      expect([unknown.status, unknown.body.message]).toEqual([
        404,
        'body.assetId: asset nope does not exist',
      ]);
      const kind = await post('/v1/downtime', { assetId: 'press-1', kind: 'coffee', reason: 'x', start: D });
      expect([kind.status, kind.body.field]).toEqual([400, 'body.kind']);
      const batch = await post('/v1/production', [
        { assetId: 'press-3', ts: D + 5 * H, produced: 10, good: 10 },
        { assetId: 'press-3', ts: D + 6 * H, produced: 10, good: 11 },
      ]);
      expect([batch.status, batch.body.message]).toEqual([422, 'body.1.good: must not exceed produced']);
      const negative = await post('/v1/production', [{ assetId: 'press-3', ts: D, produced: -1, good: 0 }]);
      expect([negative.status, negative.body.field]).toEqual([400, 'body.0.produced']);
      expect(
        (await api.json<{ items: unknown[] }>(`/v1/production?asset=press-3&from=${D}&to=${D + DAY}`)).items,
      ).toEqual([]);
      const two = await api.request('GET', '/v1/kpis?asset=press-1&line=presses');
      expect([two.status, (await bodyOf(two)).message]).toEqual([
        422,
        'querystring: give exactly one of asset, line or site',
      ]);
      expect((await api.request('GET', '/v1/kpis?site=atlantis')).status).toBe(404);
      const long = await api.request('GET', `/v1/kpis/daily?asset=press-1&from=${D - 400 * DAY}&to=${D}`);
      expect([long.status, (await bodyOf(long)).field]).toEqual([422, 'querystring.from']);
    });
  },
);

describe.each(allEngines)('KPI days and periods in any server time zone, on $name', (engine) => {
  let app: MantisApp;
  let api: Client;
  let stop: () => Promise<void>;
  const post = async (path: string, body: unknown) => {
    const response = await api.request(path.startsWith('/v1/assets/') ? 'PUT' : 'POST', path, body);
    return { status: response.status, body: await bodyOf(response) };
  };
  const kpis = (query: string) => api.json<Record<string, number | null>>(`/v1/kpis?${query}`);
  const daily = async (query: string) =>
    (await api.json<{ items: Record<string, number | string | null>[] }>(`/v1/kpis/daily?${query}`)).items;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    api = client(app);
    for (const id of ['belt-1', 'belt-2', 'belt-3']) {
      const put = await post(`/v1/assets/${id}`, { ...asset(id, 10), siteId: 'yard', lineId: 'belts' });
      expect(put.status).toBe(200);
    }
  });

  afterAll(async () => {
    await stop?.();
  });

  it('files counts on their UTC day, on the first reading and from the stored roll-ups after it', async () => {
    // 12:00Z is 07:00 or 08:00 in New York: the same calendar day there, the day before at 00:00–04:59Z.
    const counts = [100, 200, 300].map((produced, i) => ({
      assetId: 'belt-1',
      ts: D + i * DAY + 12 * H,
      produced,
      good: produced,
    }));
    expect((await post('/v1/production', counts)).status).toBe(201);
    const query = `asset=belt-1&from=${D}&to=${D + 3 * DAY}`;
    const expected = [100, 200, 300].map((produced, i) => ({ day: day(D + i * DAY), produced }));
    expect(await daily(query)).toMatchObject(expected);
    expect(await daily(query)).toMatchObject(expected);
    expect((await kpis(query)).produced).toBe(600);
    // The etl target's roll-up job also stores the asset's other days (zero counts) when it runs meanwhile.
    const stored = await app.services.db?.query<{ day: string; produced: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, produced::text FROM kpi_daily
       WHERE asset_id = 'belt-1' AND day >= $1::date AND day < $2::date ORDER BY day`,
      [day(D), day(D + 3 * DAY)],
    );
    expect(stored).toEqual(expected.map((e) => ({ day: e.day, produced: String(e.produced) })));
  });

  it('files a count just after UTC midnight on that day, wherever the server is', async () => {
    // 00:30Z is the evening before in New York.
    await post('/v1/production', [{ assetId: 'belt-3', ts: D + DAY + 0.5 * H, produced: 7, good: 7 }]);
    const items = await daily(`asset=belt-3&from=${D}&to=${D + 3 * DAY}`);
    expect(items.map((i) => i.produced)).toEqual([0, 7, 0]);
    expect(await daily(`asset=belt-3&from=${D}&to=${D + 3 * DAY}`)).toEqual(items);
  });

  it('keeps the last of counts resent in one batch, also a microsecond apart once stored', async () => {
    const ts = new Date(D + 2 * DAY + 10 * H).toISOString();
    const resent = await post('/v1/production', [
      { assetId: 'belt-2', ts, produced: 100, good: 90 },
      { assetId: 'belt-2', ts, produced: 120, good: 110 },
      { assetId: 'belt-2', ts: D + 2 * DAY + 11 * H + 0.0001, produced: 1, good: 1 },
      { assetId: 'belt-2', ts: D + 2 * DAY + 11 * H + 0.0004, produced: 2, good: 2 },
    ]);
    // Four counts, two of them repeats: two rows stored.
    expect([resent.status, resent.body]).toEqual([201, { recorded: 2 }]);
    const { items } = await api.json<{ items: Record<string, unknown>[] }>(
      `/v1/production?asset=belt-2&from=${D}&to=${D + 3 * DAY}`,
    );
    expect(items.map(({ produced, good }) => ({ produced, good }))).toEqual([
      { produced: 2, good: 2 },
      { produced: 120, good: 110 },
    ]);
  });

  it('counts planned time of an asset registered today only from its registration', async () => {
    const registered = Date.now();
    expect(
      (await post('/v1/assets/belt-new', { ...asset('belt-new', 10), siteId: 'yard', lineId: 'new' })).status,
    ).toBe(200);
    const now = Date.now();
    const week = await kpis(`asset=belt-new&from=${now - 7 * DAY}&to=${now}`);
    expect(week.plannedBusyMs).toBeGreaterThan(0);
    expect(week.plannedBusyMs).toBeLessThanOrEqual(now - registered + 1000);
    expect(week).toMatchObject({ unplannedDowntimeMs: 0, failures: 0, produced: 0 });
    const days = await daily(`asset=belt-new&from=${now - 7 * DAY}&to=${now}`);
    expect(days).toHaveLength(8);
    // Six whole days before it existed, stored with no planned time; today only since its registration.
    expect(days.slice(0, 7).map((d) => d.plannedBusyMs)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(days.slice(0, 7).map((d) => d.availability)).toEqual([null, null, null, null, null, null, null]);
    expect(days[7].plannedBusyMs).toBe(week.plannedBusyMs);
    // A line sums only the time its assets existed.
    const line = await kpis(`line=new&from=${now - 7 * DAY}&to=${now}`);
    expect(line.plannedBusyMs).toBe(week.plannedBusyMs);
  });

  it('starts the periods at recorded history older than the registration, and ends them at retirement', async () => {
    const now = Date.now();
    const today = Math.floor(now / DAY) * DAY;
    const put = await post('/v1/assets/belt-old', {
      ...asset('belt-old', 10),
      siteId: 'yard',
      lineId: 'old',
    });
    expect(put.status).toBe(200);
    // Stored before the history arrives: the days before registration have no planned time yet.
    const range = `asset=belt-old&from=${today - 3 * DAY}&to=${today}`;
    expect((await kpis(range)).plannedBusyMs).toBe(0);
    // A failure back-filled from 2.5 days ago: the asset was running then.
    const event = await post('/v1/downtime', {
      assetId: 'belt-old',
      kind: 'unplanned',
      reason: 'belt torn',
      start: today - 2.5 * DAY,
      end: today - 2 * DAY,
    });
    expect(event.status).toBe(201);
    expect(await kpis(range)).toMatchObject({
      plannedBusyMs: 2.5 * DAY,
      unplannedDowntimeMs: 0.5 * DAY,
      failures: 1,
    });
    // A count older still moves the start back again, and the stored days with it.
    await post('/v1/production', [
      { assetId: 'belt-old', ts: today - 3 * DAY + 6 * H, produced: 5, good: 5 },
    ]);
    expect((await kpis(range)).plannedBusyMs).toBe(3 * DAY - 6 * H);
    const retired = await api.request('DELETE', '/v1/assets/belt-old');
    expect(retired.status).toBe(200);
    const after = await kpis(`asset=belt-old&from=${today - 3 * DAY}&to=${Date.now() + H}`);
    expect(after.plannedBusyMs).toBeLessThanOrEqual(Date.now() - (today - 3 * DAY + 6 * H));
    expect(after.plannedBusyMs).toBeGreaterThanOrEqual(now - (today - 3 * DAY + 6 * H));
  });

  it('counts no time after now: a future day has no planned time, today ends now, none of them is stored', async () => {
    expect(
      (await post('/v1/assets/belt-down', { ...asset('belt-down', 10), siteId: 'yard', lineId: 'down' }))
        .status,
    ).toBe(200);
    await app.services.db?.query(
      "UPDATE assets SET created_at = to_timestamp($1 / 1000.0) WHERE id = 'belt-down'",
      [D - DAY],
    );
    const start = Date.now() - H;
    const down = await post('/v1/downtime', {
      assetId: 'belt-down',
      kind: 'unplanned',
      reason: 'jam',
      start,
    });
    expect(down.status).toBe(201);
    const today = Math.floor(Date.now() / DAY) * DAY;
    const tomorrow = today + DAY;

    const [future] = await daily(`asset=belt-down&from=${tomorrow}&to=${tomorrow + DAY}`);
    expect(future).toMatchObject({
      day: day(tomorrow),
      plannedBusyMs: 0,
      unplannedDowntimeMs: 0,
      failures: 0,
      openRepairs: 0,
      availability: null,
      mtbfMs: null,
    });

    // From two hours before the stop to 30 days ahead: running 2 h, then down 1 h up to now.
    const from = start - 2 * H;
    const before = Date.now();
    const month = await kpis(`asset=belt-down&from=${from}&to=${from + 30 * DAY}`);
    const after = Date.now();
    expect(month).toMatchObject({ actualProductionMs: 2 * H, failures: 1, openRepairs: 1, repairs: 0 });
    expect(month.plannedBusyMs).toBeGreaterThanOrEqual(before - from);
    expect(month.plannedBusyMs).toBeLessThanOrEqual(after - from);
    expect(month.availability).toBeCloseTo((2 * H) / (month.plannedBusyMs as number), 12);
    expect(month.availability).toBeLessThan(0.7);

    // Today up to now; each later day of the month empty.
    const t0 = Date.now();
    const days = await daily(`asset=belt-down&from=${today}&to=${today + 30 * DAY}`);
    const t1 = Date.now();
    expect(days).toHaveLength(30);
    expect(days[0].plannedBusyMs).toBeGreaterThanOrEqual(t0 - today);
    expect(days[0].plannedBusyMs).toBeLessThanOrEqual(t1 - today);
    expect(days[0].openRepairs).toBe(1);
    expect(days.slice(1).map((d) => [d.plannedBusyMs, d.availability])).toEqual(
      Array.from({ length: 29 }, () => [0, null]),
    );

    // Roll-ups hold whole days that are over, whatever was asked and however the job is run.
    expect(
      await storeDailyRollups(app.services.db as NonNullable<typeof app.services.db>, 3, Date.now()),
    ).toBeGreaterThanOrEqual(0);
    const stored = await app.services.db?.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM kpi_daily WHERE day >= $1::date',
      [day(today)],
    );
    expect(stored).toEqual([{ n: 0 }]);
    const rolled = await app.services.db?.query<{ day: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM kpi_daily WHERE asset_id = 'belt-down' ORDER BY day`,
    );
    expect(rolled?.map((r) => r.day)).toEqual([day(today - 3 * DAY), day(today - 2 * DAY), day(today - DAY)]);
  });
});
