import { readFileSync } from 'node:fs';

/**
 * The raw store's InfluxDB URL:
 * - v1: `influxdb://host:8086/<database>?rp=<retention policy>` → `/write?db=&rp=`, InfluxQL on `/query`;
 *   user and password from INFLUX_USERNAME and INFLUX_PASSWORD (or the files INFLUX_USERNAME_FILE,
 *   INFLUX_PASSWORD_FILE name), sent as HTTP basic auth.
 * - v2: `influxdb2://host:8086?org=<org>&bucket=<bucket>`, or `influxdb://…` with `org` and `bucket` →
 *   `/api/v2/write?org=&bucket=`, Flux on `/api/v2/query`; the token from INFLUX_TOKEN (or the file
 *   INFLUX_TOKEN_FILE names), sent as `Authorization: Token …`. On InfluxDB 1.8 (its compatibility API) the
 *   bucket is `database/retention-policy` and the token `user:password`.
 * Tuning, all optional: `tls=true` (https), `batch` (points per request, default 5000), `flushMs` (longest a
 * point waits for others to fill a request, default 50), `buffer` (points held at most, default 200000),
 * `gzip` (default true), `timeoutMs` (per request, default 10000), `retryMs` (how long a failing request
 * is retried before the write fails back to its caller, default 30000).
 * Names the same variables as the `influx` command-line tools, so one environment serves both.
 */
export interface InfluxTarget {
  api: 'v1' | 'v2';
  /** http(s)://host:port */
  baseUrl: string;
  /** v1 */
  database: string;
  retentionPolicy: string | null;
  /** v2 */
  org: string;
  bucket: string;
  /** The Authorization header, or null when the server has no auth. */
  authorization: string | null;
  batchPoints: number;
  flushMs: number;
  bufferPoints: number;
  gzip: boolean;
  timeoutMs: number;
  retryMs: number;
}

type Env = Record<string, string | undefined>;

/** A secret from the environment, or from the file `<name>_FILE` names; null when neither is set. */
function secret(env: Env, name: string): string | null {
  const file = env[`${name}_FILE`];
  if (file) return readFileSync(file, 'utf8').trim();
  return env[name] || null;
}

function positiveInt(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`raw store URL: ${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Parses an `influxdb://` or `influxdb2://` URL. Throws naming the part that is wrong or missing. */
export function parseInfluxUrl(text: string, env: Env = process.env): InfluxTarget {
  if (!URL.canParse(text)) throw new Error(`raw store URL: not a URL: ${JSON.stringify(text)}`);
  const url = new URL(text);
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'influxdb' && scheme !== 'influxdb2') {
    throw new Error(`raw store URL: scheme must be influxdb: or influxdb2:, got ${scheme}:`);
  }
  if (url.username || url.password) {
    throw new Error('raw store URL: credentials belong in INFLUX_USERNAME/INFLUX_PASSWORD or INFLUX_TOKEN');
  }
  const q = url.searchParams;
  const api = scheme === 'influxdb2' || q.has('bucket') || q.has('org') ? 'v2' : 'v1';
  const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  const org = q.get('org') ?? '';
  const bucket = q.get('bucket') ?? '';
  if (api === 'v1' && !database)
    throw new Error('raw store URL: the database is missing (influxdb://host:8086/<db>)');
  if (api === 'v2' && !bucket)
    throw new Error('raw store URL: bucket is missing (?org=<org>&bucket=<bucket>)');
  let authorization: string | null = null;
  if (api === 'v2') {
    const token = secret(env, 'INFLUX_TOKEN');
    if (token) authorization = `Token ${token}`;
  } else {
    const user = secret(env, 'INFLUX_USERNAME');
    const password = secret(env, 'INFLUX_PASSWORD') ?? '';
    if (user) authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  const tls = q.get('tls') === 'true';
  return {
    api,
    baseUrl: `${tls ? 'https' : 'http'}://${url.host || 'localhost:8086'}`,
    database,
    retentionPolicy: q.get('rp') || null,
    org,
    bucket,
    authorization,
    batchPoints: positiveInt(url, 'batch', 5000),
    flushMs: positiveInt(url, 'flushMs', 50),
    bufferPoints: positiveInt(url, 'buffer', 200_000),
    gzip: q.get('gzip') !== 'false',
    timeoutMs: positiveInt(url, 'timeoutMs', 10_000),
    retryMs: positiveInt(url, 'retryMs', 30_000),
  };
}

/** The write endpoint of the target, precision nanoseconds. */
export function writeUrl(t: InfluxTarget): string {
  const params =
    t.api === 'v1'
      ? new URLSearchParams({
          db: t.database,
          ...(t.retentionPolicy && { rp: t.retentionPolicy }),
          precision: 'ns',
        })
      : new URLSearchParams({ org: t.org, bucket: t.bucket, precision: 'ns' });
  return `${t.baseUrl}${t.api === 'v1' ? '/write' : '/api/v2/write'}?${params}`;
}
