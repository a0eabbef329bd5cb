import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/** A batch job: the etl target runs it on its cron schedule (scheduler.ts), `mantis etl` once. */
export interface Job {
  name: string;
  /** Does one run; returns a short summary for the log, or nothing. */
  run(now: number): Promise<string | undefined>;
}

/** A job each process runs for itself on a plain interval (not a cluster job: no lock, no record). */
export interface IntervalJob extends Job {
  everyMs: number;
}

export interface JobState {
  name: string;
  lastOutcome?: 'success' | 'failure';
  lastFinishedAt?: number;
  lastError?: string;
}

/**
 * Runs a job once, timed and counted (mantis_job_runs_total, _duration_seconds, _last_run_timestamp_seconds),
 * and keeps its outcome in `state`. Never throws: a failure is logged and returned.
 */
export async function runCounted(
  job: Job,
  state: JobState,
  metrics: Metrics,
  log: Logger,
  now = Date.now(),
): Promise<{ outcome: 'success' | 'failure'; error?: string }> {
  const stopTimer = metrics.jobDuration.startTimer({ etl_job: job.name });
  let result: { outcome: 'success' | 'failure'; error?: string };
  try {
    const summary = await job.run(now);
    Object.assign(state, { lastOutcome: 'success', lastError: undefined });
    if (summary) log.info({ job: job.name }, summary);
    result = { outcome: 'success' };
  } catch (err) {
    Object.assign(state, { lastOutcome: 'failure', lastError: (err as Error).message });
    log.warn({ err, job: job.name }, 'job failed; retrying at its next run');
    result = { outcome: 'failure', error: (err as Error).message };
  }
  stopTimer();
  state.lastFinishedAt = Date.now();
  metrics.jobRunsTotal.inc({ etl_job: job.name, outcome: result.outcome });
  metrics.jobLastRun.set({ etl_job: job.name, outcome: result.outcome }, state.lastFinishedAt / 1000);
  return result;
}

/** Starts the run counters of a job at 0, so that rates read 0 rather than "no data" before its first run. */
export function zeroJobCounters(metrics: Metrics, job: string): void {
  for (const outcome of ['success', 'failure', 'skipped'])
    metrics.jobRunsTotal.inc({ etl_job: job, outcome }, 0);
}

/**
 * Runs each job now and then every `everyMs`, in this process only, never two runs of one job at once (a
 * tick during a run is counted as skipped). A failure is logged and retried at the next tick.
 */
export function startJobs(jobs: IntervalJob[], metrics: Metrics, log: Logger) {
  const states = new Map<string, JobState>(jobs.map((j) => [j.name, { name: j.name }]));
  const running = new Set<string>();
  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<void>>();

  const tick = (job: IntervalJob) => {
    if (running.has(job.name)) {
      metrics.jobRunsTotal.inc({ etl_job: job.name, outcome: 'skipped' });
      return;
    }
    running.add(job.name);
    const done = runCounted(job, states.get(job.name) as JobState, metrics, log).then(() => {
      running.delete(job.name);
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  for (const job of jobs) {
    zeroJobCounters(metrics, job.name);
    tick(job);
    timers.push(setInterval(() => tick(job), job.everyMs).unref());
  }
  return {
    states: () => [...states.values()],
    /** Stops scheduling and waits for the runs in progress. */
    async stop() {
      for (const t of timers) clearInterval(t);
      await Promise.all(inFlight);
    },
  };
}
