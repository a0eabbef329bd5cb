import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultPlaceholders,
  flywayChecksum,
  legacyChecksum,
  migrate,
  migrationsDir,
  readMigrations,
} from './migrate.ts';
import { openPglite } from './postgres/pglite.ts';

describe('migrations', () => {
  it('apply once, record Flyway-style history, and are a no-op the second time', async () => {
    const db = await openPglite('pglite://memory');
    const first = await migrate(db);
    expect(first.applied[0]).toBe('V001__init.sql');
    expect((await migrate(db)).applied).toEqual([]);
    const history = await db.query<{ version: string; success: boolean }>(
      'SELECT version, success FROM mantis_schema_history',
    );
    expect(history).toEqual(readMigrations().map((m) => ({ version: m.versionText, success: true })));
    await db.close();
  });

  it('refuse to run when an applied migration was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-mig-'));
    cpSync(migrationsDir, dir, { recursive: true });
    const db = await openPglite('pglite://memory');
    await migrate(db, { migrations: readMigrations(dir) });
    writeFileSync(join(dir, 'V001__init.sql'), '-- edited\nSELECT 1;');
    await expect(migrate(db, { migrations: readMigrations(dir) })).rejects.toThrow(
      /V001__init.sql was changed/,
    );
    await db.close();
  });

  it('run a repeatable script again only when its placeholder values change', async () => {
    const db = await openPglite('pglite://memory');
    const placeholders = defaultPlaceholders();
    await migrate(db, { placeholders });
    expect((await migrate(db, { placeholders })).applied).toEqual([]);
    const changed = await migrate(db, { placeholders: { ...placeholders, raw_retention_days: 3 } });
    expect(changed.applied).toEqual(['R__timeseries_policies.sql']);
    const keep = await db.query<{ relation: string; keep_days: number }>(
      "SELECT relation, keep_days FROM mantis_retention WHERE relation LIKE 'raw%' ORDER BY relation",
    );
    expect(keep).toEqual([
      { relation: 'raw_blocks', keep_days: 3 },
      { relation: 'raw_readings', keep_days: 3 },
    ]);
    const runs = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM mantis_schema_history WHERE script = 'R__timeseries_policies.sql'",
    );
    expect(runs[0].n).toBe(2);
    await db.close();
  });

  it('refuse a script whose placeholder has no value', async () => {
    const db = await openPglite('pglite://memory');
    await expect(migrate(db, { placeholders: {} })).rejects.toThrow(/placeholder \$\{raw_retention_days\}/);
    await db.close();
  });

  it('refuse a file not named like V001__description.sql', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-mig-'));
    writeFileSync(join(dir, 'init.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrow(/V001__description.sql or R__description.sql/);
  });

  it("compute Flyway's checksum: CRC32 of the lines without their endings", () => {
    // Recorded by Flyway 13.12.1 for a versioned script of this text (scripts/stack/flyway.sh).
    expect(flywayChecksum(`-- c\r\nSELECT \${raw_retention_days};\n`)).toBe(-522159166);
    expect(flywayChecksum(`-- c\nSELECT \${raw_retention_days};`)).toBe(-522159166);
    expect(flywayChecksum(`\uFEFF-- c\rSELECT \${raw_retention_days};\r\n`)).toBe(-522159166);
    expect(legacyChecksum(`-- c\r\nSELECT \${raw_retention_days};\n`)).not.toBe(-522159166);
  });

  it('refuse a placeholder Flyway would refuse, also in a comment', async () => {
    const dir = scripts({ 'V001__a.sql': `-- \${...} in a comment\nSELECT 1;` });
    const db = await openPglite('pglite://memory');
    await expect(migrate(db, { migrations: readMigrations(dir) })).rejects.toThrow(
      /placeholder \$\{\.\.\.\}/,
    );
    await db.close();
  });

  it("accept an earlier build's checksums and rewrite them as Flyway's", async () => {
    const dir = scripts({ 'V001__a.sql': 'CREATE TABLE a (x int);\n', 'R__b.sql': `SELECT \${n};\n` });
    const migrations = readMigrations(dir);
    const db = await openPglite('pglite://memory');
    await migrate(db, { migrations, placeholders: { n: 1 } });
    await db.exec(`UPDATE mantis_schema_history SET version = '1', checksum = ${legacyChecksum('CREATE TABLE a (x int);\n')}
      WHERE script = 'V001__a.sql';
      UPDATE mantis_schema_history SET checksum = ${legacyChecksum('SELECT 1;\n')} WHERE script = 'R__b.sql'`);
    const report = await migrate(db, { migrations, placeholders: { n: 1 } });
    expect(report).toEqual({ applied: [], realigned: ['V001__a.sql', 'R__b.sql'], current: 1 });
    expect(
      await db.query('SELECT version, checksum FROM mantis_schema_history ORDER BY installed_rank'),
    ).toEqual([
      { version: '001', checksum: flywayChecksum('CREATE TABLE a (x int);\n') },
      { version: null, checksum: flywayChecksum('SELECT 1;\n') },
    ]);
    expect(await migrate(db, { migrations, placeholders: { n: 1 } })).toEqual({
      applied: [],
      realigned: [],
      current: 1,
    });
    await db.close();
  });

  it("read Flyway's schema marker and baseline rows", async () => {
    const dir = scripts({
      'V001__a.sql': 'CREATE TABLE a (x int);',
      'V002__b.sql': 'CREATE TABLE b (x int);',
      'V003__c.sql': 'CREATE TABLE c (x int);',
    });
    const db = await openPglite('pglite://memory');
    await migrate(db, { migrations: [] });
    // As Flyway writes them for a schema it created and for `flyway baseline -baselineVersion=2`.
    await db.exec(`INSERT INTO mantis_schema_history
        (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
      VALUES (1, '0', '<< Flyway Schema Creation >>', 'SCHEMA', '"public"', NULL, 'flyway', 0, true),
             (2, '2', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, 'flyway', 0, true)`);
    const report = await migrate(db, { migrations: readMigrations(dir) });
    expect(report.applied).toEqual(['V003__c.sql']);
    await db.close();
  });
});

/** A folder of migration scripts with these names and texts. */
function scripts(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mantis-mig-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
