/**
 * The queries that the indexes exist for, a scratch plant to plan them on, and their plans: used by
 * scripts/explain-queries.ts (docs/data-model.md) on PostgreSQL and on TimescaleDB, and by test/timescaledb.test.ts.
 */
import type { Database } from '../src/storage/ports/database.ts';

export interface PlanCase {
  /** The index the query needs (named as on the native-partition schema). */
  index: string;
  /** Who runs the query. */
  use: string;
  sql: string;
  params: unknown[];
}

export interface Scale {
  assets: number;
  /** Days of 10 s feature windows, 3 sensors per asset. */
  days: number;
  /** Hours of 1 Hz raw readings from the first sensor of every asset. */
  rawHours: number;
}

/** What docs/data-model.md describes on PostgreSQL: 9 072 000 feature rows. */
export const FULL_SCALE: Scale = { assets: 50, days: 7, rawHours: 24 };

/**
 * Fills a migrated, empty database with one plant's recent data, ending now. Without TimescaleDB the roll-up
 * tables get synthetic rows (the processor writes them); with it the continuous aggregates are refreshed from
 * the features, and feature chunks older than `compressOlderThanDays` are compressed (0: none).
 * Statement by statement: each stays under a client's query timeout. Returns the number of feature rows.
 */
export async function fillPlant(db: Database, scale: Scale, compressOlderThanDays = 0): Promise<number> {
  const [{ timescale }] = await db.query<{ timescale: boolean }>('SELECT mantis_timescaledb() AS timescale');
  const { assets, days, rawHours } = scale;
  const setup = [
    `INSERT INTO sites VALUES ('plant-1', 'Plant 1', now())`,
    `INSERT INTO lines (id, site_id, name) SELECT 'line-' || i, 'plant-1', 'Line ' || i FROM generate_series(0, 3) i`,
    `INSERT INTO assets (id, site_id, line_id, name, kind)
       SELECT 'a' || i, 'plant-1', 'line-' || (i % 4), 'asset ' || i, 'pump' FROM generate_series(1, ${assets}) i`,
    `INSERT INTO sensors SELECT 'a' || i || '.s' || s, 'a' || i, 'vibration', 'g', 5120, -50, 50
       FROM generate_series(1, ${assets}) i, generate_series(1, 3) s`,
    `SELECT mantis_ensure_partitions(t::regclass, now() - interval '${days + 1} days', now() + interval '1 day')
       FROM unnest(ARRAY['features', 'raw_readings']) t`,
  ];
  for (const statement of setup) await db.exec(statement);
  // A day per statement.
  for (let day = days; day > 0; day--) {
    await db.exec(`INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms, peak_to_peak)
      SELECT 'a' || i, 'a' || i || '.s' || s, t, t + interval '10 seconds', 10, 1, 0, 2, 0.5, 1.1, 2
      FROM generate_series(1, ${assets}) i, generate_series(1, 3) s,
           generate_series(now() - interval '${day} days', now() - interval '${day - 1} days' - interval '1 microsecond',
                           interval '10 seconds') t`);
  }
  if (timescale) {
    // Outside a transaction block, one level after the other.
    for (const view of ['features_1m', 'features_1h', 'features_1d']) {
      await db.exec(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
    }
    if (compressOlderThanDays > 0) {
      await db.exec(`SELECT compress_chunk(c)
        FROM show_chunks('features', older_than => interval '${compressOlderThanDays} days') c`);
    }
  } else {
    await db.exec(`INSERT INTO features_1m SELECT 'a' || i, 'a' || i || '.s' || s, b, 6, 60, 1, 0, 2, 1.1, 0.5, 95
      FROM generate_series(1, ${assets}) i, generate_series(1, 3) s,
           generate_series(date_bin('1 minute', now() - interval '${days} days', 'epoch'), now(), interval '1 minute') b`);
    await db.exec(`INSERT INTO features_1h SELECT 'a' || i, 'a' || i || '.s' || s, b, 360, 3600, 1, 0, 2, 1.1, 0.5, 95
      FROM generate_series(1, ${assets}) i, generate_series(1, 3) s,
           generate_series(date_bin('1 hour', now() - interval '${days} days', 'epoch'), now(), interval '1 hour') b`);
  }
  const rest = [
    `INSERT INTO raw_readings SELECT 'a' || i || '.s1', t, 1
       FROM generate_series(1, ${assets}) i, generate_series(now() - interval '${rawHours} hours', now(), interval '1 second') t`,
    `INSERT INTO alerts SELECT 'alr' || n, 'a' || (n % 5), 'a' || (n % 5) || '.s1', 'vibration-anomaly', 'warning',
       CASE WHEN n % 10 = 0 THEN 'active' ELSE 'resolved' END, 30, 9, 'm', now() - n * interval '1 hour', NULL
       FROM generate_series(1, 2000) n`,
    `INSERT INTO work_orders SELECT 'wo' || n, 'a' || (n % 5), 'a' || (n % 5) || '.s1', 'vibration-anomaly', 'alr' || n, 't',
       'high', CASE WHEN n <= 5 THEN 'open' ELSE 'done' END, now() - n * interval '1 hour', now() FROM generate_series(1, 2000) n`,
    `INSERT INTO work_order_events SELECT 'wo' || n, e, 'open', 'assigned', 'ana', 'api-token', NULL, now()
       FROM generate_series(1, 2000) n, generate_series(1, 3) e`,
    'ANALYZE',
  ];
  for (const statement of rest) await db.exec(statement);
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM features');
  return n;
}

export const PLAN_CASES: PlanCase[] = [
  {
    index: 'features_pkey (asset_id, sensor_id, window_start)',
    use: 'GET /v1/assets/{id}/features?sensor=&from=&to= — one sensor, one hour',
    sql: `SELECT * FROM features WHERE asset_id = $1 AND ($2::text IS NULL OR sensor_id = $2)
         AND window_start >= now() - interval '1 hour' AND window_start < now() ORDER BY window_start, sensor_id LIMIT 1000`,
    params: ['a7', 'a7.s2'],
  },
  {
    index: 'features_pkey (asset_id, sensor_id, window_start)',
    use: "GET /v1/assets/{id} — each sensor's latest window (api target without the online store)",
    sql: `SELECT f.* FROM sensors s CROSS JOIN LATERAL (
         SELECT * FROM features WHERE asset_id = s.asset_id AND sensor_id = s.id ORDER BY window_start DESC LIMIT 1
       ) f WHERE s.asset_id = $1`,
    params: ['a7'],
  },
  {
    index: 'features_1m_pkey (asset_id, sensor_id, bucket)',
    use: 'GET /v1/assets/{id}/features?resolution=1m — one sensor, one day of 1 min roll-ups',
    sql: `SELECT * FROM features_1m WHERE asset_id = $1 AND ($2::text IS NULL OR sensor_id = $2)
         AND bucket >= now() - interval '1 day' AND bucket < now() ORDER BY bucket, sensor_id LIMIT 10000`,
    params: ['a7', 'a7.s2'],
  },
  {
    index: 'features_1h_pkey (asset_id, sensor_id, bucket); features_1d_pkey likewise',
    use: 'GET /v1/assets/{id}/features?resolution=1h — every sensor of an asset, a week of 1 h roll-ups',
    sql: `SELECT * FROM features_1h WHERE asset_id = $1 AND ($2::text IS NULL OR sensor_id = $2)
         AND bucket >= now() - interval '7 days' AND bucket < now() ORDER BY bucket, sensor_id LIMIT 10000`,
    params: ['a7', null],
  },
  {
    index: 'features_time_brin USING brin (window_start), on each daily partition',
    use: 'GET /v1/export/features — every series, one hour',
    sql: `SELECT * FROM features WHERE window_start >= now() - interval '3 hours' AND window_start < now() - interval '2 hours'
         ORDER BY window_start, asset_id, sensor_id LIMIT 100000`,
    params: [],
  },
  {
    index: 'raw_readings_time_brin USING brin (ts), on each daily partition',
    use: 'GET /v1/export/readings — every sensor, ten minutes',
    sql: `SELECT * FROM raw_readings WHERE ts >= now() - interval '3 hours' AND ts < now() - interval '2 hours 50 minutes'
         ORDER BY ts, sensor_id LIMIT 100000`,
    params: [],
  },
  {
    index: 'alerts_page_idx (raised_at DESC, id DESC)',
    use: 'GET /v1/alerts — newest first, the page after a cursor',
    sql: `SELECT * FROM alerts WHERE ($1::text IS NULL OR asset_id = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR (raised_at, id) < (to_timestamp($3::bigint / 1000000.0), $4::text))
         ORDER BY raised_at DESC, id DESC LIMIT 101`,
    params: [null, null, String((Date.now() - 100 * 3_600_000) * 1000), 'alr100'],
  },
  {
    index: "alerts_active_idx (asset_id, sensor_id) WHERE status = 'active'",
    use: 'processor start-up — the active alerts it restores',
    sql: `SELECT * FROM alerts WHERE status = 'active'`,
    params: [],
  },
  {
    index: 'work_orders_page_idx (created_at DESC, id DESC)',
    use: 'GET /v1/work-orders — newest first, the first page',
    sql: `SELECT * FROM work_orders WHERE ($1::text IS NULL OR asset_id = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR (created_at, id) < (to_timestamp($3::bigint / 1000000.0), $4::text))
         ORDER BY created_at DESC, id DESC LIMIT 101`,
    params: [null, null, null, null],
  },
  {
    index:
      'work_orders_one_open_idx (asset_id, sensor_id, cause) WHERE status IN (open, assigned, in_progress)',
    use: 'processor — opening a work order unless one is open (ON CONFLICT arbiter)',
    sql: `SELECT id FROM work_orders WHERE asset_id = $1 AND sensor_id = $2 AND cause = $3
         AND status IN ('open', 'assigned', 'in_progress')`,
    params: ['a1', 'a1.s1', 'vibration-anomaly'],
  },
  {
    index: 'work_order_events_pkey (work_order_id, seq)',
    use: 'GET /v1/work-orders/{id} — the history of one order',
    sql: 'SELECT * FROM work_order_events WHERE work_order_id = $1 ORDER BY seq',
    params: ['wo7'],
  },
  {
    index: 'sensors_asset_idx (asset_id)',
    use: 'GET /v1/assets/{id} — its sensors',
    sql: 'SELECT * FROM sensors WHERE asset_id = $1 ORDER BY id',
    params: ['a7'],
  },
];

/** Each case's plan (EXPLAIN, for the actual parameter values), one line per plan node. */
export async function explainCases(
  db: Database,
  cases: PlanCase[] = PLAN_CASES,
): Promise<{ planCase: PlanCase; plan: string }[]> {
  await db.exec('SET plan_cache_mode = force_custom_plan');
  const plans: { planCase: PlanCase; plan: string }[] = [];
  for (const planCase of cases) {
    const rows = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${planCase.sql}`, planCase.params);
    plans.push({ planCase, plan: rows.map((p) => p['QUERY PLAN']).join('\n') });
  }
  return plans;
}

/** One markdown section per plan, under `level` headings. */
export function planSections(plans: { planCase: PlanCase; plan: string }[], level = '###'): string {
  return plans
    .map(
      ({ planCase: { index, use, sql }, plan }) =>
        `${level} ${index}\n\n${use}\n\n\`\`\`sql\n${sql.replace(/\n\s+/g, '\n  ')}\n\`\`\`\n\n\`\`\`\n${plan}\n\`\`\`\n`,
    )
    .join('\n');
}
