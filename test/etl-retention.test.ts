import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/storage/migrate.ts';
import { retentionPlan } from '../src/storage/postgres/retention-plan.ts';
import { postgresAvailable } from './helpers/infra.ts';
import { createMigratedDatabase, runMantis } from './helpers/process.ts';
import { openTimescalePglite } from './helpers/timescaledb.ts';

const pgReady = await postgresAvailable();
const DAY = 86_400_000;

describe.runIf(pgReady.available)('mantis etl retention on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let db: pg.Client;
  const dir = mkdtempSync(join(tmpdir(), 'mantis-etl-retention-'));
  const retention = (...args: string[]) =>
    runMantis(['etl', 'retention', ...args], { MANTIS_DATABASE_URL: url, MANTIS_DATA_DIR: dir });
  const exists = async (name: string) =>
    (await db.query('SELECT to_regclass($1) IS NOT NULL AS e', [name])).rows[0].e as boolean;
  const oldRollups = async () =>
    Number((await db.query("SELECT count(*) FROM features_1m WHERE bucket < '2021-01-01'")).rows[0].count);

  beforeAll(async () => {
    ({ url, drop } = await createMigratedDatabase());
    db = new pg.Client({ connectionString: url });
    await db.connect();
    // A day of raw readings far past the 30 days kept, one of today, and a 1-minute roll-up row past 365 days.
    const today = Math.floor(Date.now() / DAY) * DAY;
    await db.query(
      `SELECT mantis_ensure_partitions('raw_readings'::regclass, '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z'),
              mantis_ensure_partitions('raw_readings'::regclass, to_timestamp($1 / 1000.0), to_timestamp($2 / 1000.0))`,
      [today, today + DAY],
    );
    await db.query(
      `INSERT INTO features_1m (asset_id, sensor_id, bucket, windows, count)
       VALUES ('press-1', 'press-1.temp', '2020-01-01T00:00:00Z', 6, 60)`,
    );
  });

  afterAll(async () => {
    await db?.end();
    await drop?.();
  });

  const todayPartition = () => `raw_readings_p${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;

  it('lists what is past retention with --dry-run and drops nothing', async () => {
    const run = await retention('--dry-run', '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ job: 'retention', dryRun: true, engine: 'native', dropped: 0 });
    expect(summary.partitions).toEqual([
      { relation: 'raw_readings', partition: 'raw_readings_p20200101', day: '2020-01-01' },
    ]);
    expect(summary.rows).toEqual([{ relation: 'features_1m', before: expect.any(String), rows: 1 }]);
    expect(Date.parse(summary.at) - Date.parse(summary.rows[0].before)).toBe(365 * DAY);
    expect(await exists('raw_readings_p20200101')).toBe(true);
    expect(await oldRollups()).toBe(1);
    expect((await db.query('SELECT count(*)::int AS n FROM job_runs')).rows[0].n).toBe(0);
  });

  it('refuses to run while another session holds the job lock, with exit code 75', async () => {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      const locked = await holder.query(
        "SELECT pg_try_advisory_lock(hashtext('mantis.jobs'), hashtext('retention')) AS ok",
      );
      expect(locked.rows[0].ok).toBe(true);
      const lockedFile = join(dir, 'locked.prom');
      const run = await retention('--metrics-file', lockedFile);
      expect(run.code).toBe(75);
      // A collision is a skipped run, not a failure: no alert on failures for it.
      const text = readFileSync(lockedFile, 'utf8');
      expect(text).toContain('mantis_job_runs_total{etl_job="retention",outcome="skipped"} 1');
      expect(text).not.toMatch(/outcome="failure"\} [1-9]/);
      expect(text).not.toContain('mantis_job_last_run_timestamp_seconds{');
      expect(run.stderr).toBe(
        'mantis etl retention: another run of the retention job holds its lock (a scheduled run on an etl ' +
          'instance, or another command); nothing done, try again later\n',
      );
      expect(await exists('raw_readings_p20200101')).toBe(true);
    } finally {
      await holder.end();
    }
  });

  it('refuses a --metrics-file in a folder that does not exist before doing anything, with exit code 2', async () => {
    const run = await retention('--metrics-file', join(dir, 'no-such-folder', 'retention.prom'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--metrics-file: cannot write into .*no-such-folder \(ENOENT\)/);
    expect(await exists('raw_readings_p20200101')).toBe(true);
  });

  it('drops the expired partition and roll-up rows, keeps today, records the run and writes its metrics', async () => {
    const metricsFile = join(dir, 'retention.prom');
    const run = await retention('--json', '--metrics-file', metricsFile);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ dryRun: false, engine: 'native', dropped: 1 });
    expect(summary.partitions.map((p: { partition: string }) => p.partition)).toEqual([
      'raw_readings_p20200101',
    ]);
    expect(await exists('raw_readings_p20200101')).toBe(false);
    expect(await exists(todayPartition())).toBe(true);
    expect(await oldRollups()).toBe(0);
    const recorded = await db.query(
      'SELECT job, trigger, outcome, finished_at IS NOT NULL AS done FROM job_runs',
    );
    expect(recorded.rows).toEqual([{ job: 'retention', trigger: 'manual', outcome: 'success', done: true }]);
    const text = readFileSync(metricsFile, 'utf8');
    expect(text).toContain('mantis_job_runs_total{etl_job="retention",outcome="success"} 1');
    expect(text).toContain('mantis_job_duration_seconds_count{etl_job="retention"} 1');

    const again = await retention();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /^dropped 0 partition\(s\) and deleted 0 roll-up row\(s\) past retention at /,
    );
  });
});

describe('retention under TimescaleDB (2.23 in WebAssembly)', () => {
  it('is left to its retention policies, which the plan lists with their age limits', async () => {
    const db = await openTimescalePglite();
    try {
      await migrate(db);
      const plan = await retentionPlan(db, Date.now());
      expect(plan.engine).toBe('timescaledb');
      expect(plan.partitions).toEqual([]);
      expect(plan.rows).toEqual([]);
      // The defaults: raw data 30 days, features and their 1-minute roll-up 365 days, longer roll-ups kept.
      expect(plan.policies.map((p) => [p.relation, p.dropAfter])).toEqual([
        ['features', '365 days'],
        ['features_1m', '365 days'],
        ['raw_blocks', '30 days'],
        ['raw_readings', '30 days'],
      ]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
