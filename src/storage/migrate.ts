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

export function substitute(migration: Migration, placeholders: Placeholders): string {
  return migration.sql.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = placeholders[name];
    if (!Number.isInteger(value)) {
      throw new Error(`migration ${migration.script}: placeholder \${${name}} has no whole-number value`);
    }
    return String(value);
  });
}

// Flyway's history table layout, so an operator can see (and Flyway could read) what ran.
const HISTORY = `CREATE TABLE IF NOT EXISTS mantis_schema_history (
  installed_rank integer PRIMARY KEY,
  version text,
  description text NOT NULL,
  type text NOT NULL,
  script text NOT NULL,
  checksum integer,
  installed_by text NOT NULL,
  installed_on timestamptz NOT NULL DEFAULT now(),
  execution_time integer NOT NULL,
  success boolean NOT NULL
)`;

/** Arbitrary but fixed: serialises migrations when several processes start at once. */
const LOCK_ID = 7_262_846_701;

export interface MigrationReport {
  applied: string[];
  current: number;
}

export interface MigrateOptions {
  migrations?: Migration[];
  placeholders?: Placeholders;
}

export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrationReport> {
  const migrations = options.migrations ?? readMigrations();
  const placeholders = options.placeholders ?? defaultPlaceholders();
  await db.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
  try {
    await db.exec(HISTORY);
    const done = await db.query<{ version: string | null; checksum: number; script: string }>(
      'SELECT version, checksum, script FROM mantis_schema_history WHERE success ORDER BY installed_rank',
    );
    const versioned = new Map(done.filter((r) => r.version !== null).map((r) => [Number(r.version), r]));
    // A repeatable script's latest run is the one that counts.
    const repeatable = new Map(done.filter((r) => r.version === null).map((r) => [r.script, r.checksum]));
    const pending: [Migration, string, number][] = [];
    for (const migration of migrations) {
      const sql = substitute(migration, placeholders);
      // Signed 32-bit, as Flyway stores it; a repeatable script's covers its placeholder values.
      const checksum = crc32(migration.version === null ? sql : migration.sql) | 0;
      if (migration.version === null) {
        if (repeatable.get(migration.script) !== checksum) pending.push([migration, sql, checksum]);
        continue;
      }
      const row = versioned.get(migration.version);
      if (!row) pending.push([migration, sql, checksum]);
      else if (row.checksum !== checksum) {
        throw new Error(`migration ${migration.script} was changed after it was applied (checksum differs)`);
      }
    }
    for (const [migration, sql, checksum] of pending) {
      const started = performance.now();
      await db.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query(
          `INSERT INTO mantis_schema_history
             (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
           VALUES ((SELECT coalesce(max(installed_rank), 0) + 1 FROM mantis_schema_history),
                   $1, $2, 'SQL', $3, $4, current_user, $5, true)`,
          [
            migration.version === null ? null : String(migration.version),
            migration.description,
            migration.script,
            checksum,
            Math.round(performance.now() - started),
          ],
        );
      });
    }
    const current = Math.max(0, ...migrations.map((m) => m.version ?? 0));
    return { applied: pending.map(([m]) => m.script), current };
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
  }
}
