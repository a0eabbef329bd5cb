import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPlaceholders, migrate, migrationsDir, readMigrations } from './migrate.ts';
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
    expect(history).toEqual(
      readMigrations().map((m) => ({
        version: m.version === null ? null : String(m.version),
        success: true,
      })),
    );
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
});
