import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { Digest } from '../../storage/object-digest.ts';
import {
  ObjectCorruptedError,
  ObjectNotFoundError,
  type ObjectStore,
} from '../../storage/ports/object-store.ts';
import { latestMigration, listBackups } from './backup.ts';
import { influxPortableRestore } from './influxdb.ts';
import {
  type BackupFile,
  type BackupManifest,
  backupKey,
  compareTables,
  MANIFEST_FILE,
  ManifestError,
  parseManifest,
  type TableComparison,
} from './manifest.ts';
import { connectionFor, findPgTool, PgToolError, redactPassword, toolVersion } from './pg-tools.ts';
import { connect, serverFacts, tableChecks, targetContents } from './table-checks.ts';

/** A restore refused before anything was written (exit 2): bad backup, newer schema, target not empty. */
export class RestoreRefusedError extends Error {}

export interface RestoreOptions {
  store: ObjectStore;
  prefix: string;
  /** A backup id or `latest` (the newest complete backup). */
  backup: string;
  /** postgres://… of the empty database to restore into. */
  targetUrl: string;
  pgBin?: string;
  /** Checks everything (manifest, schema version, empty target, the dump's SHA-256) and writes nothing. */
  dryRun: boolean;
  /** Also restore the InfluxDB portable backup the manifest lists, into database `as`. */
  influxdb?: { influxd: string; rpc: string; as: string };
  onProgress?: (bytes: number, total: number) => void;
}

export interface RestoreResult {
  id: string;
  dryRun: boolean;
  target: string;
  schemaVersion: number;
  dump: { size: number; sha256: string };
  /** Table by table against the manifest; empty in a dry run. */
  tables: TableComparison[];
  /** Every table equal (true in a dry run once the checks passed). */
  verified: boolean;
  influxdb: string | null;
}

/** The manifest of `id` (or of the newest complete backup). Throws RestoreRefusedError. */
export async function readManifest(store: ObjectStore, prefix: string, id: string): Promise<BackupManifest> {
  if (id === 'latest') {
    const newest = (await listBackups(store, prefix)).filter((b) => b.complete).at(-1);
    if (!newest) throw new RestoreRefusedError(`no complete backup under ${prefix}/`);
    id = newest.id;
  }
  let text = '';
  try {
    for await (const chunk of await store.get(backupKey(prefix, id, MANIFEST_FILE))) text += chunk;
  } catch (err) {
    if (err instanceof ObjectNotFoundError)
      throw new RestoreRefusedError(
        `backup ${id}: no ${MANIFEST_FILE} under ${prefix}/${id}/ (missing or incomplete)`,
      );
    if (err instanceof ObjectCorruptedError) throw new RestoreRefusedError(`backup ${id}: ${err.message}`);
    throw err;
  }
  try {
    return parseManifest(text);
  } catch (err) {
    if (err instanceof ManifestError) throw new RestoreRefusedError(`backup ${id}: manifest ${err.message}`);
    throw err;
  }
}

/** Reads `source` to its end and refuses it unless its size and SHA-256 are the manifest's. */
async function checkBytes(source: AsyncIterable<Buffer>, file: BackupFile, label: string): Promise<void> {
  const digest = new Digest();
  try {
    for await (const chunk of source) digest.update(chunk);
  } catch (err) {
    if (err instanceof ObjectCorruptedError) throw new RestoreRefusedError(`${label}: ${err.message}`);
    throw err;
  }
  const sha256 = digest.hex();
  if (sha256 !== file.sha256 || digest.size !== file.size)
    throw new RestoreRefusedError(
      `${label}: ${file.key} is not the file the manifest describes: SHA-256 ${sha256} (${digest.size} bytes), ` +
        `manifest ${file.sha256} (${file.size} bytes); nothing was restored`,
    );
}

/**
 * Restores a backup into an empty database: refuses (RestoreRefusedError) a missing or malformed manifest,
 * a schema newer than this build's migrations, an InfluxDB restore asked of a backup without one, a target
 * that holds anything, or a dump whose SHA-256 is not the manifest's — all before writing. Then pg_restore in
 * one transaction, fed from the store (the bytes checked again as they pass; pg_restore is killed before end
 * of input if they differ), TimescaleDB's pre/post restore hooks around it, the InfluxDB backup when asked,
 * and the tables compared to the manifest.
 * Throws PgToolError when pg_restore is missing or older than the dump's pg_dump.
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const manifest = await readManifest(options.store, options.prefix, options.backup);
  const label = `backup ${manifest.id}`;
  const latest = latestMigration();
  if (manifest.schemaVersion > latest)
    throw new RestoreRefusedError(
      `${label} has schema version ${manifest.schemaVersion}, newer than this build's latest migration ` +
        `${latest}: restore it with a MANTIS build that has migration ${manifest.schemaVersion}`,
    );
  // Asked for an InfluxDB part the backup lacks: say so rather than restore PostgreSQL alone.
  if (options.influxdb && !manifest.influxdb)
    throw new RestoreRefusedError(
      `--influxdb-as: ${label} holds no InfluxDB backup (taken with --no-influxdb or without an InfluxDB ` +
        'raw store); leave out --influxdb-as to restore its PostgreSQL part',
    );
  const pgRestore = await findPgTool('pg_restore', options.pgBin);
  const tool = await toolVersion(pgRestore);
  const dumpMajor = Number(/\)\s*(\d+)/.exec(manifest.dump.tool)?.[1] ?? 0);
  if (tool.major < dumpMajor)
    throw new PgToolError(
      `${pgRestore} is ${tool.text}, older than the ${manifest.dump.tool} that wrote ${label}`,
    );

  const target = await connect(options.targetUrl);
  try {
    const contents = await targetContents(target);
    if (contents.length > 0)
      throw new RestoreRefusedError(
        `target database is not empty (${contents.length} object(s): ${contents.slice(0, 5).join(', ')}` +
          `${contents.length > 5 ? ', …' : ''}): restore into a new database`,
      );
    const tsdb = manifest.database.timescaledb;
    if (tsdb) {
      const { rows } = await target.query(
        `SELECT 1 FROM pg_available_extension_versions WHERE name = 'timescaledb' AND version = $1`,
        [tsdb],
      );
      if (rows.length === 0)
        throw new RestoreRefusedError(
          `${label} comes from TimescaleDB ${tsdb}, which the target server does not offer: restore into a ` +
            'server with that TimescaleDB version, then upgrade the extension',
        );
    }
    await checkBytes(await options.store.get(manifest.dump.key), manifest.dump, label);
    for (const file of manifest.influxdb && options.influxdb ? manifest.influxdb.files : [])
      await checkBytes(await options.store.get(file.key), file, label);
    const result: RestoreResult = {
      id: manifest.id,
      dryRun: options.dryRun,
      target: redactPassword(options.targetUrl),
      schemaVersion: manifest.schemaVersion,
      dump: { size: manifest.dump.size, sha256: manifest.dump.sha256 },
      tables: [],
      verified: true,
      influxdb: null,
    };
    if (options.dryRun) return result;

    // TimescaleDB's documented logical restore: the extension first, pre_restore, pg_restore, post_restore.
    if (tsdb) {
      await target.query(`CREATE EXTENSION IF NOT EXISTS timescaledb VERSION '${tsdb.replace(/'/g, "''")}'`);
      await target.query('SELECT timescaledb_pre_restore()');
    }
    await runPgRestore(pgRestore, options, manifest);
    if (tsdb) await target.query('SELECT timescaledb_post_restore()');

    if (manifest.influxdb && options.influxdb) {
      await influxPortableRestore(options.influxdb, manifest.influxdb, options.store, (file, path) =>
        checkBytes(createReadStream(path), file, label),
      );
      result.influxdb = `${manifest.influxdb.database} → ${options.influxdb.as}`;
    }
    const restored = await connect(options.targetUrl);
    try {
      result.tables = compareTables(manifest.tables, await tableChecks(restored));
    } finally {
      await restored.end();
    }
    result.verified = result.tables.every((t) => t.equal);
    const facts = await serverFacts(target);
    if (facts.schemaVersion !== manifest.schemaVersion) result.verified = false;
    return result;
  } finally {
    await target.end().catch(() => {});
  }
}

/** pg_restore in one transaction, its stdin fed from the store, stopped unheard if the bytes differ. */
async function runPgRestore(
  pgRestore: string,
  options: RestoreOptions,
  manifest: BackupManifest,
): Promise<void> {
  const { dbname, env } = connectionFor(options.targetUrl);
  const child = spawn(
    pgRestore,
    [
      '--no-owner',
      '--no-acl',
      '--exit-on-error',
      '--single-transaction',
      '--no-password',
      `--dbname=${dbname}`,
    ],
    { env, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4096);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  child.stdin.on('error', () => {}); // pg_restore gone: its exit code and stderr tell why.
  const digest = new Digest();
  try {
    for await (const chunk of await options.store.get(manifest.dump.key)) {
      digest.update(chunk);
      options.onProgress?.(digest.size, manifest.dump.size);
      if (!child.stdin.write(chunk))
        await Promise.race([new Promise((r) => child.stdin.once('drain', r)), exited]);
      if (child.exitCode !== null) break;
    }
    if (digest.hex() !== manifest.dump.sha256 && child.exitCode === null)
      throw new RestoreRefusedError(`${manifest.dump.key} changed while it was read; nothing was restored`);
  } catch (err) {
    // Killed before its input ends, pg_restore never commits its one transaction.
    child.kill('SIGKILL');
    await exited.catch(() => null);
    throw err instanceof ObjectCorruptedError ? new RestoreRefusedError(err.message) : err;
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`pg_restore failed (exit ${code}): ${stderr.trim() || 'no message'}`);
}
