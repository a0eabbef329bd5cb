import { spawn } from 'node:child_process';
import { version as buildVersion } from '../../app/version.ts';
import { readMigrations } from '../../storage/migrate.ts';
import { Digest } from '../../storage/object-digest.ts';
import type { ObjectStore } from '../../storage/ports/object-store.ts';
import { type InfluxBackupSource, influxPortableBackup } from './influxdb.ts';
import {
  type BackupEntry,
  type BackupManifest,
  backupId,
  backupKey,
  backupsToPrune,
  CHECKSUM_METHOD,
  DUMP_FILE,
  groupBackups,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  type TableCheck,
} from './manifest.ts';
import { checkToolNotOlder, connectionFor, findPgTool, toolVersion } from './pg-tools.ts';
import { connect, type ServerFacts, serverFacts, tableChecks } from './table-checks.ts';

/** The latest versioned migration this build carries. */
export function latestMigration(): number {
  return Math.max(0, ...readMigrations().map((m) => m.version ?? 0));
}

/** Every backup folder under `prefix`, oldest first. */
export async function listBackups(store: ObjectStore, prefix: string): Promise<BackupEntry[]> {
  const objects: { key: string; size: number }[] = [];
  for await (const o of store.listAll(`${prefix}/`)) objects.push(o);
  return groupBackups(prefix, objects);
}

/** Removes a backup, its manifest first: a backup half removed reads as incomplete, never as whole. */
export async function removeBackup(store: ObjectStore, prefix: string, entry: BackupEntry): Promise<void> {
  const manifest = backupKey(prefix, entry.id, MANIFEST_FILE);
  if (entry.keys.includes(manifest)) await store.delete(manifest);
  for (const key of entry.keys) if (key !== manifest) await store.delete(key);
}

export interface BackupOptions {
  /** postgres://… of the database to back up. */
  databaseUrl: string;
  store: ObjectStore;
  prefix: string;
  /** Complete backups kept after this one (1 or more). */
  keep: number;
  pgBin?: string;
  dryRun: boolean;
  influxdb?: InfluxBackupSource;
  /** Bytes of the dump stored so far, and the database's size as an upper bound of the total. */
  onProgress?: (bytes: number, estimate: number) => void;
  now?: () => Date;
}

export interface BackupResult {
  id: string;
  dryRun: boolean;
  database: ServerFacts;
  /** The manifest stored; in a dry run, what it would hold besides the dump. */
  manifest: BackupManifest | null;
  tables: TableCheck[];
  /** Ids of the backups removed by --keep (in a dry run: that would be). */
  pruned: string[];
}

const STDERR_TAIL = 4096;

/**
 * Backs up the database: pg_dump --format=custom of a snapshot exported from a repeatable-read
 * transaction, its stdout streamed into the store as `<prefix>/<id>/dump.pgc` (SHA-256 counted as it
 * passes), the row counts and checksums read in the same snapshot, the InfluxDB portable backup when asked,
 * then the manifest, then --keep. Throws PgToolError (tool missing or older than the server), the store's
 * errors, or Error with pg_dump's own message when it fails; nothing is written as complete then.
 */
export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  const startedAt = (options.now ?? (() => new Date()))();
  const id = backupId(startedAt);
  const client = await connect(options.databaseUrl);
  try {
    const facts = await serverFacts(client);
    const pgDump = await findPgTool('pg_dump', options.pgBin);
    const tool = await toolVersion(pgDump);
    checkToolNotOlder(tool, facts.serverMajor, pgDump);
    const { rows } = await client.query<{ size: string }>(
      'SELECT pg_database_size(current_database()) AS size',
    );
    const estimate = Number(rows[0].size);

    if (options.dryRun) {
      const tables = await tableChecks(client);
      const backups = await listBackups(options.store, options.prefix);
      const planned = [...backups, { id, at: startedAt, complete: true, size: 0, keys: [] }];
      const pruned = backupsToPrune(planned, options.keep).map((b) => b.id);
      return { id, dryRun: true, database: facts, manifest: null, tables, pruned };
    }

    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: snap } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const dumpKey = backupKey(options.prefix, id, DUMP_FILE);
    const abort = new AbortController();
    const dumping = streamDump(pgDump, options, snap[0].id, dumpKey, estimate, abort.signal);
    let tables: TableCheck[];
    try {
      tables = await tableChecks(client);
    } catch (err) {
      abort.abort(err);
      await dumping.catch(() => {});
      throw err;
    }
    const dump = await dumping;
    await client.query('COMMIT');

    const influxdb = options.influxdb
      ? await influxPortableBackup(options.influxdb, options.store, backupKey(options.prefix, id, 'influxdb'))
      : null;
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      id,
      startedAt: startedAt.toISOString(),
      completedAt: new Date().toISOString(),
      database: { name: facts.name, serverVersion: facts.serverVersion, timescaledb: facts.timescaledb },
      schemaVersion: facts.schemaVersion,
      build: { version: buildVersion, latestMigration: latestMigration() },
      dump: { key: dumpKey, format: 'custom', tool: tool.text, size: dump.size, sha256: dump.sha256 },
      tables,
      checksumMethod: CHECKSUM_METHOD,
      influxdb,
    };
    // Written last: only now is the backup complete.
    await options.store.put(backupKey(options.prefix, id, MANIFEST_FILE), JSON.stringify(manifest, null, 2), {
      contentType: 'application/json',
    });
    const pruned = backupsToPrune(await listBackups(options.store, options.prefix), options.keep);
    for (const entry of pruned) await removeBackup(options.store, options.prefix, entry);
    return { id, dryRun: false, database: facts, manifest, tables, pruned: pruned.map((b) => b.id) };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * pg_dump's stdout into the store, never held whole: the upload fails (and stores nothing) when pg_dump
 * exits with an error, and pg_dump is stopped when the upload fails.
 */
async function streamDump(
  pgDump: string,
  options: BackupOptions,
  snapshot: string,
  key: string,
  estimate: number,
  signal: AbortSignal,
): Promise<{ size: number; sha256: string }> {
  const { dbname, env } = connectionFor(options.databaseUrl);
  const child = spawn(
    pgDump,
    ['--format=custom', `--snapshot=${snapshot}`, '--no-password', `--dbname=${dbname}`],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-STDERR_TAIL);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const failed = () => new Error(`pg_dump failed: ${stderr.trim() || 'no message'}`);
  const digest = new Digest();
  let dumpFailed = false;
  async function* body() {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      digest.update(chunk);
      options.onProgress?.(digest.size, Math.max(estimate, digest.size));
      yield chunk;
    }
    if ((await exited) !== 0) {
      dumpFailed = true;
      throw failed();
    }
  }
  try {
    const stored = await options.store.put(key, body(), {
      contentType: 'application/octet-stream',
      signal,
    });
    const sha256 = digest.hex();
    if (stored.sha256 !== sha256 || stored.size !== digest.size)
      throw new Error(`the store recorded ${stored.sha256} (${stored.size} bytes) for ${key}, not ${sha256}`);
    options.onProgress?.(digest.size, digest.size);
    return { size: digest.size, sha256 };
  } catch (err) {
    child.kill('SIGTERM');
    await exited.catch(() => null);
    // pg_dump's own message says more than the store's account of a body that failed.
    throw dumpFailed ? failed() : err;
  }
}
