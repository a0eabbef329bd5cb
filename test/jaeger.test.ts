import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  executableAvailable,
  kafkaAvailable,
  postgresAvailable,
  uniqueSuffix,
} from './helpers/infra.ts';
import { type MantisProcess, scaleOutEnv, spawnMantis } from './helpers/process.ts';

const root = resolve(import.meta.dirname, '..');
const JAEGER = execFileSync(join(root, 'scripts/stack/jaeger.sh'), ['path'], { encoding: 'utf8' }).trim();
const TOKEN = 'jaeger-test-token-0123456789';
const servers = [await postgresAvailable(), await kafkaAvailable(), await executableAvailable(JAEGER)];

interface JaegerTrace {
  spans: { operationName: string; processID: string; references: { spanID: string }[]; spanID: string }[];
  processes: Record<string, { serviceName: string }>;
}

describe.runIf(servers.every((s) => s.available))(
  'traces in a real Jaeger, from HTTP ingest to processing',
  () => {
    let jaeger: ChildProcess;
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    const targets: MantisProcess[] = [];

    beforeAll(async () => {
      // Jaeger v2 on its defaults: OTLP/HTTP on 4318, the query API on 16686, spans in memory.
      jaeger = spawn(JAEGER, [], { stdio: 'ignore' });
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch('http://127.0.0.1:16686/api/services').then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw new Error('jaeger did not start');
        await new Promise((r) => setTimeout(r, 500));
      }
      database = await createTestDatabase();
      const env = scaleOutEnv(database.url, TOKEN, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
      for (const target of ['api', 'ingest', 'process']) targets.push(await spawnMantis(target, env));
    }, 180_000);

    afterAll(async () => {
      for (const target of targets) await target.stop();
      jaeger?.kill('SIGTERM');
      await database?.drop();
    });

    it('holds the ingest span and the process span of the same reading in one trace', async () => {
      const [api, ingest] = targets;
      const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      const registered = await fetch(`${api.url}/v1/assets/oven-1`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({
          siteId: 'bakery',
          lineId: 'bakery-line',
          name: 'Oven 1',
          kind: 'oven',
          sensors: [
            {
              id: 'oven-1.temp',
              kind: 'temperature',
              unit: 'degC',
              sampleRateHz: 1,
              validMin: 0,
              validMax: 400,
            },
          ],
        }),
      });
      expect(registered.status).toBe(200);
      const traceId = uniqueSuffix().repeat(4);
      const sent = await fetch(`${ingest.url}/v1/readings`, {
        method: 'POST',
        headers: { ...headers, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        body: JSON.stringify([{ sensorId: 'oven-1.temp', ts: Date.now() - 1000, value: 180 }]),
      });
      expect(sent.status).toBe(202);

      const wanted = [
        ['mantis-ingest', 'POST /v1/readings'],
        ['mantis-ingest', 'send mantis.readings.v1'],
        ['mantis-process', 'process mantis.readings.v1'],
        ['mantis-process', 'write postgres'],
      ];
      const deadline = Date.now() + 60_000;
      let found: string[][] = [];
      while (Date.now() < deadline) {
        const response = await fetch(`http://127.0.0.1:16686/api/traces/${traceId}`);
        if (response.ok) {
          const { data } = (await response.json()) as { data: JaegerTrace[] };
          found = (data[0]?.spans ?? []).map((s) => [
            data[0].processes[s.processID].serviceName,
            s.operationName,
          ]);
          if (wanted.every(([service, op]) => found.some(([s, o]) => s === service && o === op))) break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(found).toEqual(expect.arrayContaining(wanted));
    }, 120_000);
  },
);
