import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { ObjectStore } from '../../storage/ports/object-store.ts';
import type { BackupFile } from './manifest.ts';
import { PgToolError } from './pg-tools.ts';

/**
 * The InfluxDB 1.x raw store's backup with its own tool: `influxd backup -portable` over the server's RPC
 * bind address (8088 by default) and `influxd restore -portable`. The tool only writes to and reads from a
 * local folder, so each file passes through a temporary folder on its way to and from the store; the
 * folder is removed afterwards.
 */

const run = promisify(execFile);

export interface InfluxBackupSource {
  /** The influxd binary (1.5 or newer: -portable). */
  influxd: string;
  /** host:port of the server's RPC bind address. */
  rpc: string;
  database: string;
}

async function influxd(tool: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new PgToolError(`${tool} not found: name the influxd binary with --influxd`);
    throw new Error(`influxd ${args[0]} failed: ${(e.stderr ?? e.message).trim().slice(-2000)}`);
  }
}

/** `influxd version` → "InfluxDB v1.8.3 (git: …)". */
export async function influxdVersion(tool: string): Promise<string> {
  return (await influxd(tool, ['version'])).trim();
}

/**
 * Takes a portable backup of `source.database` and stores each file as `<prefix>/<file>`. Returns the
 * tool's version and every file's key, size and SHA-256. Throws PgToolError when influxd is missing,
 * Error with influxd's message when it fails.
 */
export async function influxPortableBackup(
  source: InfluxBackupSource,
  store: ObjectStore,
  prefix: string,
): Promise<{ tool: string; database: string; files: BackupFile[] }> {
  const tool = await influxdVersion(source.influxd);
  const dir = await mkdtemp(join(tmpdir(), 'mantis-influx-backup-'));
  try {
    await influxd(source.influxd, [
      'backup',
      '-portable',
      '-host',
      source.rpc,
      '-database',
      source.database,
      dir,
    ]);
    const files: BackupFile[] = [];
    for (const name of (await readdir(dir)).sort()) {
      const key = `${prefix}/${name}`;
      const stored = await store.put(key, createReadStream(join(dir, name)));
      files.push({ key, size: stored.size, sha256: stored.sha256 as string });
    }
    return { tool, database: source.database, files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Restores a portable backup into the server at `rpc`: each file fetched into a temporary folder (the store
 * refuses one whose bytes changed, ObjectCorruptedError), its SHA-256 checked against the manifest, then
 * `influxd restore -portable -db <database> -newdb <as>`. Throws Error with influxd's message on failure.
 */
export async function influxPortableRestore(
  target: { influxd: string; rpc: string; as: string },
  backup: { database: string; files: BackupFile[] },
  store: ObjectStore,
  verify: (file: BackupFile, path: string) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mantis-influx-restore-'));
  try {
    for (const file of backup.files) {
      const path = join(dir, file.key.slice(file.key.lastIndexOf('/') + 1));
      await pipeline(await store.get(file.key), createWriteStream(path));
      await verify(file, path);
    }
    await influxd(target.influxd, [
      'restore',
      '-portable',
      '-host',
      target.rpc,
      '-db',
      backup.database,
      '-newdb',
      target.as,
      dir,
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
