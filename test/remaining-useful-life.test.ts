import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { upsertFeatures } from '../src/storage/postgres/timeseries.ts';
import { bodyOf, type Client, client, startApp } from './helpers/app.ts';
import { windowFeatures } from './helpers/features.ts';

const MINUTE = 60_000;
/** Anomaly score of minute m of the last two hours: z = 3.5·exp(m/40); health 100·exp(−(z − 3)/6). */
const scoreAt = (m: number) => 3.5 * Math.exp(m / 40);
const healthAt = (m: number) => 100 * Math.exp(-(scoreAt(m) - 3) / 6);
/** Minute at which health reaches `line`: scoreAt(m) = 3 + 6·ln(100/line). */
const minuteOf = (line: number) => 40 * Math.log((3 + 6 * Math.log(100 / line)) / 3.5);

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
    for (const id of ['rul1', 'rul2']) {
      expect((await api.request('PUT', `/v1/assets/${id}`, asset(id))).status).toBe(200);
    }
    const db = app.services.db;
    if (!db) throw new Error('the app has no database');
    // rul1.temp degrades over minutes 0–29 (health 92 → 33); rul1.current stays at 100.
    await upsertFeatures(
      db,
      Array.from({ length: 30 }, (_, m) => [
        windowFeatures('rul1.temp', start + m * MINUTE, { health: healthAt(m) }),
        windowFeatures('rul1.current', start + m * MINUTE, { health: 100 }),
      ]).flat(),
    );
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("estimates the degrading sensor's crossings from the minute roll-ups of the last 24 h", async () => {
    const body = await bodyOf(await api.request('GET', '/v1/assets/rul1'));
    const rul = body.remainingUsefulLife;
    expect(rul).toMatchObject({
      status: 'estimated',
      sensorId: 'rul1.temp',
      model: 'exponential',
      source: '1m',
      lookbackHours: 24,
      asOf: start + 29 * MINUTE,
    });
    expect(rul.sensors).toEqual([
      { sensorId: 'rul1.temp', status: 'estimated', failureHoursLeft: rul.failure.hoursLeft },
      { sensorId: 'rul1.current', status: 'not-degrading', failureHoursLeft: null },
    ]);
    // Health 40 at minute 35.5 and 20 at minute 51.4: 6.5 and 22.4 minutes after the last window.
    expect(rul.alert.hoursLeft * 60).toBeCloseTo(minuteOf(40) - 29, 1);
    expect(rul.failure.hoursLeft * 60).toBeCloseTo(minuteOf(20) - 29, 1);
    expect(rul.failure.at).toBeCloseTo(start + minuteOf(20) * MINUTE, -4);
    expect(rul.failure.low).toBeLessThanOrEqual(rul.failure.hoursLeft);
    expect(rul.failure.high).toBeGreaterThanOrEqual(rul.failure.hoursLeft);
    expect(rul.fittedOn).toMatchObject({ from: start, to: start + 29 * MINUTE, points: 30 });
    expect(rul.points).toHaveLength(30);
    expect(rul.points[0]).toEqual({ t: start, health: expect.closeTo(healthAt(0), 3) });
    expect(rul.trend.at(-1).health).toBeCloseTo(20, 3);
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
