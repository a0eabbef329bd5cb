import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainCases, fillPlant, PLAN_CASES } from '../scripts/query-plans.ts';
import { defaultPlaceholders, migrate, readMigrations } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { type Job, jobs, openTimescalePglite } from './helpers/timescaledb.ts';

/** The TimescaleDB branch of every migration, run by `migrate()` on TimescaleDB 2.23 (PGlite, WebAssembly). */

/** The jobs of each kind, as `relation: value of configKey` pairs, sorted. */
function policies(all: Job[], procName: string, configKey: string): string[] {
  return all
    .filter((j) => j.proc_name === procName)
    .map((j) => `${j.relation}: ${j.config?.[configKey]}`)
    .sort();
}

describe('migrations on TimescaleDB, default settings', () => {
  let db: Database;
  let applied: string[];

  beforeAll(async () => {
    db = await openTimescalePglite();
    ({ applied } = await migrate(db));
  });
  afterAll(() => db?.close());

  it('applies every script, records it, and finds nothing to do the second time', async () => {
    expect(applied).toEqual(readMigrations().map((m) => m.script));
    const [{ version }] = await db.query<{ version: string }>(
      "SELECT extversion AS version FROM pg_extension WHERE extname = 'timescaledb'",
    );
    expect(version).toMatch(/^2\.23\./);
    expect(await db.query('SELECT mantis_timescaledb() AS on')).toEqual([{ on: true }]);
    expect((await migrate(db)).applied).toEqual([]);
  });

  it('makes the time-series tables hypertables, chunked by day, compressed per series', async () => {
    const hypertables = await db.query(
      `SELECT h.hypertable_name AS name, d.column_name AS time_column, d.time_interval::text AS chunk,
              h.compression_enabled AS compressed
       FROM timescaledb_information.hypertables h
       JOIN timescaledb_information.dimensions d USING (hypertable_schema, hypertable_name)
       WHERE h.hypertable_schema = 'public' ORDER BY 1`,
    );
    expect(hypertables).toEqual([
      { name: 'features', time_column: 'window_start', chunk: '1 day', compressed: true },
      { name: 'raw_blocks', time_column: 'ts', chunk: '1 day', compressed: true },
      { name: 'raw_readings', time_column: 'ts', chunk: '1 day', compressed: true },
    ]);
    const settings = await db.query(
      `SELECT hypertable::text AS relation, segmentby, orderby
       FROM timescaledb_information.hypertable_compression_settings
       WHERE hypertable::text IN ('features', 'raw_readings', 'raw_blocks') ORDER BY 1`,
    );
    expect(settings).toEqual([
      { relation: 'features', segmentby: 'asset_id,sensor_id', orderby: 'window_start DESC' },
      { relation: 'raw_blocks', segmentby: 'sensor_id', orderby: 'ts DESC' },
      { relation: 'raw_readings', segmentby: 'sensor_id', orderby: 'ts DESC' },
    ]);
    // No native partitions, roll-up tables or BRIN indexes from the other branch.
    const natives = await db.query(
      `SELECT relname FROM pg_class WHERE relname ~ '_p[0-9]{8}$|_v001$|_time_brin$' OR relkind = 'p'`,
    );
    expect(natives).toEqual([]);
  });

  it('builds the 1 min / 1 h / 1 day roll-ups as a hierarchy of real-time continuous aggregates', async () => {
    const aggregates = await db.query<{ view_name: string; materialized_only: boolean; source: string }>(
      `SELECT c.view_name, c.materialized_only, h.table_name AS source
       FROM timescaledb_information.continuous_aggregates c
       JOIN _timescaledb_catalog.continuous_agg a ON a.user_view_name = c.view_name
       JOIN _timescaledb_catalog.hypertable h ON h.id = a.raw_hypertable_id ORDER BY 1`,
    );
    const materialized = await db.query<{ view: string; name: string }>(
      `SELECT view_name AS view, materialization_hypertable_name AS name
       FROM timescaledb_information.continuous_aggregates`,
    );
    const level = Object.fromEntries(materialized.map((m) => [m.name, m.view]));
    expect(aggregates.map((a) => [a.view_name, a.materialized_only, level[a.source] ?? a.source])).toEqual([
      ['features_1d', false, 'features_1h'],
      ['features_1h', false, 'features_1m'],
      ['features_1m', false, 'features'],
    ]);
    // The API reads the same columns as from the native roll-up tables.
    const columns = await db.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = 'features_1h'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    expect(columns.map((c) => c.name)).toEqual([
      'asset_id',
      'sensor_id',
      'bucket',
      'windows',
      'count',
      'mean',
      'min',
      'max',
      'rms',
      'max_anomaly_score',
      'min_health',
      'velocity_count',
      'velocity_rms',
      'max_velocity_rms',
      'max_severity_zone',
    ]);
  });

  it('sets compression, retention and refresh policies from the default settings', async () => {
    const all = await jobs(db);
    expect(policies(all, 'policy_compression', 'compress_after')).toEqual([
      'features: 7 days',
      'raw_blocks: 7 days',
      'raw_readings: 7 days',
    ]);
    // rollupRetentionDays 0 keeps the 1 h and 1 day roll-ups: no policy on them.
    expect(policies(all, 'policy_retention', 'drop_after')).toEqual([
      'features: 365 days',
      'features_1m: 365 days',
      'raw_blocks: 30 days',
      'raw_readings: 30 days',
    ]);
    const refresh = all
      .filter((j) => j.proc_name === 'policy_refresh_continuous_aggregate')
      .map((j) => [j.relation, j.config?.start_offset, j.config?.end_offset, j.schedule_interval])
      .sort();
    expect(refresh).toEqual([
      ['features_1d', '30 days', '1 day', '06:00:00'],
      ['features_1h', '3 days', '01:00:00', '00:30:00'],
      ['features_1m', '03:00:00', '00:01:00', '00:01:00'],
    ]);
    // The one-off job that materialises the roll-ups re-created by V017 (it replaces V013's).
    expect(all.filter((j) => j.proc_name === 'mantis_materialize_rollups')).toHaveLength(1);
  });

  it('runs no background workers: jobs are scheduled but only run when called', async () => {
    const [{ preload }] = await db.query<{ preload: string }>(
      "SELECT current_setting('shared_preload_libraries') AS preload",
    );
    expect(preload).not.toContain('timescaledb');
    const stats = await db.query<{ total_runs: number | null }>(
      'SELECT total_runs FROM timescaledb_information.job_stats',
    );
    expect(stats.every((s) => !s.total_runs)).toBe(true);
  });
});

describe('R__timeseries_policies.sql with other placeholder values', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTimescalePglite();
    await migrate(db, {
      placeholders: defaultPlaceholders({
        rawRetentionDays: 3,
        featureRetentionDays: 10,
        rollupRetentionDays: 400,
        compressAfterDays: 2,
        chunkHours: 6,
      }),
    });
  });
  afterAll(() => db?.close());

  it('puts each value into the policies and the chunk interval', async () => {
    const all = await jobs(db);
    expect(policies(all, 'policy_compression', 'compress_after')).toEqual([
      'features: 2 days',
      'raw_blocks: 2 days',
      'raw_readings: 2 days',
    ]);
    expect(policies(all, 'policy_retention', 'drop_after')).toEqual([
      'features: 10 days',
      'features_1d: 400 days',
      'features_1h: 400 days',
      'features_1m: 10 days',
      'raw_blocks: 3 days',
      'raw_readings: 3 days',
    ]);
    const chunks = await db.query<{ chunk: string }>(
      `SELECT DISTINCT time_interval::text AS chunk FROM timescaledb_information.dimensions
       WHERE hypertable_name IN ('features', 'raw_readings', 'raw_blocks')`,
    );
    expect(chunks).toEqual([{ chunk: '06:00:00' }]);
  });

  it('runs again when a value changes: 0 removes the compression and roll-up retention policies', async () => {
    await db.exec(`INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std,
      rms, peak_to_peak) VALUES ('a', 'a.s', now() - interval '5 days', now() - interval '5 days', 1, 1, 1, 1, 0, 1, 0)`);
    // A compressed chunk does not stop the compression settings from being set again.
    await db.exec(`SELECT compress_chunk(c) FROM show_chunks('features') c`);
    const report = await migrate(db, {
      placeholders: defaultPlaceholders({ compressAfterDays: 0, rollupRetentionDays: 0, chunkHours: 12 }),
    });
    expect(report.applied).toEqual(['R__timeseries_policies.sql']);
    const all = await jobs(db);
    expect(policies(all, 'policy_compression', 'compress_after')).toEqual([]);
    expect(policies(all, 'policy_retention', 'drop_after')).toEqual([
      'features: 365 days',
      'features_1m: 365 days',
      'raw_blocks: 30 days',
      'raw_readings: 30 days',
    ]);
    expect(all.filter((j) => j.proc_name === 'policy_refresh_continuous_aggregate')).toHaveLength(3);
    const [{ chunk }] = await db.query<{ chunk: string }>(
      "SELECT time_interval::text AS chunk FROM timescaledb_information.dimensions WHERE hypertable_name = 'features'",
    );
    expect(chunk).toBe('12:00:00');
  });
});

describe('the explain-plan queries on TimescaleDB', () => {
  let db: Database;
  let plans: Awaited<ReturnType<typeof explainCases>>;

  beforeAll(async () => {
    db = await openTimescalePglite();
    await migrate(db);
    // Two days of one small plant; the older day's chunk compressed. Raw readings reach back past the export
    // case's range (3 h ago): otherwise, between 00:00 and 03:00 UTC, its day has no chunk to plan.
    expect(await fillPlant(db, { assets: 8, days: 2, rawHours: 4 }, 1)).toBe(8 * 3 * 2 * 8640);
    plans = await explainCases(db);
  }, 120_000);
  afterAll(() => db?.close());

  it('plans every query', () => {
    expect(plans.map((p) => p.planCase)).toEqual(PLAN_CASES);
  });

  it('reads one series through the chunks’ primary-key indexes, and the compressed chunk by segment', () => {
    const [range, latest] = plans.map((p) => p.plan);
    expect(range).toMatch(/ChunkAppend\) on features/);
    expect(range).toMatch(/Index Scan (using|on) "\d+_\d+_features_pkey"/);
    expect(latest).toMatch(/Index Scan Backward using "\d+_\d+_features_pkey"/);
    // The compressed day: decompressed only for the segment (asset, sensor) asked for.
    expect(latest).toMatch(/ColumnarScan\) on _hyper_1_\d+_chunk/);
    expect(latest).toMatch(
      /compress_hyper_\d+_\d+_chunk_asset_id_sensor_id_.*\n\s+Index Cond: \(\(asset_id = s\.asset_id\) AND \(sensor_id = s\.id\)\)/,
    );
  });

  it('reads a roll-up from its materialization and aggregates only the newest buckets in real time', () => {
    const minute = plans[2].plan;
    expect(minute).toMatch(/ChunkAppend\) on _materialized_hypertable_\d+/);
    expect(minute).toMatch(/GroupAggregate[\s\S]*ChunkAppend\) on features/);
  });

  it('ranges over time by the chunks’ time indexes', () => {
    expect(plans[4].plan).toMatch(/_hyper_1_\d+_chunk_features_window_start_idx/);
    expect(plans[5].plan).toMatch(/_hyper_2_\d+_chunk_raw_readings_ts_idx/);
  });
});
