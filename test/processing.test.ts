import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { databaseUrl } from '../src/config/load.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { alignedStart, type Client, client, startApp } from './helpers/app.ts';

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
