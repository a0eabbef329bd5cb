import pg from 'pg';
import type { Database } from '../ports/database.ts';
import type { JobLock, JobRunLog } from '../ports/job-runs.ts';

/**
 * Two-key advisory locks, (namespace, job): a space apart from the one-key locks that partition creation
 * takes (pg_advisory_xact_lock(hashtext(name))), so a job name can never collide with a partition name.
 */
const LOCK_SQL = "hashtext('mantis.jobs'), hashtext($1)";

/**
 * PostgreSQL: a session advisory lock on a connection of its own, held for the whole run and released after
 * (or by the server when the connection is lost: a crashed run never keeps its lock). Not a transaction
 * lock, because holding a transaction open for an hour-long run would hold back vacuum.
 */
function postgresLocks(url: string): JobRunLog['tryLock'] {
  return async (job) => {
    const client = new pg.Client({
      connectionString: url,
      application_name: `mantis job ${job}`.slice(0, 63),
      connectionTimeoutMillis: 5_000,
    });
    // A lost connection releases the lock on the server; the error must not crash the process.
    client.on('error', () => {});
    await client.connect();
    try {
      const [{ locked }] = (
        await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_SQL}) AS locked`, [job])
      ).rows;
      if (!locked) {
        await client.end();
        return undefined;
      }
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    return {
      async release() {
        try {
          await client.query(`SELECT pg_advisory_unlock(${LOCK_SQL})`, [job]);
        } finally {
          await client.end().catch(() => {});
        }
      },
    };
  };
}

/** Jobs locked per embedded database. */
const heldInProcess = new WeakMap<Database, Set<string>>();

/**
 * PGlite: one process only (pglite-lock.ts refuses a second one on the same folder), so the lock is a set in
 * this process, shared by the scheduler and a command run in it.
 */
function inProcessLocks(db: Database): JobRunLog['tryLock'] {
  return async (job) => {
    const held = heldInProcess.get(db) ?? new Set<string>();
    heldInProcess.set(db, held);
    if (held.has(job)) return undefined;
    held.add(job);
    const lock: JobLock = { release: async () => void held.delete(job) };
    return lock;
  };
}

/** Days of job_runs history kept per job. */
export const JOB_RUNS_KEPT_DAYS = 90;

/**
 * The job-run record (table job_runs, V020) and lock on PostgreSQL or PGlite. `url` is the database's URL:
 * on PostgreSQL each lock takes a connection of its own from it.
 */
export function databaseJobRuns(db: Database, url: string): JobRunLog {
  return {
    tryLock: db.kind === 'postgres' ? postgresLocks(url) : inProcessLocks(db),
    async lastScheduled(job) {
      const [row] = await db.query<{ at: number | null }>(
        `SELECT (extract(epoch FROM max(scheduled_at)) * 1000)::float8 AS at FROM job_runs
         WHERE job = $1 AND trigger <> 'manual'`,
        [job],
      );
      return row?.at ?? undefined;
    },
    async begin(run) {
      return db.transaction(async (tx) => {
        // Under the job's lock, a run still marked running is one whose process died.
        await tx.query(
          `UPDATE job_runs SET outcome = 'abandoned', finished_at = to_timestamp($2 / 1000.0)
           WHERE job = $1 AND outcome = 'running'`,
          [run.job, run.startedAt],
        );
        const [row] = await tx.query<{ id: string }>(
          `INSERT INTO job_runs (job, scheduled_at, trigger, instance, started_at)
           VALUES ($1, to_timestamp($2 / 1000.0), $3, $4, to_timestamp($5 / 1000.0))
           ON CONFLICT (job, scheduled_at) WHERE trigger <> 'manual' DO NOTHING
           RETURNING id::text`,
          [run.job, run.scheduledAt, run.trigger, run.instance, run.startedAt],
        );
        return row?.id;
      });
    },
    async finish(id, outcome, finishedAt, error) {
      await db.query(
        `UPDATE job_runs SET outcome = $2, finished_at = to_timestamp($3 / 1000.0), error = $4 WHERE id = $1`,
        [id, outcome, finishedAt, error ?? null],
      );
      // The job's history is kept for JOB_RUNS_KEPT_DAYS; the run just finished always stays (missed runs
      // are counted from the last one).
      await db.query(
        `DELETE FROM job_runs WHERE job = (SELECT job FROM job_runs WHERE id = $1) AND id <> $1
           AND started_at < to_timestamp($2 / 1000.0) - make_interval(days => $3)`,
        [id, finishedAt, JOB_RUNS_KEPT_DAYS],
      );
    },
  };
}
