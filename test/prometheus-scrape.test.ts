import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runSimulator } from '../src/simulator/driver.ts';
import { expandPromql, promqlQueries } from './helpers/dashboards.ts';
import {
  createTestDatabase,
  executableAvailable,
  freePort,
  kafkaAvailable,
  kafkaJmxAvailable,
  kafkaJmxUrl,
  postgresAvailable,
} from './helpers/infra.ts';
import { type MantisProcess, scaleOutEnv, spawnMantis } from './helpers/process.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const POSTGRES_EXPORTER = '/usr/bin/prometheus-postgres-exporter';
const TOKEN = 'scrape-test-token-0123456789';
const H = 3_600_000;
const root = resolve(import.meta.dirname, '..');
const servers = [
  await postgresAvailable(),
  await kafkaAvailable(),
  await kafkaJmxAvailable(),
  await executableAvailable(PROMETHEUS),
  await executableAvailable(NODE_EXPORTER),
  await executableAvailable(POSTGRES_EXPORTER),
];
// Exporters this suite does not run (no cAdvisor, kafka-exporter or Redis here): their panels are checked
// for valid PromQL only.
const NOT_SCRAPED_HERE = /container_|kafka_consumergroup_|redis_/;

interface RuleState {
  name: string;
  health: string;
  lastError?: string;
}
interface QueryResult {
  status: string;
  error?: string;
  data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.runIf(servers.every((s) => s.available))(
  'a real Prometheus scraping MANTIS on Kafka and PostgreSQL, the broker JVM, the host and PostgreSQL',
  () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    const targets: MantisProcess[] = [];
    const exporters: ChildProcess[] = [];
    let prometheus: ChildProcess;
    let promUrl: string;
    const simulation = new AbortController();
    let simulator: Promise<unknown>;

    const query = async (expr: string): Promise<QueryResult> =>
      (
        await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)
      ).json() as Promise<QueryResult>;

    const startExporter = async (path: string, env: Record<string, string> = {}) => {
      const port = await freePort();
      const child = spawn(path, [`--web.listen-address=127.0.0.1:${port}`], {
        env: { ...process.env, ...env },
      });
      child.stderr?.resume();
      exporters.push(child);
      return `127.0.0.1:${port}`;
    };

    beforeAll(async () => {
      database = await createTestDatabase();
      const env = scaleOutEnv(database.url, TOKEN);
      // The data-quality job every 5 s rather than hourly, so that its gauges are scraped during the suite.
      const schedules: Record<string, Record<string, string>> = {
        etl: { MANTIS_ETL_SCHEDULES_DATA_QUALITY: '*/5 * * * * *' },
      };
      for (const target of ['api', 'ingest', 'process', 'etl'])
        targets.push(await spawnMantis(target, { ...env, ...schedules[target] }));
      const [api, ingest] = targets;
      simulator = runSimulator({
        url: ingest.url,
        apiUrl: api.url,
        token: TOKEN,
        speed: 1,
        signal: simulation.signal,
      }).catch(() => {});
      await businessFixtures(api.url, ingest.url);

      const dir = mkdtempSync(join(tmpdir(), 'mantis-scrape-'));
      const port = await freePort();
      promUrl = `http://127.0.0.1:${port}`;
      // The shipped scrape jobs, pointed at the processes of this test.
      const shipped = parse(readFileSync(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8'));
      const job = (name: string, addresses: string[], extra: Record<string, unknown> = {}) => {
        const found = shipped.scrape_configs.find((j: { job_name: string }) => j.job_name === name);
        const labels = found.static_configs[0].labels;
        return { ...found, ...extra, static_configs: addresses.map((a) => ({ targets: [a], labels })) };
      };
      const mantis = job('mantis', []);
      mantis.static_configs = targets.map((t) => ({
        targets: [new URL(t.url).host],
        labels: { service: t.target },
      }));
      const pgUrl = new URL(database.url);
      pgUrl.searchParams.set('sslmode', 'disable');
      writeFileSync(
        join(dir, 'prometheus.yml'),
        stringify({
          global: { scrape_interval: '1s', evaluation_interval: '1s' },
          rule_files: [join(root, 'deploy/prometheus/rules/*.yml')],
          scrape_configs: [
            mantis,
            // A broker that holds many topics takes seconds to list its partitions' beans.
            job('kafka-jmx', [new URL(kafkaJmxUrl).host], { scrape_interval: '5s', scrape_timeout: '5s' }),
            job('node-exporter', [await startExporter(NODE_EXPORTER)]),
            job('postgres-exporter', [
              await startExporter(POSTGRES_EXPORTER, { DATA_SOURCE_NAME: pgUrl.toString() }),
            ]),
          ],
        }),
      );
      prometheus = spawn(PROMETHEUS, [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ]);
      prometheus.stderr?.resume();
    }, 180_000);

    afterAll(async () => {
      simulation.abort();
      await simulator;
      prometheus?.kill('SIGKILL');
      for (const exporter of exporters) exporter.kill('SIGKILL');
      for (const target of targets) await target.stop();
      await database?.drop();
    });

    it('scrapes every target with clean service and instance labels', async () => {
      const deadline = Date.now() + 60_000;
      let result: NonNullable<QueryResult['data']>['result'] = [];
      while (Date.now() < deadline) {
        result = (await query('up').catch(() => ({}) as QueryResult)).data?.result ?? [];
        if (result.length === 7 && result.every((r) => r.value[1] === '1')) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(result.map((r) => [r.metric.job, r.metric.service, r.value[1]]).sort()).toEqual([
        ['kafka-jmx', 'kafka', '1'],
        ['mantis', 'api', '1'],
        ['mantis', 'etl', '1'],
        ['mantis', 'ingest', '1'],
        ['mantis', 'process', '1'],
        ['node-exporter', 'host', '1'],
        ['postgres-exporter', 'postgres', '1'],
      ]);
      for (const r of result) expect(r.metric.instance).toBe('127.0.0.1');
    }, 90_000);

    it('evaluates every recording and alerting rule without error', async () => {
      await new Promise((r) => setTimeout(r, 5_000));
      const body = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
        data: { groups: { rules: RuleState[] }[] };
      };
      const rules = body.data.groups.flatMap((g) => g.rules);
      // Every rule of the shipped rule files is loaded.
      const shipped = ['alerts.yml', 'recording.yml'].flatMap((file) =>
        (
          parse(readFileSync(resolve(root, 'deploy/prometheus/rules', file), 'utf8')) as {
            groups: { rules: unknown[] }[];
          }
        ).groups.flatMap((g) => g.rules),
      );
      expect(shipped.length).toBeGreaterThanOrEqual(28);
      expect(rules.length).toBe(shipped.length);
      for (const rule of rules)
        expect([rule.name, rule.health, rule.lastError ?? '']).toEqual([rule.name, 'ok', '']);
    }, 60_000);

    it('accepts the PromQL of every dashboard panel, variable, annotation and Grafana alert rule', async () => {
      for (const q of promqlQueries()) {
        const body = await query(expandPromql(q.text));
        expect([q.where, q.text, body.status, body.error ?? '']).toEqual([q.where, q.text, 'success', '']);
      }
    }, 60_000);

    it('returns data for every expression fed by what it scrapes', async () => {
      // Deployments mark a restart within two minutes; none happens here (the join is checked below).
      const expected = promqlQueries().filter(
        (q) => !NOT_SCRAPED_HERE.test(q.text) && !q.where.endsWith('annotation Deployments'),
      );
      expect(expected.length).toBeGreaterThan(60);
      // The api refreshes the business gauges every minute: the fixtures appear within one refresh.
      const deadline = Date.now() + 150_000;
      let missing = expected;
      while (missing.length > 0 && Date.now() < deadline) {
        const empty: typeof missing = [];
        for (const q of missing)
          if (((await query(expandPromql(q.text))).data?.result.length ?? 0) === 0) empty.push(q);
        missing = empty;
        if (missing.length > 0) await new Promise((r) => setTimeout(r, 2000));
      }
      expect(missing.map((q) => `${q.where}: ${q.text}`)).toEqual([]);
    }, 200_000);

    it('joins each process start to its version for the deployment annotations', async () => {
      const body = await query(
        'mantis_process_start_time_seconds * on (service, instance) group_left (version) mantis_build_info',
      );
      const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
      expect(body.data?.result.map((r) => [r.metric.service, r.metric.version]).sort()).toEqual([
        ['api', version],
        ['etl', version],
        ['ingest', version],
        ['process', version],
      ]);
    });
  },
);

/** A site whose KPIs all have a value, a rejected reading and a refused request, so every panel has data. */
async function businessFixtures(apiUrl: string, ingestUrl: string) {
  const send = async (base: string, method: string, path: string, body: unknown, token = TOKEN) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.status;
  };
  const now = Date.now();
  expect(
    await send(apiUrl, 'PUT', '/v1/assets/scrape-press', {
      siteId: 'scrape-site',
      lineId: 'scrape-line',
      name: 'Press',
      kind: 'press',
      idealCycleSeconds: 60,
      sensors: [],
    }),
  ).toBeLessThan(300);
  expect(
    await send(apiUrl, 'POST', '/v1/downtime', {
      assetId: 'scrape-press',
      kind: 'unplanned',
      reason: 'jam',
      start: now - 3 * H,
      end: now - 2 * H,
    }),
  ).toBe(201);
  expect(
    await send(apiUrl, 'POST', '/v1/production', [
      { assetId: 'scrape-press', ts: now - H, produced: 100, good: 90 },
    ]),
  ).toBeLessThan(300);
  expect(
    await send(ingestUrl, 'POST', '/v1/readings', [{ sensorId: 'no-such-sensor', ts: now, value: 1 }]),
  ).toBe(422);
  expect(await send(ingestUrl, 'POST', '/v1/readings', [], 'not-a-valid-token-000000')).toBe(401);
}
