import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/** A batch job the etl target runs on a schedule. */
export interface Job {
  name: string;
  everyMs: number;
  /** Does one run; returns a short summary for the log, or nothing. */
  run(now: number): Promise<string | undefined>;
}

export interface JobState {
  name: string;
  lastOutcome?: 'success' | 'failure';
  lastFinishedAt?: number;
  lastError?: string;
}

/**
 * Runs each job now and then every `everyMs`, never two runs of one job at once (a tick during a run is
 * counted as skipped). Every run is counted and timed; a failure is logged and retried at the next tick.
 */
export function startJobs(jobs: Job[], metrics: Metrics, log: Logger) {
  const states = new Map<string, JobState>(jobs.map((j) => [j.name, { name: j.name }]));
  const running = new Set<string>();
  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<void>>();

  const tick = (job: Job) => {
    if (running.has(job.name)) {
      metrics.jobRunsTotal.inc({ job: job.name, outcome: 'skipped' });
      return;
    }
    running.add(job.name);
    const stopTimer = metrics.jobDuration.startTimer({ job: job.name });
    const state = states.get(job.name) as JobState;
    const done = job
      .run(Date.now())
      .then(
        (summary) => {
          Object.assign(state, { lastOutcome: 'success', lastError: undefined });
          if (summary) log.info({ job: job.name }, summary);
          return 'success' as const;
        },
        (err: Error) => {
          Object.assign(state, { lastOutcome: 'failure', lastError: err.message });
          log.warn({ err, job: job.name }, 'job failed; retrying at its next run');
          return 'failure' as const;
        },
      )
      .then((outcome) => {
        stopTimer();
        state.lastFinishedAt = Date.now();
        metrics.jobRunsTotal.inc({ job: job.name, outcome });
        metrics.jobLastRun.set({ job: job.name, outcome }, state.lastFinishedAt / 1000);
        running.delete(job.name);
      });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  for (const job of jobs) {
    for (const outcome of ['success', 'failure', 'skipped'])
      metrics.jobRunsTotal.inc({ job: job.name, outcome }, 0);
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
