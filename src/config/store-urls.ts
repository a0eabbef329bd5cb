import { ValidationError } from '../domain/errors.ts';
import { fileObjectStoreFolder } from '../storage/file/url.ts';
import { parseInfluxUrl } from '../storage/influxdb/url.ts';
import { parseS3Url } from '../storage/s3/url.ts';

/**
 * Checks of store URLs with the parsers their adapters use at start-up, so that a URL the adapter would
 * refuse is reported by the configuration (naming the setting) instead of failing once the process runs.
 * Each returns the reason a URL is refused, or null when its adapter accepts it (or it is not its scheme).
 */

/** The parser's reason, without the field or prefix it repeats (the configuration names the setting). */
function reasonOf(err: unknown): string {
  if (err instanceof ValidationError) return err.reason;
  return (err as Error).message.replace(/^raw store URL: /, '');
}

function refusal(parse: () => unknown): string | null {
  try {
    parse();
    return null;
  } catch (err) {
    return reasonOf(err);
  }
}

/**
 * `redis://[[user]:password@]host[:port][/db]` (rediss:// for TLS), as node-redis reads it: a host is
 * needed and the path, when present, is a database number. Hand-written: node-redis parses the URL only
 * when a client is created, and its errors do not name the part at fault.
 */
export function redisUrlProblem(url: string): string | null {
  if (!URL.canParse(url)) return `not a URL: ${JSON.stringify(url)}`;
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    return `expected redis:// or rediss://, got ${parsed.protocol}`;
  if (!parsed.hostname) return 'the host is missing (redis://host:6379[/db])';
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    return `database ${JSON.stringify(db)}: expected a number (redis://host:6379/0)`;
  return null;
}

/** The reason `url` is refused for the raw store, or null. Secrets are not read: only the URL's form. */
export function rawStoreUrlProblem(url: string): string | null {
  if (!/^influxdb2?:\/\//.test(url)) return null;
  return refusal(() => parseInfluxUrl(url, {}));
}

/** The reason `url` is refused for the object store (file:// or s3://), or null. */
export function objectStoreUrlProblem(url: string): string | null {
  if (url.startsWith('file://')) return refusal(() => fileObjectStoreFolder(url));
  if (url.startsWith('s3://')) return refusal(() => parseS3Url(url, {}));
  return null;
}

/** The reason `url` is refused for the online store, or null (memory: has nothing to check). */
export function onlineStoreUrlProblem(url: string): string | null {
  return /^rediss?:\/\//.test(url) ? redisUrlProblem(url) : null;
}
