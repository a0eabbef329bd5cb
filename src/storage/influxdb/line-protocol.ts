/**
 * InfluxDB line protocol (docs.influxdata.com/influxdb/v1.8/write_protocols/line_protocol_reference/):
 * `measurement,tag=value field=1.5 1700000000000000000`, one point per line, times in nanoseconds.
 *
 * Hand-written rather than taken from @influxdata/influxdb-client's Point: that escaper turns a newline into
 * the two characters `\n`, which InfluxDB stores as they are (a silent rename), where a name the protocol
 * cannot carry must be refused. The rules below were checked against InfluxDB 1.8.3's parser (a property
 * test writes awkward names to a real server and reads them back).
 */

/** A name or value the line protocol cannot carry; `field` names what (`measurement`, `tag key`…). */
export class LineProtocolError extends Error {
  readonly field: string;
  constructor(field: string, value: string, reason: string) {
    super(`${field} ${JSON.stringify(value)}: ${reason}`);
    this.field = field;
  }
}

export interface Point {
  measurement: string;
  /** Tags in any order; they are written sorted by key (what InfluxDB prefers). */
  tags: Record<string, string>;
  /** At least one field. Numbers are written as floats; bigint as integers (`i`). */
  fields: Record<string, number | bigint | string | boolean>;
  /** Nanoseconds since the Unix epoch. */
  timeNs: bigint;
}

/**
 * The parser of InfluxDB 1.x (and 2.x) keeps a backslash as it is, except before a character it escapes,
 * where the pair becomes that character. So a backslash right before such a character, or at the end (it
 * would escape the separator that follows), cannot be written; neither can a line break (it ends the line).
 */
function checkName(field: string, value: string, special: RegExp): void {
  if (value.length === 0) throw new LineProtocolError(field, value, 'must not be empty');
  if (/[\n\r]/.test(value)) throw new LineProtocolError(field, value, 'must not contain a line break');
  if (value.endsWith('\\')) throw new LineProtocolError(field, value, 'must not end with a backslash');
  for (let i = value.indexOf('\\'); i !== -1; i = value.indexOf('\\', i + 1)) {
    if (special.test(value[i + 1])) {
      throw new LineProtocolError(field, value, `must not have a backslash before "${value[i + 1]}"`);
    }
  }
}

/**
 * Characters a backslash may not precede: those escaped, and (found by writing to InfluxDB 1.8.3) `=` and
 * `"` in a measurement and `"` in keys, where the parser drops the backslash too.
 */
const MEASUREMENT_SPECIAL = /[, ="]/;
const KEY_SPECIAL = /[,= "]/;

/** A measurement name, commas and spaces escaped. Throws LineProtocolError for what cannot be written. */
export function escapeMeasurement(name: string): string {
  checkName('measurement', name, MEASUREMENT_SPECIAL);
  // A line starting with # is a comment: the point would be dropped without an error.
  if (name.startsWith('#')) throw new LineProtocolError('measurement', name, 'must not start with "#"');
  return name.replace(/[, ]/g, '\\$&');
}

/** A tag key, tag value or field key: commas, equals signs and spaces escaped. */
export function escapeKey(field: 'tag key' | 'tag value' | 'field key', name: string): string {
  checkName(field, name, KEY_SPECIAL);
  // 1.x refuses a tag named time and drops a field named time.
  if (field !== 'tag value' && name === 'time') throw new LineProtocolError(field, name, 'is reserved');
  return name.replace(/[,= ]/g, '\\$&');
}

/** A string field value, quoted: double quotes and backslashes escaped. */
export function quoteString(value: string): string {
  if (/[\n\r]/.test(value))
    throw new LineProtocolError('string field', value, 'must not contain a line break');
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function fieldValue(key: string, value: number | bigint | string | boolean): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new LineProtocolError('field value', key, `is ${value}; must be finite`);
    // A float: an integral number without a suffix is a float too (no `i`), so a series never changes type.
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}i`;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return quoteString(value);
}

/** One point as one line (no line break). Throws LineProtocolError naming the part that cannot be written. */
export function encodePoint(point: Point): string {
  let line = escapeMeasurement(point.measurement);
  for (const key of Object.keys(point.tags).sort()) {
    line += `,${escapeKey('tag key', key)}=${escapeKey('tag value', point.tags[key])}`;
  }
  const fields = Object.entries(point.fields);
  if (fields.length === 0) throw new LineProtocolError('fields', point.measurement, 'a point needs a field');
  line += ` ${fields.map(([k, v]) => `${escapeKey('field key', k)}=${fieldValue(k, v)}`).join(',')}`;
  return `${line} ${point.timeNs}`;
}

/**
 * Epoch milliseconds (fractions allowed) as epoch nanoseconds. The fraction is kept to the microsecond, which
 * is all a float of epoch milliseconds holds exactly today (and what the database's timestamptz keeps), so
 * that one instant always maps to one timestamp: a replay overwrites the point instead of adding one.
 */
export function msToNs(ms: number): bigint {
  if (!Number.isFinite(ms)) throw new LineProtocolError('timestamp', String(ms), 'must be finite');
  return BigInt(Math.round(ms * 1000)) * 1000n;
}

/** Epoch nanoseconds as epoch milliseconds (a float; sub-microsecond digits may round). */
export function nsToMs(ns: bigint): number {
  const ms = ns / 1_000_000n;
  return Number(ms) + Number(ns - ms * 1_000_000n) / 1e6;
}

/**
 * The time of sample `i` of a block that starts at `startNs`, `rateHz` samples per second: rounded to the
 * nanosecond from the block's start, so that drift never accumulates across a block.
 */
export function sampleTimeNs(startNs: bigint, i: number, rateHz: number): bigint {
  return startNs + BigInt(Math.round((i * 1e9) / rateHz));
}
