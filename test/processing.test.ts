import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { databaseUrl } from '../src/config/load.ts';
import { timeDomainFeatures } from '../src/pipeline/features.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { alignedStart, type Client, client, startApp } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

/** The processor's reading counters, by outcome. */
async function readingCounts(app: MantisApp): Promise<Record<string, number>> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^mantis_pipeline_readings_total\{outcome="(\w+)"\} (\d+)/gm)) {
    counts[m[1]] = Number(m[2]);
  }
  return counts;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('the processor on embedded defaults', () => {
  let app: MantisApp;
  let api: Client;
  let dbUrl: string;
  const start = alignedStart(120);

  /** Sends one request and waits until the processor has consumed its readings: one batch each. */
  async function send(readings: unknown[]): Promise<void> {
    const before = total(await readingCounts(app));
    const response = await api.request('POST', '/v1/readings', readings);
    expect(response.status).toBe(202);
    const deadline = Date.now() + 10_000;
    while (total(await readingCounts(app)) < before + readings.length) {
      if (Date.now() > deadline) throw new Error('the processor did not consume the readings');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    app = await startApp();
    api = client(app);
    dbUrl = databaseUrl(app.services.config);
    const sensor = (id: string, validMin: number, validMax: number) => ({
      id,
      kind: 'temperature',
      unit: '°C',
      sampleRateHz: 1,
      validMin,
      validMax,
    });
    const registered = await api.request('PUT', '/v1/assets/oven-1', {
      siteId: 'plant-9',
      lineId: 'line-9',
      name: 'Oven 1',
      kind: 'oven',
      sensors: [
        sensor('oven-1.clock', -40, 200),
        sensor('oven-1.dup', -40, 200),
        sensor('oven-1.huge', -1e300, 1e300),
      ],
    });
    expect(registered.ok).toBe(true);

    // One reading stamped 240 s ahead (within the allowed clock skew), then 20 at 1 Hz with the true time,
    // each in its own batch.
    await send([{ sensorId: 'oven-1.clock', ts: Date.now() + 240_000, value: 99 }]);
    for (let s = 0; s < 20; s++)
      await send([{ sensorId: 'oven-1.clock', ts: start + s * 1000, value: 20 + s }]);

    // The same reading delivered twice (a client retry).
    const reading = { sensorId: 'oven-1.dup', ts: start, value: 21.5 };
    await send([reading]);
    await send([reading]);

    // Two readings of 1e200 on a sensor whose range allows them.
    await send([
      { sensorId: 'oven-1.huge', ts: start, value: 1e200 },
      { sensorId: 'oven-1.huge', ts: start + 1000, value: 1e200 },
    ]);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('counts a duplicate reading apart from the windowed ones, as it is stored once', async () => {
    const counts = await readingCounts(app);
    // 21 + 1 + 2 windowed, none late; the second copy is a duplicate.
    expect(counts).toMatchObject({ windowed: 24, duplicate: 1, late: 0 });
  });

  it('keeps the readings that follow one stamped ahead, and rolls up 1e200 without overflow', async () => {
    await app.stop();
    const db = await openDatabase(dbUrl);
    try {
      const windows = await db.query<{
        sensor_id: string;
        start: Date;
        count: number;
        rms: number;
        crest: number;
      }>(
        `SELECT sensor_id, window_start AS start, count, rms, crest_factor AS crest FROM features
         WHERE asset_id = 'oven-1' AND window_start < to_timestamp($1 / 1000.0) ORDER BY sensor_id, window_start`,
        [start + 60_000],
      );
      expect(windows.map((w) => [w.sensor_id, w.start.getTime(), w.count])).toEqual([
        ['oven-1.clock', start, 10],
        ['oven-1.clock', start + 10_000, 10],
        ['oven-1.dup', start, 1],
        ['oven-1.huge', start, 2],
      ]);
      const huge = windows[3];
      expect(huge.rms / 1e200).toBeCloseTo(1, 12);
      expect(huge.crest).toBe(1);
      const [minute] = await db.query<{ rms: number; mean: number }>(
        `SELECT rms, mean FROM features_1m WHERE sensor_id = 'oven-1.huge'`,
      );
      expect(minute.rms / 1e200).toBeCloseTo(1, 12);
      expect(minute.mean / 1e200).toBeCloseTo(1, 12);
    } finally {
      await db.close();
    }
  });
});

/** The sum of every series of a counter on /metrics (0 when it has none yet). */
async function counterSum(app: MantisApp, name: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

describe.each(engines)('a sensor reading the largest doubles, on $name', (engine) => {
  const MAX = Number.MAX_VALUE; // 1.7976931348623157e308
  let app: MantisApp;
  let stop: () => Promise<void>;
  let db: Database;
  // A UTC midnight a day or two ago: each window is alone in its 1 min bucket, and both in their hour and day.
  const start = alignedStart(30 * 3600, 86_400);
  const DAY = 86_400_000;
  const windows = [
    // The sums of the values and of their squares exceed the double range.
    [MAX, -MAX, MAX],
    [MAX, 1, -1e308, Number.MIN_VALUE],
    // Summed as they are, three readings of 0.1 average 0.10000000000000002.
    [0.1, 0.1, 0.1],
  ];

  beforeAll(async () => {
    ({ app, stop } = await engine.start());
    db = app.services.db as Database;
    const api = client(app);
    const registered = await api.request('PUT', '/v1/assets/edge-1', {
      siteId: 'plant-9',
      lineId: 'line-9',
      name: 'Edge 1',
      kind: 'oven',
      sensors: [
        { id: 'edge-1.x', kind: 'temperature', unit: '°C', sampleRateHz: 1, validMin: -MAX, validMax: MAX },
      ],
    });
    expect(registered.status, await registered.text()).toBeLessThan(300);
    // One request; two readings a day later (one alone does not move event time) close the windows.
    const readings = windows.flatMap((values, w) =>
      values.map((value, i) => ({ sensorId: 'edge-1.x', ts: start + w * 60_000 + i * 1000, value })),
    );
    readings.push(
      { sensorId: 'edge-1.x', ts: start + DAY, value: 0 },
      { sensorId: 'edge-1.x', ts: start + DAY + 1000, value: 0 },
    );
    expect((await api.request('POST', '/v1/readings', readings)).status).toBe(202);
    const deadline = Date.now() + 30_000;
    while (
      (await db.query(`SELECT 1 FROM features_1m WHERE sensor_id = 'edge-1.x'`)).length < windows.length
    ) {
      if (Date.now() > deadline) throw new Error('the windows were not stored');
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 120_000);

  afterAll(async () => {
    await stop?.();
  });

  it('stores the windows and their roll-ups, dead-lettering nothing and retrying no write', async () => {
    expect(await counterSum(app, 'mantis_pipeline_dead_lettered_total')).toBe(0);
    expect(await counterSum(app, 'mantis_pipeline_write_retries_total')).toBe(0);
    const stored = await db.query<{
      start: Date;
      count: number;
      mean: number;
      min: number;
      max: number;
      std: number;
      rms: number;
    }>(
      `SELECT window_start AS start, count, mean, min, max, std, rms FROM features
       WHERE sensor_id = 'edge-1.x' AND window_start < to_timestamp($1 / 1000.0) ORDER BY window_start`,
      [start + 180_000],
    );
    expect(stored).toEqual(
      windows.map((values, w) => {
        const f = timeDomainFeatures([values]);
        return {
          start: new Date(start + w * 60_000),
          count: f.count,
          mean: f.mean,
          min: f.min,
          max: f.max,
          std: f.std,
          rms: f.rms,
        };
      }),
    );
    // (max − max + max) / 3, and the RMS of three values of magnitude max is max.
    expect(stored[0]).toMatchObject({ mean: MAX / 3, rms: MAX });
    expect(stored[2]).toMatchObject({ mean: 0.1, std: 0, rms: 0.1 });
    const [raw] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM raw_readings WHERE sensor_id = 'edge-1.x'`,
    );
    expect(raw.n).toBe(12);

    // Each minute holds one window: its roll-up is that window, bit for bit.
    const minutes = await db.query<{ count: number; mean: number; rms: number }>(
      `SELECT count::int AS count, mean, rms FROM features_1m
       WHERE sensor_id = 'edge-1.x' AND bucket < to_timestamp($1 / 1000.0) ORDER BY bucket`,
      [start + 180_000],
    );
    expect(minutes).toEqual(stored.map(({ count, mean, rms }) => ({ count, mean, rms })));
    // The hour combines the three; the day holds that one hour, bit for bit.
    const bucket = (table: string) =>
      db
        .query<{ count: number; mean: number; rms: number }>(
          `SELECT count::int AS count, mean, rms FROM ${table}
           WHERE sensor_id = 'edge-1.x' AND bucket = to_timestamp($1 / 1000.0)`,
          [start],
        )
        .then((rows) => rows[0]);
    const hour = await bucket('features_1h');
    const day = await bucket('features_1d');
    expect(hour.count).toBe(10);
    expect(day).toEqual(hour);
    // (3·mean₁ + 4·mean₂ + 3·mean₃) / 10 and √((3·rms₁² + 4·rms₂² + 3·rms₃²) / 10), to within rounding.
    const [a, b, c] = stored;
    expect(hour.mean / (0.3 * a.mean + 0.4 * b.mean + 0.3 * c.mean)).toBeCloseTo(1, 14);
    expect(
      hour.rms / (MAX * Math.sqrt(0.3 + 0.4 * (b.rms / MAX) ** 2 + 0.3 * (c.rms / MAX) ** 2)),
    ).toBeCloseTo(1, 14);
  });

  it('serves them: a peak-to-peak beyond the double range as null, the rest as stored', async () => {
    const api = client(app);
    const range = `from=${new Date(start).toISOString()}&to=${new Date(start + 180_000).toISOString()}`;
    const windows = await api.json<{ items: Record<string, unknown>[] }>(
      `/v1/assets/edge-1/features?${range}`,
    );
    expect(windows.items[0]).toMatchObject({
      count: 3,
      mean: MAX / 3,
      min: -MAX,
      max: MAX,
      rms: MAX,
      peakToPeak: null,
    });
    const minutes = await api.json<{ items: Record<string, unknown>[] }>(
      `/v1/assets/edge-1/features?${range}&resolution=1m`,
    );
    expect(minutes.items.map((m) => [m.count, m.mean, m.rms])).toEqual(
      windows.items.map((w) => [w.count, w.mean, w.rms]),
    );
  });
});
