import { randomBytes } from 'node:crypto';
import { mkdir, realpath, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { InvalidObjectKeyError, ObjectStoreError } from '../ports/object-store.ts';

/**
 * Keeps a file object store inside its folder whatever links the folder holds. Keys are already free of
 * `..` segments (validateObjectKey); what remains is a symbolic link inside the folder pointing out of it
 * (objects/evil -> /somewhere): the real path of the target's deepest existing folder is resolved and a key
 * whose real path leaves the folder's real path is refused.
 */

const errno = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;

/** `path`'s deepest existing ancestor (or itself), with every link resolved. */
async function realExisting(path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    try {
      return await realpath(p);
    } catch (err) {
      if (errno(err) !== 'ENOENT' && errno(err) !== 'ENOTDIR') throw err;
      if (dirname(p) === p) throw err;
    }
  }
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
};

/**
 * Throws InvalidObjectKeyError when `target` (the file of `key` under `root`), or the file a link at
 * `target` points to, resolves outside `root`'s real path. A missing root is no escape (nothing is linked).
 */
export async function assertConfined(root: string, key: string, target: string): Promise<void> {
  const realRoot = await realExisting(root);
  // The folder holding the file: a link there (or above) is how a key would leave the store.
  const parent = await realExisting(dirname(target));
  let real = parent;
  // The file itself may be a link too (objects/x -> /elsewhere/file).
  try {
    real = await realpath(target);
  } catch (err) {
    if (errno(err) !== 'ENOENT' && errno(err) !== 'ENOTDIR') throw err;
  }
  if (!inside(realRoot, parent) || !inside(realRoot, real))
    throw new InvalidObjectKeyError(key, 'resolves outside the object store folder through a symbolic link');
}

/**
 * Probe of a file object store's folder: makes it (and `<root>/<reserved>/tmp`, where uploads are written)
 * if missing, then writes and removes a file there, as a put would. A permission check alone would not do:
 * it passes for root on any folder, and says nothing of a read-only or full file system.
 * Resolves with a one-line detail; throws ObjectStoreError naming the folder and the reason.
 */
export async function probeFolder(root: string, reserved: string): Promise<string> {
  try {
    const tmp = join(root, reserved, 'tmp');
    await makeFolders(tmp);
    const file = join(tmp, `probe-${randomBytes(8).toString('hex')}`);
    await writeFile(file, 'probe', { flag: 'wx' });
    await unlink(file);
  } catch (err) {
    throw new ObjectStoreError(`folder ${root} is not writable: ${(err as Error).message}`, { cause: err });
  }
  return `folder ${root} writable`;
}

/**
 * mkdir -p one level at a time. Node's recursive mkdir spins without end on a path under /proc whose
 * parent refuses new entries (ENOENT on every attempt); made level by level, the first refusal is final.
 */
async function makeFolders(path: string): Promise<void> {
  const missing: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    const exists = await stat(p).then(
      (info) => {
        if (!info.isDirectory()) throw new Error(`${p} is not a folder`);
        return true;
      },
      (err) => {
        if (errno(err) !== 'ENOENT') throw err;
        return false;
      },
    );
    if (exists || dirname(p) === p) break;
    missing.unshift(p);
  }
  for (const folder of missing) await mkdir(folder).catch(ignoreExists);
}

const ignoreExists = (err: unknown) => {
  if (errno(err) !== 'EEXIST') throw err;
};
