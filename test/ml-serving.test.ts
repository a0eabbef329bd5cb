import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { runSimulator } from '../src/simulator/driver.ts';
import { alignedStart, type Client, caughtUp, client, startApp } from './helpers/app.ts';
import { CHROMIUM, chromiumAvailable, createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { type MlflowServer, mlflowAvailable, startMlflow } from './helpers/mlflow.ts';
import { runMantis as mantis } from './helpers/process.ts';

const _bin = fileURLToPath(new URL('../bin/mantis.js', import.meta.url));
const pg = await postgresAvailable();
const mlflow = await mlflowAvailable();
const browserReady = await chromiumAvailable();

/** Healthy seconds before training (3 pumps × enough windows past their baselines), then the fault's run. */
const HEALTHY_SECONDS = 460;
const FAULT = {
  faultAssetId: 'pump-2',
  faultKind: 'outer-race',
  faultStartSeconds: 480,
  faultGrowthSeconds: 120,
} as const;
const FAULT_SECONDS = 200;

async function metricsText(app: MantisApp): Promise<string> {
  return (await fetch(`${app.url}/metrics`)).text();
}

async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const modes = [
  { mode: 'an MLflow tracking server', mlflow: true },
  { mode: 'the local folder of embedded mode', mlflow: false },
];

describe.runIf(pg.available && mlflow.available).each(modes)('learned models with $mode', (m) => {
  let server: MlflowServer | undefined;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: MantisApp;
  let api: Client;
  let env: Record<string, string>;
  const startTs = alignedStart(HEALTHY_SECONDS + FAULT_SECONDS + 60);

  beforeAll(async () => {
    db = await createTestDatabase();
    server = m.mlflow ? await startMlflow() : undefined;
    const trackingUrl = server?.url ?? `file://${mkdtempSync(join(tmpdir(), 'mantis-mlruns-'))}`;
    env = { MANTIS_DATABASE_URL: db.url, MANTIS_ML_TRACKING_URL: trackingUrl, MANTIS_LOG_LEVEL: 'silent' };
    app = await startApp({
      'database.url': db.url,
      'ingest.token': 'ml-serving-test-token-0123456789',
      'ml.trackingUrl': trackingUrl,
      'ml.pollSeconds': 1,
    });
    api = client(app);
    await runSimulator({
      url: app.url,
      token: app.token,
      startTs,
      speed: 0,
      durationSeconds: HEALTHY_SECONDS,
      fleet: FAULT,
    });
    // The pumps' windows up to the end of the healthy run are stored.
    await until('the healthy windows', async () => {
      const rows = await api.json<{ items: unknown[] }>(
        `/v1/assets/pump-3/features?sensor=pump-3.vib&from=${startTs}&to=${startTs + HEALTHY_SECONDS * 1000}&limit=1000`,
      );
      return rows.items.length >= HEALTHY_SECONDS / 10 - 1;
    });
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    await server?.stop();
    await db?.drop();
  });

  it('scores with the baseline while no champion exists', async () => {
    expect(await metricsText(app)).not.toMatch(/^mantis_model_info\{/m);
    const models = await api.json<{ items: { assetType: string; model: unknown }[] }>('/v1/models');
    expect(models.items).toContainEqual({ assetType: 'pump', model: null });
  });

  it('trains and registers version 1, then serves it once promoted, without a restart', async () => {
    const train = await mantis(
      ['ml', 'train', '--asset-type', 'pump', '--from', new Date(startTs).toISOString(), '--json'],
      env,
    );
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const summary = JSON.parse(train.stdout);
    expect(summary).toMatchObject({ assetType: 'pump', modelName: 'mantis-health-pump', dryRun: false });
    expect(summary.assets).toEqual(['pump-1', 'pump-2', 'pump-3']);
    expect(summary.version).toMatchObject({ name: 'mantis-health-pump', version: '1' });
    expect(summary.run.runId).toBe(summary.version.runId);
    // No maintenance label yet: each pump held out in turn, false alarms of the model trained on the other two.
    expect(summary.evaluation).toMatchObject({
      kind: 'machines',
      heldOut: true,
      assets: ['pump-1', 'pump-2', 'pump-3'],
    });
    expect(summary.evaluation.learned.faults).toBe(0);
    expect(summary.evaluation.learned.healthyDays).toBeGreaterThan(0);
    expect(summary.metrics.eval_learned_false_alarms).toBe(summary.evaluation.learned.falseAlarms);

    if (server) {
      // In MLflow itself: the run's parameters and metrics, the model file through the artifact proxy.
      const run = await (
        await fetch(`${server.url}/api/2.0/mlflow/runs/get?run_id=${summary.run.runId}`)
      ).json();
      expect(run.run.info.status).toBe('FINISHED');
      const params = Object.fromEntries(
        run.run.data.params.map((p: { key: string; value: string }) => [p.key, p.value]),
      );
      expect(params.assetType).toBe('pump');
      expect(Number(params.windows_read)).toBe(summary.windows);
      expect(run.run.data.metrics.length).toBeGreaterThan(0);
      const artifact = await fetch(
        `${server.url}/api/2.0/mlflow-artifacts/artifacts/${summary.run.experimentId}/${summary.run.runId}/artifacts/model/model.json`,
      );
      expect(artifact.status).toBe(200);
      expect((await artifact.json()).assetType).toBe('pump');
      const table = await fetch(
        `${server.url}/api/2.0/mlflow-artifacts/artifacts/${summary.run.experimentId}/${summary.run.runId}/artifacts/evaluation.md`,
      );
      expect(await table.text()).toMatch(/^Evaluation on each asset held out in turn/);
    }

    const promote = await mantis(['ml', 'promote', 'pump', '1'], env);
    expect(promote.code).toBe(0);
    expect(promote.stdout).toBe('champion of mantis-health-pump is version 1\n');
    await until('version 1 in metrics', async () =>
      (await metricsText(app)).includes(
        'mantis_model_info{asset_type="pump",model="mantis-health-pump",version="1"} 1',
      ),
    );
    const models = await api.json<{ items: { assetType: string; model: unknown }[] }>('/v1/models');
    expect(models.items).toContainEqual({
      assetType: 'pump',
      model: { name: 'mantis-health-pump', version: '1' },
    });
    expect(models.items).toContainEqual({ assetType: 'fan', model: null });
  }, 120_000);

  it('raises the alert of a developing fault with the champion, named on the alert', async () => {
    await runSimulator({
      url: app.url,
      token: app.token,
      startTs,
      speed: 0,
      fromSecond: HEALTHY_SECONDS,
      durationSeconds: FAULT_SECONDS,
      fleet: FAULT,
    });
    const alert = await until('the anomaly alert on pump-2', async () => {
      const { items } = await api.json<{ items: { cause: string; model: unknown }[] }>(
        '/v1/alerts?asset=pump-2',
      );
      return items.find((a) => a.cause === 'vibration-anomaly');
    });
    expect(alert.model).toEqual({ name: 'mantis-health-pump', version: '1' });
    // A healthy pump's windows were scored too, and raised nothing.
    await caughtUp(app);
    const { items } = await api.json<{ items: unknown[] }>('/v1/alerts?asset=pump-1');
    expect(items).toEqual([]);
  }, 120_000);

  it('follows the alias to a newer version within the poll interval', async () => {
    const train = await mantis(
      [
        'ml',
        'train',
        '--asset-type',
        'pump',
        '--from',
        new Date(startTs).toISOString(),
        '--to',
        new Date(startTs + HEALTHY_SECONDS * 1000).toISOString(),
      ],
      env,
    );
    expect(train.code).toBe(0);
    expect(train.stdout).toContain('registered mantis-health-pump version 2');
    const promote = await mantis(['ml', 'promote', 'pump', '2'], env);
    expect(promote.stdout).toBe('champion of mantis-health-pump is version 2 (was version 1)\n');
    const text = await until('version 2 in metrics', async () => {
      const t = await metricsText(app);
      return t.includes('version="2"} 1') && t;
    });
    expect(text).not.toContain('version="1"');
    const asset = await api.json<{ healthModel: unknown }>('/v1/assets/pump-1');
    expect(asset.healthModel).toEqual({ name: 'mantis-health-pump', version: '2' });
    const list = await mantis(['ml', 'models', '--asset-type', 'pump', '--json'], env);
    const [model] = JSON.parse(list.stdout);
    expect(model.versions.map((v: { version: string; aliases: string[] }) => [v.version, v.aliases])).toEqual(
      [
        ['2', ['champion']],
        ['1', []],
      ],
    );
  }, 120_000);

  // Only a server can go down; the folder of embedded mode has no such outage.
  if (m.mlflow)
    it('keeps serving the champion while MLflow is down, counting the failed polls', async () => {
      const failures = (t: string) => Number(/^mantis_model_poll_failures_total (\d+)/m.exec(t)?.[1] ?? 0);
      const before = failures(await metricsText(app));
      await server?.kill();
      try {
        // Polls every second, each call tried once: failures show within a few seconds, not after retries.
        const text = await until(
          'failed polls',
          async () => {
            const t = await metricsText(app);
            return failures(t) >= before + 2 && t;
          },
          15_000,
        );
        expect(text).toContain(
          'mantis_model_info{asset_type="pump",model="mantis-health-pump",version="2"} 1',
        );
        const ready = await (await fetch(`${app.url}/health/ready`)).json();
        expect(ready.checks.models.ok).toBe(true);
        expect(ready.checks.models.detail).toMatch(/unreachable/);
      } finally {
        await server?.start();
      }
      const ready = await until('MLflow reachable again', async () => {
        const body = await (await fetch(`${app.url}/health/ready`)).json();
        return !/unreachable/.test(body.checks.models.detail) && body;
      });
      expect(ready.checks.models.detail).toContain('1 champion model(s) served');
    }, 90_000);

  it.runIf(browserReady.available)(
    'shows on the asset page which model scores it and raised each alert',
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu'],
      });
      try {
        const page = await browser.newPage();
        await page.goto(`${app.url}/`);
        await page.fill('input[name=key]', app.token);
        await page.click('#login-form button[type=submit]');
        await page.waitForSelector('#fleet [data-asset]');
        await page.goto(`${app.url}/#asset/pump-2`);
        await page.waitForSelector('#health-model');
        expect(await page.textContent('#health-model')).toBe('model mantis-health-pump version 2');
        // The anomaly alert raised while version 1 was the champion says so.
        await page.waitForFunction(() => document.body.textContent?.includes('mantis-health-pump v1'));
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  it('holds out the machine a closed work order labelled, and evaluates the new model on it against the baseline', async () => {
    const { items } = await api.json<{ items: { id: string; status: string }[] }>(
      '/v1/work-orders?asset=pump-2',
    );
    const open = items.filter((o) => o.status === 'open');
    expect(open.length).toBeGreaterThan(0);
    for (const o of open) {
      for (const body of [
        { to: 'assigned', assignee: 'ana' },
        { to: 'in_progress' },
        { to: 'done', confirmedCause: 'outer-race' },
      ]) {
        const moved = await api.request('POST', `/v1/work-orders/${o.id}/transitions`, body);
        expect(moved.status).toBe(200);
      }
    }
    const train = await mantis(
      [
        'ml',
        'train',
        '--asset-type',
        'pump',
        '--from',
        new Date(startTs).toISOString(),
        '--dry-run',
        '--json',
      ],
      env,
    );
    expect(train.code).toBe(0);
    const summary = JSON.parse(train.stdout);
    expect(summary.labels).toBe(open.length);
    expect(summary.evaluation).toMatchObject({ heldOut: true, assets: ['pump-2'] });
    // The fault was labelled from a week before its alert to the closing: one fault per order, both scorers
    // alerted on it before the repair.
    for (const scorer of ['learned', 'baseline']) {
      expect(summary.evaluation[scorer]).toMatchObject({
        faults: open.length,
        detected: open.length,
        recall: 1,
      });
      expect(summary.evaluation[scorer].medianLeadMinutes).toBeGreaterThan(0);
    }
    expect(summary.metrics.eval_learned_recall).toBe(1);
    // A dry run registers nothing.
    expect(summary.version).toBeNull();
  }, 120_000);

  it('refuses a version that does not exist, and keeps serving the champion', async () => {
    const promote = await mantis(['ml', 'promote', 'pump', '99'], env);
    expect(promote.code).toBe(2);
    expect(promote.stderr).toMatch(/^mantis ml promote: .*99/);
    expect(await metricsText(app)).toContain(
      'mantis_model_info{asset_type="pump",model="mantis-health-pump",version="2"} 1',
    );
  }, 60_000);

  it('refuses to promote a version whose model file the processors would refuse', async () => {
    const train = await mantis(
      ['ml', 'train', '--asset-type', 'pump', '--from', new Date(startTs).toISOString(), '--json'],
      env,
    );
    const { version, run } = JSON.parse(train.stdout);
    // The model file as stored, broken by hand: its scatter no longer symmetric.
    const file = server
      ? join(server.artifactsDir, run.experimentId, run.runId, 'artifacts/model/model.json')
      : join(
          env.MANTIS_ML_TRACKING_URL.slice('file://'.length),
          'experiments',
          run.experimentId,
          run.runId,
          'artifacts/model/model.json',
        );
    const model = JSON.parse(readFileSync(file, 'utf8'));
    model.scatter[0][1] += 1;
    writeFileSync(file, JSON.stringify(model));
    const promote = await mantis(['ml', 'promote', 'pump', version.version], env);
    expect(promote.code).toBe(2);
    expect(promote.stderr).toBe(
      `mantis ml promote: mantis-health-pump version ${version.version}: its model/model.json cannot be served (model.scatter: expected a symmetric matrix)\n`,
    );
    const list = JSON.parse((await mantis(['ml', 'models', '--asset-type', 'pump', '--json'], env)).stdout);
    expect(list[0].versions.find((v: { version: string }) => v.version === '2').aliases).toEqual([
      'champion',
    ]);
  }, 60_000);

  it('returns a type to the baseline scorer when its champion alias is removed', async () => {
    const demote = await mantis(['ml', 'demote', 'pump'], env);
    expect([demote.code, demote.stdout]).toEqual([
      0,
      'champion of mantis-health-pump removed (was version 2); baseline scoring\n',
    ]);
    await until('no model in metrics', async () => !(await metricsText(app)).includes('mantis_model_info{'));
    const asset = await api.json<{ healthModel: unknown }>('/v1/assets/pump-1');
    expect(asset.healthModel).toBeNull();
    const again = await mantis(['ml', 'demote', 'pump'], env);
    expect([again.code, again.stderr]).toEqual([
      2,
      'mantis ml demote: mantis-health-pump has no champion alias\n',
    ]);
  }, 60_000);

  it('names an asset type that neither the registry nor the model registry knows', async () => {
    const list = await mantis(['ml', 'models', '--asset-type', 'turbine'], env);
    expect(list.code).toBe(2);
    expect(list.stderr).toBe(
      'mantis ml models: --asset-type: no asset of type turbine in the registry and no model mantis-health-turbine\n',
    );
  }, 60_000);
});
