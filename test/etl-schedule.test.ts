import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cron } from 'croner';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from './helpers/infra.ts';
import { createMigratedDatabase, type MantisProcess, runMantis, spawnMantis } from './helpers/process.ts';

const pgReady = await postgresAvailable();
const TOKEN = 'etl-schedule-test-token-0123456789';
const ZONE = 'America/New_York';
const DAILY = '30 2 * * *';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  scheduled_at: number;
  started_at: number;
  finished_at: number | null;
  trigger: string;
  instance: string;
  outcome: string;
}

/** One sample of a metric on a target's /metrics, or undefined. */
async function sample(target: MantisProcess, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${target.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The scheduled times each process logged as skipped for the retention job. */
function skippedTimes(target: MantisProcess): number[] {
  return target.logs
    .filter((l) => l.startsWith('{') && l.includes('job run skipped'))
    .map((l) => JSON.parse(l))
    .filter((l) => l.job === 'retention' && l.scheduledAt)
    .map((l) => Date.parse(l.scheduledAt));
}

describe.runIf(pgReady.available)('etl schedules on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let db: pg.Client;
  const env = () => ({
    MANTIS_DATABASE_URL: url,
    MANTIS_INGEST_TOKEN: TOKEN,
    MANTIS_DATA_DIR: mkdtempSync(join(tmpdir(), 'mantis-etl-schedule-')),
    MANTIS_ETL_TIMEZONE: ZONE,
    MANTIS_ETL_SCHEDULES_RETENTION: '* * * * * *',
    MANTIS_ETL_SCHEDULES_KPI_ROLLUP: DAILY,
  });
  const runs = async (): Promise<Run[]> =>
    (
      await db.query<Run>(
        `SELECT (extract(epoch FROM scheduled_at) * 1000)::float8 AS scheduled_at,
                (extract(epoch FROM started_at) * 1000)::float8 AS started_at,
                (extract(epoch FROM finished_at) * 1000)::float8 AS finished_at, trigger, instance, outcome
         FROM job_runs WHERE job = 'retention' ORDER BY scheduled_at`,
      )
    ).rows;

  beforeAll(async () => {
    ({ url, drop } = await createMigratedDatabase());
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await drop?.();
  });

  it('runs each scheduled time once when two etl instances race for it; the other counts it skipped', async () => {
    const [a, b] = await Promise.all([spawnMantis('etl', env()), spawnMantis('etl', env())]);
    const from = Date.now() + 2_000;
    await sleep(7_000);
    const to = Date.now() - 1_000;
    const skippedMetric = await Promise.all(
      [a, b].map((p) => sample(p, 'mantis_job_runs_total{etl_job="retention",outcome="skipped"}')),
    );
    await Promise.all([a.stop(), b.stop()]);

    const all = await runs();
    const instanceOf = new Map([a, b].map((p) => [p.child.pid, p]));
    for (const run of all) {
      expect(run.outcome).toBe('success');
      expect(instanceOf.has(Number(run.instance.split(':').at(-1)))).toBe(true);
    }
    // One run at a time: each starts after the previous one finished, whichever process ran it.
    const byStart = [...all].sort((x, y) => x.started_at - y.started_at);
    for (let i = 1; i < byStart.length; i++)
      expect(byStart[i].started_at).toBeGreaterThanOrEqual(byStart[i - 1].finished_at as number);
    // Every second while both ran: exactly one run, and the other process logged that time as skipped.
    const window: number[] = [];
    for (let s = Math.ceil(from / 1000) * 1000; s <= to; s += 1000) window.push(s);
    expect(window.length).toBeGreaterThanOrEqual(4);
    for (const s of window) {
      const ran = all.filter((r) => r.scheduled_at === s);
      expect(
        ran.map((r) => r.trigger),
        new Date(s).toISOString(),
      ).toEqual(['schedule']);
      const winner = instanceOf.get(Number(ran[0].instance.split(':').at(-1))) as MantisProcess;
      const loser = winner === a ? b : a;
      expect(skippedTimes(loser), new Date(s).toISOString()).toContain(s);
      expect(skippedTimes(winner)).not.toContain(s);
    }
    expect((skippedMetric[0] ?? 0) + (skippedMetric[1] ?? 0)).toBeGreaterThanOrEqual(window.length);
  }, 60_000);

  it('counts the times missed while no instance ran, makes one catch-up run, and shows the next run', async () => {
    const before = await runs();
    const last = before.at(-1) as Run;
    await sleep(3_000);
    const c = await spawnMantis('etl', env());
    try {
      let after: Run[] = [];
      for (let i = 0; i < 50 && after.length < 3; i++) {
        await sleep(200);
        after = (await runs()).filter((r) => r.scheduled_at > last.scheduled_at);
      }
      const [catchUp, ...later] = after;
      expect(catchUp.trigger).toBe('catch-up');
      expect(later.every((r) => r.trigger === 'schedule' && r.scheduled_at > catchUp.scheduled_at)).toBe(
        true,
      );
      // Every second strictly between the last run before the stop and the catch-up run was missed.
      const missed = (catchUp.scheduled_at - last.scheduled_at) / 1000 - 1;
      expect(missed).toBeGreaterThanOrEqual(3);
      expect(await sample(c, 'mantis_job_missed_runs_total{etl_job="retention"}')).toBe(missed);
      const warning = c.logs.map((l) => (l.startsWith('{') ? JSON.parse(l) : {})).find((l) => l.missed);
      expect(warning).toMatchObject({ level: 40, job: 'retention', missed });

      // kpi-rollup: 02:30 in New York, as croner computes it for the zone.
      const next = await sample(c, 'mantis_job_next_run_timestamp_seconds{etl_job="kpi-rollup"}');
      const expected = new Cron(DAILY, { timezone: ZONE }).nextRun(new Date())?.getTime() as number;
      expect(next).toBe(expected / 1000);
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, timeStyle: 'short' });
      expect(local.format(expected)).toBe('02:30');
    } finally {
      await c.stop();
    }
  }, 60_000);

  it('refuses a bad cron expression at load, naming the setting', async () => {
    const bad = await runMantis(['run', '--target', 'etl'], {
      ...env(),
      MANTIS_ETL_SCHEDULES_BACKUP: '61 2 * * *',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'MANTIS_ETL_SCHEDULES_BACKUP (etl.schedules.backup): not a cron expression (5 fields, or 6 with seconds first, or off): Invalid value for minute: 61',
    );
  });
});
