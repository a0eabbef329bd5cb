import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { upsertFeatures } from '../src/storage/postgres/timeseries.ts';
import { bodyOf, type Client, client, startApp } from './helpers/app.ts';
import { windowFeatures } from './helpers/features.ts';

const TEN_S = 10_000;
const MINUTE = 60_000;
/** Anomaly score of minute m of the last two hours: z = 3.5·exp(m/40); health 100·exp(−(z − 3)/6). */
const scoreAt = (m: number) => 3.5 * Math.exp(m / 40);
const healthAt = (m: number) => 100 * Math.exp(-(scoreAt(m) - 3) / 6);
/** Minute at which health reaches `line`: scoreAt(m) = 3 + 6·ln(100/line). */
const minuteOf = (line: number) => 40 * Math.log((3 + 6 * Math.log(100 / line)) / 3.5);

const HOUR = 60 * MINUTE;
/** A slower fault over the last six hours, minute m of 360: z = 3.5·exp(m/300). */
const slowHealthAt = (m: number) => 100 * Math.exp(-(3.5 * Math.exp(m / 300) - 3) / 6);
const slowMinuteOf = (line: number) => 300 * Math.log((3 + 6 * Math.log(100 / line)) / 3.5);

const sensor = (id: string, kind: string, unit: string) => ({
  id,
  kind,
  unit,
  sampleRateHz: 1,
  validMin: -1000,
  validMax: 1000,
});
const asset = (id: string) => ({
  siteId: 'rul',
  lineId: 'rul-1',
  name: id,
  kind: 'pump',
  sensors: [sensor(`${id}.temp`, 'temperature', '°C'), sensor(`${id}.current`, 'current', 'A')],
});

describe('GET /v1/assets/{id} remainingUsefulLife, on embedded PGlite', () => {
  let app: MantisApp;
  let api: Client;
  // The last 30 minutes, one stored window a minute, on whole minutes.
  const start = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;

  beforeAll(async () => {
    app = await startApp();
    api = client(app);
    for (const id of ['rul1', 'rul2', 'rul3', 'rul4']) {
      expect((await api.request('PUT', `/v1/assets/${id}`, asset(id))).status).toBe(200);
    }
    const db = app.services.db;
    if (!db) throw new Error('the app has no database');
    // rul1.temp degrades over 30 minutes of 10 s windows (health 92 → 32); rul1.current stays at 100.
    await upsertFeatures(
      db,
      Array.from({ length: 180 }, (_, k) => [
        windowFeatures('rul1.temp', start + k * TEN_S, { health: healthAt(k / 6) }),
        windowFeatures('rul1.current', start + k * TEN_S, { health: 100 }),
      ]).flat(),
    );
    // rul3.temp has degraded for six hours, one window a minute: older than the 1 440 windows (4 h) read.
    const slowStart = start + 30 * MINUTE - 6 * HOUR;
    await upsertFeatures(
      db,
      Array.from({ length: 360 }, (_, m) =>
        windowFeatures('rul3.temp', slowStart + m * MINUTE, { health: slowHealthAt(m) }),
      ),
    );
    // rul4.temp fell to 10 eight hours ago, was back at 100 by three hours ago, and degrades again since
    // 30 minutes ago: only the last fall is fitted, on windows.
    await upsertFeatures(db, [
      ...Array.from({ length: 60 }, (_, m) =>
        windowFeatures('rul4.temp', start - 8 * HOUR + m * MINUTE, { health: 10 }),
      ),
      windowFeatures('rul4.temp', start - 3 * HOUR, { health: 100 }),
      windowFeatures('rul4.temp', start - MINUTE, { health: 100 }),
      ...Array.from({ length: 30 }, (_, m) =>
        windowFeatures('rul4.temp', start + m * MINUTE, { health: healthAt(m) }),
      ),
    ]);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("estimates a fault of the last 4 h from the degrading sensor's 10 s windows", async () => {
    const before = Date.now();
    const body = await bodyOf(await api.request('GET', '/v1/assets/rul1'));
    const rul = body.remainingUsefulLife;
    expect(rul.windowsFrom).toBeGreaterThanOrEqual(before - 4 * HOUR);
    expect(rul.windowsFrom).toBeLessThanOrEqual(Date.now() - 4 * HOUR);
    expect(rul).toMatchObject({
      status: 'estimated',
      sensorId: 'rul1.temp',
      model: 'exponential',
      source: 'windows',
      lookbackHours: 24,
      asOf: start + 179 * TEN_S,
    });
    expect(rul.sensors).toEqual([
      { sensorId: 'rul1.temp', status: 'estimated', failureHoursLeft: rul.failure.hoursLeft },
      { sensorId: 'rul1.current', status: 'not-degrading', failureHoursLeft: null },
    ]);
    // Health 40 at minute 35.5 and 20 at minute 51.4: 5.7 and 21.6 minutes after the last window (29:50).
    expect(rul.alert.hoursLeft * 60).toBeCloseTo(minuteOf(40) - 179 / 6, 1);
    expect(rul.failure.hoursLeft * 60).toBeCloseTo(minuteOf(20) - 179 / 6, 1);
    expect(rul.failure.at).toBeCloseTo(start + minuteOf(20) * MINUTE, -4);
    expect(rul.failure.low).toBeLessThanOrEqual(rul.failure.hoursLeft);
    expect(rul.failure.high).toBeGreaterThanOrEqual(rul.failure.hoursLeft);
    // Every window, not one point a minute: 180 fitted, thinned to every second one and the last.
    expect(rul.fittedOn).toMatchObject({ from: start, to: start + 179 * TEN_S, points: 180 });
    expect(rul.points).toHaveLength(91);
    expect(rul.points[0]).toEqual({ t: start, health: expect.closeTo(healthAt(0), 3) });
    expect(rul.trend.at(-1).health).toBeCloseTo(20, 3);
  });

  it('reads the minute roll-ups before the last 1 440 windows when the fault began earlier', async () => {
    const before = Date.now();
    const rul = (await bodyOf(await api.request('GET', '/v1/assets/rul3'))).remainingUsefulLife;
    const slowStart = start + 30 * MINUTE - 6 * HOUR;
    expect(rul).toMatchObject({
      status: 'estimated',
      sensorId: 'rul3.temp',
      source: '1m',
      lookbackHours: 24,
    });
    expect(rul.windowsFrom).toBeGreaterThanOrEqual(before - 4 * HOUR);
    // The first two hours come only from roll-up buckets (one window each: its health is the bucket's lowest).
    expect(rul.windowsFrom - slowStart).toBeGreaterThan(HOUR);
    expect(rul.points[0]).toEqual({ t: slowStart, health: expect.closeTo(slowHealthAt(0), 3) });
    // 359 or 360 points (the minute across windowsFrom is in neither), binned to 200.
    expect(rul.fittedOn).toMatchObject({ from: slowStart, to: slowStart + 359 * MINUTE, points: 200 });
    expect(rul.alert.reached).toBe(true);
    // Health 20 at minute 385.7 of the fault: 26.7 minutes after its last window; binning moves it by seconds.
    expect(rul.failure.hoursLeft * 60).toBeCloseTo(slowMinuteOf(20) - 359, 0);
  });

  it('fits on windows alone when health was back at 100 within them, whatever the older roll-ups hold', async () => {
    const rul = (await bodyOf(await api.request('GET', '/v1/assets/rul4'))).remainingUsefulLife;
    expect(rul).toMatchObject({ status: 'estimated', sensorId: 'rul4.temp', source: 'windows' });
    expect(rul.fittedOn).toMatchObject({ from: start, to: start + 29 * MINUTE, points: 30 });
    expect(rul.failure.hoursLeft * 60).toBeCloseTo(minuteOf(20) - 29, 1);
  });

  it('says plainly when an asset has no health to fit', async () => {
    const body = await bodyOf(await api.request('GET', '/v1/assets/rul2'));
    expect(body.remainingUsefulLife).toMatchObject({
      status: 'insufficient-trend',
      reason: 'no health values to fit',
      points: [],
    });
  });

  it('describes the field in the OpenAPI document', async () => {
    const doc = await bodyOf(await fetch(`${app.url}/openapi.json`));
    const schema = doc.paths['/v1/assets/{id}'].get.responses['200'].content['application/json'].schema;
    expect(schema.properties.remainingUsefulLife.properties.status.enum).toEqual([
      'estimated',
      'insufficient-trend',
      'not-degrading',
      'below-threshold',
    ]);
  });
});
