/**
 * `mantis etl export-features` and `export-readings` as processes against a real PostgreSQL, writing to a
 * file:// folder and to an S3 server (Versity S3 Gateway), every file read back by pyarrow — another
 * implementation of Parquet, from PyPI — row for row, with its types and metadata; re-runs that write the
 * same bytes; dry runs; bad flags; an empty range; and an S3 server that is down.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowFeatures } from '../src/domain/types.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { influxRawStore } from '../src/storage/influxdb/raw-store.ts';
import { defaultPlaceholders, migrate } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { ensurePartitions } from '../src/storage/postgres/partitions.ts';
import { databaseRawStore } from '../src/storage/postgres/raw-store.ts';
import { postgresRepositories } from '../src/storage/postgres/repositories.ts';
import { upsertFeatures } from '../src/storage/postgres/timeseries.ts';
import { windowFeatures } from './helpers/features.ts';
import { type InfluxServer, influxdAvailable, startInfluxServer } from './helpers/influxdb.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { type ParquetRead, pyarrowAvailable, readWithPyarrow } from './helpers/parquet-readers.ts';
import { runMantis } from './helpers/process.ts';
import { type S3Server, startS3Server, versitygwAvailable } from './helpers/s3.ts';

const ready = [
  await postgresAvailable(),
  await versitygwAvailable(),
  await pyarrowAvailable(),
  await influxdAvailable(),
].every((a) => a.available);

const H = 3_600_000;
/** Four hours across a UTC midnight: two days of files per asset. */
const FROM = Date.UTC(2025, 10, 30, 22);
const TO = FROM + 4 * H;
const SENSORS = [
  { id: 'fan:2.speed', assetId: 'fan:2', kind: 'speed', unit: 'rpm', sampleRateHz: 1 },
  { id: 'pump-1.temp', assetId: 'pump-1', kind: 'temperature', unit: '°C', sampleRateHz: 1 },
  { id: 'pump-1.vib', assetId: 'pump-1', kind: 'vibration', unit: 'm/s²', sampleRateHz: 12_800 },
] as const;

/** Windows every 10 min from an hour before the range to an hour after it, with values of every shape. */
function storedWindows(): WindowFeatures[] {
  const out: WindowFeatures[] = [];
  for (let i = 0; i < 36; i++) {
    SENSORS.forEach((s, k) => {
      const vib = s.kind === 'vibration';
      out.push(
        windowFeatures(s.id, FROM - H + i * 600_000, {
          assetId: s.assetId,
          mean: 20 + i / 7 + k / 3,
          std: Math.PI / (i + 1),
          rms: Math.SQRT2 * (i + 1),
          crestFactor: i % 3 === 0 ? null : Math.SQRT2 + i / 1000,
          kurtosis: i % 2 ? 3 + 1 / (i + 1) : null,
          health: 87.25 - i / 4,
          dominantHz: vib ? 49.75 + i / 8 : null,
          bandEnergies: vib ? [i / 3, 1e-9 * (i + 1), 12345.678] : null,
          velocityRms: vib ? 2.8 + i / 100 : null,
          severityZone: vib ? (i % 2 ? 'B' : 'C') : null,
          diagnostics: vib ? ({ speedHz: 29.6, envelopes: [], faults: [] } as never) : null,
        }),
      );
    });
  }
  return out;
}

describe.runIf(ready)('mantis etl export-* on PostgreSQL, file:// and S3, read back by pyarrow', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let s3: S3Server;
  let influx: InfluxServer;
  let scalars: { sensorId: string; ts: number; value: number }[];
  const folder = mkdtempSync(join(tmpdir(), 'mantis-export-'));
  let base: Record<string, string>;
  let s3Env: Record<string, string>;
  const bucket = 'mantis-lake';

  const run = async (args: string[], env: Record<string, string>) => {
    const r = await runMantis(['etl', ...args], { ...base, ...env });
    const json = args.includes('--json') && r.code === 0 ? JSON.parse(r.stdout) : null;
    return { ...r, json };
  };
  const range = ['--from', new Date(FROM).toISOString(), '--to', String(TO)];
  const fileEnv = () => ({ MANTIS_OBJECT_STORE_URL: `file://${folder}` });

  /** Rows as the database has them, by an SQL of its own: `date|asset` → rows, in file order. */
  async function expectedByPartition(sql: string, params: unknown[]) {
    const rows = await db.query<Record<string, unknown> & { date: string; asset_id: string }>(sql, params);
    const out = new Map<string, Record<string, unknown>[]>();
    for (const { date, ...row } of rows) {
      const key = `${date}|${row.asset_id}`;
      out.set(key, [...(out.get(key) ?? []), row]);
    }
    return out;
  }
  const partitionOf = (f: ParquetRead) => `${f.metadata['mantis.date']}|${f.metadata['mantis.asset']}`;
  const utcDate = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date`;
  const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}`;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url);
    await migrate(db, { placeholders: defaultPlaceholders() });
    const { registry } = postgresRepositories(db);
    for (const assetId of ['pump-1', 'fan:2']) {
      await registry.registerAsset({
        id: assetId,
        siteId: 'plant-a',
        lineId: 'line-1',
        name: assetId,
        kind: 'pump',
        sensors: SENSORS.filter((s) => s.assetId === assetId).map((s) => ({
          ...s,
          validMin: -1e6,
          validMax: 1e6,
        })),
      });
    }
    const windows = storedWindows();
    await ensurePartitions(db, { features: windows.map((w) => w.windowStart) });
    await db.transaction((tx) => upsertFeatures(tx, windows));
    // Readings every 7 min over the same span, and two just outside the range: at FROM − 1 ms and at TO.
    scalars = SENSORS.flatMap((s, k) => [
      ...Array.from({ length: 50 }, (_, i) => ({
        sensorId: s.id,
        ts: FROM - H + i * 420_000 + k,
        value: Math.sin(i + k) * 10,
      })),
      { sensorId: s.id, ts: FROM - 1, value: -1 },
      { sensorId: s.id, ts: TO, value: -2 },
    ]);
    await databaseRawStore(db).write({ scalars, blocks: [] });
    [s3, influx] = await Promise.all([startS3Server(), startInfluxServer()]);
    s3.bucket(bucket);
    base = { MANTIS_DATABASE_URL: testDb.url, MANTIS_LOG_LEVEL: 'silent' };
    s3Env = {
      MANTIS_OBJECT_STORE_URL: `s3://${bucket}?endpoint=${s3.endpoint}&region=us-east-1&forcePathStyle=true`,
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all([s3?.remove(), influx?.remove()]);
    await db?.close();
    await testDb?.drop();
  });

  const pyarrowS3 = (files: string[], dataset?: string) =>
    readWithPyarrow({
      files,
      dataset,
      s3: {
        endpoint: s3.endpoint,
        accessKey: s3.credentials.accessKeyId,
        secretKey: s3.credentials.secretAccessKey,
        bucket,
      },
    });

  it('exports stored windows to file://, one file per UTC day and asset, equal row for row in pyarrow', async () => {
    const r = await run(['export-features', ...range, '--json'], fileEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const keys = r.json.files.map((f: { key: string }) => f.key);
    expect(keys).toEqual([
      'exports/features/resolution=window/date=2025-11-30/asset=fan%3A2/part-0.parquet',
      'exports/features/resolution=window/date=2025-11-30/asset=pump-1/part-0.parquet',
      'exports/features/resolution=window/date=2025-12-01/asset=fan%3A2/part-0.parquet',
      'exports/features/resolution=window/date=2025-12-01/asset=pump-1/part-0.parquet',
    ]);
    // 24 windows of 10 min in the range, for each of 3 sensors.
    expect(r.json).toMatchObject({
      dataset: 'features',
      resolution: 'window',
      partitions: 4,
      rows: 72,
      dryRun: false,
    });
    const read = readWithPyarrow({
      files: keys.map((k: string) => join(folder, k)),
      dataset: join(folder, 'exports/features/resolution=window'),
    });

    const expected = await expectedByPartition(
      `SELECT ${utcDate('window_start')}, asset_id, sensor_id, ${ms('window_start')}, ${ms('window_end')}, count,
              mean, min, max, std, rms, peak_to_peak, crest_factor, skewness, kurtosis, dominant_hz, band_energies,
              anomaly_score, health, velocity_rms, severity_zone, diagnostics
       FROM features WHERE window_start >= to_timestamp($1 / 1000.0) AND window_start < to_timestamp($2 / 1000.0)
       ORDER BY asset_id, window_start, sensor_id`,
      [FROM, TO],
    );
    expect(read.files.map(partitionOf)).toEqual([...expected.keys()].sort());
    for (const file of read.files) {
      const rows = file.rows.map((row) => ({
        ...row,
        diagnostics: row.diagnostics === null ? null : JSON.parse(row.diagnostics as string),
      }));
      expect(rows).toEqual(expected.get(partitionOf(file)));
      expect(file.metadata['mantis.rows']).toBe(String(rows.length));
    }
    const [file] = read.files;
    expect(file.schema.slice(0, 5)).toEqual([
      { name: 'asset_id', type: 'string', nullable: false },
      { name: 'sensor_id', type: 'string', nullable: false },
      { name: 'window_start', type: 'timestamp[ms, tz=UTC]', nullable: false },
      { name: 'window_end', type: 'timestamp[ms, tz=UTC]', nullable: false },
      { name: 'count', type: 'int32', nullable: false },
    ]);
    expect(Object.fromEntries(file.schema.map((c) => [c.name, c.type]))).toMatchObject({
      mean: 'double',
      crest_factor: 'double',
      band_energies: 'list<element: double not null>',
      health: 'double',
      severity_zone: 'string',
    });
    expect(file.metadata).toMatchObject({
      'mantis.dataset': 'features',
      'mantis.resolution': 'window',
      'mantis.asset': 'fan:2',
      'mantis.date': '2025-11-30',
      'mantis.from': '2025-11-30T22:00:00.000Z',
      'mantis.to': '2025-12-01T00:00:00.000Z',
      'mantis.source': 'features table',
    });
    expect(JSON.parse(file.metadata['mantis.sensors'])).toEqual({
      'fan:2.speed': { kind: 'speed', unit: 'rpm' },
    });
    const columns = JSON.parse(file.metadata['mantis.columns']);
    expect(columns.find((c: { name: string }) => c.name === 'velocity_rms')).toMatchObject({
      type: 'DOUBLE',
      unit: 'mm/s',
    });
    expect(columns.map((c: { name: string }) => c.name)).toEqual(file.schema.map((c) => c.name));
    // Hive partitions as pyarrow decodes them from the keys.
    expect(read.partitions).toEqual({
      '2025-11-30|fan:2': 12,
      '2025-11-30|pump-1': 24,
      '2025-12-01|fan:2': 12,
      '2025-12-01|pump-1': 24,
    });
  }, 120_000);

  it('writes the same bytes under the same keys when run again', async () => {
    const digest = (key: string) =>
      createHash('sha256')
        .update(readFileSync(join(folder, key)))
        .digest('hex');
    const first = await run(['export-features', ...range, '--json'], fileEnv());
    const before = first.json.files.map((f: { key: string; sha256: string }) => [
      f.key,
      digest(f.key),
      f.sha256,
    ]);
    const again = await run(['export-features', ...range, '--json'], fileEnv());
    expect(again.code).toBe(0);
    expect(
      again.json.files.map((f: { key: string; sha256: string }) => [f.key, digest(f.key), f.sha256]),
    ).toEqual(before);
    for (const [, onDisk, reported] of before) expect(onDisk).toBe(reported);
    expect(readdirSync(join(folder, 'exports/features/resolution=window/date=2025-12-01'))).toEqual([
      'asset=fan%3A2',
      'asset=pump-1',
    ]);
  }, 120_000);

  it('exports hourly roll-ups of one asset to S3, read by pyarrow straight from the S3 server', async () => {
    const r = await run(
      [
        'export-features',
        ...range,
        '--resolution',
        '1h',
        '--asset',
        'pump-1',
        '--prefix',
        'lake/mantis',
        '--json',
      ],
      s3Env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const keys = r.json.files.map((f: { key: string }) => f.key);
    expect(keys).toEqual([
      'lake/mantis/features/resolution=1h/date=2025-11-30/asset=pump-1/part-0.parquet',
      'lake/mantis/features/resolution=1h/date=2025-12-01/asset=pump-1/part-0.parquet',
    ]);
    const read = pyarrowS3(keys);
    const expected = await expectedByPartition(
      `SELECT ${utcDate('bucket')}, asset_id, sensor_id, ${ms('bucket')}, windows, count::float8 AS count, mean, min, max,
              rms, max_anomaly_score, min_health, velocity_rms, max_velocity_rms, max_severity_zone
       FROM features_1h WHERE asset_id = 'pump-1' AND bucket >= to_timestamp($1 / 1000.0) AND bucket < to_timestamp($2 / 1000.0)
       ORDER BY asset_id, bucket, sensor_id`,
      [FROM, TO],
    );
    expect(read.files.map((f) => f.rows)).toEqual([...expected.values()]);
    expect(read.files[0].rows).toHaveLength(4); // 2 hours × 2 sensors
    expect(read.files[0].schema.find((c) => c.name === 'count')).toEqual({
      name: 'count',
      type: 'int64',
      nullable: false,
    });
    expect(read.files[0].metadata['mantis.resolution']).toBe('1h');
  }, 120_000);

  it('exports raw readings of every asset to S3, the asset from the registry, [from, to) exactly', async () => {
    const r = await run(['export-readings', ...range, '--json'], s3Env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const keys = r.json.files.map((f: { key: string }) => f.key);
    expect(keys).toHaveLength(4);
    const read = pyarrowS3(keys, 'exports/readings');
    const expected = await expectedByPartition(
      `SELECT ${utcDate('r.ts')}, s.asset_id, r.sensor_id, ${ms('ts')}, r.value
       FROM raw_readings r JOIN sensors s ON s.id = r.sensor_id
       WHERE r.ts >= to_timestamp($1 / 1000.0) AND r.ts < to_timestamp($2 / 1000.0)
       ORDER BY s.asset_id, r.ts, r.sensor_id`,
      [FROM, TO],
    );
    expect(read.files.map(partitionOf)).toEqual([...expected.keys()].sort());
    for (const file of read.files) expect(file.rows).toEqual(expected.get(partitionOf(file)));
    const total = [...expected.values()].reduce((n, rows) => n + rows.length, 0);
    expect(r.json.rows).toBe(total);
    expect(read.files.flatMap((f) => f.rows).some((row) => row.value === -1 || row.value === -2)).toBe(false);
    expect(read.files[0].schema).toEqual([
      { name: 'asset_id', type: 'string', nullable: false },
      { name: 'sensor_id', type: 'string', nullable: false },
      { name: 'ts', type: 'timestamp[ms, tz=UTC]', nullable: false },
      { name: 'value', type: 'double', nullable: false },
    ]);
    expect(read.files[0].metadata).toMatchObject({
      'mantis.dataset': 'readings',
      'mantis.source': 'raw store (database)',
    });
    expect(Object.values(read.partitions ?? {}).reduce((a, b) => a + b, 0)).toBe(total);
  }, 120_000);

  it("exports the same readings from an InfluxDB raw store, an asset's sensors read apart (v1 and v2 APIs)", async () => {
    await influx.query('CREATE DATABASE mantis_raw');
    const url = `${influx.url.replace('http', 'influxdb')}/mantis_raw?flushMs=5`;
    const owners = new Map(SENSORS.map((s) => [s.id as string, s.assetId as string]));
    const store = influxRawStore(url, {
      assetOf: async (ids) => new Map(ids.map((id) => [id, owners.get(id) ?? ''])),
    });
    await store.write({ scalars, blocks: [] });
    await store.close();
    const fromDb = await run(['export-readings', ...range, '--prefix', 'db', '--json'], fileEnv());
    const fromInflux = await run(['export-readings', ...range, '--prefix', 'influx', '--json'], {
      ...fileEnv(),
      MANTIS_RAW_STORE_URL: url,
    });
    expect(fromInflux.stderr).toBe('');
    expect(fromInflux.code).toBe(0);
    const files = (r: typeof fromDb) => r.json.files.map((f: { key: string }) => join(folder, f.key));
    const db1 = readWithPyarrow({ files: files(fromDb) }).files;
    const influx1 = readWithPyarrow({ files: files(fromInflux) }).files;
    expect(influx1.map((f) => f.rows)).toEqual(db1.map((f) => f.rows));
    expect(influx1[0].metadata['mantis.source']).toBe('raw store (influxdb)');
    // The Flux path of the same filter, through the v2 compatibility API.
    const v2 = influxRawStore(
      `${influx.url.replace('http', 'influxdb2')}?org=mantis&bucket=mantis_raw/autogen`,
      {
        assetOf: async () => new Map(),
        env: { INFLUX_TOKEN: 'unused:unused' },
      },
    );
    const only = ['pump-1.temp', 'fan:2.speed'];
    const expected = scalars.filter((r) => only.includes(r.sensorId) && r.ts >= FROM && r.ts < TO);
    expected.sort((a, b) => a.ts - b.ts || (a.sensorId < b.sensorId ? -1 : 1));
    expect(await v2.readReadings(FROM, TO, 1000, only)).toEqual(expected);
    expect(await v2.readReadings(FROM, TO, 1000, [])).toEqual([]);
    await v2.close();
  }, 120_000);

  it('counts on a dry run and writes nothing; records rows in the metrics file', async () => {
    const dry = mkdtempSync(join(tmpdir(), 'mantis-export-dry-'));
    const r = await run(['export-readings', ...range, '--dry-run', '--json'], {
      MANTIS_OBJECT_STORE_URL: `file://${dry}`,
    });
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ dryRun: true, bytes: 0 });
    expect(r.json.files).toHaveLength(4);
    expect(readdirSync(dry)).toEqual([]);
    const metrics = join(dry, '..', `mantis-export-${process.pid}.prom`);
    const real = await run(['export-readings', ...range, '--json', '--metrics-file', metrics], fileEnv());
    expect(real.json.rows).toBe(r.json.rows);
    expect(readFileSync(metrics, 'utf8')).toContain(
      `mantis_job_rows_total{etl_job="export-readings",outcome="exported"} ${r.json.rows}`,
    );
  }, 120_000);

  it('writes no file for a range without rows, and exits 0', async () => {
    const r = await run(
      ['export-features', '--from', '2020-01-01', '--to', '2020-01-03', '--json'],
      fileEnv(),
    );
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ partitions: 4, files: [], rows: 0, bytes: 0 });
    expect(existsSync(join(folder, 'exports/features/resolution=window/date=2020-01-01'))).toBe(false);
  }, 60_000);

  it.each([
    [['--from', '2025-12-01', '--to', '2025-11-30'], '--from: must be before --to'],
    [
      ['--from', '2025-11-30', '--to', '2025-12-01T00:00:00'],
      '--to: expected an ISO 8601 time with its zone',
    ],
    [
      ['--from', '2025-11-30', '--to', '2025-12-01', '--resolution', '10s'],
      '--resolution: expected one of window, 1m, 1h, 1d',
    ],
    [
      ['--from', '2025-11-30', '--to', '2025-12-01', '--asset', 'no-such'],
      '--asset: unknown asset "no-such"',
    ],
    [['--to', '2025-12-01'], "required option '--from <time>' not specified"],
  ])(
    'exits 2 naming the flag for %j',
    async (args, message) => {
      const r = await run(['export-features', ...args], fileEnv());
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    },
    60_000,
  );

  it('exits 1 with the store named when the S3 server is down', async () => {
    const down = await startS3Server();
    down.bucket(bucket);
    await down.kill();
    const r = await run(['export-readings', ...range], {
      ...s3Env,
      MANTIS_OBJECT_STORE_URL: `s3://${bucket}?endpoint=${down.endpoint}&region=us-east-1&forcePathStyle=true`,
    });
    await down.remove();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `mantis etl export-readings: object store s3://${bucket}?endpoint=${down.endpoint}`,
    );
    expect(r.stderr).toContain('cannot be used');
  }, 120_000);
});
