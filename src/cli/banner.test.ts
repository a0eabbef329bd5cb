import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/mantis.js', import.meta.url));

/** Runs `mantis start --no-simulate` on free ports until its banner is printed; returns the banner lines. */
async function startBanner(): Promise<{ lines: string[]; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [bin, 'start', '--no-simulate'], {
    env: {
      PATH: process.env.PATH ?? '',
      MANTIS_HTTP_PORT: '0',
      MANTIS_MQTT_PORT: '0',
      MANTIS_DATA_DIR: mkdtempSync(join(tmpdir(), 'mantis-banner-')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: string[] = [];
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no banner in 60 s:\n${lines.join('\n')}${errors}`)),
      60_000,
    );
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      lines.push(...complete);
      if (complete.some((l) => l.startsWith('  Try '))) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then(() => reject(new Error(`mantis start exited:\n${lines.join('\n')}${errors}`)));
  });
  return {
    lines,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('mantis start', () => {
  it('prints every address a user needs, the embedded MQTT listener included, and each one answers', async () => {
    const { lines, stop } = await startBanner();
    try {
      const field = (name: string) => lines.find((l) => l.startsWith(`  ${name.padEnd(10)}`))?.slice(12);
      const base = /^(http:\/\/[\d.]+:\d+)\/v1\/assets/.exec(field('API') ?? '')?.[1];
      const mqtt = /^(mqtt:\/\/[\d.]+:\d+) {3}\(embedded listener/.exec(field('MQTT') ?? '')?.[1];
      const token = field('Token')?.split(' ')[0];
      expect([base, mqtt, token].every(Boolean), lines.join('\n')).toBe(true);
      expect(field('Console')).toBe(`${base}/`);
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      // The listener printed takes a reading from a client logging in with the printed token.
      const gateway = await connectAsync(mqtt as string, {
        username: 'gateway',
        password: token,
        reconnectPeriod: 0,
      });
      expect(gateway.connected).toBe(true);
      await gateway.endAsync();
    } finally {
      await stop();
    }
  }, 90_000);
});

describe('the banner of an instance on real stores', () => {
  it('never prints the credentials in the stores’ URLs', async () => {
    const { startBanner: banner } = await import('./banner.ts');
    const { loadConfig } = await import('../config/load.ts');
    const config = loadConfig({
      env: {},
      overrides: {
        'database.url': 'postgres://mantis:db-secret@db:5432/mantis',
        'bus.url': 'kafka://broker:9092',
        'onlineStore.url': 'redis://:redis-secret@redis:6379',
      },
    });
    const app = { url: 'http://127.0.0.1:8080', services: {}, token: 't', tokenGenerated: false };
    const text = banner(app as never, config, '0.0.0').join('\n');
    expect(text).not.toMatch(/db-secret|redis-secret/);
    expect(text).toContain('database postgres://mantis:<redacted>@db:5432/mantis');
    expect(text).toContain('online store redis://:<redacted>@redis:6379');
  });
});
