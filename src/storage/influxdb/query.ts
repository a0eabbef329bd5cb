import { RawStoreUnavailableError } from './errors.ts';
import type { InfluxTarget } from './url.ts';

/** Query transport for both APIs: InfluxQL on v1 `/query`, Flux on v2 `/api/v2/query`. */

/** An RFC 3339 time with up to nine fractional digits (what InfluxDB answers) as epoch nanoseconds. */
export function rfc3339ToNs(text: string): bigint {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (!match) throw new Error(`not an RFC 3339 UTC time: ${text}`);
  const seconds = BigInt(Date.parse(`${match[1]}Z`) / 1000);
  return seconds * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** Epoch nanoseconds as RFC 3339 with nine fractional digits (a Flux time literal). */
export function nsToRfc3339(ns: bigint): string {
  const seconds = ns / 1_000_000_000n - (ns < 0n && ns % 1_000_000_000n !== 0n ? 1n : 0n);
  const fraction = ns - seconds * 1_000_000_000n;
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${base}.${String(fraction).padStart(9, '0')}Z`;
}

/** A Flux string literal. */
export function fluxString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/\$\{/g, '\\${')}"`;
}

/** An error's message with its cause's code (`fetch failed` alone does not say ECONNREFUSED). */
export function reasonOf(err: unknown): string {
  const code = ((err as Error).cause as { code?: string } | undefined)?.code;
  return `${(err as Error).message}${code ? ` (${code})` : ''}`;
}

/** Seconds a client is told to wait: an outage may end soon; a missing database or credentials need an operator. */
const OUTAGE_RETRY_S = 5;
const MISCONFIGURED_RETRY_S = 30;
const SETUP_HINT = 'run `mantis influx setup`';

/**
 * One query: unreachable, 5xx or 429 → RawStoreUnavailableError (an outage); 401/403 (credentials) and 404
 * (no such bucket) → RawStoreUnavailableError naming the reason; another refusal → an Error (a bad query).
 */
async function post(url: string, init: RequestInit, signal: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal });
  } catch (err) {
    throw new RawStoreUnavailableError(
      `the raw store (InfluxDB) is unreachable: ${reasonOf(err)}`,
      OUTAGE_RETRY_S,
    );
  }
  const text = (await response.text()).trim();
  if (response.status >= 500 || response.status === 429) {
    throw new RawStoreUnavailableError(
      `the raw store (InfluxDB) failed: HTTP ${response.status} ${text}`,
      OUTAGE_RETRY_S,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new RawStoreUnavailableError(
      `the raw store (InfluxDB) refused the credentials: HTTP ${response.status} ${text} ` +
        '(check INFLUX_USERNAME/INFLUX_PASSWORD or INFLUX_TOKEN)',
      MISCONFIGURED_RETRY_S,
    );
  }
  if (response.status === 404) {
    throw new RawStoreUnavailableError(
      `the raw store (InfluxDB) answered HTTP 404 ${text} — ${SETUP_HINT}`,
      MISCONFIGURED_RETRY_S,
    );
  }
  if (!response.ok) throw new Error(`InfluxDB refused a query: HTTP ${response.status} ${text}`);
  return text;
}

/** An InfluxQL error: a missing database or retention policy is the store's state, not the query's fault. */
function influxQlError(message: string): Error {
  const missing = /^(database|retention policy) not found: ?(.*)$/.exec(message);
  if (!missing) return new Error(`InfluxQL: ${message}`);
  return new RawStoreUnavailableError(
    `the raw store (InfluxDB): ${missing[1]} ${missing[2]} not found — ${SETUP_HINT}`,
    MISCONFIGURED_RETRY_S,
  );
}

export interface InfluxQlSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/**
 * Runs InfluxQL statements (`;`-separated) with bound parameters on v1 `/query`; returns each statement's
 * series. Times come back as RFC 3339 strings, which keep nanoseconds (JSON numbers would not).
 */
export async function influxQl(
  t: InfluxTarget,
  q: string,
  params: Record<string, string | number> = {},
  signal?: AbortSignal,
): Promise<InfluxQlSeries[][]> {
  const body = new URLSearchParams({ q, params: JSON.stringify(params) });
  if (t.database) body.set('db', t.database);
  if (t.retentionPolicy) body.set('rp', t.retentionPolicy);
  const headers: Record<string, string> = {};
  if (t.authorization) headers.authorization = t.authorization;
  const text = await post(
    `${t.baseUrl}/query`,
    { method: 'POST', headers, body },
    signal ?? AbortSignal.timeout(t.timeoutMs),
  );
  const json = JSON.parse(text) as {
    error?: string;
    results?: { error?: string; series?: InfluxQlSeries[] }[];
  };
  if (json.error) throw influxQlError(json.error);
  // InfluxDB 1.8 answers only "not executed" to several statements on a missing database: ask why.
  if (t.database && json.results?.some((r) => r.error === 'not executed'))
    await probeV1(t, signal ?? AbortSignal.timeout(t.timeoutMs));
  return (json.results ?? []).map((r) => {
    if (r.error) throw influxQlError(r.error);
    // InfluxDB leaves `values` out of an empty series (a database without continuous queries, say).
    return (r.series ?? []).map((s) => ({ ...s, values: s.values ?? [] }));
  });
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/**
 * Runs a Flux query on v2 `/api/v2/query` and returns its rows as objects keyed by column name. Several
 * tables come as blocks each with its header row (a blank line between them).
 */
export async function flux(
  t: InfluxTarget,
  query: string,
  signal?: AbortSignal,
): Promise<Record<string, string>[]> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/csv' };
  if (t.authorization) headers.authorization = t.authorization;
  const body = JSON.stringify({ query, type: 'flux', dialect: { header: true, annotations: [] } });
  const params = new URLSearchParams({ org: t.org });
  const text = await post(
    `${t.baseUrl}/api/v2/query?${params}`,
    { method: 'POST', headers, body },
    signal ?? AbortSignal.timeout(t.timeoutMs),
  );
  const rows: Record<string, string>[] = [];
  let columns: string[] | null = null;
  for (const block of text.split(/\r?\n\r?\n/)) {
    columns = null;
    for (const fields of parseCsv(block)) {
      if (!columns) {
        columns = fields;
        continue;
      }
      rows.push(Object.fromEntries(columns.map((c, i) => [c, fields[i]])));
    }
  }
  return rows;
}

/**
 * Whether the raw store can take writes and answer reads, within `t.timeoutMs` in all: InfluxDB answers
 * `/ping` (its version comes back), the credentials are accepted, and the database (with its retention policy
 * when the URL names one) or the bucket exists. A bare `/ping` would say ok with a dropped database or a
 * wrong password. Throws RawStoreUnavailableError (or an Error for an unexpected answer) saying why.
 */
export async function ping(t: InfluxTarget): Promise<string> {
  const signal = AbortSignal.timeout(t.timeoutMs);
  let response: Response;
  try {
    response = await fetch(`${t.baseUrl}/ping`, { signal });
  } catch (err) {
    throw new RawStoreUnavailableError(
      `the raw store (InfluxDB) is unreachable: ${reasonOf(err)}`,
      OUTAGE_RETRY_S,
    );
  }
  await response.body?.cancel();
  if (response.status !== 204 && !response.ok)
    throw new Error(`InfluxDB /ping answered HTTP ${response.status}`);
  const version = response.headers.get('x-influxdb-version') ?? 'unknown version';
  if (t.api === 'v1') await probeV1(t, signal);
  else await probeV2(t, signal);
  return version;
}

async function probeV1(t: InfluxTarget, signal: AbortSignal): Promise<void> {
  const db = `"${t.database.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  // Run without db=: a missing database then reads "database not found", not a query on nothing.
  const [policies] = await influxQl(
    { ...t, database: '', retentionPolicy: null },
    `SHOW RETENTION POLICIES ON ${db}`,
    {},
    signal,
  );
  const names = (policies[0]?.values ?? []).map(([name]) => String(name));
  if (t.retentionPolicy && !names.includes(t.retentionPolicy)) {
    throw new RawStoreUnavailableError(
      `the raw store (InfluxDB): retention policy ${t.retentionPolicy} not found on database ${t.database} — ${SETUP_HINT}`,
      MISCONFIGURED_RETRY_S,
    );
  }
}

async function probeV2(t: InfluxTarget, signal: AbortSignal): Promise<void> {
  const rows = await flux(t, 'buckets() |> keep(columns: ["name"])', signal);
  // InfluxDB 1.8 names its buckets db/rp: a bucket without a policy is the database's default one.
  const found = rows.some(
    (r) => r.name === t.bucket || (!t.bucket.includes('/') && r.name?.startsWith(`${t.bucket}/`)),
  );
  if (!found) {
    throw new RawStoreUnavailableError(
      `the raw store (InfluxDB): bucket ${t.bucket} not found — ${SETUP_HINT}`,
      MISCONFIGURED_RETRY_S,
    );
  }
}
