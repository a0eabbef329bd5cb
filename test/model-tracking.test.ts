import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, UnavailableError, ValidationError } from '../src/domain/errors.ts';
import { trackingFor } from '../src/ml/tracking/index.ts';
import type { ModelTracking } from '../src/ml/tracking/port.ts';
import { type MlflowServer, mlflowAuthAvailable, mlflowAvailable, startMlflow } from './helpers/mlflow.ts';

const mlflow = await mlflowAvailable();
const mlflowAuth = await mlflowAuthAvailable();

/** What a store itself holds of a run, read without the adapter: params, metric points, status. */
interface RawRun {
  params: Record<string, string>;
  metric(key: string): Promise<{ value: number; step: number }[]>;
  status: string;
}

interface Subject {
  tracking: ModelTracking;
  raw(runId: string): Promise<RawRun>;
}

const rejection = async (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: unknown) => err,
  );
const fieldOf = async (promise: Promise<unknown>) => ((await rejection(promise)) as ValidationError).field;

/** The same behaviour from both adapters: `subject` is made in the caller's beforeAll. */
function contract(subject: () => Subject) {
  const model = `mantis-health-pump-${randomBytes(3).toString('hex')}`;
  const binary = new Uint8Array(randomBytes(4096));

  it('logs a run: parameters, metrics at steps, artifacts byte for byte, its end', async () => {
    const { tracking, raw } = subject();
    const run = await tracking.startRun('mantis-health', 'pump 2024-05-01', { 'mantis.asset_type': 'pump' });
    expect(run.runId).toMatch(/^[\w-]+$/);
    await tracking.logParams(run.runId, { contamination: 0.05, trees: 100, scaled: true, kind: 'iforest' });
    // The same value again is no change.
    await tracking.logParams(run.runId, { trees: 100 });
    await tracking.logMetrics(run.runId, { auc: 0.91, loss: 0.4 }, 0);
    await tracking.logMetrics(run.runId, { loss: 0.25 }, 1);
    await tracking.logArtifact(run.runId, 'model/model.json', '{"assetType":"pump"}', 'application/json');
    await tracking.logArtifact(run.runId, 'blobs/weights.bin', binary);
    await tracking.endRun(run.runId, 'FINISHED');

    expect(new TextDecoder().decode(await tracking.readArtifact(run.runId, 'model/model.json'))).toBe(
      '{"assetType":"pump"}',
    );
    expect(Buffer.from(await tracking.readArtifact(run.runId, 'blobs/weights.bin')).equals(binary)).toBe(
      true,
    );
    const stored = await raw(run.runId);
    expect(stored.params).toEqual({ contamination: '0.05', trees: '100', scaled: 'true', kind: 'iforest' });
    expect(await stored.metric('loss')).toEqual([
      { value: 0.4, step: 0 },
      { value: 0.25, step: 1 },
    ]);
    expect(await stored.metric('auc')).toEqual([{ value: 0.91, step: 0 }]);
    expect(stored.status).toBe('FINISHED');
    // A second run of the same experiment lands beside the first.
    expect((await tracking.startRun('mantis-health', 'again')).experimentId).toBe(run.experimentId);
  });

  it('registers versions, moves an alias and reads the champion’s model', async () => {
    const { tracking } = subject();
    const runs: string[] = [];
    for (const trees of [50, 80]) {
      const { runId } = await tracking.startRun('mantis-health', `pump ${trees}`);
      await tracking.logArtifact(runId, 'model/model.json', JSON.stringify({ trees }));
      runs.push(runId);
    }
    const v1 = await tracking.registerModelVersion(model, runs[0], 'model', 'first');
    const v2 = await tracking.registerModelVersion(model, runs[1], 'model');
    expect([v1.version, v2.version]).toEqual(['1', '2']);
    expect(v1).toMatchObject({ name: model, runId: runs[0], source: `runs:/${runs[0]}/model`, aliases: [] });
    expect(v1.description).toBe('first');
    expect(Math.abs(v1.createdAt - Date.now())).toBeLessThan(60_000);

    await tracking.setAlias(model, 'champion', '1');
    expect((await tracking.versionByAlias(model, 'champion'))?.version).toBe('1');
    await tracking.setAlias(model, 'champion', '2');
    await tracking.setAlias(model, 'challenger', '1');
    const champion = await tracking.versionByAlias(model, 'champion');
    expect(champion).toMatchObject({ version: '2', runId: runs[1], aliases: ['champion'] });
    const bytes = await tracking.readArtifact(champion?.runId as string, 'model/model.json');
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({ trees: 80 });

    const listed = await tracking.listVersions(model);
    expect(listed.map((v) => [v.version, v.aliases, v.runId])).toEqual([
      ['2', ['champion'], runs[1]],
      ['1', ['challenger'], runs[0]],
    ]);
  });

  it('removes an alias, leaving its version, and says whether it was there', async () => {
    const { tracking } = subject();
    const { runId } = await tracking.startRun('mantis-health', 'aliases');
    const name = `${model}-aliases`;
    const v1 = await tracking.registerModelVersion(name, runId, 'model');
    await tracking.setAlias(name, 'champion', v1.version);
    await tracking.setAlias(name, 'challenger', v1.version);
    expect(await tracking.removeAlias(name, 'champion')).toBe(true);
    expect(await tracking.versionByAlias(name, 'champion')).toBeNull();
    expect((await tracking.versionByAlias(name, 'challenger'))?.aliases).toEqual(['challenger']);
    expect((await tracking.listVersions(name)).map((v) => [v.version, v.aliases])).toEqual([
      [v1.version, ['challenger']],
    ]);
    expect(await tracking.removeAlias(name, 'champion')).toBe(false);
    expect(await tracking.removeAlias(name, 'nobody')).toBe(false);
    expect(await tracking.removeAlias('mantis-health-none', 'champion')).toBe(false);
    expect(await fieldOf(tracking.removeAlias(name, '../x'))).toBe('alias');
    expect(await fieldOf(tracking.removeAlias('../models', 'champion'))).toBe('name');
  });

  it('says what is missing: null or [] for reads, NotFoundError for changes and artifacts', async () => {
    const { tracking } = subject();
    expect(await tracking.versionByAlias('mantis-health-none', 'champion')).toBeNull();
    expect(await tracking.versionByAlias(model, 'nobody')).toBeNull();
    expect(await tracking.listVersions('mantis-health-none')).toEqual([]);
    expect(await rejection(tracking.setAlias('mantis-health-none', 'champion', '1'))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejection(tracking.setAlias(model, 'champion', '99'))).toBeInstanceOf(NotFoundError);
    const { runId } = await tracking.startRun('mantis-health', 'empty');
    expect(await rejection(tracking.readArtifact(runId, 'model/model.json'))).toBeInstanceOf(NotFoundError);
    const unknownRun = 'f'.repeat(32);
    expect(await rejection(tracking.readArtifact(unknownRun, 'model/model.json'))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejection(tracking.logParams(unknownRun, { a: 1 }))).toBeInstanceOf(NotFoundError);
  });

  it('refuses bad names, paths and values with the field named', async () => {
    const { tracking } = subject();
    const { runId } = await tracking.startRun('mantis-health', 'refusals');
    expect(await fieldOf(tracking.logMetrics(runId, { loss: Number.NaN }))).toBe('metrics.loss');
    expect(await fieldOf(tracking.logMetrics(runId, { loss: Number.POSITIVE_INFINITY }))).toBe(
      'metrics.loss',
    );
    expect(await fieldOf(tracking.logMetrics(runId, { loss: 1 }, 1.5))).toBe('step');
    expect(await fieldOf(tracking.logParams(runId, { '../escape': 1 }))).toBe('params.../escape');
    await tracking.logParams(runId, { trees: 10 });
    expect(await rejection(tracking.logParams(runId, { trees: 11 }))).toBeInstanceOf(ValidationError);
    for (const path of ['../escape.json', '/etc/passwd', 'model//x', 'a/./b', 'a\\b', '']) {
      expect(await fieldOf(tracking.logArtifact(runId, path, 'x'))).toBe('path');
      expect(await fieldOf(tracking.readArtifact(runId, path))).toBe('path');
    }
    for (const name of ['../models', 'a/b', '.hidden', '', 'x:y']) {
      expect(await fieldOf(tracking.registerModelVersion(name, runId, 'model'))).toBe('name');
      expect(await fieldOf(tracking.listVersions(name))).toBe('name');
    }
    expect(await fieldOf(tracking.startRun('../experiments', 'x'))).toBe('experiment');
    expect(await fieldOf(tracking.registerModelVersion(model, runId, '../x'))).toBe('artifactPath');
    for (const alias of ['latest', 'v3', 'a b', '../x']) {
      expect(await fieldOf(tracking.setAlias(model, alias, '1'))).toBe('alias');
    }
    expect(await fieldOf(tracking.setAlias(model, 'champion', '01'))).toBe('version');
    expect(await fieldOf(tracking.readArtifact('../x', 'model/model.json'))).toBe('runId');
    // Nothing of the refused run reached the store.
    expect((await subject().raw(runId)).params).toEqual({ trees: '10' });
  });

  it('probes', async () => {
    expect(await subject().tracking.probe()).toMatchObject({ ok: true });
  });
}

describe('model tracking in a local folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mantis-mlruns-'));
  const url = `file://${dir}`;
  const tracking = trackingFor(url);
  const runFolder = (runId: string) => {
    for (const exp of readdirSync(join(dir, 'experiments'))) {
      if (readdirSync(join(dir, 'experiments', exp)).includes(runId))
        return join(dir, 'experiments', exp, runId);
    }
    throw new Error(`no folder for ${runId}`);
  };
  const raw = async (runId: string): Promise<RawRun> => {
    const folder = runFolder(runId);
    const params = Object.fromEntries(
      readdirSync(join(folder, 'params'), { recursive: true, encoding: 'utf8' }).map((k) => [
        k,
        readFileSync(join(folder, 'params', k), 'utf8'),
      ]),
    );
    return {
      params,
      status: JSON.parse(readFileSync(join(folder, 'meta.json'), 'utf8')).status,
      metric: async (key) =>
        readFileSync(join(folder, 'metrics', key), 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split(' '))
          .map(([, value, step]) => ({ value: Number(value), step: Number(step) })),
    };
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  contract(() => ({ tracking, raw }));

  it('keeps MLflow’s file store layout: artifacts, version and alias files where a reader expects them', async () => {
    const { runId, experimentId } = await tracking.startRun('layout', 'r');
    await tracking.logArtifact(runId, 'model/model.json', '{}');
    const version = await tracking.registerModelVersion('layout-model', runId, 'model');
    await tracking.setAlias('layout-model', 'champion', version.version);
    const run = join(dir, 'experiments', experimentId, runId);
    expect(readFileSync(join(run, 'artifacts/model/model.json'), 'utf8')).toBe('{}');
    const meta = JSON.parse(readFileSync(join(dir, 'models/layout-model/versions/1/meta.json'), 'utf8'));
    expect(meta).toMatchObject({ version: '1', run_id: runId, source: `runs:/${runId}/model` });
    expect(readFileSync(join(dir, 'models/layout-model/aliases/champion'), 'utf8')).toBe('1');
    // Every write went through .tmp and was renamed: nothing is left there.
    expect(readdirSync(join(dir, '.tmp'))).toEqual([]);
  });

  it('gives concurrent training runs distinct version numbers and one experiment', async () => {
    // Separate instances, as separate processes would be: no shared cache.
    const writers = Array.from({ length: 8 }, () => trackingFor(url));
    const runs = await Promise.all(writers.map((w, i) => w.startRun('concurrent', `r${i}`)));
    expect(new Set(runs.map((r) => r.experimentId)).size).toBe(1);
    const versions = await Promise.all(
      writers.map((w, i) => w.registerModelVersion('concurrent-model', runs[i].runId, 'model')),
    );
    expect(versions.map((v) => Number(v.version)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await tracking.listVersions('concurrent-model')).map((v) => v.version)).toEqual([
      '8',
      '7',
      '6',
      '5',
      '4',
      '3',
      '2',
      '1',
    ]);
  });

  it('refuses a URL that is not file:// or names no folder', () => {
    expect(() => trackingFor('file://')).toThrow(ValidationError);
    expect(() => trackingFor('file:///tmp/x?y=1')).toThrow(/ml\.trackingUrl/);
    expect(() => trackingFor('ftp://host/x')).toThrow(/ml\.trackingUrl/);
  });
});

describe.runIf(mlflow.available)('model tracking on a real MLflow server', () => {
  let server: MlflowServer;
  let tracking: ModelTracking;
  const rest = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, body: await response.text() };
  };
  const restJson = async (path: string) => JSON.parse((await rest(`/api/2.0/mlflow${path}`)).body);
  const raw = async (runId: string): Promise<RawRun> => {
    const { run } = await restJson(`/runs/get?run_id=${runId}`);
    return {
      params: Object.fromEntries(
        (run.data.params ?? []).map((p: { key: string; value: string }) => [p.key, p.value]),
      ),
      status: run.info.status,
      metric: async (key) =>
        (await restJson(`/metrics/get-history?run_id=${runId}&metric_key=${key}`)).metrics
          .map((m: { value: number; step: string | number }) => ({ value: m.value, step: Number(m.step) }))
          .sort((a: { step: number }, b: { step: number }) => a.step - b.step),
    };
  };

  beforeAll(async () => {
    server = await startMlflow();
    tracking = trackingFor(server.url, { retryBudgetMs: 1_500, timeoutMs: 5_000 });
  }, 180_000);
  afterAll(async () => {
    await tracking?.close();
    await server?.stop();
  });

  contract(() => ({ tracking, raw }));

  it('keeps the artifact in MLflow’s artifact store and the alias in its registry', async () => {
    const { runId, experimentId } = await tracking.startRun('proxied', 'r');
    const body = JSON.stringify({ assetType: 'fan', weights: [1, 2, 3] });
    await tracking.logArtifact(runId, 'model/model.json', body, 'application/json');
    const version = await tracking.registerModelVersion('mantis-health-fan', runId, 'model');
    await tracking.setAlias('mantis-health-fan', 'champion', version.version);

    // Through MLflow's own proxy, and on the disk behind it (--artifacts-destination).
    const proxied = await rest(
      `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model/model.json`,
    );
    expect(proxied).toEqual({ status: 200, body });
    expect(
      readFileSync(join(server.artifactsDir, experimentId, runId, 'artifacts/model/model.json'), 'utf8'),
    ).toBe(body);
    const alias = await restJson('/registered-models/alias?name=mantis-health-fan&alias=champion');
    expect(alias.model_version).toMatchObject({
      version: version.version,
      run_id: runId,
      aliases: ['champion'],
    });
    expect(alias.model_version.source).toBe(`runs:/${runId}/model`);
  });

  it('reports an unreachable server as UnavailableError, without credentials, and works again once it is back', async () => {
    const port = new URL(server.url).port;
    const secretive = trackingFor(`http://mantis:s3cret-word@127.0.0.1:${port}`, { retryBudgetMs: 1_000 });
    expect(secretive.location).toBe(`http://mantis:<redacted>@127.0.0.1:${port}`);
    const { runId } = await tracking.startRun('outage', 'before');
    await tracking.logArtifact(runId, 'model/model.json', '{"v":1}');
    const version = await tracking.registerModelVersion('mantis-health-outage', runId, 'model');
    await tracking.setAlias('mantis-health-outage', 'champion', version.version);

    await server.kill();
    for (const call of [
      () => secretive.versionByAlias('mantis-health-outage', 'champion'),
      () => secretive.readArtifact(runId, 'model/model.json'),
      () => secretive.startRun('outage', 'during'),
    ]) {
      const err = (await rejection(call())) as Error;
      expect(err).toBeInstanceOf(UnavailableError);
      expect(err.message).toContain('ECONNREFUSED');
      expect(err.message).not.toContain('s3cret');
    }
    const probe = await secretive.probe();
    expect(probe.ok).toBe(false);
    expect(probe.detail).not.toContain('s3cret');

    await server.start();
    expect((await secretive.versionByAlias('mantis-health-outage', 'champion'))?.version).toBe(
      version.version,
    );
    expect(new TextDecoder().decode(await secretive.readArtifact(runId, 'model/model.json'))).toBe('{"v":1}');
    expect(await secretive.probe()).toMatchObject({ ok: true, detail: expect.stringMatching(/^MLflow \d/) });
    await secretive.close();
  }, 180_000);
});

describe.runIf(mlflowAuth.available)('model tracking on MLflow with its basic-auth app', () => {
  const password = `pw-${randomBytes(8).toString('hex')}`;
  let server: MlflowServer;
  beforeAll(async () => {
    server = await startMlflow({ adminPassword: password });
  }, 180_000);
  afterAll(async () => server?.stop());

  it('sends the URL’s credentials and reports refused ones without showing them', async () => {
    const port = new URL(server.url).port;
    const anonymous = await fetch(`${server.url}/api/2.0/mlflow/experiments/search?max_results=1`);
    expect(anonymous.status).toBe(401);

    const tracking = trackingFor(`http://admin:${password}@127.0.0.1:${port}`);
    const { runId } = await tracking.startRun('authenticated', 'r');
    await tracking.logArtifact(runId, 'model/model.json', '{"ok":true}');
    expect(new TextDecoder().decode(await tracking.readArtifact(runId, 'model/model.json'))).toBe(
      '{"ok":true}',
    );
    expect((await tracking.probe()).ok).toBe(true);
    await tracking.close();

    const refused = trackingFor(`http://admin:not-${password}@127.0.0.1:${port}`);
    const err = (await rejection(refused.startRun('authenticated', 'r'))) as Error;
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.message).toContain('refused the credentials (401)');
    expect(err.message).not.toContain(password);
    expect(refused.location).toBe(`http://admin:<redacted>@127.0.0.1:${port}`);
    await refused.close();
  });
});
