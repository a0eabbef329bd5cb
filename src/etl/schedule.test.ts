import { describe, expect, it } from 'vitest';
import { catchUp, latestRun, MISSED_COUNT_CAP, nextRun, parseSchedule, scheduleProblem } from './schedule.ts';

const at = (iso: string) => Date.parse(iso);
/** The next `n` scheduled times after `t`. */
function runsAfter(schedule: ReturnType<typeof parseSchedule>, t: number, n: number): number[] {
  const out: number[] = [];
  for (let last = t; out.length < n; ) {
    last = nextRun(schedule, last) as number;
    out.push(last);
  }
  return out;
}
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('cron schedules', () => {
  it('reads 5 fields, 6 with seconds first, and nicknames; refuses the rest saying why', () => {
    expect(iso(nextRun(parseSchedule('30 2 * * *', 'UTC'), at('2025-01-01T03:00:00Z')))).toBe(
      '2025-01-02T02:30:00.000Z',
    );
    expect(iso(nextRun(parseSchedule('*/15 * * * * *', 'UTC'), at('2025-01-01T00:00:07Z')))).toBe(
      '2025-01-01T00:00:15.000Z',
    );
    expect(iso(nextRun(parseSchedule('@hourly', 'UTC'), at('2025-01-01T00:00:00Z')))).toBe(
      '2025-01-01T01:00:00.000Z',
    );
    expect(scheduleProblem('off', 'UTC')).toBeNull();
    expect(scheduleProblem('61 * * * *', 'UTC')).toMatch(/Invalid value for minute: 61/);
    expect(scheduleProblem('* * * * * * *', 'UTC')).toMatch(/exactly 5 or 6 parts/);
    expect(scheduleProblem('hourly', 'UTC')).toMatch(/^not a cron expression/);
    expect(scheduleProblem('0 0 31 2 *', 'UTC')).toMatch(/never comes round/);
    expect(scheduleProblem('0 * * * *', 'Mars/Olympus_Mons')).toMatch(/unknown time zone/);
  });

  it('runs a daily time once on the days daylight saving starts and ends (Europe/Paris)', () => {
    const daily = parseSchedule('30 2 * * *', 'Europe/Paris');
    // 2025-03-30: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist; it runs at 03:00 CEST (01:00Z).
    expect(iso(nextRun(daily, at('2025-03-29T12:00:00Z')))).toBe('2025-03-30T01:00:00.000Z');
    expect(iso(nextRun(daily, at('2025-03-30T01:00:00Z')))).toBe('2025-03-31T00:30:00.000Z');
    // 2025-10-26: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice; it runs at the first (00:30Z).
    expect(iso(nextRun(daily, at('2025-10-25T12:00:00Z')))).toBe('2025-10-26T00:30:00.000Z');
    expect(iso(nextRun(daily, at('2025-10-26T00:30:00Z')))).toBe('2025-10-27T01:30:00.000Z');
  });

  it('keeps an hourly schedule one hour apart across both daylight-saving changes (America/New_York)', () => {
    const hourly = parseSchedule('0 * * * *', 'America/New_York');
    // 00:30 EST on the night clocks go from 02:00 to 03:00, then 00:30 EDT on the night 02:00 falls back to 01:00.
    const spring = runsAfter(hourly, at('2025-03-09T05:30:00Z'), 4);
    expect(spring.map((x, i) => (i === 0 ? 0 : x - spring[i - 1]))).toEqual([0, 3.6e6, 3.6e6, 3.6e6]);
    const autumn = runsAfter(hourly, at('2025-11-02T04:30:00Z'), 4);
    expect(autumn.map(iso)).toEqual([
      '2025-11-02T05:00:00.000Z',
      '2025-11-02T06:00:00.000Z',
      '2025-11-02T07:00:00.000Z',
      '2025-11-02T08:00:00.000Z',
    ]);
  });

  it('finds the latest scheduled time at or before now, the current second included', () => {
    const everySecond = parseSchedule('* * * * * *', 'UTC');
    expect(iso(latestRun(everySecond, at('2025-01-01T00:00:05.000Z')))).toBe('2025-01-01T00:00:05.000Z');
    expect(iso(latestRun(everySecond, at('2025-01-01T00:00:05.999Z')))).toBe('2025-01-01T00:00:05.000Z');
    const hourly = parseSchedule('0 * * * *', 'UTC');
    expect(iso(latestRun(hourly, at('2025-01-01T10:59:59.999Z')))).toBe('2025-01-01T10:00:00.000Z');
  });
});

describe('missed runs and the one catch-up run', () => {
  const hourly = parseSchedule('0 * * * *', 'UTC');

  it('counts the times between the last run and the latest one, and runs the latest once', () => {
    // Last ran for 10:00, stopped, started again at 13:15: 11:00 and 12:00 were missed, 13:00 runs now.
    expect(catchUp(hourly, at('2025-01-01T10:00:00Z'), at('2025-01-01T13:15:00Z'))).toEqual({
      slot: at('2025-01-01T13:00:00Z'),
      missed: 2,
      capped: false,
    });
  });

  it('makes up a time that passed during a short restart, with nothing missed', () => {
    expect(catchUp(hourly, at('2025-01-01T10:00:00Z'), at('2025-01-01T11:00:20Z'))).toEqual({
      slot: at('2025-01-01T11:00:00Z'),
      missed: 0,
      capped: false,
    });
  });

  it('has nothing due once the latest time ran, and runs a job that never ran at once', () => {
    const now = at('2025-01-01T13:15:00Z');
    expect(catchUp(hourly, at('2025-01-01T13:00:00Z'), now)).toEqual({
      slot: undefined,
      missed: 0,
      capped: false,
    });
    expect(catchUp(hourly, undefined, now)).toEqual({
      slot: at('2025-01-01T13:00:00Z'),
      missed: 0,
      capped: false,
    });
  });

  it('counts by the schedule in its zone, over a daylight-saving change', () => {
    const daily = parseSchedule('30 2 * * *', 'Europe/Paris');
    // Last run 2025-03-28 02:30 CET; now 2025-04-01 12:00Z: 29th, 30th (03:00 CEST) and 31st missed, 1st due.
    expect(catchUp(daily, at('2025-03-28T01:30:00Z'), at('2025-04-01T12:00:00Z'))).toEqual({
      slot: at('2025-04-01T00:30:00Z'),
      missed: 3,
      capped: false,
    });
  });

  it('stops counting at the cap after a long stop of a frequent schedule', () => {
    const everySecond = parseSchedule('* * * * * *', 'UTC');
    const last = at('2025-01-01T00:00:00Z');
    const found = catchUp(everySecond, last, last + 86_400_000);
    expect(found).toEqual({ slot: last + 86_400_000, missed: MISSED_COUNT_CAP, capped: true });
    expect(catchUp(everySecond, last, last + 5_500).missed).toBe(4);
  });
});
