/**
 * Backups in the object store, as pure data: where each object goes, what the manifest says, which backups
 * are complete and which ones `--keep N` removes. A backup is the folder `<prefix>/<id>/` holding
 * `dump.pgc` (pg_dump's custom format), optionally `influxdb/…` (an InfluxDB portable backup), and
 * `manifest.json`, written last: a folder without a manifest is an incomplete backup.
 */

/** Tells this manifest format from any later one. */
export const MANIFEST_FORMAT = 'mantis-backup/1';
export const MANIFEST_FILE = 'manifest.json';
export const DUMP_FILE = 'dump.pgc';
export const DEFAULT_PREFIX = 'backups/postgres';

/**
 * How `tables[].checksum` is computed, so that anyone can recompute it with psql: in a session with
 * TimeZone UTC, DateStyle ISO, IntervalStyle postgres, extra_float_digits 3 and bytea_output hex, the sum
 * (as an exact numeric) over the table's rows of the first 64 bits of md5(row::text), read as a signed
 * bigint. Order-independent, so it needs no primary key and no sort, and the server keeps one number per
 * table instead of the whole table's text.
 */
export const CHECKSUM_METHOD =
  "sum over rows of ('x' || substr(md5(row::text), 1, 16))::bit(64)::bigint, as numeric; " +
  'session TimeZone=UTC, DateStyle=ISO, IntervalStyle=postgres, extra_float_digits=3, bytea_output=hex';

export interface TableCheck {
  /** schema.table, quoted as PostgreSQL needs it where it needs it: `public.sites`. */
  name: string;
  rows: number;
  /** CHECKSUM_METHOD's result, as a decimal string. */
  checksum: string;
}

/** A file of the backup besides the manifest: its key, size in bytes and SHA-256 (hex). */
export interface BackupFile {
  key: string;
  size: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  id: string;
  /** ISO 8601, UTC: when the snapshot was taken, and when the last file was stored. */
  startedAt: string;
  completedAt: string;
  database: {
    /** The database name the dump came from. */
    name: string;
    /** server_version, e.g. "16.6". */
    serverVersion: string;
    /** The TimescaleDB extension's version, or null when it is not installed. */
    timescaledb: string | null;
  };
  /** The latest migration applied to the database (its schema history), 0 when none. */
  schemaVersion: number;
  build: { version: string; latestMigration: number };
  dump: BackupFile & { format: 'custom'; tool: string };
  tables: TableCheck[];
  checksumMethod: string;
  /** The InfluxDB raw store's portable backup, when it was taken. */
  influxdb: { tool: string; database: string; files: BackupFile[] } | null;
}

/** A backup id: the UTC time it started, `20250131T120000.123Z`; ids sort as times. */
export function backupId(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

const ID = /^\d{8}T\d{6}\.\d{3}Z$/;

/** The time a backup id names, or null when it is not one. */
export function backupTime(id: string): Date | null {
  if (!ID.test(id)) return null;
  const iso = `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 11)}:${id.slice(11, 13)}:${id.slice(13)}`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The key of a backup's file: `<prefix>/<id>/<file>`. */
export const backupKey = (prefix: string, id: string, file: string) => `${prefix}/${id}/${file}`;

/** One backup folder as the store lists it. */
export interface BackupEntry {
  id: string;
  at: Date;
  complete: boolean;
  /** Bytes of every object of the folder. */
  size: number;
  keys: string[];
}

/**
 * Groups listed objects (`<prefix>/<id>/…`) into backups, oldest first; objects whose folder is not a
 * backup id are not backups and are left out.
 */
export function groupBackups(prefix: string, objects: { key: string; size: number }[]): BackupEntry[] {
  const byId = new Map<string, BackupEntry>();
  for (const { key, size } of objects) {
    if (!key.startsWith(`${prefix}/`)) continue;
    const [id, ...rest] = key.slice(prefix.length + 1).split('/');
    const at = backupTime(id);
    if (!at || rest.length === 0) continue;
    const entry = byId.get(id) ?? { id, at, complete: false, size: 0, keys: [] };
    entry.size += size;
    entry.keys.push(key);
    if (rest.join('/') === MANIFEST_FILE) entry.complete = true;
    byId.set(id, entry);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The backups `--keep N` removes: the complete ones older than the newest `keep`, and the incomplete ones
 * older than the newest complete backup (a newer incomplete one may be a backup still running).
 */
export function backupsToPrune(backups: BackupEntry[], keep: number): BackupEntry[] {
  const complete = backups.filter((b) => b.complete);
  const newest = complete.at(-1);
  const kept = new Set(complete.slice(-keep).map((b) => b.id));
  return backups.filter((b) => (b.complete ? !kept.has(b.id) : newest !== undefined && b.id < newest.id));
}

/** A manifest that cannot be used: names the field and the reason. */
export class ManifestError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function checkFile(value: unknown, field: string): BackupFile {
  if (!isObject(value)) throw new ManifestError(`${field}: expected an object`);
  if (typeof value.key !== 'string') throw new ManifestError(`${field}.key: expected a string`);
  if (!Number.isSafeInteger(value.size) || (value.size as number) < 0)
    throw new ManifestError(`${field}.size: expected a whole number of bytes`);
  if (typeof value.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(value.sha256))
    throw new ManifestError(`${field}.sha256: expected 64 lower-case hexadecimal digits`);
  return value as unknown as BackupFile;
}

/**
 * Reads a manifest's JSON text, checking what a restore relies on. Throws ManifestError naming the field
 * and the reason.
 */
export function parseManifest(text: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`not JSON: ${(err as Error).message}`);
  }
  if (!isObject(value)) throw new ManifestError('expected a JSON object');
  if (value.format !== MANIFEST_FORMAT)
    throw new ManifestError(`format: expected ${MANIFEST_FORMAT}, got ${JSON.stringify(value.format)}`);
  if (typeof value.id !== 'string' || !backupTime(value.id))
    throw new ManifestError(`id: expected a backup id like 20250131T120000.123Z`);
  if (!Number.isSafeInteger(value.schemaVersion) || (value.schemaVersion as number) < 0)
    throw new ManifestError('schemaVersion: expected a whole number');
  checkFile(value.dump, 'dump');
  if (!Array.isArray(value.tables)) throw new ManifestError('tables: expected an array');
  value.tables.forEach((t: unknown, i) => {
    if (!isObject(t) || typeof t.name !== 'string' || typeof t.checksum !== 'string')
      throw new ManifestError(`tables.${i}: expected { name, rows, checksum }`);
    if (!Number.isSafeInteger(t.rows) || (t.rows as number) < 0)
      throw new ManifestError(`tables.${i}.rows: expected a whole number`);
  });
  if (!isObject(value.database)) throw new ManifestError('database: expected an object');
  if (value.influxdb !== null && value.influxdb !== undefined) {
    if (!isObject(value.influxdb) || !Array.isArray(value.influxdb.files))
      throw new ManifestError('influxdb.files: expected an array');
    value.influxdb.files.forEach((f, i) => {
      checkFile(f, `influxdb.files.${i}`);
    });
  }
  return value as unknown as BackupManifest;
}

/** One table of a verification: what the manifest says and what the restored database holds. */
export interface TableComparison {
  name: string;
  expected: { rows: number; checksum: string } | null;
  actual: { rows: number; checksum: string } | null;
  equal: boolean;
}

/** Table by table, the manifest's counts and checksums against the restored ones, in name order. */
export function compareTables(expected: TableCheck[], actual: TableCheck[]): TableComparison[] {
  const names = [...new Set([...expected, ...actual].map((t) => t.name))].sort();
  const find = (list: TableCheck[], name: string) => {
    const t = list.find((x) => x.name === name);
    return t ? { rows: t.rows, checksum: t.checksum } : null;
  };
  return names.map((name) => {
    const e = find(expected, name);
    const a = find(actual, name);
    return {
      name,
      expected: e,
      actual: a,
      equal: !!e && !!a && e.rows === a.rows && e.checksum === a.checksum,
    };
  });
}
