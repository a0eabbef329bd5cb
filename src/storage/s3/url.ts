import { ValidationError } from '../../domain/errors.ts';

/** Where an `s3://` object store lives; credentials never come from the URL. */
export interface S3Location {
  bucket: string;
  /** Prepended to every key: '' or ending in `/`. */
  prefix: string;
  /** http(s)://host:port of an S3-compatible server (MinIO, Versity); undefined: AWS S3. */
  endpoint?: string;
  region: string;
  /** Path-style addressing (`endpoint/bucket/key`), which MinIO and most S3-compatible servers need. */
  forcePathStyle: boolean;
}

const PARAMS = new Set(['endpoint', 'region', 'forcePathStyle']);

/**
 * Parses `s3://bucket[/prefix]?endpoint=http://host:port&region=…&forcePathStyle=true`. `region` defaults
 * to AWS_REGION, then us-east-1; `forcePathStyle` to true when an endpoint is given (MinIO), else false.
 * Throws ValidationError (field `objectStore.url`) naming the part at fault: another scheme, credentials in
 * the URL (they come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the SDK's default chain), a bucket
 * name S3 refuses, an unknown parameter, an endpoint that is not http(s).
 */
export function parseS3Url(url: string, env: NodeJS.ProcessEnv = process.env): S3Location {
  const field = 'objectStore.url';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(field, `not a URL: ${url}`);
  }
  if (parsed.protocol !== 's3:')
    throw new ValidationError(field, `expected s3://bucket, got ${parsed.protocol}`);
  if (parsed.username || parsed.password)
    throw new ValidationError(
      field,
      'credentials are not taken from the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)',
    );
  if (parsed.port) throw new ValidationError(field, 'the port belongs in ?endpoint=, not after the bucket');
  const bucket = parsed.hostname;
  // S3's bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..'))
    throw new ValidationError(
      field,
      `bucket ${JSON.stringify(bucket)}: 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit`,
    );
  const unknown = [...parsed.searchParams.keys()].filter((k) => !PARAMS.has(k));
  if (unknown.length)
    throw new ValidationError(
      field,
      `unknown parameter ${unknown.join(', ')}; expected endpoint, region, forcePathStyle`,
    );
  const endpoint = parsed.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(endpoint))
    throw new ValidationError(field, `endpoint ${JSON.stringify(endpoint)}: expected http(s)://host:port`);
  const pathStyle = parsed.searchParams.get('forcePathStyle');
  if (pathStyle !== null && pathStyle !== 'true' && pathStyle !== 'false')
    throw new ValidationError(
      field,
      `forcePathStyle: expected true or false, got ${JSON.stringify(pathStyle)}`,
    );
  let prefix = decodeURIComponent(parsed.pathname.replace(/^\/+/, ''));
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  if (
    prefix
      .split('/')
      .slice(0, -1)
      .some((s) => s === '' || s === '.' || s === '..')
  )
    throw new ValidationError(field, `prefix ${JSON.stringify(prefix)}: empty, . or .. segment`);
  return {
    bucket,
    prefix,
    endpoint: endpoint?.replace(/\/$/, ''),
    region: parsed.searchParams.get('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    forcePathStyle: pathStyle === null ? endpoint !== undefined : pathStyle === 'true',
  };
}
