import { isAbsolute, resolve } from 'node:path';
import { ValidationError } from '../../domain/errors.ts';

/**
 * The folder of a `file://` object store URL, made absolute: `file://./data/objects` is relative to the
 * working directory, `file:///srv/objects` absolute. Percent-escapes are decoded (`%20` is a space).
 * Throws ValidationError (field `objectStore.url`) for another scheme, an empty path, a query or fragment.
 */
export function fileObjectStoreFolder(url: string, cwd = process.cwd()): string {
  const field = 'objectStore.url';
  if (!url.startsWith('file://')) throw new ValidationError(field, `expected file://<folder>, got ${url}`);
  const rest = url.slice('file://'.length);
  if (/[?#]/.test(rest))
    throw new ValidationError(field, `${url}: a file:// object store takes no query or fragment`);
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    throw new ValidationError(field, `${url}: malformed percent-escape`);
  }
  if (path === '' || path === '/') throw new ValidationError(field, `${url}: name a folder, not the root`);
  if (path.includes('\0')) throw new ValidationError(field, `${url}: holds a NUL character`);
  return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}
