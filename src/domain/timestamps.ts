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
  // The year as written decides, as the API document's pattern states it: 2000-01-01T00:30+01:00 is taken.
  if (year < 2000) return `${text} is before 2000-01-01`;
  if (year > 2099) return `${text} is after 2100-01-01`;
  return ms;
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

// The API document states what parseTimestamp and parseTimestampParam take, exactly, so that a client and a
// property-based tester know valid from invalid without calling: every calendar date of 2000–2099 (leap days
// of the years divisible by 4; 2000 is one), hours 00–23, minutes and seconds 00–59, offsets ±00:00–23:59.
const DAY =
  '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))';
const DATE = `(?:20\\d{2}-${DAY}|20(?:[02468][048]|[13579][26])-02-29)`;
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?';
const ZONE = '(?:[Zz]|[+-](?:[01]\\d|2[0-3]):?[0-5]\\d)';

/** ISO 8601 / RFC 3339 date-times parseTimestamp takes: a date of 2000–2099 with a time and a zone. */
export const ISO_TIMESTAMP_PATTERN = `^${DATE}[Tt]${TIME}${ZONE}$`;

/**
 * Decimal epoch milliseconds parseTimestampParam takes: [MIN_TS, MAX_TS) = [946684800000, 4102444800000),
 * leading zeros and a fraction allowed, as Number() reads them.
 */
export const EPOCH_MS_TEXT_PATTERN =
  '^0*(?:9(?:[5-9]\\d{10}|4(?:[7-9]\\d{9}|6(?:[7-9]\\d{8}|6(?:9\\d{7}|8(?:[5-9]\\d{6}|4[89]\\d{5})))))' +
  '|[1-3]\\d{12}|4(?:0\\d{11}|1(?:0(?:[01]\\d{9}|2(?:[0-3]\\d{8}|4(?:[0-3]\\d{7}|4(?:[0-3]\\d{6}|4[0-7]\\d{5})))))))' +
  '(?:\\.\\d+)?$';

const ISO_DESCRIPTION =
  'ISO 8601 (RFC 3339) YYYY-MM-DDThh:mm[:ss[.fraction]] with a zone (Z, ±hh:mm or ±hhmm), year 2000–2099';

/** JSON Schema of a timestamp field of a body: parseTimestamp takes exactly what it allows. */
export const timestampSchema = {
  anyOf: [
    {
      type: 'number',
      minimum: MIN_TS,
      exclusiveMaximum: MAX_TS,
      description: 'epoch milliseconds, 2000-01-01 to 2100-01-01',
    },
    { type: 'string', pattern: ISO_TIMESTAMP_PATTERN, description: ISO_DESCRIPTION },
  ],
  description: 'epoch milliseconds or ISO 8601 with a zone, 2000–2099',
} as const;

/** JSON Schema of a timestamp query parameter: parseTimestampParam takes exactly what it allows. */
export const timestampParamSchema = {
  type: 'string',
  anyOf: [
    { type: 'string', pattern: ISO_TIMESTAMP_PATTERN, description: ISO_DESCRIPTION },
    {
      type: 'string',
      pattern: EPOCH_MS_TEXT_PATTERN,
      description: 'epoch milliseconds, 2000-01-01 to 2100-01-01',
    },
  ],
  description:
    'ISO 8601 with a zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, 2000-01-01 to 2100-01-01',
} as const;
