/**
 * Instants as the database stores them. timestamptz keeps whole microseconds, so two timestamps in epoch
 * milliseconds less than a microsecond apart are one key once stored: batch writes fold rows by the stored
 * value, never by the number they were given.
 */

const MS_PER_DAY = 86_400_000;
/** Seconds from the Unix epoch to PostgreSQL's (2000-01-01), as in float8_timestamptz. */
const POSTGRES_EPOCH_S = 946_684_800;

/** Round half to even, as C's rint() in the default rounding mode. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The epoch microseconds PostgreSQL stores for `to_timestamp(ms / 1000.0)`: the same float8 steps as its
 * float8_timestamptz (src/backend/utils/adt/timestamp.c): seconds shifted to the 2000 epoch, times 10⁶,
 * rounded half to even.
 */
export function storedMicros(ms: number): number {
  return rint((ms / 1000 - POSTGRES_EPOCH_S) * 1e6) + POSTGRES_EPOCH_S * 1e6;
}

/** ISO 8601 in UTC with microseconds, the stored value of `to_timestamp(ms / 1000.0)` (for COPY text). */
export function storedTimestampText(ms: number): string {
  const us = storedMicros(ms);
  const wholeMs = Math.floor(us / 1000);
  const micros = us - wholeMs * 1000;
  return `${new Date(wholeMs).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** SQL: a row's `ts` as float epoch milliseconds with its microseconds (a Date would cut them off). */
export const EPOCH_MS = '(extract(epoch FROM ts) * 1000)::float8';

/** The UTC calendar day holding an instant, as `YYYY-MM-DD` (a `date` parameter free of the session zone). */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * The last row of each key, in first-seen order: ON CONFLICT DO UPDATE may touch a row only once per
 * statement, and a resent row replaces the earlier one.
 */
export function lastByKey<T>(rows: T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(key(row), row);
  return [...byKey.values()];
}
