import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { JobRunLog, JobTrigger } from '../storage/ports/job-runs.ts';
import { type Job, type JobState, runCounted, zeroJobCounters } from './jobs.ts';
import { catchUp, latestRun, nextRun, OFF, parseSchedule, type Schedule } from './schedule.ts';

/** A cluster job and its schedule setting: a cron expression, or `off`. */
export interface ScheduledJob extends Job {
  schedule: string;
  /**
   * A job that never ran: `start` (the default) runs it once at start; `next` waits for its next time
   * (a backup or an export of a brand-new installation has nothing worth keeping yet).
   */
  firstRun?: 'start' | 'next';
}

export interface SchedulerOptions {
  /** IANA zone the cron expressions are read in. */
  timezone: string;
  /** This process, as recorded with its runs (host:pid). */
  instance: string;
  runs: JobRunLog;
  metrics: Metrics;
  log: Logger;
  /** The wall clock, epoch ms. */
  now?: () => number;
}

export interface ScheduledState extends JobState {
  running: boolean;
  /** The next cron time, epoch ms; undefined when the schedule never comes round again. */
  nextRunAt?: number;
}

/**
 * Timers sleep at most this long, then look at the wall clock again: timers follow a monotonic clock that
 * stops while the machine is suspended, so a long sleep would wake late by the length of a suspension.
 */
const MAX_SLEEP_MS = 60_000;

/**
 * Runs each job at its cron times, one run of a job at a time across every etl instance: a run takes the
 * job's lock (JobRunLog.tryLock) and records itself under its scheduled time; an instance that finds the lock
 * held, or the time already run, counts the run as `skipped`. At start, and when a timer wakes after a later
 * scheduled time has passed (a pause), the schedule is compared with the last recorded run: the times in
 * between are counted as missed (mantis_job_missed_runs_total) and one catch-up run is made for the latest.
 * A job that never ran runs once at start, unless its firstRun is `next`. mantis_job_next_run_timestamp_seconds
 * shows each next time.
 */
export function startScheduler(jobs: ScheduledJob[], options: SchedulerOptions) {
  const { metrics, log, runs, instance } = options;
  const clock = options.now ?? Date.now;
  const active = jobs.filter((job) => job.schedule.trim() !== OFF);
  const timers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const states = new Map<string, ScheduledState>();
  let stopped = false;

  const skip = (job: Job, slot: number | undefined, reason: string) => {
    metrics.jobRunsTotal.inc({ etl_job: job.name, outcome: 'skipped' });
    const scheduledAt = slot === undefined ? undefined : new Date(slot).toISOString();
    log.info({ job: job.name, scheduledAt }, `job run skipped: ${reason}`);
  };

  /** One attempt at a scheduled time (`due`), or a check at start (`due` undefined). */
  const attempt = async (job: ScheduledJob, schedule: Schedule, due: number | undefined) => {
    const state = states.get(job.name) as ScheduledState;
    if (state.running) return skip(job, due, 'its previous run is still going');
    state.running = true;
    try {
      const now = clock();
      const latest = latestRun(schedule, now);
      const check = due === undefined || (latest !== undefined && latest > due);
      const lock = await runs.tryLock(job.name);
      if (!lock) return skip(job, due ?? latest, 'another etl instance is running it');
      try {
        const last = await runs.lastScheduled(job.name);
        let slot = due;
        let trigger: JobTrigger = 'schedule';
        if (check) {
          if (last === undefined && job.firstRun === 'next' && due === undefined) return;
          const found = catchUp(schedule, last, now);
          if (found.missed > 0) {
            metrics.jobMissedRuns.inc({ etl_job: job.name }, found.missed);
            log.warn(
              {
                job: job.name,
                missed: found.missed,
                lastRun: last === undefined ? null : new Date(last).toISOString(),
                catchUp: new Date(found.slot as number).toISOString(),
              },
              `${found.capped ? 'at least ' : ''}${found.missed} scheduled run(s) missed; one catch-up run now`,
            );
          }
          if (found.slot === undefined) return; // Nothing due: the latest time already ran.
          slot = found.slot;
          trigger = 'catch-up';
        }
        if (slot === undefined || (last !== undefined && last >= slot))
          return skip(job, slot, 'another etl instance ran this scheduled time');
        const id = await runs.begin({
          job: job.name,
          scheduledAt: slot,
          trigger,
          instance,
          startedAt: clock(),
        });
        if (id === undefined) return skip(job, slot, 'another etl instance ran this scheduled time');
        const result = await runCounted(job, state, metrics, log, clock());
        // The run is counted already: a record that fails to close is only logged (the next run marks it).
        await runs
          .finish(id, result.outcome, clock(), result.error)
          .catch((err: Error) => log.warn({ err, job: job.name }, 'could not record the end of a job run'));
      } finally {
        // A lock whose connection is lost is released by the server already.
        await lock
          .release()
          .catch((err: Error) => log.warn({ err, job: job.name }, 'job lock release failed'));
      }
    } catch (err) {
      // The lock or the record failed (the database is away): a failed run, retried at the next time.
      Object.assign(state, { lastOutcome: 'failure', lastError: (err as Error).message });
      metrics.jobRunsTotal.inc({ etl_job: job.name, outcome: 'failure' });
      metrics.jobLastRun.set({ etl_job: job.name, outcome: 'failure' }, clock() / 1000);
      log.warn(
        { err, job: job.name },
        'job not run: its lock or run record failed; retrying at its next run',
      );
    } finally {
      state.running = false;
    }
  };

  const launch = (job: ScheduledJob, schedule: Schedule, due: number | undefined) => {
    const done = attempt(job, schedule, due);
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  /** Sleeps until the next cron time after now, then launches its run and sleeps again. */
  const arm = (job: ScheduledJob, schedule: Schedule) => {
    const state = states.get(job.name) as ScheduledState;
    const due = nextRun(schedule, clock());
    state.nextRunAt = due;
    if (due === undefined) {
      metrics.jobNextRun.remove({ etl_job: job.name });
      return;
    }
    metrics.jobNextRun.set({ etl_job: job.name }, due / 1000);
    const sleep = () => {
      if (stopped) return;
      const wait = due - clock();
      if (wait > 0) {
        timers.set(job.name, setTimeout(sleep, Math.min(wait, MAX_SLEEP_MS)).unref());
        return;
      }
      arm(job, schedule); // The next time is armed first, so that a long run makes later ticks count as skipped.
      launch(job, schedule, due);
    };
    sleep();
  };

  for (const job of active) {
    const schedule = parseSchedule(job.schedule, options.timezone);
    states.set(job.name, { name: job.name, running: false });
    zeroJobCounters(metrics, job.name);
    metrics.jobMissedRuns.inc({ etl_job: job.name }, 0);
    arm(job, schedule);
    launch(job, schedule, undefined);
  }

  return {
    states: () => [...states.values()],
    /** Stops scheduling and waits for the runs in progress. */
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.all(inFlight);
    },
  };
}
