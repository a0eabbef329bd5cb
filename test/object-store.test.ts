import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../src/storage/object-stores.ts';
import {
  InvalidObjectKeyError,
  ObjectChecksumMismatchError,
  ObjectCorruptedError,
  ObjectNotFoundError,
  type ObjectStore,
  ObjectStoreError,
  ObjectStoreUnavailableError,
} from '../src/storage/ports/object-store.ts';
import type { S3ObjectStore } from '../src/storage/s3/object-store.ts';
import { type S3Server, startS3Server, versitygwAvailable } from './helpers/s3.ts';

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `bytes` in 1 MiB chunks, as a producer streaming them would hand them over. */
async function* streamed(bytes: Buffer, chunk = MiB): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

interface Adapter {
  name: string;
  /** A fresh, empty store, and where its object `key` lives on disk (the file, or the S3 server's file). */
  open(): { store: ObjectStore; fileOf(key: string): string };
}

const s3Available = (await versitygwAvailable()).available;
let s3: S3Server | undefined;
const folders: string[] = [];

const fileAdapter: Adapter = {
  name: 'file://',
  open() {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-objects-'));
    folders.push(dir);
    return { store: createObjectStore(`file://${dir}/objects`), fileOf: (key) => join(dir, 'objects', key) };
  },
};

const s3Adapter: Adapter = {
  name: 's3:// on the Versity S3 Gateway',
  open() {
    const server = s3 as S3Server;
    // A prefix of its own per test: the bucket is shared, the keys are not.
    const prefix = randomUUID();
    const url = `s3://mantis-objects/${prefix}?endpoint=${server.endpoint}&region=us-east-1&forcePathStyle=true`;
    return {
      store: createObjectStore(url, { credentials: server.credentials }),
      fileOf: (key) => join(server.dir, 'mantis-objects', prefix, key),
    };
  },
};

beforeAll(async () => {
  if (!s3Available) return;
  s3 = await startS3Server();
  s3.bucket('mantis-objects');
});

afterAll(async () => {
  await s3?.remove();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe.each([fileAdapter, ...(s3Available ? [s3Adapter] : [])])(
  'object store contract: $name',
  (adapter) => {
    it('round-trips empty, small and large (multipart) objects, streamed in and out', async () => {
      const { store } = adapter.open();
      const small = Buffer.from('timestamp,value\n1764300000000,52.4\n');
      const large = randomBytes(12 * MiB);
      for (const [key, bytes, body] of [
        ['empty', Buffer.alloc(0), Buffer.alloc(0)],
        ['small.csv', small, 'timestamp,value\n1764300000000,52.4\n'],
        ['exports/large.bin', large, streamed(large)],
      ] as const) {
        const before = Date.now();
        const stored = await store.put(key, body, { size: bytes.length });
        expect(stored).toMatchObject({ key, size: bytes.length, sha256: sha256(bytes) });
        const got = await read(await store.get(key));
        expect(got.length).toBe(bytes.length);
        expect(sha256(got)).toBe(sha256(bytes));
        const info = await store.head(key);
        expect(info.size).toBe(bytes.length);
        // Whole-object SHA-256 of a multipart S3 upload is known only when given up front (see below).
        const known = store.scheme === 'file' || bytes.length <= 8 * MiB;
        expect(info.sha256).toBe(known ? sha256(bytes) : null);
        expect(Math.abs(info.lastModified.getTime() - before)).toBeLessThan(60_000);
      }
      // With the SHA-256 given, a multipart object records it.
      await store.put('exports/checked.bin', streamed(large), { sha256: sha256(large) });
      expect((await store.head('exports/checked.bin')).sha256).toBe(sha256(large));
      expect(sha256(await read(await store.get('exports/checked.bin')))).toBe(sha256(large));
      await store.close();
    });

    it('keeps keys with spaces, unicode, + and % exactly', async () => {
      const { store } = adapter.open();
      const keys = [
        'with space/a b.txt',
        'ünïcødé/日本語 ✓.csv',
        'a+b=c',
        '100%',
        '%2F%20/encoded',
        'x/.hidden',
      ];
      for (const key of keys) await store.put(key, `body of ${key}`);
      for (const key of keys) expect((await read(await store.get(key))).toString()).toBe(`body of ${key}`);
      const listed = [];
      for await (const o of store.listAll()) listed.push(o.key);
      expect(listed).toEqual([...keys].sort(utf8Order));
      await store.close();
    });

    it('lists by prefix in UTF-8 byte order, page by page', async () => {
      const { store } = adapter.open();
      const keys = [
        ...Array.from({ length: 23 }, (_, i) => `p/a/${String(i).padStart(2, '0')}`),
        'p/a-b',
        'p/a.c',
        'p/ab/z',
        'p/é',
        'p/\u{1F600}',
        'p/\uFF21',
        'q/other',
      ];
      await Promise.all(keys.map((key) => store.put(key, key)));
      const expected = keys.filter((k) => k.startsWith('p/')).sort(utf8Order);
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list('p/', { limit: 7, cursor });
        pages.push(page.objects.map((o) => o.key));
        for (const o of page.objects) expect(o.size).toBe(Buffer.byteLength(o.key));
        cursor = page.next ?? undefined;
      } while (cursor);
      expect(pages.length).toBe(Math.ceil(expected.length / 7));
      expect(pages.every((p, i) => p.length === (i < pages.length - 1 ? 7 : expected.length % 7 || 7))).toBe(
        true,
      );
      expect(pages.flat()).toEqual(expected);
      // A prefix ending inside a segment.
      const inside = [];
      for await (const o of store.listAll('p/a')) inside.push(o.key);
      expect(inside).toEqual(expected.filter((k) => k.startsWith('p/a')));
      expect(await store.list('nothing/')).toEqual({ objects: [], next: null });
      await store.close();
    });

    it('deletes, and a missing key is ObjectNotFoundError for get and head but not for delete', async () => {
      const { store } = adapter.open();
      await store.put('reports/a.txt', 'a');
      await store.put('reports/b.txt', 'b');
      await store.delete('reports/a.txt');
      await store.delete('reports/a.txt');
      await store.delete('never/was');
      for (const call of [
        () => store.get('reports/a.txt'),
        () => store.head('reports/a.txt'),
        () => store.get('never/was'),
      ]) {
        const err = await rejection(call());
        expect(err).toBeInstanceOf(ObjectNotFoundError);
        expect(err.message).toMatch(/^object "(reports\/a\.txt|never\/was)" not found$/);
      }
      const left = [];
      for await (const o of store.listAll()) left.push(o.key);
      expect(left).toEqual(['reports/b.txt']);
      await store.close();
    });

    it('overwrites, and concurrent puts to one key leave one whole version', async () => {
      const { store } = adapter.open();
      await store.put('model.bin', 'version one');
      await store.put('model.bin', 'version two, longer');
      expect((await read(await store.get('model.bin'))).toString()).toBe('version two, longer');
      const versions = Array.from({ length: 6 }, (_, i) => randomBytes(64 * 1024 + i));
      const others = Array.from({ length: 10 }, (_, i) => `many/${i}`);
      await Promise.all([
        ...versions.map((v) => store.put('same', v)),
        ...others.map((key) => store.put(key, key)),
      ]);
      const got = await read(await store.get('same'));
      expect(versions.some((v) => v.equals(got))).toBe(true);
      expect((await store.head('same')).sha256).toBe(sha256(got));
      for (const key of others) expect((await read(await store.get(key))).toString()).toBe(key);
      await store.close();
    });

    it('refuses an upload whose SHA-256 or size is not the announced one, keeping the earlier version', async () => {
      const { store } = adapter.open();
      await store.put('data.csv', 'good');
      const wrong = sha256(Buffer.from('something else'));
      const small = await rejection(store.put('data.csv', 'bad bytes', { sha256: wrong }));
      expect(small).toBeInstanceOf(ObjectChecksumMismatchError);
      expect(small.message).toBe(
        `sha256: upload of "data.csv" refused: expected SHA-256 ${wrong}, received SHA-256 ${sha256(Buffer.from('bad bytes'))}${store.scheme === 's3' ? ' (refused by the server)' : ''}`,
      );
      const size = await rejection(store.put('data.csv', 'eleven byte', { size: 10 }));
      expect(size.message).toBe('size: upload of "data.csv" refused: expected 10 bytes, received 11 bytes');
      const large = randomBytes(12 * MiB);
      const multipart = await rejection(store.put('data.csv', streamed(large), { sha256: wrong }));
      expect(multipart).toBeInstanceOf(ObjectChecksumMismatchError);
      expect(multipart.message).toBe(
        `sha256: upload of "data.csv" refused: expected SHA-256 ${wrong}, received SHA-256 ${sha256(large)}`,
      );
      expect((await read(await store.get('data.csv'))).toString()).toBe('good');
      const listed = [];
      for await (const o of store.listAll()) listed.push(o.key);
      expect(listed).toEqual(['data.csv']);
      if (store.scheme === 's3') {
        const s = store as S3ObjectStore;
        const uploads = await s.client.send(new ListMultipartUploadsCommand({ Bucket: s.location.bucket }));
        expect((uploads.Uploads ?? []).filter((u) => u.Key?.startsWith(s.location.prefix))).toEqual([]);
      }
      await store.close();
    });

    it('fails an upload whose body fails with the body’s own error, keeping the earlier version', async () => {
      const { store } = adapter.open();
      await store.put('lake.parquet', 'good');
      for (const before of [10, 12 * MiB]) {
        const failing = async function* () {
          yield randomBytes(before);
          throw new Error('Connection terminated unexpectedly');
        };
        const err = await rejection(store.put('lake.parquet', failing()));
        // The source's error as it is: not blamed on the store.
        expect(err.message).toBe('Connection terminated unexpectedly');
      }
      expect((await read(await store.get('lake.parquet'))).toString()).toBe('good');
      await store.close();
    });

    it('fails a read whose bytes were changed after they were stored', async () => {
      const { store, fileOf } = adapter.open();
      await store.put('archive/day.csv', 'a,b,c\n1,2,3\n');
      writeFileSync(fileOf('archive/day.csv'), 'a,b,c\n1,2,4\n'); // same size, same file, one byte changed
      const err = await rejection(read(await store.get('archive/day.csv')));
      expect(err).toBeInstanceOf(ObjectCorruptedError);
      expect(err.message).toMatch(/^object "archive\/day\.csv" is corrupted: stored SHA-256 \S+, read \S+$/);
      await store.close();
    });

    it('refuses keys that escape the store or are not portable, naming the key', async () => {
      const { store } = adapter.open();
      for (const [key, reason] of [
        ['../outside', 'holds a .. segment'],
        ['/etc/passwd', 'is absolute (starts with /)'],
        ['a\u0000b', 'holds the control character U+0000'],
      ]) {
        const err = await rejection(store.put(key, 'x'));
        expect(err).toBeInstanceOf(InvalidObjectKeyError);
        expect(err.message).toBe(`key: ${JSON.stringify(key)} ${reason}`);
        await expect(store.get(key)).rejects.toThrow(InvalidObjectKeyError);
      }
      await store.close();
    });

    it('probes', async () => {
      const { store } = adapter.open();
      expect(await store.probe()).toMatch(
        store.scheme === 'file'
          ? /^folder \/.+ writable$/
          : /^bucket mantis-objects at http:\/\/127\.0\.0\.1:\d+ reachable$/,
      );
      expect(store.durable).toBe(true);
      await store.close();
    });
  },
);

describe('file:// adapter', () => {
  it('keeps its bookkeeping out of the keys, and refuses a key that is also a folder', async () => {
    const { store, fileOf } = fileAdapter.open();
    await store.put('a/b', 'under a');
    const clash = await rejection(store.put('a', 'a itself'));
    expect(clash).toBeInstanceOf(InvalidObjectKeyError);
    expect(clash.message).toBe(
      'key: "a" clashes with another object: one key cannot be both an object and a folder of others',
    );
    await expect(store.put('.mantis/x', 'x')).rejects.toThrow(
      'key: ".mantis/x" starts with .mantis/, which the file object store keeps for itself',
    );
    // A tampered checksum record is caught on read like tampered bytes.
    const record = join(fileOf(''), '.mantis/sha256/a/b');
    const sidecar = JSON.parse(readFileSync(record, 'utf8'));
    writeFileSync(record, JSON.stringify({ ...sidecar, sha256: '0'.repeat(64) }));
    await expect(read(await store.get('a/b'))).rejects.toThrow(ObjectCorruptedError);
    // Deleting the last object of a folder removes the folder.
    await store.delete('a/b');
    expect(existsSync(fileOf('a'))).toBe(false);
    await store.put('a', 'a itself');
    expect((await read(await store.get('a'))).toString()).toBe('a itself');
  });

  it('refuses keys that a symbolic link in its folder would take outside it', async () => {
    const { store, fileOf } = fileAdapter.open();
    const elsewhere = mkdtempSync(join(tmpdir(), 'mantis-elsewhere-'));
    writeFileSync(join(elsewhere, 'secret'), 'outside the store');
    mkdirSync(fileOf(''), { recursive: true });
    symlinkSync(elsewhere, fileOf('evil'));
    symlinkSync(join(elsewhere, 'secret'), fileOf('alias'));
    const reason = 'resolves outside the object store folder through a symbolic link';
    await expect(store.put('evil/x', 'escaped')).rejects.toThrow(`key: "evil/x" ${reason}`);
    await expect(store.put('evil/deeper/x', 'escaped')).rejects.toThrow(InvalidObjectKeyError);
    expect(readdirSync(elsewhere)).toEqual(['secret']);
    await expect(store.get('evil/secret')).rejects.toThrow(`key: "evil/secret" ${reason}`);
    await expect(store.head('evil/secret')).rejects.toThrow(InvalidObjectKeyError);
    await expect(store.get('alias')).rejects.toThrow(`key: "alias" ${reason}`);
    await expect(store.delete('evil/secret')).rejects.toThrow(InvalidObjectKeyError);
    expect(readFileSync(join(elsewhere, 'secret'), 'utf8')).toBe('outside the store');
    // A link that stays inside the folder is followed as any path there.
    await store.put('real/x', 'inside');
    symlinkSync(fileOf('real'), fileOf('inner'));
    expect((await read(await store.get('inner/x'))).toString()).toBe('inside');
    rmSync(elsewhere, { recursive: true });
  });
});

describe.runIf(s3Available)('s3:// adapter on the Versity S3 Gateway', () => {
  it('fails clearly when the server stops mid-upload, leaving no object', async () => {
    const server = s3 as S3Server;
    const { store } = s3Adapter.open();
    const large = randomBytes(40 * MiB);
    async function* killedMidway() {
      let sent = 0;
      for await (const chunk of streamed(large)) {
        if (sent === 20 * MiB) await server.kill();
        sent += chunk.length;
        yield chunk;
      }
    }
    const err = await rejection(store.put('exports/cut.bin', killedMidway()));
    expect(err).toBeInstanceOf(ObjectStoreUnavailableError);
    expect(err.message).toMatch(
      /^bucket mantis-objects at http:\/\/127\.0\.0\.1:\d+ unavailable: .*(ECONNREFUSED|ECONNRESET|socket hang up|EPIPE)/,
    );
    await server.start();
    await expect(store.head('exports/cut.bin')).rejects.toThrow(ObjectNotFoundError);
    expect(await store.list()).toEqual({ objects: [], next: null });
    await store.close();
  });

  it('names a missing bucket and refused credentials', async () => {
    const server = s3 as S3Server;
    const missing = createObjectStore(`s3://no-such-bucket?endpoint=${server.endpoint}`, {
      credentials: server.credentials,
    });
    await expect(missing.probe()).rejects.toThrow(
      new ObjectStoreError(`bucket no-such-bucket at ${server.endpoint} does not exist`),
    );
    const denied = createObjectStore(`s3://mantis-objects?endpoint=${server.endpoint}`, {
      credentials: { ...server.credentials, secretAccessKey: 'not-the-secret' },
    });
    const err = await rejection(denied.put('x', 'x'));
    expect(err).toBeInstanceOf(ObjectStoreError);
    expect(err.message).toBe(
      `access to bucket mantis-objects at ${server.endpoint} denied (check the credentials): SignatureDoesNotMatch`,
    );
  });
});
