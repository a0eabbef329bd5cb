/**
 * The record and the cluster-wide lock of batch job runs: one run of a job at a time across every etl
 * instance and `mantis etl` command, and a row per run from which missed runs are found.
 */

/** Why a run was made: its scheduled time came, a check at start or after a pause caught up, or a command. */
export type JobTrigger = 'schedule' | 'catch-up' | 'manual';

/** How a run ended; `abandoned` is a run whose process died before it finished. */
export type JobRunOutcome = 'success' | 'failure' | 'abandoned';

/** A held job lock; release it once the run is over (a lost connection releases it too). */
export interface JobLock {
  release(): Promise<void>;
}

export interface NewJobRun {
  job: string;
  /** The cron time it runs for (epoch ms); for a manual run, when it started. */
  scheduledAt: number;
  trigger: JobTrigger;
  /** Which process runs it: host and process id. */
  instance: string;
  /** Epoch ms. */
  startedAt: number;
}

export interface JobRunLog {
  /** Takes the job's lock without waiting; undefined when another run of the job (anywhere) holds it. */
  tryLock(job: string): Promise<JobLock | undefined>;
  /** The scheduled time of the job's last run by its schedule (manual runs left out), epoch ms. */
  lastScheduled(job: string): Promise<number | undefined>;
  /**
   * Records a run as started, under the job's lock, and marks runs left unfinished as abandoned. Returns its
   * id, or undefined when that scheduled time already has a run (another instance made it).
   */
  begin(run: NewJobRun): Promise<string | undefined>;
  /** Records how the run ended, at `finishedAt` (epoch ms). */
  finish(id: string, outcome: JobRunOutcome, finishedAt: number, error?: string): Promise<void>;
}
