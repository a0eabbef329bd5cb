import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import type { Call } from './mlflow-http.ts';
import { checkAlias, checkArtifactPath, checkEntityName, checkRunId, checkVersion } from './names.ts';
import type { ModelVersion } from './port.ts';

/**
 * MLflow's model registry through its REST API: registered models, their versions, and aliases (MLflow
 * 2.3+; the stages they replace are deprecated). Search answers without aliases, so they are read from the
 * registered model.
 */

/** One call of MLflow's REST API under /api/2.0/mlflow, its JSON answer parsed. */
export type ApiCall = <T>(call: Call) => Promise<T>;

interface MlflowModelVersion {
  name: string;
  version: string;
  run_id?: string;
  source?: string;
  aliases?: string[];
  creation_timestamp?: number | string;
  description?: string;
}

function versionOf(v: MlflowModelVersion, aliases?: string[]): ModelVersion {
  return {
    name: v.name,
    version: String(v.version),
    runId: v.run_id ?? '',
    source: v.source ?? '',
    aliases: aliases ?? v.aliases ?? [],
    createdAt: Number(v.creation_timestamp ?? 0),
    description: v.description ?? '',
  };
}

/** The registry half of the MLflow adapter; see ModelTracking for each method's contract. */
export class MlflowRegistry {
  private readonly call: ApiCall;
  constructor(call: ApiCall) {
    this.call = call;
  }

  async registerModelVersion(
    name: string,
    runId: string,
    artifactPath: string,
    description = '',
  ): Promise<ModelVersion> {
    checkEntityName('name', name);
    checkRunId(runId);
    checkArtifactPath('artifactPath', artifactPath);
    try {
      await this.call({
        method: 'POST',
        path: '/registered-models/create',
        json: { name },
        field: 'name',
        idempotent: true,
      });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
    const { model_version } = await this.call<{ model_version: MlflowModelVersion }>({
      method: 'POST',
      path: '/model-versions/create',
      json: { name, source: `runs:/${runId}/${artifactPath}`, run_id: runId, description },
      field: 'name',
      idempotent: false,
    });
    return versionOf(model_version, []);
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    checkEntityName('name', name);
    checkAlias(alias);
    checkVersion(version);
    await this.call({
      method: 'POST',
      path: '/registered-models/alias',
      json: { name, alias, version },
      field: 'alias',
      idempotent: true,
    });
  }

  async removeAlias(name: string, alias: string): Promise<boolean> {
    checkEntityName('name', name);
    checkAlias(alias);
    // MLflow answers the removal of a missing alias as a success: whether it existed is read first.
    if (!(await this.aliasesOf(name)).has(alias)) return false;
    try {
      await this.call({
        method: 'DELETE',
        path: '/registered-models/alias',
        json: { name, alias },
        field: 'alias',
        idempotent: true,
      });
      return true;
    } catch (err) {
      // The model went in between.
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }

  async versionByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    checkEntityName('name', name);
    checkAlias(alias);
    try {
      const { model_version } = await this.call<{ model_version: MlflowModelVersion }>({
        method: 'GET',
        path: '/registered-models/alias',
        query: { name, alias },
        field: 'alias',
        idempotent: true,
      });
      return versionOf(model_version);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      // MLflow answers a missing alias of an existing model with INVALID_PARAMETER_VALUE: tell it apart
      // from a real refusal by the model's own list of aliases.
      if (err instanceof ValidationError && !(await this.aliasesOf(name)).has(alias)) return null;
      throw err;
    }
  }

  /** Alias → version of the model; empty when the model does not exist. */
  private async aliasesOf(name: string): Promise<Map<string, string>> {
    try {
      const { registered_model } = await this.call<{
        registered_model: { aliases?: { alias: string; version: string }[] };
      }>({ method: 'GET', path: '/registered-models/get', query: { name }, field: 'name', idempotent: true });
      return new Map((registered_model.aliases ?? []).map((a) => [a.alias, String(a.version)]));
    } catch (err) {
      if (err instanceof NotFoundError) return new Map();
      throw err;
    }
  }

  async listVersions(name: string): Promise<ModelVersion[]> {
    checkEntityName('name', name);
    const aliases = await this.aliasesOf(name);
    const versions: MlflowModelVersion[] = [];
    let pageToken = '';
    do {
      // Search answers without aliases: they come from the registered model above.
      const page = await this.call<{ model_versions?: MlflowModelVersion[]; next_page_token?: string }>({
        method: 'GET',
        path: '/model-versions/search',
        // Names are checked above (no quote can reach the filter).
        query: {
          filter: `name='${name}'`,
          max_results: '1000',
          order_by: 'version_number DESC',
          ...(pageToken ? { page_token: pageToken } : {}),
        },
        field: 'name',
        idempotent: true,
      });
      versions.push(...(page.model_versions ?? []));
      pageToken = page.next_page_token ?? '';
    } while (pageToken);
    return versions
      .map((v) =>
        versionOf(
          v,
          [...aliases].filter(([, version]) => version === String(v.version)).map(([alias]) => alias),
        ),
      )
      .sort((a, b) => Number(b.version) - Number(a.version));
  }
}
