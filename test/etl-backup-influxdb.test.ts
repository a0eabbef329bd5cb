/**
 * `mantis etl backup` and `mantis etl restore` as processes with an InfluxDB 1.8 raw store beside a real
 * PostgreSQL: the manifest lists influxd's portable backup files with the sizes and SHA-256 of the stored
 * objects, a restore makes a new InfluxDB database holding exactly the points written (InfluxQL, compared
 * with values this suite builds itself) and a PostgreSQL database equal to the original; `--no-influxdb`
 * leaves the InfluxDB part out.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleBlock, ScalarReading } from '../src/domain/types.ts';
import { influxRawStore } from '../src/storage/influxdb/raw-store.ts';
import { INFLUXD, type InfluxServer, influxdAvailable, startInfluxServer } from './helpers/influxdb.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { fingerprint, queryRows } from './helpers/pg-fingerprint.ts';
import { createMigratedDatabase, runMantis } from './helpers/process.ts';

const pgReady = await postgresAvailable();
const influxReady = await influxdAvailable();
type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;

const T0 = Date.parse('2025-03-01T00:00:00Z');
const ASSET_OF: Record<string, string> = {
  'pump-1.temp': 'pump-1',
  'pump-1.vib': 'pump-1',
  'fan-1.load': 'fan-1',
};
/** 600 readings per scalar sensor, a second apart: fractions, negatives, a value with many digits. */
const SCALARS: ScalarReading[] = Array.from({ length: 600 }, (_, i) => [
  { sensorId: 'pump-1.temp', ts: T0 + i * 1000, value: 40 + (i % 37) * 0.125 },
  { sensorId: 'fan-1.load', ts: T0 + i * 1000 + 250, value: -3.5 + ((i * 13) % 11) + i / 3 },
]).flat();
/** Three blocks of 50 samples at 1 kHz (a sample each millisecond), ten seconds apart. */
const BLOCKS: SampleBlock[] = Array.from({ length: 3 }, (_, b) => ({
  sensorId: 'pump-1.vib',
  ts: T0 + b * 10_000,
  rateHz: 1000,
  values: Array.from({ length: 50 }, (_, i) => Math.round(Math.sin((i + b) / 3) * 512) / 1024),
}));

/** The points MANTIS stores for SCALARS and BLOCKS, as rows of `SELECT *` in epoch ms, built here. */
const EXPECTED = {
  readings: SCALARS.map((r) => ({
    time: r.ts,
    asset: ASSET_OF[r.sensorId],
    sensor: r.sensorId,
    value: r.value,
  })),
  blocks: BLOCKS.map((b) => ({
    time: b.ts,
    asset: 'pump-1',
    sensor: b.sensorId,
    rate_hz: b.rateHz,
    samples: b.values.length,
  })),
  samples: BLOCKS.flatMap((b) =>
    b.values.map((value, i) => ({ time: b.ts + i, asset: 'pump-1', sensor: b.sensorId, value })),
  ),
};
for (const rows of Object.values(EXPECTED))
  rows.sort((a, b) => a.time - b.time || (a.sensor < b.sensor ? -1 : a.sensor > b.sensor ? 1 : 0));

/** Registry rows and a few features and alerts, in the PostgreSQL part of the backup. */
const FILL = `
INSERT INTO sites (id, name) VALUES ('plant-a', 'Usine Nord — Lyon');
INSERT INTO lines (id, site_id, name) VALUES ('line-1', 'plant-a', 'Ligne 1');
INSERT INTO assets (id, site_id, line_id, name, kind) VALUES
  ('pump-1', 'plant-a', 'line-1', 'Pump 1', 'pump'), ('fan-1', 'plant-a', 'line-1', 'Fan 1', 'fan');
INSERT INTO sensors (id, asset_id, kind, unit, sample_rate_hz, valid_min, valid_max) VALUES
  ('pump-1.temp', 'pump-1', 'temperature', 'degC', 1, -50, 200),
  ('pump-1.vib', 'pump-1', 'vibration', 'g', 1000, -50, 50),
  ('fan-1.load', 'fan-1', 'pressure', 'bar', 1, -100, 500);
SELECT mantis_ensure_partitions('features', '2025-03-01T00:00Z', '2025-03-02T00:00Z');
INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms, peak_to_peak)
  SELECT 'pump-1', 'pump-1.temp', '2025-03-01T00:00Z'::timestamptz + i * interval '10 seconds',
         '2025-03-01T00:00:10Z'::timestamptz + i * interval '10 seconds', 10, i / 7.0, -1, 1, 0.5, 0.75, 2
  FROM generate_series(0, 59) i;
INSERT INTO alerts (id, asset_id, sensor_id, cause, severity, status, health, score, message, raised_at)
  SELECT 'al-' || i, 'fan-1', 'fan-1.load', 'anomaly', 'warning', 'active', 55, i * 0.1, 'score ' || i,
         '2025-03-01T01:00Z'::timestamptz + i * interval '1 hour'
  FROM generate_series(1, 5) i;`;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.runIf(pgReady.available && influxReady.available)(
  'mantis etl backup and restore with InfluxDB',
  () => {
    const databases: TestDb[] = [];
    let source: TestDb;
    let influx: InfluxServer;
    let original: Record<string, { rows: number; md5: string }>;
    const DB = 'mantis_raw';
    const dir = mkdtempSync(join(tmpdir(), 'mantis-backup-influx-'));
    const env = (store: string) => ({
      MANTIS_DATABASE_URL: source.url,
      MANTIS_RAW_STORE_URL: `influxdb://${new URL(influx.url).host}/${DB}`,
      MANTIS_OBJECT_STORE_URL: `file://${join(dir, store)}`,
      MANTIS_LOG_LEVEL: 'silent',
    });
    const newDatabase = async () => {
      const db = await createTestDatabase();
      databases.push(db);
      return db;
    };
    /** `SELECT *` of a measurement as objects keyed by column, times in epoch ms, oldest first. */
    const points = async (db: string, measurement: string) => {
      const { results } = await influx.query(`SELECT * FROM "${measurement}" ORDER BY time`, db, {
        epoch: 'ms',
      });
      const [series] = results[0].series ?? [];
      return (series?.values ?? []).map((row) =>
        Object.fromEntries(series.columns.map((c, i) => [c, row[i]])),
      );
    };
    const count = async (db: string, measurement: string) =>
      (await influx.query(`SELECT count("value") FROM "${measurement}"`, db)).results[0].series?.[0]
        .values[0][1];

    beforeAll(async () => {
      influx = await startInfluxServer();
      source = await createMigratedDatabase();
      databases.push(source);
      await queryRows(source.url, FILL);
      original = await fingerprint(source.url);
      // Raw points kept forever: the readings of 2025 stay in the raw retention policy.
      const setup = await runMantis(['influx', 'setup', '--raw-days', '0'], env('setup'));
      expect(setup.code, setup.stderr).toBe(0);
      const raw = influxRawStore(env('setup').MANTIS_RAW_STORE_URL, {
        assetOf: async (ids) => new Map(ids.map((id) => [id, ASSET_OF[id]])),
      });
      await raw.write({ scalars: SCALARS, blocks: BLOCKS });
      await raw.close();
      for (const measurement of ['readings', 'blocks', 'samples'] as const)
        expect(await points(DB, measurement)).toEqual(EXPECTED[measurement]);
    }, 120_000);

    afterAll(async () => {
      await influx?.remove();
      for (const db of databases) await db.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('stores influxd’s portable backup with the manifest and restores it as a new database', async () => {
      const made = await runMantis(
        ['etl', 'backup', '--json', '--influxd', INFLUXD, '--influxdb-rpc', influx.rpc],
        env('objects'),
      );
      expect(made.code, made.stderr).toBe(0);
      const { id, manifest } = JSON.parse(made.stdout);
      expect(manifest.influxdb.database).toBe(DB);
      // As influxd itself says (a build from the module proxy carries no version string).
      expect(manifest.influxdb.tool).toBe(execFileSync(INFLUXD, ['version'], { encoding: 'utf8' }).trim());
      // Every file of the folder influxd wrote is listed, with the stored object's size and SHA-256.
      const folder = join(dir, 'objects', 'backups', 'postgres', id, 'influxdb');
      const stored = readdirSync(folder).sort();
      const files = manifest.influxdb.files as { key: string; size: number; sha256: string }[];
      expect(files.map((f) => f.key)).toEqual(
        stored.map((name) => `backups/postgres/${id}/influxdb/${name}`),
      );
      expect(stored.some((n) => n.endsWith('.meta'))).toBe(true);
      expect(stored.some((n) => n.endsWith('.manifest'))).toBe(true);
      expect(stored.some((n) => n.endsWith('.tar.gz'))).toBe(true);
      for (const file of files) {
        const bytes = readFileSync(join(dir, 'objects', file.key));
        expect({ key: file.key, size: bytes.length, sha256: sha256(bytes) }).toEqual(file);
      }

      const target = await newDatabase();
      const restored = await runMantis(
        [
          'etl',
          'restore',
          'latest',
          '--json',
          '--target-url',
          target.url,
          '--influxdb-as',
          'mantis_restored',
          '--influxd',
          INFLUXD,
          '--influxdb-rpc',
          influx.rpc,
        ],
        env('objects'),
      );
      expect(restored.code, restored.stderr).toBe(0);
      const report = JSON.parse(restored.stdout);
      expect(report.verified).toBe(true);
      expect(report.influxdb).toBe(`${DB} → mantis_restored`);
      expect(await fingerprint(target.url)).toEqual(original);
      expect(original.features.rows).toBe(60);
      expect(await count('mantis_restored', 'readings')).toBe(SCALARS.length);
      expect(await count('mantis_restored', 'samples')).toBe(150);
      for (const measurement of ['readings', 'blocks', 'samples'] as const)
        expect(await points('mantis_restored', measurement)).toEqual(EXPECTED[measurement]);
    }, 120_000);

    it('leaves the InfluxDB part out with --no-influxdb, and refuses --influxdb-as on such a backup', async () => {
      const made = await runMantis(['etl', 'backup', '--json', '--no-influxdb'], env('postgres-only'));
      expect(made.code, made.stderr).toBe(0);
      const { id, manifest } = JSON.parse(made.stdout);
      expect(manifest.influxdb).toBeNull();
      expect(readdirSync(join(dir, 'postgres-only', 'backups', 'postgres', id)).sort()).toEqual([
        'dump.pgc',
        'manifest.json',
      ]);
      expect(existsSync(join(dir, 'postgres-only', 'backups', 'postgres', id, 'influxdb'))).toBe(false);

      // Asking for the InfluxDB part of that backup is refused before anything is written.
      const target = await newDatabase();
      const refused = await runMantis(
        [
          'etl',
          'restore',
          id,
          '--target-url',
          target.url,
          '--influxdb-as',
          'mantis_none',
          '--influxd',
          INFLUXD,
        ],
        env('postgres-only'),
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`--influxdb-as: backup ${id} holds no InfluxDB backup`);
      expect(await queryRows(target.url, "SELECT 1 FROM pg_tables WHERE schemaname = 'public'")).toEqual([]);
      const { results } = await influx.query('SHOW DATABASES');
      expect(results[0].series?.[0].values.flat()).not.toContain('mantis_none');
    }, 60_000);
  },
);
