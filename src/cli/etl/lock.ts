import { hostname } from 'node:os';
import type { Database } from '../../storage/ports/database.ts';
import type { JobRunLog } from '../../storage/ports/job-runs.ts';
import { databaseJobRuns } from '../../storage/postgres/job-runs.ts';

/**
 * Exit code of a job command that found its job's lock held (a scheduled run on an etl instance, or another
 * command): nothing was done; try again later. EX_TEMPFAIL of sysexits.h (BSD), "temporary failure; the user
 * is invited to retry".
 */
export const LOCKED_EXIT = 75;

/** The job's lock is held elsewhere. */
export class JobLockedError extends Error {
  constructor(job: string) {
    super(
      `another run of the ${job} job holds its lock (a scheduled run on an etl instance, or another command); ` +
        'nothing done, try again later',
    );
  }
}

/**
 * Runs a job once from the command line as the etl target's scheduler does: under the job's lock (the same
 * advisory lock, so a command and a scheduled run never overlap) and recorded in job_runs as a manual run.
 * Throws JobLockedError without running when the lock is held; rethrows what `run` throws, recorded as failed.
 */
export async function runLocked<T>(
  db: Database,
  url: string,
  job: string,
  run: () => Promise<T>,
): Promise<T> {
  const runs: JobRunLog = databaseJobRuns(db, url);
  const lock = await runs.tryLock(job);
  if (!lock) throw new JobLockedError(job);
  try {
    const startedAt = Date.now();
    const id = (await runs.begin({
      job,
      scheduledAt: startedAt,
      trigger: 'manual',
      instance: `${hostname()}:${process.pid}`,
      startedAt,
    })) as string;
    try {
      const result = await run();
      await runs.finish(id, 'success', Date.now());
      return result;
    } catch (err) {
      await runs.finish(id, 'failure', Date.now(), (err as Error).message).catch(() => {});
      throw err;
    }
  } finally {
    await lock.release();
  }
}

/** runLocked for a run that writes; a dry run only reads, so it takes no lock and records nothing. */
export function runLockedUnlessDry<T>(
  db: Database,
  url: string,
  job: string,
  dryRun: boolean,
  run: () => Promise<T>,
): Promise<T> {
  return dryRun ? run() : runLocked(db, url, job, run);
}
