/**
 * `mantis etl backup` and `mantis etl restore` as processes against a real PostgreSQL, with file:// and the
 * S3-compatible server as object stores: a backup restored into a new database equals the original table by
 * table (counts and checksums this suite computes itself), a corrupted or replaced dump is refused before
 * anything is written, as are a newer schema and a non-empty target; --keep removes the oldest; the store
 * dying mid-backup leaves no complete backup.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgTool } from '../src/etl/backup/pg-tools.ts';
import { createObjectStore } from '../src/storage/object-stores.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { fingerprint, queryRows } from './helpers/pg-fingerprint.ts';
import { createMigratedDatabase, runMantis } from './helpers/process.ts';
import { type S3Server, startS3Server, versitygwAvailable } from './helpers/s3.ts';

const pgReady = await postgresAvailable();
const s3Ready = await versitygwAvailable();
/** The newest V<n>__ script in migrations/, read here rather than from MANTIS. */
const LATEST = Math.max(
  ...readdirSync(new URL('../migrations/', import.meta.url)).map((f) =>
    Number(/^V(\d+)__/.exec(f)?.[1] ?? 0),
  ),
);
type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;

/** Known rows across the registry, time series, alerts, work orders and KPIs; NULLs, JSON, arrays, UTF-8. */
const FILL = `
INSERT INTO sites (id, name) VALUES ('plant-a', 'Usine Nord — Lyon'), ('plant-b', 'Plant B');
INSERT INTO lines (id, site_id, name) VALUES ('line-1', 'plant-a', 'Ligne 1'), ('line-2', 'plant-b', 'Line 2');
INSERT INTO assets (id, site_id, line_id, name, kind, health, machine)
  SELECT 'pump-' || i, 'plant-a', 'line-1', 'Pump ' || i, 'pump', 90 - i, jsonb_build_object('rpm', 1700 + i)
  FROM generate_series(1, 5) i;
INSERT INTO assets (id, site_id, line_id, name, kind) VALUES ('fan-1', 'plant-b', 'line-2', 'Fan 1', 'fan');
INSERT INTO sensors (id, asset_id, kind, unit, sample_rate_hz, valid_min, valid_max)
  SELECT a.id || '.vib', a.id, 'vibration', 'm/s²', 12800, -500, 500 FROM assets a;
SELECT mantis_ensure_partitions('raw_readings', '2025-03-01T00:00Z', '2025-03-04T00:00Z');
SELECT mantis_ensure_partitions('features', '2025-03-01T00:00Z', '2025-03-04T00:00Z');
INSERT INTO raw_readings (sensor_id, ts, value)
  SELECT 'pump-' || (1 + i % 5) || '.vib', '2025-03-01T00:00Z'::timestamptz + i * interval '7 seconds', sin(i) * 3.3
  FROM generate_series(1, 3000) i;
INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms,
                      peak_to_peak, crest_factor, band_energies, diagnostics)
  SELECT 'pump-1', 'pump-1.vib', '2025-03-01T00:00Z'::timestamptz + i * interval '1 minute',
         '2025-03-01T00:01Z'::timestamptz + i * interval '1 minute', 60, i / 7.0, -1, 1, 0.5, 0.7071067811865476,
         2, CASE WHEN i % 3 = 0 THEN NULL ELSE 1.414 END, ARRAY[i, i * 0.5, 1e-9], jsonb_build_object('bpfo', i)
  FROM generate_series(1, 400) i;
INSERT INTO alerts (id, asset_id, sensor_id, cause, severity, status, health, score, message, raised_at)
  SELECT 'al-' || i, 'pump-2', 'pump-2.vib', 'anomaly', 'warning', 'active', 55, i * 0.1, 'score ' || i,
         '2025-03-02T00:00Z'::timestamptz + i * interval '1 hour'
  FROM generate_series(1, 20) i;
INSERT INTO work_orders (id, asset_id, sensor_id, cause, alert_id, title, priority, status, created_at, updated_at)
  SELECT 'wo-' || i, 'pump-2', 'pump-2.vib', 'anomaly', 'al-' || i, 'Inspect « pump 2 » #' || i, 'high',
         CASE WHEN i = 10 THEN 'open' ELSE 'done' END,
         '2025-03-02T00:00Z', '2025-03-02T00:00Z'
  FROM generate_series(1, 10) i;
INSERT INTO kpi_daily (asset_id, day, planned_busy_ms, unplanned_downtime_ms, actual_production_ms, failures,
                       repairs, repair_ms, produced, good, ideal_run_ms)
  SELECT 'pump-' || i, '2025-03-01', 86400000, 3600000, 82800000, 1, 1, 3600000, 1000 * i, 990 * i, 80000000
  FROM generate_series(1, 5) i;`;

const tablesIn = async (url: string) =>
  (
    await queryRows<{ n: number }>(
      url,
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
    )
  )[0].n;

describe.runIf(pgReady.available && s3Ready.available)('mantis etl backup and restore', () => {
  const databases: TestDb[] = [];
  let source: TestDb;
  let original: Record<string, { rows: number; md5: string }>;
  let s3: S3Server;
  const dir = mkdtempSync(join(tmpdir(), 'mantis-backup-'));
  const fileStore = `file://${join(dir, 'objects')}`;
  const env = (store: string, extra: Record<string, string> = {}) => ({
    MANTIS_DATABASE_URL: source.url,
    MANTIS_OBJECT_STORE_URL: store,
    MANTIS_LOG_LEVEL: 'silent',
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    ...extra,
  });
  const s3Url = (bucket: string) => `s3://${bucket}?endpoint=${s3.endpoint}&region=us-east-1`;
  const newDatabase = async () => {
    const db = await createTestDatabase();
    databases.push(db);
    return db;
  };
  const backup = async (store: string, ...args: string[]) => {
    const run = await runMantis(['etl', 'backup', '--json', ...args], env(store));
    return { ...run, summary: run.code === 0 ? JSON.parse(run.stdout) : null };
  };
  const restore = (store: string, ...args: string[]) => runMantis(['etl', 'restore', ...args], env(store));

  beforeAll(async () => {
    s3 = await startS3Server();
    source = await createMigratedDatabase();
    databases.push(source);
    await queryRows(source.url, FILL);
    original = await fingerprint(source.url);
  }, 120_000);

  afterAll(async () => {
    await s3?.remove();
    for (const db of databases) await db.drop();
  });

  it.each([
    ['file://', () => fileStore],
    ['s3://', () => s3Url(s3.bucket('backups'))],
  ])(
    'restores a %s backup into a new database equal to the original, table by table',
    async (_, store) => {
      const metricsFile = join(dir, `backup-${_.replace(/\W/g, '')}.prom`);
      const made = await backup(store(), '--metrics-file', metricsFile);
      expect(made.code, made.stderr).toBe(0);
      const manifest = made.summary.manifest;
      expect(manifest.schemaVersion).toBe(LATEST);
      expect(manifest.dump.key).toBe(`backups/postgres/${made.summary.id}/dump.pgc`);
      // The manifest's counts are the ones this suite counts itself.
      const counted = Object.fromEntries(
        manifest.tables.map((t: { name: string; rows: number }) => [t.name, t.rows]),
      );
      expect(counted['public.raw_readings']).toBe(3000);
      expect(counted['public.features']).toBe(400);
      for (const [name, { rows }] of Object.entries(original))
        if (`public.${name}` in counted) expect([name, counted[`public.${name}`]]).toEqual([name, rows]);
      const metrics = readFileSync(metricsFile, 'utf8');
      expect(metrics).toContain(`mantis_backup_size_bytes{part="postgres"} ${manifest.dump.size}`);
      expect(metrics).toContain(
        `mantis_backup_last_success_timestamp_seconds{prefix="backups/postgres"} ${Date.parse(manifest.startedAt) / 1000}`,
      );
      expect(metrics).toContain('mantis_job_runs_total{etl_job="backup",outcome="success"} 1');

      const target = await newDatabase();
      const restored = await restore(store(), 'latest', '--target-url', target.url, '--json');
      expect(restored.code, restored.stderr).toBe(0);
      const report = JSON.parse(restored.stdout);
      expect(report.verified).toBe(true);
      expect(report.tables.length).toBe(manifest.tables.length);
      expect(await fingerprint(target.url)).toEqual(original);
      expect(original.raw_readings.rows).toBe(3000);
    },
    120_000,
  );

  it('refuses a dump whose bytes changed in the file:// folder, before writing anything', async () => {
    const store = `file://${join(dir, 'corrupt')}`;
    const made = await backup(store);
    expect(made.code, made.stderr).toBe(0);
    const path = join(dir, 'corrupt', made.summary.manifest.dump.key);
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(path, bytes);
    const target = await newDatabase();
    const run = await restore(store, made.summary.id, '--target-url', target.url);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/corrupted: stored SHA-256 [0-9a-f]{64}, read [0-9a-f]{64}/);
    expect(await tablesIn(target.url)).toBe(0);
  }, 120_000);

  it('refuses an S3 dump replaced by other bytes (the manifest’s SHA-256 differs), before writing', async () => {
    const bucket = s3.bucket('replaced');
    const made = await backup(s3Url(bucket));
    expect(made.code, made.stderr).toBe(0);
    const objects = createObjectStore(s3Url(bucket), { credentials: s3.credentials });
    await objects.put(made.summary.manifest.dump.key, 'PGDMP not the dump');
    await objects.close();
    const target = await newDatabase();
    const run = await restore(s3Url(bucket), 'latest', '--target-url', target.url);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`is not the file the manifest describes`);
    expect(run.stderr).toContain(`manifest ${made.summary.manifest.dump.sha256}`);
    expect(await tablesIn(target.url)).toBe(0);
  }, 120_000);

  it('refuses a schema newer than the build, and a target that is not empty', async () => {
    const store = `file://${join(dir, 'newer')}`;
    const made = await backup(store);
    const objects = createObjectStore(store);
    const newerId = '20990101T000000.000Z';
    const manifest = { ...made.summary.manifest, id: newerId, schemaVersion: 999 };
    await objects.put(`backups/postgres/${newerId}/manifest.json`, JSON.stringify(manifest));
    const target = await newDatabase();
    const newer = await restore(store, newerId, '--target-url', target.url);
    expect(newer.code).toBe(2);
    expect(newer.stderr).toContain(`schema version 999, newer than this build's latest migration ${LATEST}`);
    expect(await tablesIn(target.url)).toBe(0);

    const notEmpty = await restore(store, made.summary.id, '--target-url', source.url);
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toContain('target database is not empty');
    expect(await fingerprint(source.url)).toEqual(original);

    // A backup named by a path rather than an id: refused before the store is read, naming the argument.
    for (const hostile of ['../../x', `${made.summary.id}/../${newerId}`]) {
      const escaped = await restore(store, hostile, '--target-url', target.url);
      expect(escaped.code, hostile).toBe(2);
      expect(escaped.stderr).toContain(`<backup>: "${hostile}" is not a backup id`);
    }
    expect(await tablesIn(target.url)).toBe(0);
  }, 120_000);

  it('keeps the newest N complete backups and removes older incomplete ones', async () => {
    const store = `file://${join(dir, 'keep')}`;
    const objects = createObjectStore(store);
    await objects.put('backups/postgres/20000101T000000.000Z/dump.pgc', 'left by a failed run');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const made = await backup(store, '--keep', '2');
      expect(made.code, made.stderr).toBe(0);
      ids.push(made.summary.id);
    }
    const listed = await restore(store, '--list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const backups = JSON.parse(listed.stdout);
    expect(backups.map((b: { id: string; complete: boolean }) => [b.id, b.complete])).toEqual([
      [ids[1], true],
      [ids[2], true],
    ]);
    expect(backups[0].schemaVersion).toBe(LATEST);
    expect(readdirSync(join(dir, 'keep', 'backups', 'postgres')).sort()).toEqual([ids[1], ids[2]]);
    // A manifest that is not JSON any more: the backup is listed as unusable, not as complete.
    await objects.put(`backups/postgres/${ids[1]}/manifest.json`, 'not json');
    const relisted = JSON.parse((await restore(store, '--list', '--json')).stdout);
    expect(relisted[0]).toMatchObject({ id: ids[1], complete: false, state: 'unreadable manifest' });
    expect(relisted[1]).toMatchObject({ id: ids[2], complete: true, state: 'complete' });
    await objects.close();
  }, 180_000);

  it('exits 1 and stores no manifest when the S3 server dies mid-backup', async () => {
    const bucket = s3.bucket('dying');
    // pg_dump as installed, its output held after the first 64 KiB until the server is gone.
    const pgDump = await findPgTool('pg_dump');
    const bin = mkdtempSync(join(tmpdir(), 'mantis-pgbin-'));
    const marker = join(bin, 'started');
    writeFileSync(
      join(bin, 'pg_dump'),
      `#!/bin/bash\n[ "$1" = --version ] && exec ${pgDump} "$@"\n` +
        `${pgDump} "$@" | { head -c 65536; touch ${marker}; sleep 3; cat; }\n`,
    );
    chmodSync(join(bin, 'pg_dump'), 0o755);
    const running = backup(s3Url(bucket), '--pg-bin', bin);
    while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 50));
    await s3.kill();
    const run = await running;
    await s3.start();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/mantis etl backup: .*unavailable/);
    const listed = await restore(s3Url(bucket), '--list', '--json');
    expect(JSON.parse(listed.stdout).filter((b: { complete: boolean }) => b.complete)).toEqual([]);
    const target = await newDatabase();
    const latest = await restore(s3Url(bucket), 'latest', '--target-url', target.url);
    expect(latest.code).toBe(2);
    expect(latest.stderr).toContain('no complete backup');
  }, 120_000);

  it('refuses the embedded database and a --pg-bin without pg_dump, with exit 2', async () => {
    const embedded = await runMantis(['etl', 'backup'], {
      ...env(fileStore),
      MANTIS_DATABASE_URL: `pglite://${join(dir, 'pg')}`,
      MANTIS_DATA_DIR: join(dir, 'data'),
    });
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('backup and restore need a PostgreSQL server');
    const missing = await runMantis(['etl', 'backup', '--pg-bin', dir], env(fileStore));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`pg_dump not found in --pg-bin ${dir}`);
  }, 60_000);
});
