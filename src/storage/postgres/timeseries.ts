import type { SampleBlock, ScalarReading, WindowDiagnostics, WindowFeatures } from '../../domain/types.ts';
import type { Queryable, Transaction } from '../ports/database.ts';
import type { FeatureQuery, Resolution, RollupPoint } from '../ports/feature-reader.ts';
import { EPOCH_MS, lastByKey, storedMicros, storedTimestampText } from './instants.ts';

export type { FeatureQuery, Resolution, RollupPoint };

/**
 * Batched, idempotent time-series writes. One statement per batch: unnest() of column arrays keeps
 * the parameter count fixed whatever the batch size. Rows repeated in a batch, or whose times are equal once
 * rounded to the column's microseconds, are folded first (the last one wins), because ON CONFLICT DO UPDATE
 * may touch a row only once per statement.
 */

const UNIQUE_VIOLATION = '23505';

/** COPY pays off from a few hundred rows; below, one unnest() statement is as fast. */
const COPY_FROM_ROWS = 200;

/** A text-format COPY field: backslash, tab and line breaks escaped. */
function copyText(value: string): string {
  return value.replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] as string,
  );
}

export async function writeRawReadings(
  db: Transaction | Queryable,
  readings: ScalarReading[],
): Promise<void> {
  if (readings.length === 0) return;
  const rows = lastByKey(readings, (r) => `${r.sensorId}\u0000${storedMicros(r.ts)}`);
  if ('copyFrom' in db && db.copyFrom && rows.length >= COPY_FROM_ROWS) {
    const text = rows
      .map((r) => `${copyText(r.sensorId)}\t${storedTimestampText(r.ts)}\t${r.value}\n`)
      .join('');
    // Readings are new but for replays: COPY straight into the table, and only when a row is already
    // there (unique violation) redo the batch as an upsert through a staging table.
    await db.exec('SAVEPOINT raw_copy');
    try {
      await db.copyFrom('COPY raw_readings (sensor_id, ts, value) FROM STDIN', text);
      await db.exec('RELEASE SAVEPOINT raw_copy');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await db.exec('ROLLBACK TO SAVEPOINT raw_copy');
    }
    await db.exec(
      `CREATE TEMP TABLE IF NOT EXISTS raw_readings_stage
         (sensor_id text, ts timestamptz, value double precision) ON COMMIT DELETE ROWS`,
    );
    await db.copyFrom('COPY raw_readings_stage (sensor_id, ts, value) FROM STDIN', text);
    await db.exec(
      `INSERT INTO raw_readings (sensor_id, ts, value) SELECT sensor_id, ts, value FROM raw_readings_stage
       ON CONFLICT (sensor_id, ts) DO UPDATE SET value = EXCLUDED.value`,
    );
    return;
  }
  await db.query(
    `INSERT INTO raw_readings (sensor_id, ts, value)
     SELECT s, to_timestamp(t / 1000.0), v FROM unnest($1::text[], $2::float8[], $3::float8[]) AS u(s, t, v)
     ON CONFLICT (sensor_id, ts) DO UPDATE SET value = EXCLUDED.value`,
    [rows.map((r) => r.sensorId), rows.map((r) => r.ts), rows.map((r) => r.value)],
  );
}

function float32Bytes(values: number[]): Buffer {
  const samples = Float32Array.from(values);
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

export async function writeRawBlocks(db: Queryable, blocks: SampleBlock[]): Promise<void> {
  if (blocks.length === 0) return;
  const rows = lastByKey(blocks, (b) => `${b.sensorId}\u0000${storedMicros(b.ts)}`);
  await db.query(
    `INSERT INTO raw_blocks (sensor_id, ts, rate_hz, samples)
     SELECT s, to_timestamp(t / 1000.0), r, b FROM unnest($1::text[], $2::float8[], $3::float8[], $4::bytea[])
       AS u(s, t, r, b)
     ON CONFLICT (sensor_id, ts) DO UPDATE SET rate_hz = EXCLUDED.rate_hz, samples = EXCLUDED.samples`,
    [
      rows.map((b) => b.sensorId),
      rows.map((b) => b.ts),
      rows.map((b) => b.rateHz),
      rows.map((b) => float32Bytes(b.values)),
    ],
  );
}

type Column = readonly [name: string, type: string, get: (f: WindowFeatures) => string | number | null];

const FEATURE_COLUMNS: readonly Column[] = [
  ['asset_id', 'text', (f) => f.assetId],
  ['sensor_id', 'text', (f) => f.sensorId],
  ['window_start', 'float8', (f) => f.windowStart],
  ['window_end', 'float8', (f) => f.windowEnd],
  ['count', 'int4', (f) => f.count],
  ['mean', 'float8', (f) => f.mean],
  ['min', 'float8', (f) => f.min],
  ['max', 'float8', (f) => f.max],
  ['std', 'float8', (f) => f.std],
  ['rms', 'float8', (f) => f.rms],
  ['peak_to_peak', 'float8', (f) => f.peakToPeak],
  ['crest_factor', 'float8', (f) => f.crestFactor],
  ['skewness', 'float8', (f) => f.skewness],
  ['kurtosis', 'float8', (f) => f.kurtosis],
  ['dominant_hz', 'float8', (f) => f.dominantHz],
  // A 2-D array would flatten in unnest(); each row's bands travel as an array literal instead.
  ['band_energies', 'text', (f) => (f.bandEnergies ? `{${f.bandEnergies.join(',')}}` : null)],
  ['anomaly_score', 'float8', (f) => f.anomalyScore],
  ['health', 'float8', (f) => f.health],
  ['velocity_rms', 'float8', (f) => f.velocityRms ?? null],
  ['severity_zone', 'text', (f) => f.severityZone ?? null],
  // JSON travels as text, cast to jsonb in the SELECT.
  ['diagnostics', 'text', (f) => (f.diagnostics ? JSON.stringify(f.diagnostics) : null)],
];

const TIME_COLUMNS = new Set(['window_start', 'window_end']);
const CASTS: Record<string, string> = { band_energies: '::float8[]', diagnostics: '::jsonb' };
const selectList = FEATURE_COLUMNS.map(([name]) =>
  TIME_COLUMNS.has(name) ? `to_timestamp(${name} / 1000.0)` : `${name}${CASTS[name] ?? ''}`,
).join(', ');
const columnList = FEATURE_COLUMNS.map(([name]) => name).join(', ');
const unnestList = FEATURE_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
const updateList = FEATURE_COLUMNS.slice(3)
  .map(([name]) => `${name} = EXCLUDED.${name}`)
  .join(', ');

const UPSERT_FEATURES = `INSERT INTO features (${columnList})
  SELECT ${selectList} FROM unnest(${unnestList}) AS u(${columnList})
  ON CONFLICT (asset_id, sensor_id, window_start) DO UPDATE SET ${updateList}, computed_at = now()`;

export async function upsertFeatures(db: Queryable, features: WindowFeatures[]): Promise<void> {
  if (features.length === 0) return;
  const rows = lastByKey(
    features,
    (f) => `${f.assetId}\u0000${f.sensorId}\u0000${storedMicros(f.windowStart)}`,
  );
  await db.query(
    UPSERT_FEATURES,
    FEATURE_COLUMNS.map(([, , get]) => rows.map(get)),
  );
  // Native roll-ups in the same transaction; a no-op under TimescaleDB, whose continuous aggregates do it.
  await db.query(
    `SELECT mantis_refresh_rollups($1::text[], $2::text[],
       ARRAY(SELECT to_timestamp(t / 1000.0) FROM unnest($3::float8[]) AS u(t)))`,
    [rows.map((f) => f.assetId), rows.map((f) => f.sensorId), rows.map((f) => f.windowStart)],
  );
}

export async function saveProgress(db: Queryable, closedUntil: Map<string, [string, string, number]>) {
  if (closedUntil.size === 0) return;
  const rows = [...closedUntil.values()];
  await db.query(
    `INSERT INTO window_progress (asset_id, sensor_id, closed_until)
     SELECT a, s, to_timestamp(t / 1000.0) FROM unnest($1::text[], $2::text[], $3::float8[]) AS u(a, s, t)
     ON CONFLICT (asset_id, sensor_id) DO UPDATE
       SET closed_until = greatest(window_progress.closed_until, EXCLUDED.closed_until)`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
}

export async function loadProgress(
  db: Queryable,
): Promise<{ assetId: string; sensorId: string; closedUntil: number }[]> {
  const rows = await db.query<{ asset_id: string; sensor_id: string; closed_until: Date }>(
    'SELECT asset_id, sensor_id, closed_until FROM window_progress',
  );
  return rows.map((r) => ({
    assetId: r.asset_id,
    sensorId: r.sensor_id,
    closedUntil: r.closed_until.getTime(),
  }));
}

interface FeatureRow {
  asset_id: string;
  sensor_id: string;
  window_start: Date;
  window_end: Date;
  count: number;
  mean: number;
  min: number;
  max: number;
  std: number;
  rms: number;
  peak_to_peak: number;
  crest_factor: number | null;
  skewness: number | null;
  kurtosis: number | null;
  dominant_hz: number | null;
  band_energies: number[] | null;
  anomaly_score: number | null;
  health: number | null;
  velocity_rms: number | null;
  severity_zone: string | null;
  diagnostics: WindowDiagnostics | null;
}

export function toFeatures(r: FeatureRow): WindowFeatures {
  return {
    assetId: r.asset_id,
    sensorId: r.sensor_id,
    windowStart: r.window_start.getTime(),
    windowEnd: r.window_end.getTime(),
    count: r.count,
    mean: r.mean,
    min: r.min,
    max: r.max,
    std: r.std,
    rms: r.rms,
    peakToPeak: r.peak_to_peak,
    crestFactor: r.crest_factor,
    skewness: r.skewness,
    kurtosis: r.kurtosis,
    dominantHz: r.dominant_hz,
    bandEnergies: r.band_energies,
    anomalyScore: r.anomaly_score,
    health: r.health,
    velocityRms: r.velocity_rms ?? null,
    severityZone: (r.severity_zone as WindowFeatures['severityZone']) ?? null,
    diagnostics: r.diagnostics ?? null,
  };
}

export async function queryFeatures(db: Queryable, q: FeatureQuery): Promise<WindowFeatures[]> {
  const rows = await db.query<FeatureRow>(
    `SELECT * FROM features
     WHERE asset_id = $1 AND ($2::text IS NULL OR sensor_id = $2)
       AND window_start >= to_timestamp($3 / 1000.0) AND window_start < to_timestamp($4 / 1000.0)
     ORDER BY window_start, sensor_id LIMIT $5`,
    [q.assetId, q.sensorId ?? null, q.from, q.to, q.limit],
  );
  return rows.map(toFeatures);
}

/** What the scorer needs back after a restart: each series' first windows and its latest one. */
export async function loadScoringHistory(db: Queryable, baselineWindows: number) {
  // Per series (window_progress lists every series with stored windows), a few rows by primary key:
  // the cost does not grow with the months of history kept.
  const first = await db.query<FeatureRow>(
    `SELECT f.* FROM window_progress p CROSS JOIN LATERAL (
       SELECT * FROM features WHERE asset_id = p.asset_id AND sensor_id = p.sensor_id
       ORDER BY window_start LIMIT $1
     ) f ORDER BY f.asset_id, f.sensor_id, f.window_start`,
    [baselineWindows],
  );
  const latest = await db.query<FeatureRow>(
    `SELECT f.* FROM window_progress p CROSS JOIN LATERAL (
       SELECT * FROM features WHERE asset_id = p.asset_id AND sensor_id = p.sensor_id
       ORDER BY window_start DESC LIMIT 1
     ) f`,
  );
  return { first: first.map(toFeatures), latest: latest.map(toFeatures) };
}

/** Each sensor's latest window of one asset, by sensor id. */
export async function latestFeatures(
  db: Queryable,
  assetId: string,
): Promise<Record<string, WindowFeatures>> {
  // One backward index probe per sensor: DISTINCT ON would read every window of the asset.
  const rows = await db.query<FeatureRow>(
    `SELECT f.* FROM sensors s CROSS JOIN LATERAL (
       SELECT * FROM features WHERE asset_id = s.asset_id AND sensor_id = s.id ORDER BY window_start DESC LIMIT 1
     ) f WHERE s.asset_id = $1`,
    [assetId],
  );
  return Object.fromEntries(rows.map((r) => [r.sensor_id, toFeatures(r)]));
}

const ROLLUP_TABLES: Record<Resolution, string> = {
  '1m': 'features_1m',
  '1h': 'features_1h',
  '1d': 'features_1d',
};

/**
 * One asset's roll-up buckets over a time range (roll-up tables, or continuous aggregates under TimescaleDB),
 * with the velocity severity of V017; its weight column velocity_count stays internal.
 */
export async function queryRollups(
  db: Queryable,
  q: FeatureQuery & { resolution: Resolution },
): Promise<RollupPoint[]> {
  const rows = await db.query<{
    asset_id: string;
    sensor_id: string;
    bucket: Date;
    windows: number;
    count: string;
    mean: number | null;
    min: number | null;
    max: number | null;
    rms: number | null;
    max_anomaly_score: number | null;
    min_health: number | null;
    velocity_rms: number | null;
    max_velocity_rms: number | null;
    max_severity_zone: string | null;
  }>(
    `SELECT * FROM ${ROLLUP_TABLES[q.resolution]}
     WHERE asset_id = $1 AND ($2::text IS NULL OR sensor_id = $2)
       AND bucket >= to_timestamp($3 / 1000.0) AND bucket < to_timestamp($4 / 1000.0)
     ORDER BY bucket, sensor_id LIMIT $5`,
    [q.assetId, q.sensorId ?? null, q.from, q.to, q.limit],
  );
  return rows.map((r) => ({
    assetId: r.asset_id,
    sensorId: r.sensor_id,
    bucket: r.bucket.getTime(),
    windows: r.windows,
    count: Number(r.count),
    mean: r.mean,
    min: r.min,
    max: r.max,
    rms: r.rms,
    maxAnomalyScore: r.max_anomaly_score,
    minHealth: r.min_health,
    velocityRms: r.velocity_rms,
    maxVelocityRms: r.max_velocity_rms,
    maxSeverityZone: r.max_severity_zone as RollupPoint['maxSeverityZone'],
  }));
}

/** Every series' windows in a time range, oldest first: the fleet-wide export. */
export async function exportFeatures(db: Queryable, from: number, to: number, limit: number) {
  const rows = await db.query<FeatureRow>(
    `SELECT * FROM features WHERE window_start >= to_timestamp($1 / 1000.0) AND window_start < to_timestamp($2 / 1000.0)
     ORDER BY window_start, asset_id, sensor_id LIMIT $3`,
    [from, to, limit],
  );
  return rows.map(toFeatures);
}

/** Every sensor's raw scalar readings in a time range, oldest first; with `sensorIds`, only theirs. */
export async function exportReadings(
  db: Queryable,
  from: number,
  to: number,
  limit: number,
  sensorIds?: readonly string[],
) {
  const rows = await db.query<{ sensor_id: string; ms: number; value: number }>(
    `SELECT sensor_id, ${EPOCH_MS} AS ms, value FROM raw_readings
     WHERE ts >= to_timestamp($1 / 1000.0) AND ts < to_timestamp($2 / 1000.0)
       AND ($4::text[] IS NULL OR sensor_id = ANY($4::text[]))
     ORDER BY ts, sensor_id LIMIT $3`,
    [from, to, limit, sensorIds ? [...sensorIds] : null],
  );
  return rows.map((r) => ({ sensorId: r.sensor_id, ts: r.ms, value: r.value }));
}
