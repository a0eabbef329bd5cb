import { describe, expect, it } from 'vitest';
import { MantisApp } from '../src/app/app.ts';
import { databaseUrl, loadConfig } from '../src/config/load.ts';
import type { Alert, WorkOrder } from '../src/domain/types.ts';
import { runSimulator } from '../src/simulator/driver.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { alignedStart, caughtUp, client, tempDataDir } from './helpers/app.ts';

interface FeatureRow {
  sensor_id: string;
  window_start: Date;
  count: number;
  mean: number;
  health: number | null;
}

const RAW_SNAPSHOT = `SELECT sensor_id, ts, value FROM raw_readings WHERE ts < coalesce($1::timestamptz, 'infinity')
  ORDER BY sensor_id, ts`;
const SNAPSHOT =
  'SELECT sensor_id, window_start, count, mean, health FROM features ORDER BY sensor_id, window_start';

describe('restart on the same data folder', () => {
  it('loses nothing stored, duplicates nothing, and keeps one work order across the restart', async () => {
    const config = loadConfig({
      env: {},
      overrides: { dataDir: tempDataDir(), 'http.port': 0, 'mqtt.port': 0, 'log.level': 'silent' },
    });
    const startTs = alignedStart(200);

    // First run: 100 simulated seconds; the fault starts at 70 s and is caught before the stop.
    let app = await MantisApp.start(config);
    const token = app.token;
    await runSimulator({ url: app.url, token, startTs, speed: 0, durationSeconds: 100 });
    await caughtUp(app);
    const firstAlerts = (await client(app).json<{ items: Alert[] }>('/v1/alerts')).items;
    expect(firstAlerts.map((a) => [a.assetId, a.cause]).sort()).toEqual([
      ['pump-2', 'diagnosis:outer-race:6205@drive end'],
      ['pump-2', 'vibration-anomaly'],
    ]);
    await app.stop();

    let db = await openDatabase(databaseUrl(config));
    const before = await db.query<FeatureRow>(SNAPSHOT);
    const rawBefore = await db.query(RAW_SNAPSHOT, [null]);
    await db.close();
    expect(before.length).toBe(24 * 10);

    // Second run: the same token; the last 30 s are sent again (a gateway's replay), then 60 s more.
    app = await MantisApp.start(config);
    expect(app.token).toBe(token);
    await runSimulator({ url: app.url, token, startTs, fromSecond: 70, speed: 0, durationSeconds: 90 });
    await caughtUp(app);
    const late = (await app.metrics.pipelineReadings.get()).values.find((v) => v.labels.outcome === 'late');
    expect(late?.value).toBe(30 * 24);
    const api = client(app);
    const alerts = (await api.json<{ items: Alert[] }>('/v1/alerts')).items;
    const orders = (await api.json<{ items: WorkOrder[] }>('/v1/work-orders')).items;
    await app.stop();

    expect(alerts.map((a) => a.id).sort()).toEqual(firstAlerts.map((a) => a.id).sort());
    expect(orders).toHaveLength(1);

    db = await openDatabase(databaseUrl(config));
    const after = await db.query<FeatureRow>(SNAPSHOT);
    const [{ dupes }] = await db.query<{ dupes: number }>(
      `SELECT count(*)::int AS dupes FROM (
         SELECT sensor_id, window_start FROM features GROUP BY 1, 2 HAVING count(*) > 1) d`,
    );
    const [{ raw }] = await db.query<{ raw: number }>('SELECT count(*)::int AS raw FROM raw_readings');
    const rawAfter = await db.query(RAW_SNAPSHOT, [new Date(startTs + 100_000)]);
    await db.close();
    expect(rawAfter).toEqual(rawBefore);

    expect(dupes).toBe(0);
    expect(raw).toBe(160 * 16);
    // Every window stored by the first run is still there, unchanged.
    const key = (r: FeatureRow) => `${r.sensor_id}@${r.window_start.toISOString()}`;
    const afterByKey = new Map(after.map((r) => [key(r), r]));
    for (const row of before) expect(afterByKey.get(key(row)), key(row)).toEqual(row);
    // And the second run added the 6 new windows of each of the 24 sensors.
    expect(after.length).toBe(24 * 16);
    const scalarCounts = after.filter((r) => r.sensor_id.endsWith('.temp')).map((r) => r.count);
    expect(new Set(scalarCounts)).toEqual(new Set([10]));
  });
});
