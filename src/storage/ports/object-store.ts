import type { Readable } from 'node:stream';
import { NotFoundError, UnavailableError, ValidationError } from '../../domain/errors.ts';

/**
 * The object store port: whole files (exports, backups, models) by key, streamed in and out. Adapters:
 * `file://` (a folder, embedded mode) and `s3://` (MinIO or any S3). Keys are S3 keys: `/` separates
 * folders, order is by UTF-8 bytes.
 */

/** What put() reads: a stream, an async iterable of byte chunks, or the bytes themselves. */
export type ObjectBody = Readable | AsyncIterable<Uint8Array | string> | Uint8Array | string;

export interface PutOptions {
  /** Bytes the body holds, when known: checked after the last byte, and sizes S3's multipart parts. */
  size?: number;
  /**
   * The body's SHA-256 as the caller computed it (64 hex digits): an upload whose bytes differ is refused
   * with ObjectChecksumMismatchError and leaves any earlier version in place.
   */
  sha256?: string;
  contentType?: string;
  /** Aborts the upload; nothing is stored. */
  signal?: AbortSignal;
}

/** One stored object as listed. */
export interface ObjectSummary {
  key: string;
  /** Bytes. */
  size: number;
  lastModified: Date;
}

/** One stored object as head() and put() describe it. */
export interface ObjectInfo extends ObjectSummary {
  /**
   * SHA-256 of the whole object, 64 hex digits, when the store knows it: always for `file://` and for
   * what put() returns; for `s3://`, objects stored in one part, or in several with `sha256` given.
   */
  sha256: string | null;
}

export interface ListOptions {
  /** Objects per page (1–1000; S3's own ceiling). Default 1000. */
  limit?: number;
  /** The `next` of the previous page. */
  cursor?: string;
}

export interface ObjectPage {
  objects: ObjectSummary[];
  /** Pass as `cursor` for the next page; null after the last one. */
  next: string | null;
}

export interface ObjectStore {
  /** The URL scheme of the adapter. */
  readonly scheme: 'file' | 's3';
  /** Whether what is stored survives the process (both adapters: yes). */
  readonly durable: boolean;
  /**
   * Stores the body under `key`, replacing any object there once the whole body is stored and checked:
   * readers see the old object or the new one, never a part. Returns what was stored: size, the SHA-256
   * counted while streaming, and the modification time (for `s3://`, the local clock at completion). Throws InvalidObjectKeyError,
   * ObjectChecksumMismatchError (sha256 or size differ), ObjectStoreUnavailableError, ObjectStoreError.
   */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<ObjectInfo>;
  /**
   * The object's bytes as a stream. Throws ObjectNotFoundError; the stream fails with ObjectCorruptedError
   * when the bytes read differ from the SHA-256 recorded at put().
   */
  get(key: string, options?: { signal?: AbortSignal }): Promise<Readable>;
  /** Size, SHA-256 and time of the object. Throws ObjectNotFoundError. */
  head(key: string): Promise<ObjectInfo>;
  /** One page of the objects whose keys start with `prefix`, in key order. */
  list(prefix?: string, options?: ListOptions): Promise<ObjectPage>;
  /** Every object whose key starts with `prefix`, in key order, page by page. */
  listAll(prefix?: string): AsyncIterable<ObjectSummary>;
  /** Removes the object; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** For doctor and readiness: a short description of what answered, or throws saying what is wrong. */
  probe(signal?: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

/** The store cannot be used until an operator acts (bucket missing, access denied, folder not writable). */
export class ObjectStoreError extends Error {}

/** The store is unreachable or busy; the same call may succeed later. */
export class ObjectStoreUnavailableError extends UnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 5);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export class ObjectNotFoundError extends NotFoundError {
  readonly key: string;
  constructor(key: string) {
    super(`object ${JSON.stringify(key)} not found`);
    this.key = key;
  }
}

export class InvalidObjectKeyError extends ValidationError {
  readonly key: string;
  constructor(key: string, reason: string) {
    super('key', `${JSON.stringify(key)} ${reason}`);
    this.key = key;
  }
}

/** An upload whose bytes are not the ones announced (field `sha256` or `size`): nothing was stored. */
export class ObjectChecksumMismatchError extends ValidationError {
  readonly key: string;
  readonly expected: string;
  readonly actual: string;
  constructor(key: string, field: 'sha256' | 'size', expected: string, actual: string) {
    super(field, `upload of ${JSON.stringify(key)} refused: expected ${expected}, received ${actual}`);
    this.key = key;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Bytes read back differ from the SHA-256 recorded when they were stored. */
export class ObjectCorruptedError extends Error {
  readonly key: string;
  constructor(key: string, expected: string, actual: string) {
    super(`object ${JSON.stringify(key)} is corrupted: stored SHA-256 ${expected}, read ${actual}`);
    this.key = key;
  }
}

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** Why a key is not portable between the adapters, or null when it is. */
function keyProblem(key: string): string | null {
  if (key.length === 0) return 'is empty';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `is longer than ${MAX_KEY_BYTES} UTF-8 bytes`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  const control = /[\u0000-\u001f\u007f]/.exec(key);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase();
    return `holds the control character U+${code}`;
  }
  if (key.includes('\\')) return 'holds a backslash';
  if (key.startsWith('/')) return 'is absolute (starts with /)';
  for (const segment of key.split('/')) {
    if (segment === '..') return 'holds a .. segment';
    if (segment === '.') return 'holds a . segment';
    if (segment === '') return 'holds an empty segment (// or a trailing /)';
  }
  return null;
}

/**
 * Refuses keys that are not portable between the adapters: empty, over 1 024 UTF-8 bytes, control
 * characters (NUL included), a backslash, a leading `/`, or a `.`, `..` or empty segment (`a//b`, `a/`) —
 * those would escape the `file://` root or name the same file twice. Throws InvalidObjectKeyError naming
 * the key and the reason; returns the key.
 */
export function validateObjectKey(key: string): string {
  if (typeof key !== 'string') throw new InvalidObjectKeyError(String(key), 'is not a string');
  const problem = keyProblem(key);
  if (problem) throw new InvalidObjectKeyError(key, problem);
  return key;
}

/**
 * Refuses a prefix that no valid key starts with (control characters, backslash, leading `/`, `../`);
 * a prefix may end inside a segment (`a/.` starts `a/.env`). Throws ValidationError on field `prefix`.
 */
export function validateObjectPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const problem = keyProblem(`${prefix}x`);
  if (problem && !problem.startsWith('is longer'))
    throw new ValidationError('prefix', `${JSON.stringify(prefix)} ${problem}`);
  return prefix;
}

/** Checks a caller's expected SHA-256 (64 hex digits); returns it in lower case. */
export function validateSha256(sha256: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(sha256))
    throw new ValidationError('sha256', `expected 64 hexadecimal digits, got ${JSON.stringify(sha256)}`);
  return sha256.toLowerCase();
}

/** Checks a page size: an integer in 1–1000. */
export function validateListLimit(limit: number | undefined): number {
  if (limit === undefined) return 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new ValidationError('limit', `expected an integer from 1 to 1000, got ${limit}`);
  return limit;
}
