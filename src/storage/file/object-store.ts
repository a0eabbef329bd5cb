import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { bodyChunks, checkUpload, Digest, expectations, verified } from '../object-digest.ts';
import {
  InvalidObjectKeyError,
  type ListOptions,
  type ObjectBody,
  type ObjectInfo,
  ObjectNotFoundError,
  type ObjectPage,
  type ObjectStore,
  ObjectStoreError,
  type ObjectSummary,
  type PutOptions,
  validateListLimit,
  validateObjectKey,
  validateObjectPrefix,
} from '../ports/object-store.ts';
import { assertConfined, probeFolder } from './confine.ts';
import { fileObjectStoreFolder } from './url.ts';

/**
 * The object store in a folder, for embedded mode: object `a/b.csv` is the file `<root>/a/b.csv`, so the
 * folder can be browsed and backed up as it is. `<root>/.mantis/` holds what the store needs besides:
 * `sha256/<key>` (the SHA-256, size and inode recorded at put; a record whose inode is not the file's is
 * stale and ignored) and `tmp/` (uploads in progress; written, fsynced, then renamed into place, so a
 * reader or a crash never sees part of an object). Keys starting with `.mantis/` are refused; a key that
 * is also the folder of other keys (`a` beside `a/b`) is refused as S3-on-a-filesystem servers do.
 */

const RESERVED = '.mantis';

interface Sidecar {
  sha256: string;
  size: number;
  ino: number;
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;
const ignore =
  (...codes: string[]) =>
  (err: unknown) => {
    if (!codes.includes(errno(err) ?? '')) throw err;
  };
const utf8 = (s: string) => Buffer.from(s);

export class FileObjectStore implements ObjectStore {
  readonly scheme = 'file' as const;
  readonly durable = true;
  readonly root: string;

  /** `url`: `file://<folder>` (see fileObjectStoreFolder); the folder is made on first write. */
  constructor(url: string) {
    this.root = fileObjectStoreFolder(url);
  }

  private path(key: string): string {
    validateObjectKey(key);
    if (key === RESERVED || key.startsWith(`${RESERVED}/`))
      throw new InvalidObjectKeyError(
        key,
        `starts with ${RESERVED}/, which the file object store keeps for itself`,
      );
    return join(this.root, key);
  }

  /** The key's file, refused when a symbolic link in the folder would take it outside (confine.ts). */
  private async confinedPath(key: string): Promise<string> {
    const path = this.path(key);
    await assertConfined(this.root, key, path).catch((err) => {
      throw err instanceof InvalidObjectKeyError ? err : this.failure(key, err);
    });
    return path;
  }

  private sidecarPath(key: string): string {
    return join(this.root, RESERVED, 'sha256', key);
  }

  /** Turns file system errors into the port's: a key/folder clash, or a store an operator must fix. */
  private failure(key: string, err: unknown): Error {
    const code = errno(err);
    if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST')
      return new InvalidObjectKeyError(
        key,
        'clashes with another object: one key cannot be both an object and a folder of others',
      );
    if (code === 'ENAMETOOLONG')
      return new InvalidObjectKeyError(key, 'has a segment too long for the file system (255 bytes)');
    if (code && /^E[A-Z]+$/.test(code))
      return new ObjectStoreError(`file object store ${this.root}: ${(err as Error).message}`, {
        cause: err,
      });
    return err as Error;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    const target = await this.confinedPath(key);
    const expected = expectations(options);
    const tmpDir = join(this.root, RESERVED, 'tmp');
    await mkdir(tmpDir, { recursive: true }).catch((err) => {
      throw this.failure(key, err);
    });
    const tmp = join(tmpDir, randomBytes(12).toString('hex'));
    const digest = new Digest();
    try {
      const file = await open(tmp, 'wx');
      try {
        for await (const chunk of bodyChunks(body)) {
          options.signal?.throwIfAborted();
          digest.update(chunk);
          await file.write(chunk);
        }
        options.signal?.throwIfAborted();
        await file.sync();
      } finally {
        await file.close();
      }
      const sha256 = digest.hex();
      checkUpload(key, digest.size, sha256, expected);
      const { ino, mtime } = await stat(tmp);
      await this.moveInto(tmp, target);
      await this.writeSidecar(key, { sha256, size: digest.size, ino });
      await syncFolder(dirname(target));
      return { key, size: digest.size, sha256, lastModified: mtime };
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw this.failure(key, err);
    }
  }

  /** Renames into place, making the folders; again if a concurrent delete removed an emptied folder. */
  private async moveInto(from: string, to: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await mkdir(dirname(to), { recursive: true });
      try {
        await rename(from, to);
        return;
      } catch (err) {
        if (errno(err) !== 'ENOENT' || attempt >= 5) throw err;
      }
    }
  }

  private async writeSidecar(key: string, sidecar: Sidecar): Promise<void> {
    const tmp = join(this.root, RESERVED, 'tmp', randomBytes(12).toString('hex'));
    const file = await open(tmp, 'wx');
    try {
      await file.writeFile(JSON.stringify(sidecar));
    } finally {
      await file.close();
    }
    await this.moveInto(tmp, this.sidecarPath(key));
  }

  /** The recorded SHA-256 when it describes this very file (same inode and size), else null. */
  private async sidecar(key: string, ino: number, size: number): Promise<string | null> {
    try {
      const record = JSON.parse(await readFile(this.sidecarPath(key), 'utf8')) as Sidecar;
      return record.ino === ino && record.size === size && typeof record.sha256 === 'string'
        ? record.sha256
        : null;
    } catch {
      return null;
    }
  }

  async get(key: string, options: { signal?: AbortSignal } = {}): Promise<Readable> {
    const path = await this.confinedPath(key);
    const file = await open(path, 'r').catch((err) => {
      if (['ENOENT', 'ENOTDIR'].includes(errno(err) ?? '')) throw new ObjectNotFoundError(key);
      throw this.failure(key, err);
    });
    const info = await file.stat();
    if (!info.isFile()) {
      await file.close();
      throw new ObjectNotFoundError(key);
    }
    const sha256 = await this.sidecar(key, info.ino, info.size);
    const stream = file.createReadStream({ signal: options.signal });
    return sha256 ? verified(stream, key, sha256) : stream;
  }

  async head(key: string): Promise<ObjectInfo> {
    const path = await this.confinedPath(key);
    const info = await stat(path).catch((err) => {
      if (['ENOENT', 'ENOTDIR'].includes(errno(err) ?? '')) throw new ObjectNotFoundError(key);
      throw this.failure(key, err);
    });
    if (!info.isFile()) throw new ObjectNotFoundError(key);
    let sha256 = await this.sidecar(key, info.ino, info.size);
    if (!sha256) {
      // No record for this file (written by another program, or a crash between the two renames).
      const digest = new Digest();
      for await (const chunk of createReadStream(path)) digest.update(chunk as Buffer);
      sha256 = digest.hex();
      await this.writeSidecar(key, { sha256, size: digest.size, ino: info.ino }).catch(() => {});
    }
    return { key, size: info.size, sha256, lastModified: info.mtime };
  }

  async list(prefix = '', options: ListOptions = {}): Promise<ObjectPage> {
    validateObjectPrefix(prefix);
    const limit = validateListLimit(options.limit);
    const objects: ObjectSummary[] = [];
    for await (const object of this.walk(prefix, options.cursor)) {
      if (objects.length === limit) return { objects, next: objects[limit - 1].key };
      objects.push(object);
    }
    return { objects, next: null };
  }

  async *listAll(prefix = ''): AsyncIterable<ObjectSummary> {
    validateObjectPrefix(prefix);
    yield* this.walk(prefix, undefined);
  }

  /** Objects under `prefix` with keys after `after`, in UTF-8 byte order (as S3 lists them). */
  private async *walk(prefix: string, after: string | undefined): AsyncGenerator<ObjectSummary> {
    const cut = prefix.lastIndexOf('/') + 1;
    yield* this.walkFolder(
      prefix.slice(0, cut),
      prefix.slice(cut),
      after === undefined ? undefined : utf8(after),
    );
  }

  private async *walkFolder(
    folder: string,
    namePrefix: string,
    after: Buffer | undefined,
  ): AsyncGenerator<ObjectSummary> {
    const entries = await readdir(join(this.root, folder), { withFileTypes: true }).catch((err) => {
      if (['ENOENT', 'ENOTDIR'].includes(errno(err) ?? '')) return [];
      throw this.failure(folder, err);
    });
    // A folder sorts as its name followed by `/`: then the walk yields keys in global byte order.
    const items = entries
      .filter((e) => e.name.startsWith(namePrefix) && (e.isFile() || e.isDirectory()))
      .filter((e) => !(folder === '' && e.name === RESERVED))
      .map((e) => ({ key: folder + e.name, folder: e.isDirectory() }))
      .map((e) => ({ ...e, sortKey: utf8(e.folder ? `${e.key}/` : e.key) }))
      .sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
    for (const item of items) {
      if (item.folder) {
        // Skip a folder whose every key sorts before the cursor.
        if (
          after &&
          Buffer.compare(item.sortKey, after) < 0 &&
          !after.subarray(0, item.sortKey.length).equals(item.sortKey)
        )
          continue;
        yield* this.walkFolder(`${item.key}/`, '', after);
      } else {
        if (after && Buffer.compare(item.sortKey, after) <= 0) continue;
        const info = await stat(join(this.root, item.key)).catch(ignore('ENOENT'));
        if (info) yield { key: item.key, size: info.size, lastModified: info.mtime };
      }
    }
  }

  async delete(key: string): Promise<void> {
    const path = await this.confinedPath(key);
    await unlink(path).catch(ignore('ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM'));
    await unlink(this.sidecarPath(key)).catch(ignore('ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM'));
    await this.pruneFolders(dirname(path), this.root);
    await this.pruneFolders(dirname(this.sidecarPath(key)), join(this.root, RESERVED, 'sha256'));
  }

  /** Removes the folders a delete left empty, up to (not including) `stop`. */
  private async pruneFolders(folder: string, stop: string): Promise<void> {
    for (let f = folder; f.startsWith(`${stop}/`); f = dirname(f)) {
      try {
        await rmdir(f);
      } catch {
        return; // not empty, or gone: a put is using it
      }
    }
  }

  async probe(): Promise<string> {
    return probeFolder(this.root, RESERVED);
  }

  async close(): Promise<void> {}
}

/** Makes a rename in `folder` durable (POSIX: the folder's entry is written by fsync on the folder). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems (and Windows) refuse fsync on a folder; the rename is then as durable as they make it.
  } finally {
    await handle.close();
  }
}
