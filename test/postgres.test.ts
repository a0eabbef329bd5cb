import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import type { Alert, WorkOrder } from '../src/domain/types.ts';
import { runSimulator } from '../src/simulator/driver.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate } from '../src/storage/migrate.ts';
import { ensurePartitions } from '../src/storage/postgres/partitions.ts';
import { latestFeatures, writeRawReadings } from '../src/storage/postgres/timeseries.ts';
import { alignedStart, caughtUp, client, startApp } from './helpers/app.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';

const postgres = await postgresAvailable();

describe.runIf(postgres.available)('the all target on a real PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: MantisApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startApp({ 'database.url': database.url, 'ingest.token': 'test-token-0123456789abcdef' });
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it('runs the same migrations as PGlite, once', async () => {
    const db = await openDatabase(database.url);
    try {
      expect((await migrate(db)).applied).toEqual([]);
      const tables = await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['assets', 'features', 'raw_readings', 'raw_blocks', 'alerts', 'work_orders']),
      );
    } finally {
      await db.close();
    }
  });

  it('writes large raw batches through COPY, idempotently, whatever the characters of a sensor id', async () => {
    const db = await openDatabase(database.url);
    try {
      // Yesterday: within raw retention, which the etl job applies at start.
      const t0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
      const odd = 'odd\\id\twith\nbreaks';
      const readings = Array.from({ length: 1000 }, (_, i) => ({
        sensorId: i % 2 ? 'copy.a' : odd,
        ts: t0 + i,
        value: i / 3,
      }));
      // A reading repeated in the batch keeps its last value.
      readings.push({ sensorId: 'copy.a', ts: t0 + 1, value: 42 });
      await ensurePartitions(db, { raw_readings: readings.map((r) => r.ts) });
      await db.transaction((tx) => writeRawReadings(tx, readings));
      await db.transaction((tx) => writeRawReadings(tx, readings));
      const rows = await db.query<{ sensor_id: string; n: number; total: number }>(
        `SELECT sensor_id, count(*)::int AS n, sum(value) AS total FROM raw_readings
         WHERE sensor_id IN ('copy.a', $1) GROUP BY sensor_id ORDER BY sensor_id`,
        [odd],
      );
      const expectedA = readings
        .filter((r, i) => r.sensorId === 'copy.a' && i !== 1)
        .reduce((s, r) => s + r.value, 0);
      expect(rows).toEqual([
        { sensor_id: 'copy.a', n: 500, total: expect.closeTo(expectedA, 6) },
        { sensor_id: odd, n: 500, total: expect.any(Number) },
      ]);
      await db.query(`DELETE FROM raw_readings WHERE sensor_id IN ('copy.a', $1)`, [odd]);
    } finally {
      await db.close();
    }
  });

  it('stores every reading, windows them and opens one work order for the degrading asset', async () => {
    const startTs = alignedStart(150);
    await runSimulator({ url: app.url, token: app.token, startTs, speed: 0, durationSeconds: 120 });
    await caughtUp(app);
    const api = client(app);
    const orders = (await api.json<{ items: WorkOrder[] }>('/v1/work-orders')).items;
    const alerts = (await api.json<{ items: Alert[] }>('/v1/alerts')).items;
    expect(orders.map((o) => o.assetId)).toEqual(['pump-2']);
    // The anomaly and its named fault, whose order the diagnosis took over.
    expect(alerts.map((a) => [a.assetId, a.cause]).sort()).toEqual([
      ['pump-2', 'diagnosis:outer-race:6205@drive end'],
      ['pump-2', 'vibration-anomaly'],
    ]);
    expect(orders[0].cause).toBe('diagnosis:outer-race:6205@drive end');
    await app.stop();
    const db = await openDatabase(database.url);
    try {
      const [{ raw }] = await db.query<{ raw: number }>('SELECT count(*)::int AS raw FROM raw_readings');
      const [{ blocks }] = await db.query<{ blocks: number }>(
        'SELECT count(*)::int AS blocks FROM raw_blocks',
      );
      const [{ windows, samples }] = await db.query<{ windows: number; samples: number }>(
        `SELECT count(*)::int AS windows, sum(count)::int AS samples FROM features WHERE sensor_id = 'pump-1.vib'`,
      );
      expect(raw).toBe(120 * 16);
      expect(blocks).toBe(120 * 8);
      expect(windows).toBe(12);
      expect(samples).toBe(120 * 4096);
      const latest = await latestFeatures(db, 'pump-2');
      expect(Object.keys(latest).sort()).toEqual(['pump-2.current', 'pump-2.temp', 'pump-2.vib']);
      expect(latest['pump-2.vib'].windowStart).toBe(startTs + 110_000);
    } finally {
      await db.close();
    }
  });
});
