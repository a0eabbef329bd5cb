import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ValidationError } from '../../domain/errors.ts';

/** The file operations of the local tracking folder: atomic writes, exclusive creates, tolerant reads. */

/** The errno code of a file system error (`ENOENT`…), if any. */
export const errno = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;
/** Whether a file system error says the path (or a folder on it) does not exist. */
export const missing = (err: unknown) => errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR';

/**
 * The folder of a `file://` tracking URL, made absolute: `file://./data/mlruns` is relative to the working
 * directory, `file:///srv/mlruns` absolute; percent-escapes are decoded.
 * @throws ValidationError on `ml.trackingUrl` for another scheme, a query, or no folder.
 */
export function localTrackingFolder(url: string, cwd = process.cwd()): string {
  const field = 'ml.trackingUrl';
  if (!url.startsWith('file://')) throw new ValidationError(field, `expected file://<folder>, got ${url}`);
  const rest = url.slice('file://'.length);
  if (/[?#]/.test(rest)) throw new ValidationError(field, `${url}: a file:// URL takes no query or fragment`);
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    throw new ValidationError(field, `${url}: malformed percent-escape`);
  }
  if (path === '' || path === '/' || path.includes('\0')) {
    throw new ValidationError(field, `${url}: name a folder, not the root`);
  }
  return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}

/** A file of the tracking folder that is there but does not hold what it should (damaged or edited by hand). */
export class CorruptFileError extends Error {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** Files under `root`, written through `<root>/.tmp/` (same file system, so a rename is atomic). */
export class FolderFiles {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  /** Writes `data` at `path` whole or not at all: a temporary file renamed over it. */
  async writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
    const tmp = await this.tmpFile(data);
    await mkdir(dirname(path), { recursive: true });
    await rename(tmp, path);
  }

  /** Writes `data` at `path` unless a file is there already; false then. Atomic, as writeAtomic. */
  async writeExclusive(path: string, data: string): Promise<boolean> {
    const tmp = await this.tmpFile(data);
    await mkdir(dirname(path), { recursive: true });
    try {
      await link(tmp, path);
      return true;
    } catch (err) {
      if (errno(err) === 'EEXIST') return false;
      throw err;
    } finally {
      await unlink(tmp);
    }
  }

  async tmpFile(data: string | Uint8Array): Promise<string> {
    const folder = join(this.root, '.tmp');
    await mkdir(folder, { recursive: true });
    const tmp = join(folder, randomBytes(12).toString('hex'));
    await writeFile(tmp, data, { flag: 'wx' });
    return tmp;
  }

  /**
   * The JSON object at `path` (every file of the folder that is JSON holds one); null when there is no file.
   * @throws CorruptFileError naming the file when it is not valid JSON or not an object.
   */
  async readJson<T extends object>(path: string): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (missing(err)) return null;
      throw err;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new CorruptFileError(path, `not valid JSON (${(err as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new CorruptFileError(path, 'expected a JSON object');
    }
    return value as T;
  }

  /** Numeric entries of a folder (experiment ids, version numbers); [] when it does not exist. */
  async numbered(folder: string): Promise<number[]> {
    const names = await readdir(folder).catch((err) => {
      if (missing(err)) return [] as string[];
      throw err;
    });
    return names.filter((n) => /^\d+$/.test(n)).map(Number);
  }
}
