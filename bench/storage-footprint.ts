/**
 * Bytes on disk per stored row in PostgreSQL, indexes included, for sizing a database (docs/deployment.md#sizing):
 * a scalar reading, a sample block, and a window's features (scalar and vibration sensors). Rows are made by the
 * database in the tables the migrations create, one UTC day's partition each, then VACUUM ANALYZE;
 * pg_total_relation_size of the partition divided by its rows. BENCH_FOOTPRINT_SENSORS (default 1 000) sensors.
 * Plain PostgreSQL: TimescaleDB's compression of older chunks (database.compressAfterDays) is not measured here.
 */
import { version } from '../src/app/version.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate } from '../src/storage/migrate.ts';
import { ensurePartitions } from '../src/storage/postgres/partitions.ts';
import { createTestDatabase } from '../test/helpers/infra.ts';
import { emit, env } from './lib.ts';

const sensors = env('BENCH_FOOTPRINT_SENSORS', 1_000);
const DAY = Date.UTC(2025, 10, 30);
const day = `to_timestamp(${DAY / 1000})`;
/** W2: blocks of 4 096 samples at 12.8 kHz, stored as little-endian float32 (V001). */
const BLOCK_SAMPLES = 4_096;

const testDb = await createTestDatabase();
const db = await openDatabase(testDb.url);
try {
  await migrate(db);
  await ensurePartitions(db, { features: [DAY], raw_readings: [DAY], raw_blocks: [DAY] });
  const sensorId = `'asset-' || (s / 10) || '.s' || (s % 10)`;
  const cases = [
    {
      what: 'scalar reading (raw_readings), 1 s apart',
      table: 'raw_readings',
      rows: sensors * 1_000,
      sql: `INSERT INTO raw_readings (sensor_id, ts, value)
            SELECT ${sensorId}, ${day} + make_interval(secs => t), random() * 100
            FROM generate_series(0, ${sensors - 1}) s, generate_series(0, 999) t`,
    },
    {
      what: `sample block of ${BLOCK_SAMPLES} float32 samples (raw_blocks)`,
      table: 'raw_blocks',
      rows: (sensors / 10) * 20,
      // Random samples: real vibration compresses little better.
      sql: `INSERT INTO raw_blocks (sensor_id, ts, rate_hz, samples)
            SELECT ${sensorId}, ${day} + make_interval(secs => t * 0.32), 12800,
                   (SELECT string_agg(decode(lpad(to_hex((random() * 4294967295)::bigint), 8, '0'), 'hex'), ''::bytea)
                    FROM generate_series(1, ${BLOCK_SAMPLES}) WHERE t >= 0)
            FROM generate_series(0, ${sensors / 10 - 1}) s, generate_series(0, 19) t`,
    },
    {
      what: 'window features of a scalar sensor (features), 10 s windows',
      table: 'features',
      rows: sensors * 100,
      sql: `INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms,
              peak_to_peak, crest_factor, skewness, kurtosis, anomaly_score, health)
            SELECT 'asset-' || (s / 10), ${sensorId}, ${day} + make_interval(secs => w * 10),
                   ${day} + make_interval(secs => w * 10 + 10), 10, random(), random(), random(), random(), random(),
                   random(), random(), random(), random(), random(), 90
            FROM generate_series(0, ${sensors - 1}) s, generate_series(0, 99) w`,
    },
  ];
  for (const c of cases) {
    const partition = `${c.table}_p${new Date(DAY).toISOString().slice(0, 10).replaceAll('-', '')}`;
    await db.query(`TRUNCATE ${c.table}`);
    await db.query(c.sql);
    await db.query(`VACUUM ANALYZE ${c.table}`);
    const rows = await db.query<{ total: string; heap: string; n: string }>(
      `SELECT pg_total_relation_size($1::regclass) AS total, pg_relation_size($1::regclass) AS heap,
              (SELECT count(*) FROM ${partition}) AS n`,
      [partition],
    );
    const n = Number(rows[0].n);
    if (n !== c.rows) throw new Error(`${c.table}: expected ${c.rows} rows, found ${n}`);
    emit({
      bench: 'storage-footprint',
      workload: c.what,
      rows: n,
      bytesPerRow: Math.round(Number(rows[0].total) / n),
      heapBytesPerRow: Math.round(Number(rows[0].heap) / n),
      database: (await db.query<{ server_version: string }>('SHOW server_version'))[0].server_version,
      version,
    });
  }
} finally {
  await db.close();
  await testDb.drop();
}
