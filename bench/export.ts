/**
 * Parquet export speed against its raw ceiling, same run, same machine: `mantis etl export-features` and
 * `export-readings` (the job's own plan, sources and writer, to a file:// object store) over N rows in a real
 * PostgreSQL, and `COPY (SELECT …) TO STDOUT` of the same rows in the same order into a file. N rows of each
 * (BENCH_EXPORT_ROWS, default 200 000) over 10 assets × 10 sensors in one UTC day; BENCH_REPEAT runs each.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { version } from '../src/app/version.ts';
import { datasetPrefix, planPartitions } from '../src/etl/export-plan.ts';
import { type ExportAsset, type ExportSource, exportPartitions } from '../src/etl/export-run.ts';
import { featureSource, readingSource } from '../src/etl/export-sources.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate } from '../src/storage/migrate.ts';
import { createObjectStore } from '../src/storage/object-stores.ts';
import { ensurePartitions } from '../src/storage/postgres/partitions.ts';
import { databaseRawStore } from '../src/storage/postgres/raw-store.ts';
import { postgresRepositories } from '../src/storage/postgres/repositories.ts';
import { createTestDatabase } from '../test/helpers/infra.ts';
import { emit, env, median } from './lib.ts';

const rows = env('BENCH_EXPORT_ROWS', 200_000);
const repeats = env('BENCH_REPEAT', 3);
const ASSETS = 10;
const SENSORS_PER_ASSET = 10;
const sensors = ASSETS * SENSORS_PER_ASSET;
const perSensor = Math.ceil(rows / sensors);
const DAY = Date.UTC(2025, 10, 30);
if (perSensor * 10_000 > 86_400_000)
  throw new Error('BENCH_EXPORT_ROWS: at most 864 000 rows fit one day of 10 s windows');

const testDb = await createTestDatabase();
const db = await openDatabase(testDb.url);
const client = new pg.Client({ connectionString: testDb.url });
const folder = mkdtempSync(join(tmpdir(), 'mantis-bench-export-'));
try {
  await migrate(db);
  const repositories = postgresRepositories(db);
  const assets: ExportAsset[] = [];
  for (let a = 0; a < ASSETS; a++) {
    const sensorList = Array.from({ length: SENSORS_PER_ASSET }, (_, s) => ({
      id: `a${a}.s${s}`,
      assetId: `a${a}`,
      kind: 'other' as const,
      unit: 'u',
      sampleRateHz: 1,
      validMin: -1000,
      validMax: 1000,
    }));
    await repositories.registry.registerAsset({
      id: `a${a}`,
      siteId: 'bench',
      lineId: 'line-1',
      name: `a${a}`,
      kind: 'pump',
      sensors: sensorList,
    });
    assets.push({ id: `a${a}`, sensors: sensorList });
  }
  await ensurePartitions(db, { features: [DAY], raw_readings: [DAY] });
  // Rows made by the database itself: the measure is the export, not the load. 10 s windows, 1 s readings.
  await db.query(
    `INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms,
       peak_to_peak, crest_factor, skewness, kurtosis, anomaly_score, health)
     SELECT 'a' || (s / $3), 'a' || (s / $3) || '.s' || (s % $3), t, t + interval '10 s', 10, v, v - 1, v + 1,
            0.5, abs(v) + 0.1, 2, 1.4, 0.01, 3.1, 0.7, 90
     FROM generate_series(0, $1 - 1) s, generate_series(0, $2 - 1) w,
          LATERAL (SELECT to_timestamp(${DAY / 1000} + w * 10) AS t, sin(s + w) * 50 AS v) x`,
    [sensors, perSensor, SENSORS_PER_ASSET],
  );
  await db.query(
    `INSERT INTO raw_readings (sensor_id, ts, value)
     SELECT 'a' || (s / $3) || '.s' || (s % $3), to_timestamp(${DAY / 1000} + w), sin(s + w) * 50
     FROM generate_series(0, $1 - 1) s, generate_series(0, $2 - 1) w`,
    [sensors, perSensor, SENSORS_PER_ASSET],
  );
  await db.query('ANALYZE features; ANALYZE raw_readings');
  await client.connect();

  const store = createObjectStore(`file://${folder}`);
  const byId = new Map(assets.map((a) => [a.id, a]));
  const exportOnce = async (dataset: 'features' | 'readings', source: ExportSource<unknown>) => {
    const partitions = planPartitions(
      datasetPrefix('bench', dataset, dataset === 'features' ? 'window' : undefined),
      DAY,
      DAY + 86_400_000,
      assets.map((a) => a.id),
    );
    const started = performance.now();
    const result = await exportPartitions(source, {
      store,
      partitions,
      assets: byId,
      pageRows: 50_000,
      rowGroupRows: 100_000,
      version,
    });
    return {
      seconds: (performance.now() - started) / 1000,
      rows: result.rows,
      bytes: result.bytes,
      files: result.files.length,
    };
  };
  const copyOnce = async (sql: string) => {
    const file = join(folder, 'copy.txt');
    const started = performance.now();
    await pipeline(client.query(copyTo(`COPY (${sql}) TO STDOUT`)), createWriteStream(file));
    const seconds = (performance.now() - started) / 1000;
    return { seconds, bytes: statSync(file).size };
  };

  const range = `>= to_timestamp(${DAY / 1000}) AND %s < to_timestamp(${(DAY + 86_400_000) / 1000})`;
  const cases = [
    {
      dataset: 'features' as const,
      source: featureSource(repositories.features, 'window') as ExportSource<unknown>,
      sql: `SELECT asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms, peak_to_peak,
              crest_factor, skewness, kurtosis, dominant_hz, band_energies, anomaly_score, health, velocity_rms,
              severity_zone, diagnostics
            FROM features WHERE window_start ${range.replace('%s', 'window_start')}
            ORDER BY asset_id, window_start, sensor_id`,
    },
    {
      dataset: 'readings' as const,
      source: readingSource(databaseRawStore(db)) as ExportSource<unknown>,
      sql: `SELECT s.asset_id, r.sensor_id, r.ts, r.value FROM raw_readings r JOIN sensors s ON s.id = r.sensor_id
            WHERE r.ts ${range.replace('%s', 'r.ts')} ORDER BY s.asset_id, r.ts, r.sensor_id`,
    },
  ];
  for (const c of cases) {
    const parquet = [];
    const copy = [];
    // Alternated, so that a slow moment of the machine weighs on both.
    for (let i = 0; i < repeats; i++) {
      parquet.push(await exportOnce(c.dataset, c.source));
      copy.push(await copyOnce(c.sql));
    }
    const exported = parquet[0].rows;
    const parquetRate = median(parquet.map((r) => exported / r.seconds));
    const copyRate = median(copy.map((r) => exported / r.seconds));
    emit({
      bench: 'etl-export',
      workload: `${c.dataset}: ${exported} rows, ${ASSETS} assets × ${SENSORS_PER_ASSET} sensors, one UTC day, PostgreSQL → Parquet on file://`,
      repeats,
      rows: exported,
      files: parquet[0].files,
      parquet: {
        rowsPerSecond: Math.round(parquetRate),
        medianSeconds: median(parquet.map((r) => r.seconds)),
        bytes: parquet[0].bytes,
      },
      ceiling: {
        what: 'COPY (SELECT … same rows, same order) TO STDOUT into a file, text format',
        rowsPerSecond: Math.round(copyRate),
        medianSeconds: median(copy.map((r) => r.seconds)),
        bytes: copy[0].bytes,
      },
      ratio: Math.round((parquetRate / copyRate) * 1000) / 1000,
    });
  }
} finally {
  await client.end().catch(() => {});
  await db.close();
  await testDb.drop();
  rmSync(folder, { recursive: true, force: true });
}
