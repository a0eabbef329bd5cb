import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, migrationsDir, readMigrations } from './migrate.ts';
import { openPglite } from './pglite.ts';

describe('migrations', () => {
  it('apply once, record Flyway-style history, and are a no-op the second time', async () => {
    const db = await openPglite('pglite://memory');
    const first = await migrate(db);
    expect(first.applied[0]).toBe('V001__init.sql');
    expect((await migrate(db)).applied).toEqual([]);
    const history = await db.query<{ version: string; success: boolean }>(
      'SELECT version, success FROM mantis_schema_history',
    );
    expect(history).toEqual(readMigrations().map((m) => ({ version: String(m.version), success: true })));
    await db.close();
  });

  it('refuse to run when an applied migration was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-mig-'));
    cpSync(migrationsDir, dir, { recursive: true });
    const db = await openPglite('pglite://memory');
    await migrate(db, readMigrations(dir));
    writeFileSync(join(dir, 'V001__init.sql'), '-- edited\nSELECT 1;');
    await expect(migrate(db, readMigrations(dir))).rejects.toThrow(/V001__init.sql was changed/);
    await db.close();
  });

  it('refuse a file not named like V001__description.sql', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mantis-mig-'));
    writeFileSync(join(dir, 'init.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrow(/V001__description.sql/);
  });
});
