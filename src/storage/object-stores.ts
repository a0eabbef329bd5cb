import { ValidationError } from '../domain/errors.ts';
import { FileObjectStore } from './file/object-store.ts';
import type { ObjectStore } from './ports/object-store.ts';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3/object-store.ts';

/** The object store schemes this build supports, and whether what they store survives the process. */
export const objectStoreSchemes = {
  'file:': { durable: true, example: 'file://./data/objects' },
  's3:': { durable: true, example: 's3://bucket?endpoint=http://minio:9000&region=us-east-1' },
} as const;

/**
 * The object store a URL names: `file://<folder>` or `s3://bucket[/prefix]?endpoint=…&region=…`. S3
 * credentials come from `options.credentials` (secret settings) or the SDK's default chain
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles), never from the URL. Nothing is
 * contacted here: call probe() for doctor and readiness. Throws ValidationError (field `objectStore.url`)
 * for an unknown scheme or a malformed URL.
 */
export function createObjectStore(url: string, options: S3ObjectStoreOptions = {}): ObjectStore {
  if (url.startsWith('file://')) return new FileObjectStore(url);
  if (url.startsWith('s3://')) return new S3ObjectStore(url, options);
  throw new ValidationError(
    'objectStore.url',
    `unsupported scheme in ${url}; expected one of: ${Object.values(objectStoreSchemes)
      .map((s) => s.example)
      .join(', ')}`,
  );
}

/** The object store URL after defaults that depend on other settings: file://<dataDir>/objects. */
export function objectStoreUrl(config: { dataDir: string; objectStore?: { url?: string } }): string {
  const folder = config.dataDir.replace(/[%?#]/g, (c) => encodeURIComponent(c));
  return config.objectStore?.url ?? `file://${folder}/objects`;
}
