import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import type { Database } from './port.ts';

export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  version: number;
  description: string;
  script: string;
  sql: string;
  checksum: number;
}

/** Flyway-style names: V001__create_tables.sql → version 1, "create tables". */
export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((script) => {
      const match = /^V(\d+)__(.+)\.sql$/.exec(script);
      if (!match) throw new Error(`migration ${script}: name must look like V001__description.sql`);
      const sql = readFileSync(join(dir, script), 'utf8');
      // Signed 32-bit, as Flyway stores its checksum.
      return {
        version: Number(match[1]),
        description: match[2].replace(/_/g, ' '),
        script,
        sql,
        checksum: crc32(sql) | 0,
      };
    })
    .sort((a, b) => a.version - b.version);
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

export async function migrate(db: Database, migrations = readMigrations()): Promise<MigrationReport> {
  await db.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
  try {
    await db.exec(HISTORY);
    const done = await db.query<{ version: string; checksum: number; script: string; success: boolean }>(
      'SELECT version, checksum, script, success FROM mantis_schema_history ORDER BY installed_rank',
    );
    const byVersion = new Map(done.map((row) => [Number(row.version), row]));
    for (const migration of migrations) {
      const row = byVersion.get(migration.version);
      if (row && row.checksum !== migration.checksum) {
        throw new Error(`migration ${migration.script} was changed after it was applied (checksum differs)`);
      }
    }
    const applied: string[] = [];
    for (const migration of migrations.filter((m) => !byVersion.has(m.version))) {
      const started = performance.now();
      await db.transaction(async (tx) => {
        await tx.exec(migration.sql);
        await tx.query(
          `INSERT INTO mantis_schema_history
             (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
           VALUES ((SELECT coalesce(max(installed_rank), 0) + 1 FROM mantis_schema_history),
                   $1, $2, 'SQL', $3, $4, current_user, $5, true)`,
          [
            String(migration.version),
            migration.description,
            migration.script,
            migration.checksum,
            Math.round(performance.now() - started),
          ],
        );
      });
      applied.push(migration.script);
    }
    const last = migrations.at(-1)?.version ?? 0;
    return { applied, current: last };
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
  }
}
