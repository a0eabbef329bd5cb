import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { type Call, MlflowHttp, type MlflowHttpOptions, TrackingUnavailableError } from './mlflow-http.ts';
import { MlflowRegistry } from './mlflow-registry.ts';
import {
  checkArtifactPath,
  checkEntityName,
  checkKey,
  checkMetrics,
  checkParams,
  checkRunId,
  checkStep,
} from './names.ts';
import type { ModelTracking, ModelVersion, ParamValue, RunStatus, TrackingRun } from './port.ts';

export { TrackingUnavailableError } from './mlflow-http.ts';
export type MlflowTrackingOptions = MlflowHttpOptions;

/**
 * Model tracking on an MLflow tracking server through its REST API (MLflow 2.x and 3.x): experiments, runs
 * and their batches of parameters and metrics, the model registry with aliases (not the deprecated stages),
 * and artifacts through the server's artifact proxy (`mlflow server --serve-artifacts`), so that the
 * object store's credentials stay with MLflow. `url`: `http(s)://[user:password@]host:port[/prefix]`; the
 * credentials go to MLflow's basic-auth app and never into `location` or an error message.
 */

const API = '/api/2.0/mlflow';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';
/** MLflow's per-request limits of runs/log-batch (MAX_PARAMS_TAGS_PER_BATCH, MAX_METRICS_PER_BATCH). */
const PARAMS_PER_BATCH = 100;
const METRICS_PER_BATCH = 1000;
/** Runs whose artifact location is remembered; serving reads one per model version. */
const RUN_CACHE = 1000;

interface MlflowRunInfo {
  run_id: string;
  experiment_id: string;
  artifact_uri: string;
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** An artifact path as one URL path: each segment escaped, the slashes kept. */
const escapePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export class MlflowTracking implements ModelTracking {
  readonly kind = 'mlflow' as const;
  readonly location: string;
  private readonly http: MlflowHttp;
  /** Run id → its folder under the artifact proxy (`<experiment>/<run>/artifacts`). */
  private readonly artifactRoots = new Map<string, string>();
  private readonly registry: MlflowRegistry;

  constructor(url: string, options: MlflowTrackingOptions = {}) {
    this.http = new MlflowHttp(url, options);
    this.location = this.http.location;
    this.registry = new MlflowRegistry((call) => this.call(call));
  }

  private call<T>(call: Omit<Call, 'path'> & { path: string }): Promise<T> {
    return this.http.json<T>({ ...call, path: `${API}${call.path}` });
  }

  async startRun(
    experiment: string,
    runName: string,
    tags: Record<string, string> = {},
  ): Promise<TrackingRun> {
    checkEntityName('experiment', experiment);
    if (typeof runName !== 'string' || runName.length > 250) {
      throw new ValidationError('runName', 'expected a string of at most 250 characters');
    }
    const tagList = Object.entries(tags).map(([key, value]) => {
      checkKey(`tags.${key}`, key);
      if (typeof value !== 'string' || value.length > 8000) {
        throw new ValidationError(`tags.${key}`, 'expected a string of at most 8000 characters');
      }
      return { key, value };
    });
    const experimentId = await this.experimentId(experiment);
    const { run } = await this.call<{ run: { info: MlflowRunInfo } }>({
      method: 'POST',
      path: '/runs/create',
      json: { experiment_id: experimentId, run_name: runName, start_time: Date.now(), tags: tagList },
      field: 'runName',
      idempotent: false,
    });
    this.remember(run.info);
    return { runId: run.info.run_id, experimentId: run.info.experiment_id };
  }

  /** The id of `name`, created when missing (a concurrent creator's id when it wins the race). */
  private async experimentId(name: string): Promise<string> {
    const byName = () =>
      this.call<{ experiment: { experiment_id: string } }>({
        method: 'GET',
        path: '/experiments/get-by-name',
        query: { experiment_name: name },
        field: 'experiment',
        idempotent: true,
      });
    try {
      return (await byName()).experiment.experiment_id;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    try {
      const created = await this.call<{ experiment_id: string }>({
        method: 'POST',
        path: '/experiments/create',
        json: { name },
        field: 'experiment',
        idempotent: true,
      });
      return created.experiment_id;
    } catch (err) {
      if (err instanceof ConflictError) return (await byName()).experiment.experiment_id;
      throw err;
    }
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    checkRunId(runId);
    const entries = checkParams(params).map(([key, value]) => ({ key, value }));
    for (const batch of chunks(entries, PARAMS_PER_BATCH)) {
      // Logging the same value again is accepted: the call is idempotent.
      await this.call({
        method: 'POST',
        path: '/runs/log-batch',
        json: { run_id: runId, params: batch },
        field: 'params',
        idempotent: true,
      });
    }
  }

  async logMetrics(runId: string, metrics: Record<string, number>, step = 0): Promise<void> {
    checkRunId(runId);
    checkStep(step);
    const timestamp = Date.now();
    const entries = checkMetrics(metrics).map(([key, value]) => ({ key, value, timestamp, step }));
    for (const batch of chunks(entries, METRICS_PER_BATCH)) {
      // A repeated (key, timestamp, step, value) is one point for MLflow: safe to retry.
      await this.call({
        method: 'POST',
        path: '/runs/log-batch',
        json: { run_id: runId, metrics: batch },
        field: 'metrics',
        idempotent: true,
      });
    }
  }

  async logArtifact(
    runId: string,
    path: string,
    content: string | Uint8Array,
    contentType?: string,
  ): Promise<void> {
    checkArtifactPath('path', path);
    const root = await this.artifactRoot(runId);
    await this.http.send({
      method: 'PUT',
      path: `${ARTIFACTS}/${root}/${escapePath(path)}`,
      bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content,
      contentType: contentType ?? 'application/octet-stream',
      field: 'path',
      idempotent: true,
    });
  }

  async readArtifact(runId: string, path: string): Promise<Uint8Array> {
    checkArtifactPath('path', path);
    const root = await this.artifactRoot(runId);
    return this.http.send({
      method: 'GET',
      path: `${ARTIFACTS}/${root}/${escapePath(path)}`,
      field: 'path',
      idempotent: true,
    });
  }

  /** The run's artifact folder under the proxy. @throws NotFoundError for an unknown run. */
  private async artifactRoot(runId: string): Promise<string> {
    checkRunId(runId);
    const known = this.artifactRoots.get(runId);
    if (known) return known;
    const { run } = await this.call<{ run: { info: MlflowRunInfo } }>({
      method: 'GET',
      path: '/runs/get',
      query: { run_id: runId },
      field: 'runId',
      idempotent: true,
    });
    return this.remember(run.info);
  }

  /**
   * Keeps the run's folder under the proxy: its artifact URI is `mlflow-artifacts:/<path>` or
   * `mlflow-artifacts://host:port/<path>` when the server proxies artifacts. Any other URI (s3://, a
   * local folder) means the server does not, and a client would need the store's own credentials.
   */
  private remember(info: MlflowRunInfo): string {
    const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+?)\/*$/.exec(info.artifact_uri ?? '');
    if (!match) {
      throw new TrackingUnavailableError(
        `MLflow at ${this.location} keeps run ${info.run_id}'s artifacts at ${info.artifact_uri}, not behind its ` +
          'artifact proxy: start it with --serve-artifacts',
        false,
      );
    }
    const root = match[1].split('/').map(encodeURIComponent).join('/');
    if (this.artifactRoots.size >= RUN_CACHE) this.artifactRoots.clear();
    this.artifactRoots.set(info.run_id, root);
    return root;
  }

  async endRun(runId: string, status: RunStatus): Promise<void> {
    checkRunId(runId);
    if (!['FINISHED', 'FAILED', 'KILLED'].includes(status)) {
      throw new ValidationError('status', `${JSON.stringify(status)}: expected FINISHED, FAILED or KILLED`);
    }
    await this.call({
      method: 'POST',
      path: '/runs/update',
      json: { run_id: runId, status, end_time: Date.now() },
      field: 'runId',
      idempotent: true,
    });
  }

  registerModelVersion(
    name: string,
    runId: string,
    artifactPath: string,
    description = '',
  ): Promise<ModelVersion> {
    return this.registry.registerModelVersion(name, runId, artifactPath, description);
  }

  setAlias(name: string, alias: string, version: string): Promise<void> {
    return this.registry.setAlias(name, alias, version);
  }

  removeAlias(name: string, alias: string): Promise<boolean> {
    return this.registry.removeAlias(name, alias);
  }

  versionByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    return this.registry.versionByAlias(name, alias);
  }

  /** MLflow reads its own store: no version is left out here, so `onUnreadable` is never called. */
  listVersions(name: string): Promise<ModelVersion[]> {
    return this.registry.listVersions(name);
  }

  async probe(): Promise<{ ok: boolean; detail: string }> {
    try {
      // An API call, not /health: it also proves the credentials.
      await this.call({
        method: 'GET',
        path: '/experiments/search',
        query: { max_results: '1' },
        field: 'probe',
        idempotent: true,
        once: true,
      });
      const version = new TextDecoder().decode(
        await this.http.send({
          method: 'GET',
          path: '/version',
          field: 'probe',
          idempotent: true,
          once: true,
        }),
      );
      return { ok: true, detail: `MLflow ${version.trim().slice(0, 40)} answers` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
