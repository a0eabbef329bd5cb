import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../src/storage/migrate.ts';
import { tempDataDir } from './helpers/app.ts';

/** The schema version this build migrates to: its highest versioned migration. */
const schemaVersion = Math.max(...readMigrations().map((m) => m.version ?? 0));
const bin = fileURLToPath(new URL('../bin/mantis.js', import.meta.url));

function mantis(args: string[], env: Record<string, string> = {}) {
  const cwd = tempDataDir();
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', MANTIS_DATA_DIR: `${cwd}/data`, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mantis command', () => {
  it.each([['start'], ['run'], ['simulate'], ['migrate'], ['config'], ['keys']])(
    '%s has --help',
    (command) => {
      const { code, stdout } = mantis([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: mantis ${command}`));
    },
  );

  it('simulate names the fault kinds it offers and refuses an unknown kind or asset', () => {
    const help = mantis(['simulate', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(
      '--fault-kind <kind> the fault it develops (choices: "outer-race", "inner-race", "rolling-element", "cage", "imbalance", "misalignment", "looseness", default: "outer-race")',
    );
    const kind = mantis(['simulate', '--token', 't', '--fault-kind', 'spall']);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain("option '--fault-kind <kind>' argument 'spall' is invalid");
    const asset = mantis(['simulate', '--token', 't', '--fault', 'pump-9']);
    expect(asset.code).toBe(2);
    expect(asset.stderr).toMatch(
      /^mantis simulate: --fault: expected one of pump-1, pump-2, .* or none, got "pump-9"\n$/,
    );
  });

  it('stops with exit code 2 and one message listing every bad setting', () => {
    const { code, stderr } = mantis(['config'], {
      MANTIS_HTTP_PORT: '99999',
      MANTIS_BUS_URL: 'nats://x',
      MANTIS_TYPO: '1',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^mantis: invalid configuration:\n/);
    expect(stderr).toContain('MANTIS_HTTP_PORT (http.port)');
    expect(stderr).toContain('MANTIS_BUS_URL (bus.url): unsupported bus URL');
    expect(stderr).toContain('MANTIS_TYPO: unknown setting');
  });

  it('prints the effective configuration with secrets redacted', () => {
    const { code, stdout } = mantis(['config', '--json'], { MANTIS_INGEST_TOKEN: 'secret-token-0123456789' });
    expect(code).toBe(0);
    const config = JSON.parse(stdout);
    expect(config.ingest.token).toBe('<redacted>');
    expect(config.database.url).toMatch(/^pglite:\/\/.*\/pg$/);
    expect(stdout).not.toContain('secret-token');
  });

  it('migrates the database, then finds it up to date', () => {
    const cwd = tempDataDir();
    const env = { MANTIS_DATA_DIR: `${cwd}/data` };
    expect(mantis(['migrate'], env).stdout).toMatch(
      new RegExp(
        `^applied V001__init.sql, V002__\\S+, (V\\d+__\\S+, )*R__timeseries_policies.sql; schema at version ${schemaVersion}\\b`,
      ),
    );
    expect(mantis(['migrate'], env).stdout).toMatch(
      new RegExp(`^schema up to date at version ${schemaVersion}\\b`),
    );
  });

  it('creates, lists and revokes API keys, showing each secret once', () => {
    const cwd = tempDataDir();
    const env = { MANTIS_DATA_DIR: `${cwd}/data` };
    const created = mantis(['keys', 'create', '--name', 'line 2 tablet', '--role', 'technician'], env);
    expect(created.code).toBe(0);
    const [, id, token] = /created technician key ([0-9a-f]{12}) \(line 2 tablet\)\ntoken: (mnt_\S+)\n/.exec(
      created.stdout,
    ) ?? ['', '', ''];
    expect(token).toMatch(new RegExp(`^mnt_${id}_[A-Za-z0-9_-]{43}$`));
    const listed = mantis(['keys', 'list'], env);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^ID +ROLE +SITE +NAME +CREATED +LAST USED +STATUS\n${id} +technician +- +line 2 tablet .* never +active\n$`,
      ),
    );
    expect(listed.stdout).not.toContain(token.slice(-43));
    expect(mantis(['keys', 'revoke', id], env).stdout).toBe(`revoked ${id}\n`);
    const again = mantis(['keys', 'revoke', id], env);
    expect([again.code, again.stderr]).toEqual([1, `mantis keys revoke: no active key ${id}\n`]);
    expect(mantis(['keys', 'list'], env).stdout).not.toContain(id);
    const all = JSON.parse(mantis(['keys', 'list', '--all', '--json'], env).stdout);
    expect(all).toMatchObject([{ id, role: 'technician', createdBy: 'cli', revokedAt: expect.any(String) }]);
  });

  it('refuses a device token without a site, naming the option', () => {
    const { code, stderr } = mantis(['keys', 'create', '--name', 'gw', '--role', 'device']);
    expect([code, stderr]).toEqual([2, 'mantis keys create: --site: a device token needs a site\n']);
  });

  it('refuses an unknown target', () => {
    const { code, stderr } = mantis(['run', '--target', 'everything']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Allowed choices are all, ingest, process, api/);
  });
});
