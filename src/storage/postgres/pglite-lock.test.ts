import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../domain/errors.ts';
import { LOCK_FILE, lockEmbeddedDatabase } from './pglite-lock.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'mantis-lock-'));

describe('the embedded database lock', () => {
  it('is taken, held by this process, and released', () => {
    const dir = folder();
    const release = lockEmbeddedDatabase(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a folder another live process holds, naming the folder and the process', async () => {
    const dir = folder();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, LOCK_FILE), String(other.pid));
      expect(() => lockEmbeddedDatabase(dir)).toThrow(ConflictError);
      expect(() => lockEmbeddedDatabase(dir)).toThrow(
        `the embedded database ${dir} is in use by process ${other.pid}`,
      );
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(other.pid));
    } finally {
      other.kill();
    }
  });

  it('takes over the lock of a process that died', () => {
    const dir = folder();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(join(dir, LOCK_FILE), dead.stdout);
    const release = lockEmbeddedDatabase(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    release();
  });
});
