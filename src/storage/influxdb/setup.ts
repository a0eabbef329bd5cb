import { ValidationError } from '../../domain/errors.ts';
import { influxQl } from './query.ts';
import type { InfluxTarget } from './url.ts';

/**
 * `mantis influx setup`: what the raw store needs on the server, made idempotently (a second run changes
 * nothing). v1: the database, a raw retention policy (the default; raw points expire), a long-term one, and
 * continuous queries that keep 1-minute mean/min/max/count of `readings` and `samples` in the long-term
 * policy, each run aggregating again the last `lookBackMinutes` (RESAMPLE … FOR). v2: the raw bucket, a long-term bucket, each with its retention, and a task that downsamples alike.
 */
export interface SetupOptions {
  /** Days raw points are kept (0: forever). */
  rawDays: number;
  /** Days the 1-minute aggregates are kept (0: forever). */
  longTermDays: number;
  /** v1: the long-term retention policy; v2: the long-term bucket (default `<bucket>_long_term`). */
  longTermName?: string;
  /**
   * Minutes of raw data each downsampling run aggregates again (default 60): points that arrive late (a
   * gateway's backlog, a raw-store outage) still reach their minute if they are at most this old.
   */
  lookBackMinutes?: number;
}

export const DEFAULT_LOOK_BACK_MINUTES = 60;
/** The longest InfluxDB duration: Go's time.Duration, int64 nanoseconds (2^63 - 1 ns ≈ 106751.99 days). */
export const MAX_DAYS = 106_751;
/** A week: longer would re-aggregate more raw data each minute than a late point justifies. */
export const MAX_LOOK_BACK_MINUTES = 10_080;

function checkWhole(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ValidationError(field, `must be a whole number from ${min} to ${max}, got ${value}`);
}

function checkName(field: string, name: string): void {
  if (name === '') throw new ValidationError(field, 'must not be empty');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw new ValidationError(field, `must not contain control characters, got ${JSON.stringify(name)}`);
}

/**
 * Checks the options and the target's names before setup reads or changes anything. Throws ValidationError
 * naming the field: days outside 0…MAX_DAYS, a look-back outside 1…MAX_LOOK_BACK_MINUTES, a name empty or
 * with control characters, or a long-term policy (bucket) equal to the raw one (the continuous queries would
 * read and write the same policy, and the raw retention would be changed to the long-term one).
 */
export function validateSetup(t: InfluxTarget, options: SetupOptions): void {
  checkWhole('rawDays', options.rawDays, 0, MAX_DAYS);
  checkWhole('longTermDays', options.longTermDays, 0, MAX_DAYS);
  checkWhole(
    'lookBackMinutes',
    options.lookBackMinutes ?? DEFAULT_LOOK_BACK_MINUTES,
    1,
    MAX_LOOK_BACK_MINUTES,
  );
  const raw = t.api === 'v1' ? (t.retentionPolicy ?? 'raw') : t.bucket;
  const longTerm = longTermNameOf(t, options);
  if (t.api === 'v1') {
    checkName('database', t.database);
    checkName('rp', raw);
  } else {
    checkName('org', t.org);
    checkName('bucket', raw);
  }
  checkName('longTermName', longTerm);
  if (longTerm === raw)
    throw new ValidationError(
      'longTermName',
      `must differ from the raw ${t.api === 'v1' ? 'retention policy' : 'bucket'} ${raw}`,
    );
}

/** The long-term retention policy (v1) or bucket (v2) setup makes. */
export function longTermNameOf(t: InfluxTarget, options: SetupOptions): string {
  return options.longTermName ?? (t.api === 'v1' ? 'long_term' : `${t.bucket}_long_term`);
}

/** Minutes as InfluxQL prints a duration (its largest whole unit), so a stored query compares equal. */
export function influxQlMinutes(minutes: number): string {
  if (minutes % 10_080 === 0) return `${minutes / 10_080}w`;
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

export interface SetupStep {
  /** What is done, as the server is told it (an InfluxQL statement, or an HTTP call). */
  description: string;
  apply(): Promise<void>;
}

/** What setup would do now (nothing when the server already matches) and what it found as wanted. */
export interface SetupPlan {
  steps: SetupStep[];
  unchanged: string[];
}

const DOWNSAMPLED = ['readings', 'samples'] as const;
const quote = (name: string) => `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
/** InfluxQL durations as SHOW RETENTION POLICIES prints them (Go's time.Duration). */
const goDuration = (days: number) => (days === 0 ? '0s' : `${days * 24}h0m0s`);
const influxQlDuration = (days: number) => (days === 0 ? 'INF' : `${days}d`);
/** A continuous query as the server prints it, compared without quotes and spacing. */
const normalise = (query: string) => query.replace(/"/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

/** Plans the setup of a v1 target (`influxdb://host/db?rp=`): reads the server, changes nothing. */
export async function planV1(t: InfluxTarget, options: SetupOptions): Promise<SetupPlan> {
  validateSetup(t, options);
  const db = t.database;
  const raw = t.retentionPolicy ?? 'raw';
  const longTerm = longTermNameOf(t, options);
  const lookBack = influxQlMinutes(options.lookBackMinutes ?? DEFAULT_LOOK_BACK_MINUTES);
  const steps: SetupStep[] = [];
  const unchanged: string[] = [];
  const run = (q: string) => ({ description: q, apply: async () => void (await influxQl(t, q)) });
  const [databases] = await influxQl({ ...t, database: '', retentionPolicy: null }, 'SHOW DATABASES');
  const exists = (databases[0]?.values ?? []).some(([name]) => name === db);
  if (exists) unchanged.push(`database ${db}`);
  else steps.push(run(`CREATE DATABASE ${quote(db)}`));

  const policies = new Map<string, { duration: string; isDefault: boolean }>();
  if (exists) {
    const [rows] = await influxQl(t, `SHOW RETENTION POLICIES ON ${quote(db)}`);
    const columns = rows[0]?.columns ?? [];
    for (const row of rows[0]?.values ?? []) {
      const get = (c: string) => row[columns.indexOf(c)];
      policies.set(String(get('name')), {
        duration: String(get('duration')),
        isDefault: get('default') === true,
      });
    }
  }
  for (const [name, days, isDefault] of [
    [raw, options.rawDays, true],
    [longTerm, options.longTermDays, false],
  ] as const) {
    const found = policies.get(name);
    const on = `${quote(name)} ON ${quote(db)} DURATION ${influxQlDuration(days)}`;
    const makeDefault = isDefault ? ' DEFAULT' : '';
    if (!found) steps.push(run(`CREATE RETENTION POLICY ${on} REPLICATION 1${makeDefault}`));
    else if (found.duration !== goDuration(days) || (isDefault && !found.isDefault))
      steps.push(run(`ALTER RETENTION POLICY ${on}${makeDefault}`));
    else unchanged.push(`retention policy ${name} (${found.duration})`);
  }

  const existing = new Map<string, string>();
  if (exists) {
    const [series] = await influxQl(t, 'SHOW CONTINUOUS QUERIES');
    for (const s of series.filter((x) => x.name === db))
      for (const [name, q] of s.values) existing.set(String(name), String(q));
  }
  for (const measurement of DOWNSAMPLED) {
    const name = `${measurement}_1m`;
    const select = ['mean', 'min', 'max', 'count'].map((f) => `${f}("value") AS ${quote(f)}`).join(', ');
    // RESAMPLE … FOR: each run aggregates the last `lookBack` again, so late points reach their minute.
    const query =
      `CREATE CONTINUOUS QUERY ${quote(name)} ON ${quote(db)} RESAMPLE EVERY 1m FOR ${lookBack} ` +
      `BEGIN SELECT ${select} ` +
      `INTO ${quote(db)}.${quote(longTerm)}.${quote(name)} FROM ${quote(db)}.${quote(raw)}.${quote(measurement)} ` +
      'GROUP BY time(1m), * END';
    const found = existing.get(name);
    if (found !== undefined && normalise(found) === normalise(query)) {
      unchanged.push(`continuous query ${name}`);
      continue;
    }
    // A continuous query cannot be altered: a different one is dropped and made again.
    if (found !== undefined) steps.push(run(`DROP CONTINUOUS QUERY ${quote(name)} ON ${quote(db)}`));
    steps.push(run(query));
  }
  return { steps, unchanged };
}
