import { UnavailableError } from '../../domain/errors.ts';
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

/** One failed query: unreachable or 5xx → UnavailableError (503 to API callers); else an Error. */
async function post(url: string, init: RequestInit, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new UnavailableError(`the raw store (InfluxDB) is unreachable: ${(err as Error).message}`, 5);
  }
  const text = await response.text();
  if (response.status >= 500 || response.status === 429) {
    throw new UnavailableError(`the raw store (InfluxDB) failed: HTTP ${response.status}`, 5);
  }
  if (!response.ok) throw new Error(`InfluxDB refused a query: HTTP ${response.status} ${text.trim()}`);
  return text;
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
): Promise<InfluxQlSeries[][]> {
  const body = new URLSearchParams({ q, params: JSON.stringify(params) });
  if (t.database) body.set('db', t.database);
  if (t.retentionPolicy) body.set('rp', t.retentionPolicy);
  const headers: Record<string, string> = {};
  if (t.authorization) headers.authorization = t.authorization;
  const text = await post(`${t.baseUrl}/query`, { method: 'POST', headers, body }, t.timeoutMs);
  const json = JSON.parse(text) as {
    error?: string;
    results?: { error?: string; series?: InfluxQlSeries[] }[];
  };
  if (json.error) throw new Error(`InfluxQL: ${json.error}`);
  return (json.results ?? []).map((r) => {
    if (r.error) throw new Error(`InfluxQL: ${r.error}`);
    return r.series ?? [];
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
export async function flux(t: InfluxTarget, query: string): Promise<Record<string, string>[]> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/csv' };
  if (t.authorization) headers.authorization = t.authorization;
  const body = JSON.stringify({ query, type: 'flux', dialect: { header: true, annotations: [] } });
  const params = new URLSearchParams({ org: t.org });
  const text = await post(
    `${t.baseUrl}/api/v2/query?${params}`,
    { method: 'POST', headers, body },
    t.timeoutMs,
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

/** Whether InfluxDB answers `/ping` (1.x and 2.x both serve it), with its version; throws when it does not. */
export async function ping(t: InfluxTarget): Promise<string> {
  const response = await fetch(`${t.baseUrl}/ping`, { signal: AbortSignal.timeout(t.timeoutMs) });
  await response.body?.cancel();
  if (response.status !== 204 && !response.ok)
    throw new Error(`InfluxDB /ping answered HTTP ${response.status}`);
  return response.headers.get('x-influxdb-version') ?? 'unknown version';
}
