/**
 * The one timestamp parser of the API: readings, production counts, downtime and every `from`/`to`
 * parameter go through it, so that they accept and refuse the same inputs with the same reasons.
 */

/** Earliest accepted instant: 2000-01-01T00:00:00Z in epoch milliseconds. */
export const MIN_TS = Date.UTC(2000, 0, 1);
/** Latest accepted instant (exclusive): 2100-01-01T00:00:00Z. Far enough for planned events. */
export const MAX_TS = Date.UTC(2100, 0, 1);

// RFC 3339 §5.6 date-time (T and Z in either case, §5.6 NOTE), seconds optional as ISO 8601 allows;
// the offset also in ISO 8601's basic form (+hhmm).
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

const UNIT_SCALES: [name: string, divisor: number][] = [
  ['epoch seconds', 1e-3],
  ['epoch microseconds', 1e3],
  ['epoch nanoseconds', 1e6],
];

/** The unit a numeric timestamp outside the accepted range was probably sent in, if any. */
function likelyUnit(ms: number): string | undefined {
  return UNIT_SCALES.find(([, divisor]) => {
    const scaled = ms / divisor;
    return scaled >= MIN_TS && scaled < MAX_TS;
  })?.[0];
}

function outOfRange(ms: number, shown: string): string | undefined {
  if (ms >= MIN_TS && ms < MAX_TS) return undefined;
  const unit = likelyUnit(ms);
  if (unit) return `${shown} looks like ${unit}; send epoch milliseconds or ISO 8601`;
  return ms < MIN_TS ? `${shown} is before 2000-01-01` : `${shown} is after 2100-01-01`;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function parseIso(text: string): number | string {
  const m = ISO.exec(text);
  if (!m) {
    return 'expected ISO 8601 with a time zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds';
  }
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12) return `month ${m[2]} does not exist`;
  // Date.UTC would roll 2026-02-30 over to 2 March: the calendar is checked first.
  if (day < 1 || day > daysIn(year, month)) return `${m[1]}-${m[2]} has no day ${m[3]}`;
  if (hour > 23) return `hour ${m[4]} does not exist (00–23)`;
  if (minute > 59) return `minute ${m[5]} does not exist (00–59)`;
  if (second === 60) return 'second 60 (a leap second) cannot be represented; send 59.999 or the next second';
  if (second > 59) return `second ${m[6]} does not exist (00–59)`;
  let offsetMinutes = 0;
  if (!m[8]) {
    const [offsetHours, offsetMins] = [Number(m[10]), Number(m[11])];
    if (offsetHours > 23 || offsetMins > 59) return `offset ${m[9]}${m[10]}:${m[11]} does not exist`;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // Fractions finer than a millisecond are kept as a fraction, as with numeric timestamps.
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + fraction - offsetMinutes * 60_000;
  return outOfRange(ms, text) ?? ms;
}

/**
 * Epoch milliseconds from a JSON value: a number of epoch milliseconds (fractions kept) or an RFC 3339 /
 * ISO 8601 date-time string with a zone (`Z` or an offset). Returns the reason as a string when the value
 * is refused: impossible calendar dates (2026-02-30, 2025-02-29), hour 24, minute or second 60, offsets
 * beyond ±23:59, and instants outside [2000-01-01, 2100-01-01) — naming the unit (seconds, microseconds,
 * nanoseconds) a numeric value outside that range was probably sent in.
 */
export function parseTimestamp(ts: unknown): number | string {
  if (typeof ts === 'number') {
    if (!Number.isFinite(ts)) return 'must be a finite number';
    return outOfRange(ts, String(ts)) ?? ts;
  }
  if (typeof ts === 'string') return parseIso(ts);
  return ts === undefined ? 'is required' : 'must be a number (epoch ms) or an ISO 8601 string';
}

/**
 * The same for a query parameter, where every value is text: a decimal numeral is epoch milliseconds,
 * anything else must be an ISO 8601 date-time. Returns epoch milliseconds or the reason it is refused.
 */
export function parseTimestampParam(raw: string): number | string {
  return parseTimestamp(/^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw);
}

/** JSON Schema of a timestamp field for API documents; parseTimestamp decides and gives the reasons. */
export const timestampSchema = {
  type: ['string', 'number'],
  description:
    'epoch milliseconds, or ISO 8601 (RFC 3339) YYYY-MM-DDThh:mm[:ss[.fraction]] with a zone: Z, ±hh:mm or ±hhmm',
} as const;
