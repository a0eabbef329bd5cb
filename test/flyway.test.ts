import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultPlaceholders,
  legacyChecksum,
  type Placeholders,
  readMigrations,
  substitute,
} from '../src/storage/migrate.ts';
import { tempDataDir } from './helpers/app.ts';
import { createTestDatabase, executableAvailable, postgresAvailable } from './helpers/infra.ts';

// Flyway's engine runs on Java; scripts/stack/flyway.sh fetches it from Maven Central once (cached).
const ready = [await postgresAvailable(), await executableAvailable('/usr/bin/java')];
const flywayScript = fileURLToPath(new URL('../scripts/stack/flyway.sh', import.meta.url));
const bin = fileURLToPath(new URL('../bin/mantis.js', import.meta.url));
const migrations = readMigrations();
const schemaVersion = Math.max(...migrations.map((m) => m.version ?? 0));

/** Runs Flyway's migrate, validate or info on migrations/ with these placeholders. */
function flyway(command: string, url: string, placeholders: Placeholders) {
  const args = Object.entries(placeholders).map(([name, value]) => `${name}=${value}`);
  const result = spawnSync('bash', [flywayScript, command, ...args], {
    env: { ...process.env, MANTIS_DATABASE_URL: url },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `mantis migrate` as an operator runs it, with database settings from the environment. */
function mantisMigrate(url: string, env: Record<string, string> = {}) {
  const cwd = tempDataDir();
  const result = spawnSync(process.execPath, [bin, 'migrate'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', MANTIS_DATA_DIR: `${cwd}/data`, MANTIS_DATABASE_URL: url, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The history without what differs between two runs (when and how long). */
function history(url: string) {
  return withClient(url, async (client) => {
    const { rows } = await client.query(
      `SELECT installed_rank, version, description, type, script, checksum, installed_by, success
       FROM mantis_schema_history ORDER BY installed_rank`,
    );
    return rows;
  });
}

/** Tables, columns, constraints, indexes, views, functions and triggers of the public schema, as text. */
function schemaDump(url: string) {
  const queries = {
    relations: `SELECT c.relname, c.relkind, c.relpersistence FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1`,
    columns: `SELECT table_name, ordinal_position, column_name, data_type, character_maximum_length,
                     is_nullable, column_default FROM information_schema.columns
              WHERE table_schema = 'public' ORDER BY 1, 2`,
    constraints: `SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(oid) AS def
                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    indexes: `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
    views: `SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 1`,
    functions: `SELECT proname, pg_get_function_identity_arguments(oid) AS args, pg_get_functiondef(oid) AS def
                FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2`,
    triggers: `SELECT tgrelid::regclass::text AS rel, tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger
               WHERE NOT tgisinternal ORDER BY 1, 2`,
    partitions: `SELECT inhrelid::regclass::text AS child, inhparent::regclass::text AS parent,
                        pg_get_expr(c.relpartbound, c.oid) AS bound
                 FROM pg_inherits JOIN pg_class c ON c.oid = inhrelid ORDER BY 1`,
    retention: 'SELECT relation, time_column, keep_days FROM mantis_retention ORDER BY 1',
  };
  return withClient(url, async (client) => {
    const dump: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(queries)) dump[name] = (await client.query(sql)).rows;
    return dump;
  });
}

// Each case starts several JVMs and MANTIS processes.
describe.runIf(ready.every((r) => r.available))(
  "migrations run by Flyway's own engine",
  { timeout: 120_000 },
  () => {
    const placeholders = defaultPlaceholders();
    const databases: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
    let byFlyway: string;
    let byMantis: string;

    beforeAll(async () => {
      for (let i = 0; i < 3; i++) databases.push(await createTestDatabase());
      [byFlyway, byMantis] = databases.map((d) => d.url);
    });

    afterAll(async () => {
      for (const database of databases) await database.drop();
    });

    it("Flyway migrates migrations/ as shipped, then mantis migrate accepts Flyway's history", async () => {
      const migrated = flyway('migrate', byFlyway, placeholders);
      expect(migrated.stderr).not.toMatch(/ERROR|Exception/);
      expect(migrated.stdout).toBe(
        `applied ${migrations.length} migrations; schema at version ${String(schemaVersion).padStart(3, '0')}\n`,
      );
      expect(migrated.code).toBe(0);
      const rows = await history(byFlyway);
      expect(rows.map((r) => [r.version, r.description, r.type, r.script])).toEqual(
        migrations.map((m) => [m.versionText, m.description, 'SQL', m.script]),
      );

      const mantis = mantisMigrate(byFlyway);
      expect(mantis.stderr).toBe('');
      expect(mantis.stdout).toBe(`schema up to date at version ${schemaVersion}\n`);
      expect(await history(byFlyway)).toEqual(rows);

      const validated = flyway('validate', byFlyway, placeholders);
      expect(validated.stdout).toBe(`validated ${migrations.length} migrations\n`);
      expect(validated.code).toBe(0);
    });

    it("mantis migrate first, then Flyway's validate and migrate accept MANTIS's history", async () => {
      const mantis = mantisMigrate(byMantis);
      expect(mantis.stdout).toBe(
        `applied ${migrations.map((m) => m.script).join(', ')}; schema at version ${schemaVersion}\n`,
      );
      const validated = flyway('validate', byMantis, placeholders);
      expect(validated.stdout).toBe(`validated ${migrations.length} migrations\n`);
      expect(validated.code).toBe(0);
      const migrated = flyway('migrate', byMantis, placeholders);
      expect(migrated.stdout).toBe(
        `applied 0 migrations; schema at version ${String(schemaVersion).padStart(3, '0')}\n`,
      );
      const info = flyway('info', byMantis, placeholders);
      expect(
        info.stdout
          .trim()
          .split('\n')
          .map((line) => line.split('\t')[3]),
      ).toEqual(migrations.map(() => 'SUCCESS'));
    });

    it('builds the same schema and the same history both ways', async () => {
      const dump = await schemaDump(byFlyway);
      expect(dump.relations.map((r) => (r as { relname: string }).relname)).toEqual(
        expect.arrayContaining([
          'features',
          'work_orders',
          'mantis_schema_history',
          'mantis_schema_history_pk',
        ]),
      );
      expect(dump.functions.length).toBeGreaterThan(5);
      expect(await schemaDump(byMantis)).toEqual(dump);
      expect(await history(byMantis)).toEqual(await history(byFlyway));
    });

    it('the repeatable script runs again for both tools when a placeholder value changes', () => {
      const changed = { ...placeholders, raw_retention_days: 3 };
      // Flyway sees the repeatable script outdated; MANTIS with the same setting agrees it has run.
      expect(flyway('migrate', byFlyway, changed).stdout).toMatch(/^applied 1 migrations/);
      expect(mantisMigrate(byFlyway, { MANTIS_DATABASE_RAW_RETENTION_DAYS: '3' }).stdout).toBe(
        `schema up to date at version ${schemaVersion}\n`,
      );
      expect(mantisMigrate(byMantis, { MANTIS_DATABASE_RAW_RETENTION_DAYS: '3' }).stdout).toBe(
        `applied R__timeseries_policies.sql; schema at version ${schemaVersion}\n`,
      );
      expect(flyway('validate', byMantis, changed).code).toBe(0);
    });

    it('a history from an earlier MANTIS build is accepted and realigned so that Flyway validates it', async () => {
      const url = databases[2].url;
      expect(mantisMigrate(url).code).toBe(0);
      // As earlier builds wrote it: text and timestamptz columns, versions without zeros, whole-file CRC32.
      await withClient(url, async (client) => {
        await client.query(`ALTER TABLE mantis_schema_history ALTER version TYPE text, ALTER description TYPE text,
        ALTER type TYPE text, ALTER script TYPE text, ALTER installed_by TYPE text,
        ALTER installed_on TYPE timestamptz`);
        for (const m of migrations) {
          await client.query(
            'UPDATE mantis_schema_history SET version = $1, checksum = $2 WHERE script = $3',
            [
              m.version === null ? null : String(m.version),
              legacyChecksum(m.version === null ? substitute(m, placeholders) : m.sql),
              m.script,
            ],
          );
        }
      });
      const refused = flyway('validate', url, placeholders);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/Migration checksum mismatch for migration version 1\n/);

      const mantis = mantisMigrate(url);
      expect(mantis.stdout).toBe(
        `schema up to date at version ${schemaVersion}\nhistory of ${migrations
          .map((m) => m.script)
          .join(', ')} realigned to Flyway's checksums\n`,
      );
      expect(mantisMigrate(url).stdout).toBe(`schema up to date at version ${schemaVersion}\n`);
      expect(flyway('validate', url, placeholders).stdout).toBe(
        `validated ${migrations.length} migrations\n`,
      );
    });
  },
);
