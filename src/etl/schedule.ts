import { Cron } from 'croner';

/**
 * Job schedules as cron expressions, and the pure arithmetic of the scheduler over them: the next run, the
 * latest scheduled time that has passed, and which runs were missed. Times are epoch milliseconds; cron
 * times are whole seconds. croner (well kept, no dependencies) does the calendar work: time zones, daylight
 * saving, nicknames such as `@hourly`.
 */

/** A schedule setting that turns the job off. */
export const OFF = 'off';

/** Most missed scheduled times counted in one check, so that a per-second schedule after a long stop stays cheap. */
export const MISSED_COUNT_CAP = 10_000;

export type Schedule = Cron;

/**
 * Parses a cron expression: 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first,
 * or a nickname (`@hourly`, `@daily`…), in an IANA time zone. Day of month and day of week combine with OR,
 * as in Vixie cron. Throws an Error saying why when the expression or the zone is bad, or when the
 * expression never comes round (`0 0 31 2 *`).
 */
export function parseSchedule(expression: string, timezone: string): Schedule {
  let cron: Cron;
  try {
    cron = new Cron(expression.trim(), { timezone, mode: '5-or-6-parts', paused: true });
  } catch (err) {
    throw new Error((err as Error).message.replace(/^CronPattern: /, ''));
  }
  let next: Date | null;
  try {
    next = cron.nextRun(new Date());
  } catch {
    throw new Error(`unknown time zone "${timezone}"; expected an IANA name such as Europe/Paris or UTC`);
  }
  if (next === null) throw new Error(`"${expression}" never comes round`);
  return cron;
}

/** Why a schedule setting (`off` or a cron expression) is refused in this zone, or null when it is fine. */
export function scheduleProblem(value: string, timezone: string): string | null {
  if (value.trim() === OFF) return null;
  try {
    parseSchedule(value, timezone);
    return null;
  } catch (err) {
    return `not a cron expression (5 fields, or 6 with seconds first, or off): ${(err as Error).message}`;
  }
}

/** Whether a time zone is an IANA name the runtime knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** The first scheduled time strictly after `after`, or undefined when there is none. */
export function nextRun(schedule: Schedule, after: number): number | undefined {
  return schedule.nextRun(new Date(after))?.getTime();
}

/** The latest scheduled time at or before `now`, or undefined when there is none. */
export function latestRun(schedule: Schedule, now: number): number | undefined {
  // croner answers strictly before the whole second of its reference: the next second includes `now`'s own.
  const [latest] = schedule.previousRuns(1, new Date(Math.floor(now / 1000) * 1000 + 1000));
  return latest?.getTime();
}

/** What a check at start, or after a pause, decides: which scheduled time to run now and how many were missed. */
export interface CatchUp {
  /** The scheduled time to run now (the latest one that has passed), or undefined when nothing is due. */
  slot: number | undefined;
  /** Scheduled times strictly between the last recorded run and `slot`: they passed and never ran. */
  missed: number;
  /** True when there were more than MISSED_COUNT_CAP, and `missed` is that cap. */
  capped: boolean;
}

/**
 * Compares a schedule with the last recorded run (`last`, the scheduled time it ran for; undefined when the
 * job never ran). The latest scheduled time at or before `now` is due unless it already ran; the times
 * between the last run and it are missed, and one run (the catch-up) stands for them all. A job that never
 * ran is due at once, with nothing missed.
 */
export function catchUp(schedule: Schedule, last: number | undefined, now: number): CatchUp {
  const latest = latestRun(schedule, now);
  if (latest === undefined || (last !== undefined && last >= latest)) {
    return { slot: undefined, missed: 0, capped: false };
  }
  if (last === undefined) return { slot: latest, missed: 0, capped: false };
  let missed = 0;
  for (let t = nextRun(schedule, last); t !== undefined && t < latest; t = nextRun(schedule, t)) {
    if (missed === MISSED_COUNT_CAP) return { slot: latest, missed, capped: true };
    missed++;
  }
  return { slot: latest, missed, capped: false };
}
