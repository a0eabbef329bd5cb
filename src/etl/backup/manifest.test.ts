import { describe, expect, it } from 'vitest';
import {
  backupId,
  backupsToPrune,
  backupTime,
  compareTables,
  groupBackups,
  ManifestError,
  parseManifest,
} from './manifest.ts';

const ids = ['20250101T000000.000Z', '20250102T000000.000Z', '20250103T000000.000Z', '20250104T000000.000Z'];

describe('backup folders', () => {
  it('names a backup by its UTC start time, and reads the time back', () => {
    const at = new Date('2025-01-31T12:34:56.789Z');
    expect(backupId(at)).toBe('20250131T123456.789Z');
    expect(backupTime('20250131T123456.789Z')).toEqual(at);
    expect(backupTime('latest')).toBeNull();
  });

  it('groups objects into backups, complete when the manifest is there, oldest first', () => {
    const p = 'backups/postgres';
    const groups = groupBackups(p, [
      { key: `${p}/${ids[1]}/dump.pgc`, size: 10 },
      { key: `${p}/${ids[0]}/dump.pgc`, size: 5 },
      { key: `${p}/${ids[0]}/manifest.json`, size: 2 },
      { key: `${p}/notes.txt`, size: 1 },
      { key: `${p}/other/dump.pgc`, size: 1 },
    ]);
    expect(groups.map((g) => [g.id, g.complete, g.size])).toEqual([
      [ids[0], true, 7],
      [ids[1], false, 10],
    ]);
  });

  it('keeps the newest N complete backups and a newer incomplete one (maybe still running)', () => {
    const entry = (id: string, complete: boolean) => ({ id, at: new Date(0), complete, size: 0, keys: [] });
    const all = [entry(ids[0], true), entry(ids[1], false), entry(ids[2], true), entry(ids[3], false)];
    expect(backupsToPrune(all, 1).map((b) => b.id)).toEqual([ids[0], ids[1]]);
    expect(backupsToPrune(all, 2).map((b) => b.id)).toEqual([ids[1]]);
    expect(backupsToPrune([entry(ids[0], false)], 1)).toEqual([]);
  });
});

describe('manifests', () => {
  const good = {
    format: 'mantis-backup/1',
    id: ids[0],
    schemaVersion: 19,
    database: { name: 'mantis', serverVersion: '16.6', timescaledb: null },
    dump: { key: 'k', size: 3, sha256: 'a'.repeat(64) },
    tables: [{ name: 'public.sites', rows: 2, checksum: '12' }],
    influxdb: null,
  };

  it('reads a manifest and refuses one that names a field wrongly', () => {
    expect(parseManifest(JSON.stringify(good)).schemaVersion).toBe(19);
    const bad = (patch: object) => () => parseManifest(JSON.stringify({ ...good, ...patch }));
    expect(bad({ format: 'x' })).toThrow(new ManifestError('format: expected mantis-backup/1, got "x"'));
    expect(bad({ schemaVersion: -1 })).toThrow('schemaVersion: expected a whole number');
    expect(bad({ dump: { ...good.dump, sha256: 'zz' } })).toThrow('dump.sha256: expected 64');
    expect(bad({ tables: [{ name: 't', rows: 1.5, checksum: '1' }] })).toThrow('tables.0.rows');
    expect(() => parseManifest('{')).toThrow(/^not JSON/);
  });

  it('compares tables by name, a missing or extra table being unequal', () => {
    const t = (name: string, rows: number, checksum: string) => ({ name, rows, checksum });
    const result = compareTables([t('a', 1, 'x'), t('b', 2, 'y')], [t('b', 2, 'y'), t('c', 0, '0')]);
    expect(result.map((r) => [r.name, r.equal])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
  });
});
