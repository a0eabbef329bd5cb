import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../adapters.ts';
import { migrate } from '../migrate.ts';
import type { Database } from '../ports/database.ts';
import { databaseJobRuns, JOB_RUNS_KEPT_DAYS } from './job-runs.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);

describe('the job-run record', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase('pglite://memory');
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it(`keeps ${JOB_RUNS_KEPT_DAYS} days of a job's runs, deleting older ones when a run finishes`, async () => {
    const runs = databaseJobRuns(db, 'pglite://memory');
    const record = async (job: string, at: number) => {
      const id = await runs.begin({
        job,
        scheduledAt: at,
        trigger: 'schedule',
        instance: 'h:1',
        startedAt: at,
      });
      if (id === undefined) throw new Error(`${job} at ${at} not recorded`);
      await runs.finish(id, 'success', at + 1000);
    };
    await record('retention', NOW - 200 * DAY);
    await record('retention', NOW - (JOB_RUNS_KEPT_DAYS + 1) * DAY);
    await record('retention', NOW - (JOB_RUNS_KEPT_DAYS - 1) * DAY);
    await record('backup', NOW - 200 * DAY);
    await record('retention', NOW);
    const rows = await db.query<{ job: string; days: number }>(
      `SELECT job, round(extract(epoch FROM to_timestamp(${NOW / 1000}) - started_at) / 86400)::int AS days
       FROM job_runs ORDER BY job, started_at`,
    );
    // The other job's history is its own: pruned only when one of its runs finishes.
    expect(rows).toEqual([
      { job: 'backup', days: 200 },
      { job: 'retention', days: JOB_RUNS_KEPT_DAYS - 1 },
      { job: 'retention', days: 0 },
    ]);
    // A job whose only run is old keeps it: missed runs are counted from it.
    await db.query('DELETE FROM job_runs');
    await record('backup', NOW - 300 * DAY);
    expect(await runs.lastScheduled('backup')).toBe(NOW - 300 * DAY);
  });
});
