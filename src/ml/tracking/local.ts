import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { errno, FolderFiles, localTrackingFolder, missing } from './local-files.ts';
import { LocalRegistry } from './local-registry.ts';
import {
  checkArtifactPath,
  checkEntityName,
  checkKey,
  checkMetrics,
  checkParams,
  checkRunId,
  checkStep,
} from './names.ts';
import type {
  ModelTracking,
  ModelVersion,
  ParamValue,
  RunStatus,
  TrackingRun,
  UnreadableVersion,
} from './port.ts';

/**
 * Model tracking in a local folder, for embedded mode, laid out like MLflow's file store so that it reads
 * the same way and can be browsed:
 *
 *   experiments/<id>/meta.json                 experiment-names/<name>  (its id, claimed exclusively)
 *   experiments/<id>/<run>/meta.json           params/<key>  metrics/<key> ("<ms> <value> <step>" lines)
 *   experiments/<id>/<run>/artifacts/<path>
 *   models/<name>/meta.json  models/<name>/versions/<n>/meta.json  models/<name>/aliases/<alias> (a version)
 *
 * Files are written to `.tmp/` and renamed into place, so a reader never sees half of one. Concurrent
 * training runs get distinct version numbers: a version is claimed by creating its folder, which fails for
 * the second creator. Metric points are appended (O_APPEND: one line per write, never interleaved). The
 * model registry half is LocalRegistry (local-registry.ts).
 */

interface RunMeta {
  run_id: string;
  experiment_id: string;
  run_name: string;
  status: 'RUNNING' | RunStatus;
  start_time: number;
  end_time: number | null;
  artifact_uri: string;
  tags: Record<string, string>;
}

export class LocalTracking implements ModelTracking {
  readonly kind = 'local' as const;
  readonly location: string;
  readonly root: string;
  /** Run id → its folder. */
  private readonly runs = new Map<string, string>();
  private readonly files: FolderFiles;
  private readonly registry: LocalRegistry;

  /** `url`: `file://<folder>` (see localTrackingFolder); the folder is made on first write. */
  constructor(url: string) {
    this.root = localTrackingFolder(url);
    this.location = `file://${this.root}`;
    this.files = new FolderFiles(this.root);
    this.registry = new LocalRegistry(this.files, (runId) => this.runFolder(runId));
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
    for (const [key, value] of Object.entries(tags)) {
      checkKey(`tags.${key}`, key);
      if (typeof value !== 'string' || value.length > 8000) {
        throw new ValidationError(`tags.${key}`, 'expected a string of at most 8000 characters');
      }
    }
    const experimentId = await this.experimentId(experiment);
    const runId = randomUUID().replaceAll('-', '');
    const folder = join(this.root, 'experiments', experimentId, runId);
    const meta: RunMeta = {
      run_id: runId,
      experiment_id: experimentId,
      run_name: runName,
      status: 'RUNNING',
      start_time: Date.now(),
      end_time: null,
      artifact_uri: `file://${join(folder, 'artifacts')}`,
      tags: { ...tags, 'mlflow.runName': runName },
    };
    await this.files.writeAtomic(join(folder, 'meta.json'), JSON.stringify(meta, null, 2));
    this.runs.set(runId, folder);
    return { runId, experimentId };
  }

  /** The id of experiment `name`, created when missing; a concurrent creator's when it claimed the name first. */
  private async experimentId(name: string): Promise<string> {
    const claim = join(this.root, 'experiment-names', name);
    const known = await readFile(claim, 'utf8').catch((err) => (missing(err) ? null : Promise.reject(err)));
    if (known) return known.trim();
    const experiments = join(this.root, 'experiments');
    await mkdir(experiments, { recursive: true });
    let id = Math.max(0, ...(await this.files.numbered(experiments))) + 1;
    for (; ; id++) {
      try {
        await mkdir(join(experiments, String(id)));
        break;
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
      }
    }
    const meta = { experiment_id: String(id), name, lifecycle_stage: 'active', creation_time: Date.now() };
    await this.files.writeAtomic(join(experiments, String(id), 'meta.json'), JSON.stringify(meta, null, 2));
    if (await this.files.writeExclusive(claim, String(id))) return String(id);
    // Another process claimed the name between our read and our claim: its experiment is the one.
    await rm(join(experiments, String(id)), { recursive: true, force: true });
    return (await readFile(claim, 'utf8')).trim();
  }

  /** The run's folder. @throws NotFoundError when no experiment holds it. */
  private async runFolder(runId: string): Promise<string> {
    checkRunId(runId);
    const known = this.runs.get(runId);
    if (known) return known;
    const experiments = join(this.root, 'experiments');
    for (const id of await this.files.numbered(experiments)) {
      const folder = join(experiments, String(id), runId);
      if (
        await stat(join(folder, 'meta.json')).then(
          () => true,
          (err) => (missing(err) ? false : Promise.reject(err)),
        )
      ) {
        this.runs.set(runId, folder);
        return folder;
      }
    }
    throw new NotFoundError(`run ${runId} not found in ${this.location}`);
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    const entries = checkParams(params);
    const folder = await this.runFolder(runId);
    for (const [key, value] of entries) {
      const path = join(folder, 'params', key);
      if (await this.files.writeExclusive(path, value)) continue;
      const logged = await readFile(path, 'utf8');
      if (logged !== value) {
        throw new ValidationError(
          `params.${key}`,
          `already logged as ${JSON.stringify(logged)}; a parameter cannot change`,
        );
      }
    }
  }

  async logMetrics(runId: string, metrics: Record<string, number>, step = 0): Promise<void> {
    checkStep(step);
    const entries = checkMetrics(metrics);
    const folder = await this.runFolder(runId);
    const timestamp = Date.now();
    for (const [key, value] of entries) {
      const path = join(folder, 'metrics', key);
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, `${timestamp} ${value} ${step}\n`);
    }
  }

  async logArtifact(runId: string, path: string, content: string | Uint8Array): Promise<void> {
    checkArtifactPath('path', path);
    const folder = await this.runFolder(runId);
    await this.files.writeAtomic(join(folder, 'artifacts', path), content);
  }

  async readArtifact(runId: string, path: string): Promise<Uint8Array> {
    checkArtifactPath('path', path);
    const folder = await this.runFolder(runId);
    try {
      return new Uint8Array(await readFile(join(folder, 'artifacts', path)));
    } catch (err) {
      if (missing(err) || errno(err) === 'EISDIR')
        throw new NotFoundError(`run ${runId} has no artifact ${path}`);
      throw err;
    }
  }

  async endRun(runId: string, status: RunStatus): Promise<void> {
    if (!['FINISHED', 'FAILED', 'KILLED'].includes(status)) {
      throw new ValidationError('status', `${JSON.stringify(status)}: expected FINISHED, FAILED or KILLED`);
    }
    const folder = await this.runFolder(runId);
    const meta = await this.files.readJson<RunMeta>(join(folder, 'meta.json'));
    if (!meta) throw new NotFoundError(`run ${runId} not found in ${this.location}`);
    await this.files.writeAtomic(
      join(folder, 'meta.json'),
      JSON.stringify({ ...meta, status, end_time: Date.now() }, null, 2),
    );
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

  listVersions(name: string, onUnreadable?: (problem: UnreadableVersion) => void): Promise<ModelVersion[]> {
    return this.registry.listVersions(name, onUnreadable);
  }

  async probe(): Promise<{ ok: boolean; detail: string }> {
    try {
      await unlink(await this.files.tmpFile('probe'));
      return { ok: true, detail: `folder ${this.root} writable` };
    } catch (err) {
      return { ok: false, detail: `folder ${this.root} is not writable: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {}
}
