/**
 * The embedded path, W1: HTTP → memory bus → windows and features → PGlite, with the load generator
 * in a separate process. Beside it, in the same run, the ceiling: PGlite's own multi-row INSERT of
 * the same raw rows. Prints one JSON object per measure.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MantisApp } from '../src/app/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { migrate } from '../src/storage/migrate.ts';
import { ensurePartitions } from '../src/storage/postgres/partitions.ts';
import { openPglite } from '../src/storage/postgres/pglite.ts';
import { tempDataDir } from '../test/helpers/app.ts';
import { emit, env, histogramQuantile, median, registerW1Fleet } from './lib.ts';

const run = promisify(execFile);
const repeats = env('BENCH_REPEAT', 3);
const seconds = env('BENCH_SECONDS', 10);
const concurrency = env('BENCH_CONCURRENCY', 4);
const loadScript = fileURLToPath(new URL('./load.ts', import.meta.url));

async function once(format: 'json' | 'ndjson') {
  const config = loadConfig({
    env: {},
    overrides: { dataDir: tempDataDir(), 'http.port': 0, 'log.level': 'error' },
  });
  const app = await MantisApp.start(config);
  await registerW1Fleet(app.url, app.token);
  const db = app.services.db;
  if (!db) throw new Error('no database');
  const t0 = Date.now() - 3_600_000;
  const started = Date.now();
  const { stdout } = await run(process.execPath, [
    loadScript,
    app.url,
    app.token,
    format,
    String(seconds),
    String(concurrency),
    String(t0),
  ]);
  const load = JSON.parse(stdout) as { accepted: number; retries: number };
  // Sustained means stored: wait until every accepted reading is in the raw table.
  for (;;) {
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_readings');
    if (n >= load.accepted) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const elapsed = (Date.now() - started) / 1000;
  const metrics = await app.metrics.registry.metrics();
  const result = {
    readingsPerSecond: load.accepted / elapsed,
    p50: histogramQuantile(metrics, 'mantis_pipeline_ingest_to_stored_seconds', 0.5),
    p99: histogramQuantile(metrics, 'mantis_pipeline_ingest_to_stored_seconds', 0.99),
    retries: load.retries,
    accepted: load.accepted,
  };
  await app.stop();
  return result;
}

/** PGlite's own multi-row INSERT of W1 raw rows, 500 per statement: the embedded write ceiling. */
async function pgliteCeiling(rows: number): Promise<number> {
  const db = await openPglite('pglite://memory');
  await migrate(db);
  const values = Array.from(
    { length: 500 },
    (_, i) => `($${3 * i + 1}, to_timestamp($${3 * i + 2}::float8 / 1000), $${3 * i + 3})`,
  ).join(', ');
  const sql = `INSERT INTO raw_readings (sensor_id, ts, value) VALUES ${values}`;
  const t0 = Date.now() - 3_600_000;
  await ensurePartitions(db, { raw_readings: [t0, t0 + rows / 10] });
  const started = performance.now();
  for (let n = 0; n < rows; n += 500) {
    const params: unknown[] = [];
    for (let i = 0; i < 500; i++) {
      const s = (n + i) % 10_000;
      params.push(`a${Math.floor(s / 10)}.s${s % 10}`, t0 + Math.floor((n + i) / 10_000) * 1000, Math.sin(s));
    }
    await db.query(sql, params);
  }
  const rate = rows / ((performance.now() - started) / 1000);
  await db.close();
  return rate;
}

const formats = (process.env.BENCH_FORMATS ?? 'json,ndjson').split(',') as ('json' | 'ndjson')[];
for (const format of formats) {
  const runs = [];
  for (let r = 0; r < repeats; r++) runs.push(await once(format));
  const ceilings = [];
  for (let r = 0; r < repeats; r++) ceilings.push(await pgliteCeiling(200_000));
  const rate = median(runs.map((r) => r.readingsPerSecond));
  const ceiling = median(ceilings);
  emit({
    bench: 'pipeline-embedded',
    workload: `W1 scalar fleet, HTTP ${format.toUpperCase()} batches of 500 → memory bus → features → PGlite`,
    repeats,
    secondsPerRun: seconds,
    readingsPerSecond: Math.round(rate),
    ingestToStoredSeconds: {
      p50: Number(median(runs.map((r) => r.p50)).toFixed(3)),
      p99: Number(median(runs.map((r) => r.p99)).toFixed(3)),
    },
    ceiling: {
      name: 'PGlite multi-row INSERT of the same raw rows, 500 per statement',
      rowsPerSecond: Math.round(ceiling),
    },
    ratio: Number((rate / ceiling).toFixed(3)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    runs: runs.map((r) => Math.round(r.readingsPerSecond)),
  });
}
