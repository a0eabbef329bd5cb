import { PassThrough, Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ValidationError } from '../../domain/errors.ts';
import {
  base64ToHex,
  bodyChunks,
  checkUpload,
  Digest,
  expectations,
  hexToBase64,
  verified,
} from '../object-digest.ts';
import {
  type ListOptions,
  type ObjectBody,
  ObjectChecksumMismatchError,
  ObjectCorruptedError,
  type ObjectInfo,
  ObjectNotFoundError,
  type ObjectPage,
  type ObjectStore,
  ObjectStoreError,
  ObjectStoreUnavailableError,
  type ObjectSummary,
  type PutOptions,
  validateListLimit,
  validateObjectKey,
  validateObjectPrefix,
} from '../ports/object-store.ts';
import { parseS3Url, type S3Location } from './url.ts';

export interface S3ObjectStoreOptions {
  /** Explicit keys (from secret settings); otherwise the SDK's default chain (AWS_ACCESS_KEY_ID…, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Multipart part size in bytes, at least 5 MiB (S3's minimum). Default 8 MiB: up to ~78 GiB unsized. */
  partSizeBytes?: number;
  /** Attempts per request, with the SDK's backoff and jitter for throttling, 5xx and network errors. Default 3. */
  maxAttempts?: number;
}

const MIN_PART = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
const NETWORK =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up/;
const CHECKSUM_REFUSALS = new Set(['BadDigest', 'XAmzContentChecksumMismatch', 'InvalidDigest']);
const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden']);
const HEX64 = /^[0-9a-f]{64}$/;

/** An error's name, message, HTTP status and network code, through wrappers. */
function describe(err: unknown): { name: string; message: string; status?: number; network: boolean } {
  const e = err as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const text = [e?.code, e?.message, (e as { cause?: { code?: string } })?.cause?.code].join(' ');
  return {
    name: e?.name ?? 'Error',
    message: e?.message ?? String(err),
    status: e?.$metadata?.httpStatusCode,
    network: NETWORK.test(text),
  };
}

/**
 * The object store on S3 or an S3-compatible server (MinIO, Versity S3 Gateway) through the AWS SDK v3.
 * Uploads up to one part (8 MiB) go in one PutObject carrying `x-amz-checksum-sha256`, which the server
 * checks; larger ones are multipart (lib-storage), each part carrying its SHA-256 for the server to check,
 * and the whole-object SHA-256 counted here: a mismatch fails the stream before CompleteMultipartUpload,
 * so the upload is aborted and nothing appears. The object's SHA-256 is kept in `x-amz-meta-sha256` when
 * known up front and checked on get().
 */
export class S3ObjectStore implements ObjectStore {
  readonly scheme = 's3' as const;
  readonly durable = true;
  readonly location: S3Location;
  readonly client: S3Client;
  private readonly partSize: number;

  constructor(url: string, options: S3ObjectStoreOptions = {}) {
    this.location = parseS3Url(url);
    const partSize = options.partSizeBytes ?? 8 * 1024 * 1024;
    if (!Number.isInteger(partSize) || partSize < MIN_PART)
      throw new ValidationError(
        'partSizeBytes',
        `expected at least ${MIN_PART} bytes (S3's minimum part), got ${partSize}`,
      );
    this.partSize = partSize;
    this.client = new S3Client({
      region: this.location.region,
      endpoint: this.location.endpoint,
      forcePathStyle: this.location.forcePathStyle,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts ?? 3,
    });
  }

  private get bucket(): string {
    return this.location.bucket;
  }

  private where(): string {
    return `bucket ${this.bucket}${this.location.endpoint ? ` at ${this.location.endpoint}` : ''}`;
  }

  /** The port's error for an SDK or network failure. */
  private failure(err: unknown, key?: string): Error {
    if (
      err instanceof ValidationError ||
      err instanceof ObjectStoreError ||
      err instanceof ObjectNotFoundError
    )
      return err as Error;
    if (err instanceof ObjectStoreUnavailableError || err instanceof ObjectCorruptedError) return err;
    const { name, message, status, network } = describe(err);
    if (name === 'AbortError') return err as Error;
    if (name === 'NoSuchBucket')
      return new ObjectStoreError(`${this.where()} does not exist`, { cause: err });
    if (key !== undefined && (name === 'NoSuchKey' || name === 'NotFound' || status === 404))
      return new ObjectNotFoundError(key);
    if (DENIED.has(name) || status === 403)
      return new ObjectStoreError(`access to ${this.where()} denied (check the credentials): ${name}`, {
        cause: err,
      });
    if (key !== undefined && /checksum mismatch/i.test(message)) {
      const [expected = '?', actual = '?'] = [...message.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      return new ObjectCorruptedError(key, expected, actual);
    }
    if (
      network ||
      (status !== undefined && status >= 500) ||
      ['SlowDown', 'TimeoutError', 'RequestTimeout'].includes(name)
    )
      return new ObjectStoreUnavailableError(`${this.where()} unavailable: ${message}`, { cause: err });
    return new ObjectStoreError(`${this.where()}: ${name}: ${message}`, { cause: err });
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    validateObjectKey(key);
    const expected = expectations(options);
    const digest = new Digest();
    // The body failing (the caller's source: a database read, a process) is the caller's error, not the store's.
    let bodyFailure: { err: unknown } | undefined;
    const chunks = (async function* () {
      try {
        for await (const chunk of bodyChunks(body)) {
          digest.update(chunk);
          yield chunk;
        }
      } catch (err) {
        // An abort is the upload failing and cancelling the read: the store's error then says why.
        if ((err as Error)?.name !== 'AbortError') bodyFailure = { err };
        throw err;
      }
    })();
    try {
      // Read up to one part: a body that ends within it goes in one PutObject the server checks whole.
      const first: Buffer[] = [];
      let bytes = 0;
      while (bytes <= this.partSize) {
        const next = await chunks.next();
        if (next.done) return await this.putWhole(key, Buffer.concat(first), digest, expected, options);
        first.push(next.value);
        bytes += next.value.length;
      }
      return await this.putParts(key, first, chunks, digest, expected, options);
    } catch (err) {
      if (bodyFailure) throw bodyFailure.err;
      throw this.failure(err, key);
    } finally {
      // Closes the caller's stream if the upload stopped early; not awaited, a read may still be pending.
      chunks.return(undefined).catch(() => {});
    }
  }

  private async putWhole(
    key: string,
    bytes: Buffer,
    digest: Digest,
    expected: { size?: number; sha256?: string },
    options: PutOptions,
  ): Promise<ObjectInfo> {
    const sha256 = digest.hex();
    checkUpload(key, bytes.length, sha256, { size: expected.size });
    // The caller's SHA-256 when given, so that the server compares it with the bytes it received.
    const claimed = expected.sha256 ?? sha256;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.location.prefix + key,
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: options.contentType,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: hexToBase64(claimed),
          Metadata: { sha256: claimed },
        }),
        { abortSignal: options.signal },
      );
    } catch (err) {
      if (CHECKSUM_REFUSALS.has(describe(err).name))
        throw new ObjectChecksumMismatchError(
          key,
          'sha256',
          `SHA-256 ${claimed}`,
          `SHA-256 ${sha256} (refused by the server)`,
        );
      throw err;
    }
    return { key, size: bytes.length, sha256, lastModified: new Date() };
  }

  private async putParts(
    key: string,
    first: Buffer[],
    rest: AsyncGenerator<Buffer>,
    digest: Digest,
    expected: { size?: number; sha256?: string },
    options: PutOptions,
  ): Promise<ObjectInfo> {
    let sha256 = '';
    const all = async function* () {
      yield* first;
      yield* rest;
      sha256 = digest.hex();
      // Thrown before the last part is handed over: lib-storage aborts the upload instead of completing it.
      checkUpload(key, digest.size, sha256, expected);
    };
    const partSize = Math.max(this.partSize, Math.ceil((expected.size ?? 0) / MAX_PARTS));
    const stream = Readable.from(all());
    const upload = new Upload({
      client: this.client,
      partSize,
      queueSize: 4,
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket,
        Key: this.location.prefix + key,
        Body: stream,
        ContentType: options.contentType,
        ChecksumAlgorithm: 'SHA256',
        Metadata: expected.sha256 ? { sha256: expected.sha256 } : undefined,
      },
    });
    const abort = () => void upload.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await upload.done();
    } catch (err) {
      stream.destroy();
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
    return { key, size: digest.size, sha256, lastModified: new Date() };
  }

  async get(key: string, options: { signal?: AbortSignal } = {}): Promise<Readable> {
    validateObjectKey(key);
    const out = await this.client
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.location.prefix + key }), {
        abortSignal: options.signal,
      })
      .catch((err) => {
        throw this.failure(err, key);
      });
    const body = out.Body as Readable;
    const mapped = new PassThrough();
    body.on('error', (err) => mapped.destroy(this.failure(err, key)));
    body.pipe(mapped);
    // The SDK checks a whole-object checksum itself; a multipart object's is per part, so check ours.
    const wholeChecked =
      out.ChecksumSHA256 && !out.ChecksumSHA256.includes('-') && out.ChecksumType !== 'COMPOSITE';
    const recorded = out.Metadata?.sha256;
    return recorded && HEX64.test(recorded) && !wholeChecked ? verified(mapped, key, recorded) : mapped;
  }

  async head(key: string): Promise<ObjectInfo> {
    validateObjectKey(key);
    const out = await this.client
      .send(
        new HeadObjectCommand({
          Bucket: this.bucket,
          Key: this.location.prefix + key,
          ChecksumMode: 'ENABLED',
        }),
      )
      .catch((err) => {
        throw this.failure(err, key);
      });
    const recorded = out.Metadata?.sha256;
    let sha256: string | null = recorded && HEX64.test(recorded) ? recorded : null;
    if (
      !sha256 &&
      out.ChecksumSHA256 &&
      !out.ChecksumSHA256.includes('-') &&
      out.ChecksumType !== 'COMPOSITE'
    )
      sha256 = base64ToHex(out.ChecksumSHA256);
    return { key, size: out.ContentLength ?? 0, sha256, lastModified: out.LastModified ?? new Date(0) };
  }

  async list(prefix = '', options: ListOptions = {}): Promise<ObjectPage> {
    validateObjectPrefix(prefix);
    const out = await this.client
      .send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.location.prefix + prefix,
          MaxKeys: validateListLimit(options.limit),
          ContinuationToken: options.cursor,
        }),
      )
      .catch((err) => {
        throw this.failure(err);
      });
    const objects = (out.Contents ?? []).map((o) => ({
      key: (o.Key ?? '').slice(this.location.prefix.length),
      size: o.Size ?? 0,
      lastModified: o.LastModified ?? new Date(0),
    }));
    return { objects, next: out.IsTruncated && out.NextContinuationToken ? out.NextContinuationToken : null };
  }

  async *listAll(prefix = ''): AsyncIterable<ObjectSummary> {
    let cursor: string | undefined;
    do {
      const page = await this.list(prefix, { cursor });
      yield* page.objects;
      cursor = page.next ?? undefined;
    } while (cursor);
  }

  async delete(key: string): Promise<void> {
    validateObjectKey(key);
    await this.client
      .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.location.prefix + key }))
      .catch((err) => {
        const failure = this.failure(err, key);
        if (!(failure instanceof ObjectNotFoundError)) throw failure;
      });
  }

  async probe(signal?: AbortSignal): Promise<string> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: signal });
    } catch (err) {
      const { name, status } = describe(err);
      if (name === 'NotFound' || status === 404) throw new ObjectStoreError(`${this.where()} does not exist`);
      throw this.failure(err);
    }
    return `${this.where()} reachable`;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
