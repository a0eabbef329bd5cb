import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '../../domain/errors.ts';

/** The lock file in an embedded database's folder: the pid of the process that has it open. */
export const LOCK_FILE = '.mantis.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the embedded database folder for this process: PGlite is one process's database, and a second process
 * opening the same files reads stale pages and can corrupt them. A lock left by a process that died is taken
 * over. Returns the release function.
 * @throws ConflictError naming the folder and the process holding it.
 */
export function lockEmbeddedDatabase(folder: string): () => void {
  const path = join(folder, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new ConflictError(
          `the embedded database ${folder} is in use by process ${holder} (a running MANTIS): stop it first, or run MANTIS on PostgreSQL (database.url) to use the command beside it`,
        );
      }
      // Ours already (reopened in this process) or left by a process that died: taken over.
      unlinkSync(path);
    }
  }
  throw new ConflictError(`the embedded database ${folder}: its lock ${path} could not be taken`);
}
