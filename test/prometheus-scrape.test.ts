import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runSimulator } from '../src/simulator/driver.ts';
import {
  createTestDatabase,
  executableAvailable,
  freePort,
  kafkaAvailable,
  kafkaBroker,
  postgresAvailable,
  uniqueSuffix,
} from './helpers/infra.ts';
import { type MantisProcess, spawnMantis } from './helpers/process.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const TOKEN = 'scrape-test-token-0123456789';
const root = resolve(import.meta.dirname, '..');
const servers = [await postgresAvailable(), await kafkaAvailable(), await executableAvailable(PROMETHEUS)];

interface RuleState {
  name: string;
  query: string;
  health: string;
  lastError?: string;
  type: 'recording' | 'alerting';
}

describe.runIf(servers.every((s) => s.available))(
  'a real Prometheus scraping MANTIS on Kafka and PostgreSQL',
  () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    const targets: MantisProcess[] = [];
    let prometheus: ChildProcess;
    let promUrl: string;
    const simulation = new AbortController();
    let simulator: Promise<unknown>;

    const query = async (expr: string) => {
      const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: unknown[] };
      };
      return body;
    };

    beforeAll(async () => {
      database = await createTestDatabase();
      const env = {
        MANTIS_BUS_URL: `kafka://${kafkaBroker}`,
        MANTIS_BUS_TOPIC_PREFIX: `test-${uniqueSuffix()}.`,
        MANTIS_DATABASE_URL: database.url,
        MANTIS_INGEST_TOKEN: TOKEN,
      };
      for (const target of ['api', 'ingest', 'process']) targets.push(await spawnMantis(target, env));
      const [api, ingest] = targets;
      simulator = runSimulator({
        url: ingest.url,
        apiUrl: api.url,
        token: TOKEN,
        speed: 1,
        signal: simulation.signal,
      }).catch(() => {});

      const dir = mkdtempSync(join(tmpdir(), 'mantis-scrape-'));
      const port = await freePort();
      promUrl = `http://127.0.0.1:${port}`;
      // The shipped scrape job, pointed at these three processes.
      const shipped = parse(readFileSync(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8'));
      const mantisJob = shipped.scrape_configs.find((j: { job_name: string }) => j.job_name === 'mantis');
      mantisJob.static_configs = targets.map((t) => ({
        targets: [new URL(t.url).host],
        labels: { service: t.target },
      }));
      writeFileSync(
        join(dir, 'prometheus.yml'),
        stringify({
          global: { scrape_interval: '1s', evaluation_interval: '1s' },
          rule_files: [join(root, 'deploy/prometheus/rules/*.yml')],
          scrape_configs: [mantisJob],
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
      for (const target of targets) await target.stop();
      await database?.drop();
    });

    it('scrapes every target with clean service and instance labels', async () => {
      const deadline = Date.now() + 60_000;
      let result: { metric: Record<string, string>; value: [number, string] }[] = [];
      while (Date.now() < deadline) {
        result = ((await query('up{job="mantis"}').catch(() => ({ data: { result: [] } }))).data?.result ??
          []) as typeof result;
        if (result.length === 3 && result.every((r) => r.value[1] === '1')) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(result.map((r) => r.metric.service).sort()).toEqual(['api', 'ingest', 'process']);
      for (const r of result) expect(r.metric.instance).toBe('127.0.0.1');
    }, 90_000);

    it('evaluates every recording and alerting rule without error', async () => {
      await new Promise((r) => setTimeout(r, 5_000));
      const body = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
        data: { groups: { rules: RuleState[] }[] };
      };
      const rules = body.data.groups.flatMap((g) => g.rules);
      expect(rules.length).toBe(25);
      for (const rule of rules)
        expect([rule.name, rule.health, rule.lastError ?? '']).toEqual([rule.name, 'ok', '']);
    }, 60_000);

    it('returns data for the MANTIS series the dashboards and alerts read', async () => {
      const expressions = [
        'service_route:http_server_requests:rate5m{service="ingest", route="/v1/readings"}',
        'service:http_server_request_duration_seconds:p99_5m{service="ingest"}',
        'service:http_server_request_duration_seconds:p50_5m{service="ingest"}',
        'transport_outcome:mantis_ingest_items:rate5m{transport="http", outcome="accepted"}',
        'mantis_pipeline_readings:rate5m',
        'store:mantis_storage_write_duration_seconds:p99_5m',
        'group:mantis_bus_consumer_lag_messages:max',
        'mantis_asset_health_ratio',
        'sum by (priority) (mantis_work_orders_open)',
        'rate(mantis_bus_send_duration_seconds_count[1m])',
      ];
      const deadline = Date.now() + 90_000;
      const missing = new Set(expressions);
      while (missing.size > 0 && Date.now() < deadline) {
        for (const expr of [...missing]) {
          const body = await query(expr);
          expect([expr, body.status]).toEqual([expr, 'success']);
          if ((body.data?.result.length ?? 0) > 0) missing.delete(expr);
        }
        if (missing.size > 0) await new Promise((r) => setTimeout(r, 1000));
      }
      expect([...missing]).toEqual([]);
    }, 120_000);
  },
);
