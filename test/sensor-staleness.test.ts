import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshBusinessMetrics } from '../src/api/business-metrics.ts';
import type { MantisApp } from '../src/app/app.ts';
import { loadConfig } from '../src/config/load.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { postgresRepositories } from '../src/storage/postgres/repositories.ts';
import { recordLastReadings } from '../src/storage/postgres/sensor-activity.ts';
import { bodyOf, type Client, caughtUp, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

/** The stale period of these suites, seconds: short, so that a sensor goes silent within a test. */
const STALE_SECONDS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();

const scalar = (id: string, kind: string) => ({
  id,
  kind,
  unit: kind === 'temperature' ? 'degC' : 'A',
  sampleRateHz: 1,
  validMin: -50,
  validMax: 500,
});

// biome-ignore lint/suspicious/noExplicitAny: test assertions read the response shapes.
type Json = any;

describe('the stale period setting', () => {
  const load = (value?: string) =>
    loadConfig({
      env: value === undefined ? {} : { MANTIS_PIPELINE_SENSOR_STALE_SECONDS: value },
      overrides: {},
    }).pipeline.sensorStaleSeconds;

  it('is 900 s by default and takes a positive number of seconds', () => {
    expect(load()).toBe(900);
    expect(load('2.5')).toBe(2.5);
  });

  it('refuses zero, a negative or a non-number, naming the setting', () => {
    const named = 'MANTIS_PIPELINE_SENSOR_STALE_SECONDS (pipeline.sensorStaleSeconds)';
    expect(() => load('0')).toThrow(`${named}: Too small: expected number to be >0`);
    expect(() => load('-60')).toThrow(`${named}: Too small: expected number to be >0`);
    expect(() => load('soon')).toThrow(`${named}: Invalid input: expected number, received NaN`);
  });
});

describe.each(engines)('sensor staleness on $name', (engine) => {
  let app: MantisApp;
  let api: Client;
  let stop: () => Promise<void>;
  let db: Database;

  beforeAll(async () => {
    ({ app, stop } = await engine.start({
      'pipeline.sensorStaleSeconds': STALE_SECONDS,
      'scoring.alertBelow': 35,
      // Every answer checked against the response schema its route documents.
      'http.checkResponses': 'on',
    }));
    api = client(app);
    db = app.services.db as Database;
  });

  afterAll(async () => {
    await stop?.();
  });

  const put = async (id: string, siteId: string, sensors: ReturnType<typeof scalar>[]) => {
    const response = await api.request('PUT', `/v1/assets/${id}`, {
      siteId,
      lineId: `${siteId}-line`,
      name: id,
      kind: 'press',
      sensors,
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
  const send = async (readings: { sensorId: string; ts: number; value: number }[]) => {
    const response = await api.request('POST', '/v1/readings', readings);
    expect(response.status, await response.clone().text()).toBe(202);
    await caughtUp(app);
  };
  const asset = async (id: string): Promise<Json> => api.json(`/v1/assets/${id}`);
  const listed = async (site: string): Promise<Json[]> =>
    (await api.json<Json>(`/v1/assets?site=${site}`)).items;
  const sensor = (a: Json, id: string) => a.sensors.find((s: Json) => s.id === id);
  const gauge = async (site: string) => {
    await refreshBusinessMetrics(postgresRepositories(db), app.services.metrics, Date.now(), STALE_SECONDS);
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`mantis_sensors_stale{site="${site}"} `));
    return line === undefined ? undefined : Number(line.split(' ')[1]);
  };

  it('has no reading time and is not stale right after registration', async () => {
    await put('press-1', 'forge', [scalar('press-1.temp', 'temperature'), scalar('press-1.amps', 'current')]);
    await put('press-2', 'forge', [scalar('press-2.temp', 'temperature')]);
    await put('mill-1', 'mill', [scalar('mill-1.temp', 'temperature')]);
    const one = await asset('press-1');
    expect(one).toMatchObject({ lastReadingAt: null, stale: false, alertBelow: 35 });
    expect(one.sensors.map((s: Json) => [s.id, s.lastReadingAt, s.stale])).toEqual([
      ['press-1.amps', null, false],
      ['press-1.temp', null, false],
    ]);
    expect(await gauge('forge')).toBe(0);
  });

  it("records each sensor's latest reading time, and an older batch replayed does not move it back", async () => {
    const t = Date.now();
    await send([
      { sensorId: 'press-1.temp', ts: t - 2000, value: 40 },
      { sensorId: 'press-1.temp', ts: t - 1000.25, value: 41 },
      { sensorId: 'press-1.amps', ts: t - 1500, value: 12 },
      { sensorId: 'mill-1.temp', ts: t, value: 30 },
    ]);
    let one = await asset('press-1');
    expect(sensor(one, 'press-1.temp').lastReadingAt).toBe(iso(t - 1000.25));
    expect(sensor(one, 'press-1.amps').lastReadingAt).toBe(iso(t - 1500));
    expect([one.lastReadingAt, one.stale]).toEqual([iso(t - 1000.25), false]);

    // The same readings again and older ones: at-least-once delivery, or a replay from the bus.
    await send([
      { sensorId: 'press-1.temp', ts: t - 1000.25, value: 41 },
      { sensorId: 'press-1.temp', ts: t - 60_000, value: 39 },
      { sensorId: 'press-1.amps', ts: t - 90_000, value: 11 },
    ]);
    one = await asset('press-1');
    expect(sensor(one, 'press-1.temp').lastReadingAt).toBe(iso(t - 1000.25));
    expect(sensor(one, 'press-1.amps').lastReadingAt).toBe(iso(t - 1500));
    const rows = await db.query<{ sensor_id: string }>(
      `SELECT sensor_id FROM sensor_last_readings WHERE sensor_id LIKE 'press-1.%' ORDER BY sensor_id`,
    );
    expect(rows.map((r) => r.sensor_id)).toEqual(['press-1.amps', 'press-1.temp']);
  });

  it('marks a silent sensor, and one never heard from, stale past the period, in both routes and the gauge', async () => {
    await sleep(STALE_SECONDS * 1000 + 500);
    // press-1.amps and mill-1.temp keep sending; press-1.temp and press-2.temp (never read) are silent.
    const t = Date.now();
    await send([
      { sensorId: 'press-1.amps', ts: t, value: 12 },
      { sensorId: 'mill-1.temp', ts: t, value: 30 },
    ]);
    const one = await asset('press-1');
    expect(sensor(one, 'press-1.temp').stale).toBe(true);
    expect(sensor(one, 'press-1.amps')).toMatchObject({ lastReadingAt: iso(t), stale: false });
    expect([one.lastReadingAt, one.stale]).toEqual([iso(t), true]);
    const two = await asset('press-2');
    expect([two.lastReadingAt, two.stale, two.sensors[0].stale]).toEqual([null, true, true]);

    const forge = await listed('forge');
    expect(forge.map((a) => [a.id, a.stale, a.lastReadingAt])).toEqual([
      ['press-1', true, iso(t)],
      ['press-2', true, null],
    ]);
    expect(forge[0].sensors.map((s: Json) => [s.id, s.stale])).toEqual([
      ['press-1.amps', false],
      ['press-1.temp', true],
    ]);
    expect((await listed('mill')).map((a) => [a.id, a.stale])).toEqual([['mill-1', false]]);

    expect(await gauge('forge')).toBe(2);
    expect(await gauge('mill')).toBe(0);
  });

  it('never marks a retired sensor stale, and counts a sensor registered again from then', async () => {
    const retired = await api.request('DELETE', '/v1/sensors/press-2.temp');
    expect(retired.status).toBe(204);
    let two = await asset('press-2');
    expect([two.stale, two.sensors[0].stale]).toEqual([false, false]);
    expect(await gauge('forge')).toBe(1);

    // Registered again: the period runs from now, whatever its silence before.
    await put('press-2', 'forge', [scalar('press-2.temp', 'temperature')]);
    two = await asset('press-2');
    expect([two.stale, two.sensors[0].retiredAt, two.sensors[0].stale]).toEqual([false, null, false]);
    expect(await gauge('forge')).toBe(1);
  });

  it('keeps the greatest time in the upsert itself, to the microsecond, whatever the order of batches', async () => {
    const t = Date.UTC(2026, 0, 5, 8, 30);
    const write = (readings: { sensorId: string; ts: number }[]) =>
      db.transaction((tx) =>
        recordLastReadings(tx, { scalars: readings.map((r) => ({ ...r, value: 1 })), blocks: [] }),
      );
    await write([
      { sensorId: 'x.b', ts: t + 0.125 },
      { sensorId: 'x.a', ts: t },
    ]);
    await write([
      { sensorId: 'x.a', ts: t - 5 },
      { sensorId: 'x.b', ts: t + 0.5 },
    ]);
    await db.transaction(async (tx) => {
      await recordLastReadings(tx, {
        scalars: [],
        blocks: [{ sensorId: 'x.a', ts: t + 7, rateHz: 100, values: [1, 2] }],
      });
    });
    const rows = await db.query<{ sensor_id: string; ms: number }>(
      `SELECT sensor_id, (extract(epoch FROM last_reading_at) * 1000)::float8 AS ms
       FROM sensor_last_readings WHERE sensor_id LIKE 'x.%' ORDER BY sensor_id`,
    );
    expect(rows).toEqual([
      { sensor_id: 'x.a', ms: t + 7 },
      { sensor_id: 'x.b', ms: t + 0.5 },
    ]);
  });

  it('documents the fields in the routes’ response schemas', async () => {
    const doc = await bodyOf(await fetch(`${app.url}/openapi.json`));
    const one = doc.paths['/v1/assets/{id}'].get.responses['200'].content['application/json'].schema;
    expect(one.required).toEqual(expect.arrayContaining(['lastReadingAt', 'stale', 'alertBelow']));
    expect(one.properties.alertBelow).toMatchObject({ type: 'number', minimum: 0, maximum: 100 });
    const list = doc.paths['/v1/assets'].get.responses['200'].content['application/json'].schema;
    const item = list.properties.items.items;
    for (const schema of [one, item]) {
      expect(schema.properties.lastReadingAt.type).toEqual(['string', 'null']);
      expect(schema.properties.stale.description).toMatch(/stale/);
      expect(schema.properties.sensors.items.properties.stale.description).toMatch(/sensorStaleSeconds/);
    }
  });
});
