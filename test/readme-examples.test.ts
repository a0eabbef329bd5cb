import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { runSimulator } from '../src/simulator/driver.ts';
import { alignedStart, client, startApp } from './helpers/app.ts';
import { executableAvailable } from './helpers/infra.ts';

/** Every curl command of the README's shell blocks, continuation lines joined, comments dropped. */
function readmeCurls(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const commands: string[] = [];
  for (const block of blocks) {
    const joined = block.replace(/\\\n\s*/g, ' ');
    let current = '';
    for (const line of joined.split('\n')) {
      // A -d '…' body may span lines: a command goes on until its quotes are balanced.
      current = current ? `${current}\n${line}` : line;
      if ((current.match(/'/g)?.length ?? 0) % 2 === 1) continue;
      if (current.trimStart().startsWith('curl ')) commands.push(current.replace(/\s+#[^'\n]*$/, '').trim());
      current = '';
    }
  }
  return commands;
}

const curl = await executableAvailable('/usr/bin/curl');

describe.runIf(curl.available)("the README's API examples", () => {
  let app: MantisApp;
  let workOrderId = '';

  beforeAll(async () => {
    app = await startApp({ 'pipeline.idleTimeoutSeconds': 1 });
    // The simulated plant the README starts with, and a work order on pump-2 for the transitions it shows.
    await runSimulator({
      url: app.url,
      token: app.token,
      startTs: alignedStart(40),
      speed: 0,
      durationSeconds: 30,
    });
    const created = await client(app).request('POST', '/v1/work-orders', {
      assetId: 'pump-2',
      title: 'Bearing noise',
      priority: 'high',
    });
    expect(created.status).toBe(201);
    workOrderId = ((await created.json()) as { id: string }).id;
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('lists the commands it shows', () => {
    expect(readmeCurls().length).toBeGreaterThanOrEqual(10);
  });

  it('answers every one of them with success, as written', async () => {
    expect(workOrderId).not.toBe('');
    const results = [];
    for (const command of readmeCurls()) {
      const runnable = command
        .replaceAll('localhost:8080', app.url.replace(/^http:\/\//, ''))
        .replaceAll('$TOKEN', app.token)
        .replaceAll('<id>', workOrderId)
        .replace(/^curl /, 'curl -s -o /dev/null -w "%{http_code}" ');
      // Asynchronously: the server answering runs in this process.
      const { stdout } = await promisify(execFile)('/bin/sh', ['-c', runnable], { encoding: 'utf8' });
      results.push({ command: command.slice(0, 160), status: stdout.trim() });
    }
    for (const r of results)
      expect([r.command, r.status]).toEqual([r.command, expect.stringMatching(/^2\d\d$/)]);
  }, 120_000);
});
