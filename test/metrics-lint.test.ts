/**
 * What every target serves at /metrics, and the metrics files `mantis etl` jobs write for node_exporter's
 * textfile collector, pass `promtool check metrics` with no finding: prometheus.io naming (_total only on
 * counters, base units, snake_case), HELP on every family, and exposition text Prometheus parses. Each target
 * first gets traffic, so that its labelled series exist and their label names are checked too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { Counter, Gauge, Histogram, Summary } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { MantisApp } from '../src/app/app.ts';
import type { Target } from '../src/app/modules.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { bodyOf, caughtUp, client, startApp } from './helpers/app.ts';
import { createTestDatabase, executableAvailable, postgresAvailable } from './helpers/infra.ts';
import { runMantis } from './helpers/process.ts';

const PROMTOOL = '/usr/bin/promtool';
const promtool = await executableAvailable(PROMTOOL);
const pgReady = promtool.available ? await postgresAvailable() : promtool;

/** `promtool check metrics` on `text`: its exit code and everything it printed (findings go to stderr). */
function check(text: string): Promise<{ code: number | null; findings: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics']);
    let findings = '';
    child.stdout.on('data', (d) => {
      findings += d;
    });
    child.stderr.on('data', (d) => {
      findings += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, findings }));
    child.stdin.end(text);
  });
}

/** Families in an exposition text, by their TYPE lines; promtool passes an empty text, so this guards it. */
const families = (text: string) => [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);

const asset = (id: string, site = 'lint-site') => ({
  siteId: site,
  lineId: 'lint-line',
  name: id,
  kind: 'pump',
  sensors: [
    { id: `${id}.temp`, kind: 'temperature', unit: '°C', sampleRateHz: 1, validMin: -20, validMax: 150 },
  ],
});

/** Good and bad readings, a request without credentials, one with a bad body: ingest's labelled series. */
async function ingestTraffic(app: MantisApp, sensorId: string | null) {
  const api = client(app);
  const now = Date.now();
  const items = [
    ...(sensorId ? [0, 1, 2].map((i) => ({ sensorId, ts: now - 30_000 + i * 1000, value: 20 + i })) : []),
    { sensorId: 'no-such-sensor', ts: now, value: 1 },
    { sensorId: sensorId ?? 'no-such-sensor', ts: 'yesterday', value: 1 },
  ];
  expect((await api.request('POST', '/v1/readings', items)).status).toBe(sensorId ? 202 : 422);
  expect((await api.request('POST', '/v1/readings', '{"readings": [', jsonType)).status).toBe(400);
  expect((await client(app, 'not-a-valid-token-000000').request('POST', '/v1/readings', [])).status).toBe(
    401,
  );
}

/** Reads and a refused write on the api routes: the HTTP histogram by route and status, auth failures. */
async function apiTraffic(app: MantisApp) {
  const api = client(app);
  expect((await api.request('PUT', '/v1/assets/lint-pump', asset('lint-pump'))).status).toBe(200);
  expect((await api.request('GET', '/v1/assets')).status).toBe(200);
  expect((await api.request('GET', '/v1/work-orders')).status).toBe(200);
  expect((await api.request('GET', '/v1/assets/no-such-asset')).status).toBe(404);
  const inverted = asset('lint-bad');
  inverted.sensors[0].validMin = 200;
  expect((await api.request('PUT', '/v1/assets/lint-bad', inverted)).status).toBe(422);
  expect((await client(app, 'not-a-valid-token-000000').request('GET', '/v1/assets')).status).toBe(401);
}

const jsonType = { 'content-type': 'application/json' };

/** Scrapes `app` and returns the text, after checking the answer is the Prometheus text format. */
async function scrape(app: MantisApp): Promise<string> {
  const response = await fetch(`${app.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

describe.runIf(promtool.available)('promtool check metrics on every target', () => {
  let app: MantisApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  const traffic: Record<Target, (app: MantisApp) => Promise<string[]>> = {
    all: async (app) => {
      await apiTraffic(app);
      await ingestTraffic(app, 'lint-pump.temp');
      const key = await client(app).request('POST', '/v1/keys', {
        name: 'lint gateway',
        role: 'device',
        site: 'lint-site',
      });
      const gateway = await connectAsync(`mqtt://127.0.0.1:${app.services.mqttPort}`, {
        username: 'gw',
        password: (await bodyOf(key)).token,
      });
      await gateway.publishAsync(
        'mantis/lint-site/lint-pump/lint-pump.temp',
        JSON.stringify({ ts: Date.now() - 5_000, value: 21 }),
        { qos: 1 },
      );
      await gateway.publishAsync('mantis/lint-site/lint-pump/lint-pump.temp', 'not json', { qos: 1 });
      await gateway.endAsync();
      await caughtUp(app);
      return [
        'mantis_ingest_items_total{transport="mqtt",outcome="accepted"}',
        'mantis_ingest_rejections_total{transport="http"',
        'mantis_pipeline_readings_total{outcome="windowed"}',
        'mantis_storage_write_duration_seconds_bucket{',
      ];
    },
    ingest: async (app) => {
      await ingestTraffic(app, null);
      return [
        'mantis_ingest_requests_refused_total{transport="http",reason="unauthorized"}',
        'mantis_ingest_rejections_total{transport="http",field="sensorId"}',
      ];
    },
    process: async (app) => {
      expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${app.url}/no-such-route`)).status).toBe(404);
      return ['mantis_pipeline_open_windows ', 'mantis_nodejs_active_resources{type='];
    },
    api: async (app) => {
      await apiTraffic(app);
      return [
        'http_server_request_duration_seconds_bucket{',
        'route="/v1/assets/:id",status_code="404"',
        'mantis_auth_failures_total{reason="invalid"}',
      ];
    },
    etl: async (app) => {
      // The data-quality and KPI jobs run each second, so that their series exist when scraped.
      const deadline = Date.now() + 20_000;
      let text = '';
      while (!/mantis_job_runs_total\{etl_job="data-quality",outcome="success"\}/.test(text)) {
        if (Date.now() > deadline) throw new Error(`no data-quality run in /metrics:\n${text}`);
        await new Promise((r) => setTimeout(r, 250));
        text = await scrape(app);
      }
      return [
        'mantis_job_runs_total{etl_job="kpi-rollup"',
        'mantis_data_quality_range_end_timestamp_seconds ',
      ];
    },
  };
  const settings: Partial<Record<Target, Record<string, unknown>>> = {
    etl: {
      'etl.schedules.dataQuality': '* * * * * *',
      'etl.schedules.kpiRollup': '* * * * * *',
    },
  };

  it.each(['all', 'ingest', 'process', 'api', 'etl'] as const)(
    '%s serves metrics with no finding',
    async (target) => {
      app = await startApp(settings[target] ?? {}, target);
      const expected = await traffic[target](app);
      const text = await scrape(app);
      expect(families(text).length).toBeGreaterThan(60);
      for (const series of expected) expect(text).toContain(series);
      expect(await check(text)).toEqual({ code: 0, findings: '' });
    },
    60_000,
  );

  it('is a check that finds what it should: a gauge named like a counter', async () => {
    const text = '# HELP x_active_total Open things.\n# TYPE x_active_total gauge\nx_active_total 1\n';
    expect(await check(text)).toEqual({
      code: 3,
      findings: 'x_active_total non-counter metrics should not have "_total" suffix\n',
    });
  });

  it('passes for every family MANTIS declares, each with a series of all its labels', async () => {
    // Traffic reaches only some label sets; this gives every family one series, so every label name is seen.
    const { registry } = createMetrics();
    for (const metric of registry.getMetricsAsArray()) {
      const { labelNames = [] } = metric as unknown as { labelNames?: string[] };
      const labels = Object.fromEntries(labelNames.map((name) => [name, 'x']));
      if (metric instanceof Counter) metric.inc(labels);
      else if (metric instanceof Gauge) metric.set(labels, 1);
      else if (metric instanceof Histogram || metric instanceof Summary) metric.observe(labels, 0.1);
    }
    const text = await registry.metrics();
    expect(families(text).sort()).toEqual(
      registry
        .getMetricsAsArray()
        .map((m) => m.name)
        .sort(),
    );
    expect(await check(text)).toEqual({ code: 0, findings: '' });
  });
});

describe('the label names of every metric family', () => {
  it('leave alone the labels Prometheus attaches to scraped series (job, instance, and the scrape config’s own)', () => {
    // A family label named like a target label is renamed exported_<name> at scrape time, and every rule or
    // dashboard selecting on it silently matches nothing.
    const config = parse(readFileSync('deploy/prometheus/prometheus.yml', 'utf8')) as {
      scrape_configs: {
        job_name: string;
        static_configs?: { labels?: Record<string, string> }[];
        relabel_configs?: { target_label?: string }[];
      }[];
    };
    const mantis = config.scrape_configs.find((c) => c.job_name === 'mantis');
    const targetLabels = new Set([
      'job',
      'instance',
      ...(mantis?.static_configs ?? []).flatMap((c) => Object.keys(c.labels ?? {})),
      ...(mantis?.relabel_configs ?? []).flatMap((r) => (r.target_label ? [r.target_label] : [])),
    ]);
    expect(targetLabels).toContain('service');
    const clashes = createMetrics()
      .registry.getMetricsAsArray()
      .flatMap((m) => {
        const { labelNames = [] } = m as unknown as { labelNames?: string[] };
        return labelNames.filter((l) => targetLabels.has(l)).map((l) => `${m.name}{${l}}`);
      });
    expect(clashes).toEqual([]);
  });
});

const HEADER =
  'site,siteName,line,lineName,asset,assetName,kind,sensor,sensorKind,unit,sampleRateHz,validMin,validMax,rpm,bearing,bearingLocation';

describe.runIf(pgReady.available)('promtool check metrics on the metrics files of mantis etl jobs', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'mantis-metrics-lint-'));

  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      MANTIS_DATABASE_URL: database.url,
      MANTIS_OBJECT_STORE_URL: `file://${join(dir, 'objects')}`,
      MANTIS_LOG_LEVEL: 'silent',
    };
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
  });

  // In order: the import stores the assets whose data-quality gauges the next job writes.
  it.each([
    [
      'import-assets',
      () => {
        const csv = join(dir, 'assets.csv');
        writeFileSync(
          csv,
          [
            HEADER,
            'plant-a,Plant A,line-1,Line 1,valve-1,Valve 1,valve,valve-1.p,pressure,bar,1,0,16,,,',
            'plant-a,Plant A,line-1,Line 1,fan-1,Fan 1,fan,fan-1.temp,temperature,degC,abc,-50,200,,,',
          ].join('\n'),
        );
        return [csv];
      },
      2,
      'mantis_job_rows_total{etl_job="import-assets",outcome="refused"} 1',
    ],
    [
      'data-quality',
      () => ['--from', new Date(Date.now() - 3_600_000).toISOString()],
      0,
      'mantis_data_quality_gaps{asset="valve-1"}',
    ],
    ['backup', () => [], 0, 'mantis_backup_size_bytes{part="postgres"}'],
  ] as const)(
    'etl %s writes a metrics file with no finding',
    async (job, args, exitCode, series) => {
      const file = join(dir, `${job}.prom`);
      const run = await runMantis(['etl', job, ...args(), '--json', '--metrics-file', file], env);
      expect([run.code, run.stderr]).toEqual([exitCode, '']);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(`mantis_job_runs_total{etl_job="${job}",outcome="success"} 1`);
      expect(text).toContain(series);
      expect(await check(text)).toEqual({ code: 0, findings: '' });
    },
    60_000,
  );
});
