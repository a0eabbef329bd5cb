import type { KeyValue, SchemaElement } from 'hyparquet';
import type { Sensor, WindowFeatures } from '../domain/types.ts';
import type { RollupPoint } from '../storage/ports/feature-reader.ts';
import type { StoredReading } from '../storage/ports/raw-store.ts';

/**
 * The columns of the exported Parquet files: each one's Parquet type, whether it may be null, its unit and
 * what it holds. Units that depend on the sensor ("sensor unit") are listed per sensor in the file's
 * `mantis.sensors` metadata.
 */

/** Column types: STRING (UTF-8), TIMESTAMP (int64 ms since the epoch, UTC), DOUBLE, INT32, INT64, a
 * LIST of DOUBLE, or JSON text. */
export type ColumnType = 'STRING' | 'TIMESTAMP' | 'DOUBLE' | 'INT32' | 'INT64' | 'DOUBLE_LIST' | 'JSON';

export interface ColumnSpec<T> {
  name: string;
  type: ColumnType;
  /** false: the column may hold nulls. */
  required: boolean;
  unit: string;
  description: string;
  value: (row: T) => unknown;
}

const SENSOR_UNIT = 'sensor unit';
const col = <T>(
  name: string,
  type: ColumnType,
  required: boolean,
  unit: string,
  description: string,
  value: (row: T) => unknown,
): ColumnSpec<T> => ({ name, type, required, unit, description, value });

/** A stored window of one sensor (resolution `window`): the features table. */
export const WINDOW_COLUMNS: ColumnSpec<WindowFeatures>[] = [
  col('asset_id', 'STRING', true, '', 'asset', (f) => f.assetId),
  col('sensor_id', 'STRING', true, '', 'sensor', (f) => f.sensorId),
  col('window_start', 'TIMESTAMP', true, 'UTC', 'start of the window (inclusive)', (f) => f.windowStart),
  col('window_end', 'TIMESTAMP', true, 'UTC', 'end of the window (exclusive)', (f) => f.windowEnd),
  col('count', 'INT32', true, 'samples', 'values in the window', (f) => f.count),
  col('mean', 'DOUBLE', true, SENSOR_UNIT, 'arithmetic mean', (f) => f.mean),
  col('min', 'DOUBLE', true, SENSOR_UNIT, 'smallest value', (f) => f.min),
  col('max', 'DOUBLE', true, SENSOR_UNIT, 'largest value', (f) => f.max),
  col('std', 'DOUBLE', true, SENSOR_UNIT, 'population standard deviation', (f) => f.std),
  col('rms', 'DOUBLE', true, SENSOR_UNIT, 'root mean square', (f) => f.rms),
  col('peak_to_peak', 'DOUBLE', true, SENSOR_UNIT, 'max − min', (f) => f.peakToPeak),
  col('crest_factor', 'DOUBLE', false, '1', 'peak / rms; null for a flat signal', (f) => f.crestFactor),
  col('skewness', 'DOUBLE', false, '1', 'third standardised moment', (f) => f.skewness),
  col(
    'kurtosis',
    'DOUBLE',
    false,
    '1',
    "Pearson's kurtosis (3 for a normal distribution)",
    (f) => f.kurtosis,
  ),
  col(
    'dominant_hz',
    'DOUBLE',
    false,
    'Hz',
    'strongest spectral line (sample blocks only)',
    (f) => f.dominantHz,
  ),
  col(
    'band_energies',
    'DOUBLE_LIST',
    false,
    `${SENSOR_UNIT}²`,
    'spectral power per band of pipeline.bandEdgesHz (sample blocks only)',
    (f) => f.bandEnergies,
  ),
  col(
    'anomaly_score',
    'DOUBLE',
    false,
    '1',
    'largest robust z-score against the baseline',
    (f) => f.anomalyScore,
  ),
  col('health', 'DOUBLE', false, '0–100', 'smoothed health score, 100 healthy', (f) => f.health),
  col(
    'velocity_rms',
    'DOUBLE',
    false,
    'mm/s',
    'r.m.s. velocity, 10–1000 Hz (ISO 20816-3)',
    (f) => f.velocityRms ?? null,
  ),
  col(
    'severity_zone',
    'STRING',
    false,
    '',
    'ISO 20816-3 zone, A (new) to D (damage likely)',
    (f) => f.severityZone ?? null,
  ),
  col(
    'diagnostics',
    'JSON',
    false,
    '',
    'speed, envelope levels and named faults',
    (f) => f.diagnostics ?? null,
  ),
];

/** A roll-up bucket of one sensor (resolutions 1m, 1h, 1d). */
export const ROLLUP_COLUMNS: ColumnSpec<RollupPoint>[] = [
  col('asset_id', 'STRING', true, '', 'asset', (r) => r.assetId),
  col('sensor_id', 'STRING', true, '', 'sensor', (r) => r.sensorId),
  col('bucket', 'TIMESTAMP', true, 'UTC', 'start of the bucket (inclusive)', (r) => r.bucket),
  col('windows', 'INT32', true, 'windows', 'windows in the bucket', (r) => r.windows),
  col('count', 'INT64', true, 'samples', 'values in the bucket', (r) => BigInt(r.count)),
  col('mean', 'DOUBLE', false, SENSOR_UNIT, 'mean of the windows, weighted by count', (r) => r.mean),
  col('min', 'DOUBLE', false, SENSOR_UNIT, 'smallest value', (r) => r.min),
  col('max', 'DOUBLE', false, SENSOR_UNIT, 'largest value', (r) => r.max),
  col('rms', 'DOUBLE', false, SENSOR_UNIT, 'root mean square, weighted by count', (r) => r.rms),
  col('max_anomaly_score', 'DOUBLE', false, '1', 'largest window anomaly score', (r) => r.maxAnomalyScore),
  col('min_health', 'DOUBLE', false, '0–100', 'lowest window health', (r) => r.minHealth),
  col(
    'velocity_rms',
    'DOUBLE',
    false,
    'mm/s',
    'r.m.s. velocity over the windows (ISO 20816-3)',
    (r) => r.velocityRms,
  ),
  col(
    'max_velocity_rms',
    'DOUBLE',
    false,
    'mm/s',
    "largest window's r.m.s. velocity",
    (r) => r.maxVelocityRms,
  ),
  col('max_severity_zone', 'STRING', false, '', 'worst ISO 20816-3 zone', (r) => r.maxSeverityZone),
];

/** A raw scalar reading; the asset is the partition's (the raw store keeps readings by sensor). */
export const readingColumns = (assetId: string): ColumnSpec<StoredReading>[] => [
  col('asset_id', 'STRING', true, '', 'asset', () => assetId),
  col('sensor_id', 'STRING', true, '', 'sensor', (r) => r.sensorId),
  col('ts', 'TIMESTAMP', true, 'UTC', 'time of the reading', (r) => r.ts),
  col('value', 'DOUBLE', true, SENSOR_UNIT, 'the value as received', (r) => r.value),
];

const STRING = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const;
const LEAF: Record<Exclude<ColumnType, 'DOUBLE_LIST'>, Omit<SchemaElement, 'name'>> = {
  STRING,
  JSON: { type: 'BYTE_ARRAY', converted_type: 'JSON', logical_type: { type: 'JSON' } },
  TIMESTAMP: {
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  },
  DOUBLE: { type: 'DOUBLE' },
  INT32: { type: 'INT32' },
  INT64: { type: 'INT64' },
};

/**
 * The Parquet schema of the columns: a flat root; a DOUBLE_LIST is the standard three-level LIST
 * (`<name>.list.element`) of the Parquet format's LogicalTypes.md, which every reader maps to list<double>.
 */
export function parquetSchema(columns: ColumnSpec<never>[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }];
  for (const c of columns) {
    const repetition_type = c.required ? 'REQUIRED' : 'OPTIONAL';
    if (c.type === 'DOUBLE_LIST') {
      schema.push(
        {
          name: c.name,
          repetition_type,
          num_children: 1,
          converted_type: 'LIST',
          logical_type: { type: 'LIST' },
        },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', repetition_type: 'REQUIRED', type: 'DOUBLE' },
      );
    } else schema.push({ name: c.name, repetition_type, ...LEAF[c.type] });
  }
  return schema;
}

/** What a file's key/value metadata says besides its columns. */
export interface FileFacts {
  dataset: 'features' | 'readings';
  /** features only: window, 1m, 1h or 1d. */
  resolution?: string;
  assetId: string;
  /** YYYY-MM-DD, UTC. */
  date: string;
  /** The part of the export's range this file covers, epoch ms, [from, to). */
  from: number;
  to: number;
  rows: number;
  /** Where the rows were read: `features table`, `raw store (influxdb)`… */
  source: string;
  /** The asset's sensors (retired ones too), for the units of their values. */
  sensors: Pick<Sensor, 'id' | 'kind' | 'unit'>[];
  version: string;
}

/**
 * The file's key/value metadata: `mantis.*` keys, JSON where structured. `mantis.columns` lists each
 * column's name, type, unit and description; `mantis.sensors` each sensor's kind and unit. Nothing varies
 * between two exports of the same rows, so that a re-run writes the same bytes.
 */
export function fileMetadata(columns: ColumnSpec<never>[], facts: FileFacts): KeyValue[] {
  const entries: Record<string, string> = {
    'mantis.dataset': facts.dataset,
    ...(facts.resolution && { 'mantis.resolution': facts.resolution }),
    'mantis.asset': facts.assetId,
    'mantis.date': facts.date,
    'mantis.from': new Date(facts.from).toISOString(),
    'mantis.to': new Date(facts.to).toISOString(),
    'mantis.rows': String(facts.rows),
    'mantis.source': facts.source,
    'mantis.version': facts.version,
    'mantis.columns': JSON.stringify(
      columns.map(({ name, type, required, unit, description }) => ({
        name,
        type,
        required,
        unit,
        description,
      })),
    ),
    'mantis.sensors': JSON.stringify(
      Object.fromEntries(facts.sensors.map((s) => [s.id, { kind: s.kind, unit: s.unit }])),
    ),
  };
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}
