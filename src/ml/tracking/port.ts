/**
 * The model tracking port: experiment runs (parameters, metrics, artifacts) and a model registry with
 * aliases. Adapters: MLflow's REST API (`http(s)://`, artifacts through its artifact proxy) and a local folder
 * (`file://`, embedded mode). Training writes through it; serving reads the champion through it.
 */

/** A run as started: its id and the experiment it belongs to. */
export interface TrackingRun {
  runId: string;
  experimentId: string;
}

/** A registered model version (MLflow: a model version; names are per asset type). */
export interface ModelVersion {
  /** Registered model name, e.g. `mantis-health-pump`. */
  name: string;
  /** Version number as a decimal string ("1", "2", …), as MLflow returns it. */
  version: string;
  /** The run that produced it. */
  runId: string;
  /** Where its files are: `runs:/<runId>/<artifactPath>`. */
  source: string;
  /** Aliases pointing at it (e.g. `champion`). */
  aliases: string[];
  /** Creation time, Unix ms. */
  createdAt: number;
  description: string;
}

/** A registered version that cannot be read (a damaged file), left out of a listing. */
export interface UnreadableVersion {
  name: string;
  version: string;
  /** The file at fault. */
  file: string;
  reason: string;
}

export type RunStatus = 'FINISHED' | 'FAILED' | 'KILLED';
export type ParamValue = string | number | boolean;

export interface ModelTracking {
  /** 'mlflow' or 'local'. */
  readonly kind: 'mlflow' | 'local';
  /** Where it tracks, credentials redacted (for logs and summaries). */
  readonly location: string;
  /** Starts a run in `experiment` (created when missing), with tags. */
  startRun(experiment: string, runName: string, tags?: Record<string, string>): Promise<TrackingRun>;
  /** Logs parameters (MLflow keeps them as strings; a parameter cannot change once logged). */
  logParams(runId: string, params: Record<string, ParamValue>): Promise<void>;
  /** Logs metrics at a step (default 0); non-finite values throw ValidationError naming the metric. */
  logMetrics(runId: string, metrics: Record<string, number>, step?: number): Promise<void>;
  /** Stores one artifact file of the run at `path` (relative, `/`-separated, e.g. `model/model.json`). */
  logArtifact(runId: string, path: string, content: string | Uint8Array, contentType?: string): Promise<void>;
  endRun(runId: string, status: RunStatus): Promise<void>;
  /** Registers the run's `artifactPath` folder as a new version of `name` (the model created when missing). */
  registerModelVersion(
    name: string,
    runId: string,
    artifactPath: string,
    description?: string,
  ): Promise<ModelVersion>;
  /** Points `alias` at `version` of `name`. Throws NotFoundError when the model or version does not exist. */
  setAlias(name: string, alias: string, version: string): Promise<void>;
  /** The version `alias` points at; null when the model or the alias does not exist. */
  versionByAlias(name: string, alias: string): Promise<ModelVersion | null>;
  /**
   * Removes `alias` of `name`; the version it pointed at stays. True when the alias existed, false when it
   * or the model does not.
   */
  removeAlias(name: string, alias: string): Promise<boolean>;
  /**
   * Every readable version of `name`, newest first; [] when the model does not exist. A version that cannot
   * be read is left out and passed to `onUnreadable` (default: a process warning naming its file), so that
   * one damaged version does not hide the others.
   */
  listVersions(name: string, onUnreadable?: (problem: UnreadableVersion) => void): Promise<ModelVersion[]>;
  /** One artifact file of a run, e.g. (runId, `model/model.json`). Throws NotFoundError when missing. */
  readArtifact(runId: string, path: string): Promise<Uint8Array>;
  /** Probes the tracking server or folder: ok, or a reason. */
  probe(): Promise<{ ok: boolean; detail: string }>;
  close(): Promise<void>;
}
