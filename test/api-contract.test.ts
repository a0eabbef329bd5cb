import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { runSimulator } from '../src/simulator/driver.ts';
import { alignedStart, caughtUp, client, startApp } from './helpers/app.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { SCHEMATHESIS, schemathesisAvailable } from './helpers/schemathesis.ts';

const CONTRACT = resolve(import.meta.dirname, 'contract');
const REPORTS = resolve('.test-results/schemathesis');
/** Test cases per operation and phase: enough to meet every documented rule, small enough for CI. */
const MAX_EXAMPLES = Number(process.env.MANTIS_CONTRACT_EXAMPLES ?? 100);

const ready = (await postgresAvailable()).available && (await schemathesisAvailable()).available;

/** Runs Schemathesis with every check against the app's /openapi.json as `token`; its exit code and output. */
function schemathesis(app: MantisApp, token: string, name: string, extra: string[] = []) {
  const args = [
    '--config-file',
    resolve(CONTRACT, 'schemathesis.toml'),
    'run',
    `${app.url}/openapi.json`,
    '--checks',
    'all',
    '--header',
    `Authorization: Bearer ${token}`,
    '--max-examples',
    String(MAX_EXAMPLES),
    '--workers',
    '1',
    '--seed',
    '20261201',
    '--report',
    'junit',
    '--report-junit-path',
    resolve(REPORTS, `${name}.xml`),
    '--no-color',
    ...extra,
  ];
  return new Promise<{ code: number | null; output: string }>((done) => {
    // Its example database and crash files go with the reports, not into the repository.
    const child = spawn(SCHEMATHESIS, args, { cwd: REPORTS });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code) => {
      writeFileSync(resolve(REPORTS, `${name}.log`), output);
      done({ code, output });
    });
  });
}

/** The summary and each failure of a run, for the assertion message. */
const failuresOf = (output: string) =>
  output
    .split('\n')
    .filter((l) => /^(_{3,}|- ST\d|\s+(Received|Expected|Unsupported|The API|Schema)|\s+curl )/.test(l))
    .join('\n');

describe.runIf(ready)('the API keeps its published contract (Schemathesis, every check)', () => {
  let app: MantisApp;
  let drop: () => Promise<void>;
  let deviceToken = '';

  beforeAll(async () => {
    mkdirSync(REPORTS, { recursive: true });
    const database = await createTestDatabase();
    drop = database.drop;
    app = await startApp({
      'database.url': database.url,
      'ingest.token': 'contract-admin-token-0123456789',
      // The limiter of failed authentications stays on, high enough for the tester's deliberate bad tokens.
      'http.authFailuresPerMinute': 1_000_000,
      // The answers as a client gets them: the tester judges them against the document.
      'http.checkResponses': 'off',
      'pipeline.idleTimeoutSeconds': 1,
    });
    // A plant with history: assets, sensors, windows, alerts and work orders for the tester to read and change.
    await runSimulator({
      url: app.url,
      token: app.token,
      startTs: alignedStart(130),
      speed: 0,
      durationSeconds: 120,
    });
    await caughtUp(app);
    const admin = client(app);
    const created = await admin.request('POST', '/v1/keys', {
      name: 'contract device',
      role: 'device',
      site: 'plant-1',
    });
    expect(created.status).toBe(201);
    deviceToken = ((await created.json()) as { token: string }).token;
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('answers every operation as documented for an admin key', async () => {
    const run = await schemathesis(app, app.token, 'admin');
    expect(failuresOf(run.output), run.output.slice(-4000)).toBe('');
    expect(run.code, run.output.slice(-4000)).toBe(0);
    const report = readFileSync(resolve(REPORTS, 'admin.xml'), 'utf8');
    // Every operation of the document was exercised.
    expect(Number(/tests="(\d+)"/.exec(report)?.[1])).toBeGreaterThan(40);
  }, 1_200_000);

  it('answers every operation as documented for a device key', async () => {
    const run = await schemathesis(app, deviceToken, 'device', ['--phases', 'examples,coverage,fuzzing']);
    expect(failuresOf(run.output), run.output.slice(-4000)).toBe('');
    expect(run.code, run.output.slice(-4000)).toBe(0);
  }, 1_200_000);
});
