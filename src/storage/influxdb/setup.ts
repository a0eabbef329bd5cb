import { influxQl } from './query.ts';
import type { InfluxTarget } from './url.ts';

/**
 * `mantis influx setup`: what the raw store needs on the server, made idempotently (a second run changes
 * nothing). v1: the database, a raw retention policy (the default; raw points expire), a long-term one, and
 * continuous queries that keep 1-minute mean/min/max/count of `readings` and `samples` in the long-term
 * policy. v2: the raw bucket, a long-term bucket, each with its retention, and a task that downsamples alike.
 */
export interface SetupOptions {
  /** Days raw points are kept (0: forever). */
  rawDays: number;
  /** Days the 1-minute aggregates are kept (0: forever). */
  longTermDays: number;
  /** v1: the long-term retention policy; v2: the long-term bucket (default `<bucket>_long_term`). */
  longTermName?: string;
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
  const db = t.database;
  const raw = t.retentionPolicy ?? 'raw';
  const longTerm = options.longTermName ?? 'long_term';
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
    const query =
      `CREATE CONTINUOUS QUERY ${quote(name)} ON ${quote(db)} BEGIN SELECT ${select} ` +
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
