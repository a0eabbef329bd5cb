import { createHash, type Hash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { ValidationError } from '../domain/errors.ts';
import {
  type ObjectBody,
  ObjectChecksumMismatchError,
  ObjectCorruptedError,
  type PutOptions,
  validateSha256,
} from './ports/object-store.ts';

/** Shared by the object store adapters: bodies as byte chunks, and SHA-256 counted as they pass. */

/** The body as Buffers, whatever form it came in (a string is UTF-8). */
export async function* bodyChunks(body: ObjectBody): AsyncGenerator<Buffer> {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    if (body.length > 0) yield Buffer.from(body as Uint8Array);
    return;
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buffer.length > 0) yield buffer;
  }
}

/** SHA-256 and length of the bytes seen so far. */
export class Digest {
  private readonly hash: Hash = createHash('sha256');
  size = 0;
  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.size += chunk.length;
  }
  /** The digest in hex; call once, after the last byte. */
  hex(): string {
    return this.hash.digest('hex');
  }
}

/** The caller's announced size and SHA-256, checked before any byte is read; throws ValidationError. */
export function expectations(options: PutOptions): { size?: number; sha256?: string } {
  if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0))
    throw new ValidationError('size', `expected a whole number of bytes, got ${options.size}`);
  return {
    size: options.size,
    sha256: options.sha256 === undefined ? undefined : validateSha256(options.sha256),
  };
}

/** Throws ObjectChecksumMismatchError when the bytes seen are not the ones announced. */
export function checkUpload(key: string, size: number, sha256: string, expected: PutOptions): void {
  if (expected.size !== undefined && expected.size !== size)
    throw new ObjectChecksumMismatchError(key, 'size', `${expected.size} bytes`, `${size} bytes`);
  if (expected.sha256 !== undefined && expected.sha256 !== sha256)
    throw new ObjectChecksumMismatchError(key, 'sha256', `SHA-256 ${expected.sha256}`, `SHA-256 ${sha256}`);
}

/**
 * The source's bytes, failing with ObjectCorruptedError at the end when their SHA-256 is not `expected`
 * (hex); the caller must not act on the bytes before the stream ends without error.
 */
export function verified(source: Readable, key: string, expected: string): Readable {
  const digest = new Digest();
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      digest.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = digest.hex();
      callback(actual === expected ? null : new ObjectCorruptedError(key, expected, actual));
    },
  });
  source.on('error', (err) => check.destroy(err));
  return source.pipe(check);
}

/** Base64 (S3's checksum headers) to hex. */
export const base64ToHex = (value: string) => Buffer.from(value, 'base64').toString('hex');
/** Hex to base64 (S3's checksum headers). */
export const hexToBase64 = (value: string) => Buffer.from(value, 'hex').toString('base64');
