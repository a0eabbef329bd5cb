import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { configSchema } from '../config/schema.ts';
import type { Database } from './ports/database.ts';

export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  /** null for a repeatable script (R__…), which runs again whenever its text changes. */
  version: number | null;
  /** The version as the file name writes it ('001'), which is what Flyway records; null when repeatable. */
  versionText: string | null;
  description: string;
  script: string;
  sql: string;
}

/**
 * Flyway-style names: V001__create_tables.sql → version 1, "create tables"; R__policies.sql is repeatable
 * and runs after the versioned ones.
 */
export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((script) => {
      const match = /^(?:V(\d+)|R)__(.+)\.sql$/.exec(script);
      if (!match) {
        throw new Error(
          `migration ${script}: name must look like V001__description.sql or R__description.sql`,
        );
      }
      return {
        version: match[1] === undefined ? null : Number(match[1]),
        versionText: match[1] ?? null,
        description: match[2].replace(/_/g, ' '),
        script,
        sql: readFileSync(join(dir, script), 'utf8'),
      };
    })
    .sort((a, b) => (a.version ?? Number.MAX_SAFE_INTEGER) - (b.version ?? Number.MAX_SAFE_INTEGER));
}

/** Values for ${name} in the scripts, as Flyway placeholders; whole numbers only, so nothing can inject SQL. */
export type Placeholders = Record<string, number>;

/** Time-series policies of R__timeseries_policies.sql, from the database settings. */
export function timeseriesPlaceholders(settings: {
  rawRetentionDays: number;
  featureRetentionDays: number;
  rollupRetentionDays: number;
  compressAfterDays: number;
  chunkHours: number;
}): Placeholders {
  return {
    raw_retention_days: settings.rawRetentionDays,
    feature_retention_days: settings.featureRetentionDays,
    rollup_retention_days: settings.rollupRetentionDays,
    compress_after_days: settings.compressAfterDays,
    chunk_hours: settings.chunkHours,
  };
}

/** The placeholders of the default configuration, with some values changed. */
export function defaultPlaceholders(
  overrides: Partial<Parameters<typeof timeseriesPlaceholders>[0]> = {},
): Placeholders {
  return timeseriesPlaceholders({ ...configSchema.parse({}).database, ...overrides });
}

/**
 * The script with every `${name}` replaced by its value. Like Flyway, anything between `${` and `}` is a
 * placeholder, in comments too, so a script that Flyway would refuse is refused here as well.
 * Throws when a placeholder has no whole-number value.
 */
export function substitute(migration: Migration, placeholders: Placeholders): string {
  return migration.sql.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    const value = placeholders[name];
    if (!Number.isInteger(value)) {
      throw new Error(`migration ${migration.script}: placeholder \${${name}} has no whole-number value`);
    }
    return String(value);
  });
}

/**
 * Flyway's checksum of a script (ChecksumCalculator): CRC32 over the UTF-8 of each line without its line
 * ending (\n, \r\n or \r), a leading byte-order mark dropped; as a signed 32-bit integer, as stored.
 * Flyway 10+ takes a versioned script as written and a repeatable one after placeholder replacement.
 */
export function flywayChecksum(text: string): number {
  return crc32(text.replace(/^\uFEFF/, '').replace(/\r\n|\r|\n/g, '')) | 0;
}

/** The checksum earlier MANTIS builds recorded: CRC32 over the whole text, line endings included. */
export function legacyChecksum(text: string): number {
  return crc32(text) | 0;
}

/**
 * Flyway's history table, as Flyway 13 creates it on PostgreSQL (with `table = mantis_schema_history`), so
 * that either tool can migrate a database the other started. Tables made by earlier MANTIS builds had text
 * and timestamptz columns; both tools read those as they are.
 */
const HISTORY = `CREATE TABLE IF NOT EXISTS mantis_schema_history (
  installed_rank integer NOT NULL,
  version varchar(50),
  description varchar(200) NOT NULL,
  type varchar(20) NOT NULL,
  script varchar(1000) NOT NULL,
  checksum integer,
  installed_by varchar(100) NOT NULL,
  installed_on timestamp NOT NULL DEFAULT now(),
  execution_time integer NOT NULL,
  success boolean NOT NULL,
  CONSTRAINT mantis_schema_history_pk PRIMARY KEY (installed_rank)
);
CREATE INDEX IF NOT EXISTS mantis_schema_history_s_idx ON mantis_schema_history (success)`;

interface HistoryRow {
  installed_rank: number;
  version: string | null;
  type: string;
  script: string;
  checksum: number | null;
}

/** Arbitrary but fixed: serialises migrations when several processes start at once. */
const LOCK_ID = 7_262_846_701;

export interface MigrationReport {
  /** Scripts run now, in order. */
  applied: string[];
  /** Scripts whose history rows from an earlier MANTIS build were rewritten to Flyway's checksum. */
  realigned: string[];
  /** The highest version of the migrations given. */
  current: number;
}

export interface MigrateOptions {
  migrations?: Migration[];
  placeholders?: Placeholders;
}

/**
 * Applies the pending migrations under an advisory lock, each in a transaction with its history row, and
 * reads a history written by Flyway or by MANTIS alike. A versioned script already applied must have the
 * checksum recorded (Flyway's, or the one of an earlier MANTIS build); a repeatable one runs again when its
 * text after placeholder replacement changes. Rows of an earlier MANTIS build are rewritten to Flyway's
 * checksum and version text, as `flyway repair` would, so that Flyway's `validate` then accepts them.
 * Throws when an applied versioned script was edited, or a placeholder has no value.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrationReport> {
  const migrations = options.migrations ?? readMigrations();
  const placeholders = options.placeholders ?? defaultPlaceholders();
  await db.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
  try {
    await db.exec(HISTORY);
    const done = await db.query<HistoryRow>(
      `SELECT installed_rank, version, type, script, checksum FROM mantis_schema_history
       WHERE success ORDER BY installed_rank`,
    );
    const versioned = new Map<number, HistoryRow>();
    // A repeatable script's latest run is the one that counts.
    const repeatable = new Map<string, HistoryRow>();
    let baseline = 0;
    for (const row of done) {
      // Flyway's marker for a schema it created itself.
      if (row.type === 'SCHEMA') continue;
      // `flyway baseline`: every version up to this one counts as applied.
      if (row.type === 'BASELINE') baseline = Math.max(baseline, Number(row.version));
      else if (row.version === null) repeatable.set(row.script, row);
      else versioned.set(Number(row.version), row);
    }
    const pending: [Migration, string, number][] = [];
    const realign: [Migration, HistoryRow, number][] = [];
    for (const migration of migrations) {
      const sql = substitute(migration, placeholders);
      const text = migration.version === null ? sql : migration.sql;
      const checksum = flywayChecksum(text);
      // Histories written before MANTIS computed Flyway's checksum hold legacyChecksum: accepted too.
      const matches = (row: HistoryRow) => row.checksum === checksum || row.checksum === legacyChecksum(text);
      const row =
        migration.version === null ? repeatable.get(migration.script) : versioned.get(migration.version);
      if (!row) {
        if (migration.version === null || migration.version > baseline)
          pending.push([migration, sql, checksum]);
      } else if (!matches(row)) {
        if (migration.version === null) pending.push([migration, sql, checksum]);
        else
          throw new Error(
            `migration ${migration.script} was changed after it was applied (checksum differs)`,
          );
      } else if (row.checksum !== checksum || row.version !== migration.versionText) {
        realign.push([migration, row, checksum]);
      }
    }
    for (const [migration, row, checksum] of realign) {
      await db.query(
        'UPDATE mantis_schema_history SET checksum = $1, version = $2 WHERE installed_rank = $3',
        [checksum, migration.versionText, row.installed_rank],
      );
    }
    for (const [migration, sql, checksum] of pending) {
      const started = performance.now();
      await db.transaction(async (tx) => {
        // As Flyway runs a script (its PostgreSQLConnection): the schema first on the search path, unless it
        // is there already; so that what depends on the session (SET search_path FROM CURRENT) is the same.
        await tx.query(
          `SELECT set_config('search_path', CASE WHEN p = s OR p LIKE s || ',%' THEN p ELSE s || ', ' || p END, true)
           FROM (SELECT quote_ident(current_schema()) AS s, current_setting('search_path') AS p) AS session`,
        );
        await tx.exec(sql);
        await tx.query(
          `INSERT INTO mantis_schema_history
             (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
           VALUES ((SELECT coalesce(max(installed_rank), 0) + 1 FROM mantis_schema_history),
                   $1, $2, 'SQL', $3, $4, current_user, $5, true)`,
          [
            migration.versionText,
            migration.description,
            migration.script,
            checksum,
            Math.round(performance.now() - started),
          ],
        );
      });
    }
    const current = Math.max(0, ...migrations.map((m) => m.version ?? 0));
    return {
      applied: pending.map(([m]) => m.script),
      realigned: realign.map(([m]) => m.script),
      current,
    };
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
  }
}
