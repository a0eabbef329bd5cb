import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../../domain/errors.ts';
import { CorruptFileError, errno, type FolderFiles, missing } from './local-files.ts';
import { checkAlias, checkArtifactPath, checkEntityName, checkVersion } from './names.ts';
import type { ModelVersion, UnreadableVersion } from './port.ts';

/**
 * The model registry half of the local tracking folder (see LocalTracking for the layout):
 * models/<name>/meta.json, models/<name>/versions/<n>/meta.json and models/<name>/aliases/<alias> (a version
 * number). See ModelTracking for each method's contract.
 */

interface VersionMeta {
  name: string;
  version: string;
  run_id: string;
  source: string;
  creation_timestamp: number;
  description: string;
}

export class LocalRegistry {
  private readonly files: FolderFiles;
  /** Resolves when the run exists; throws NotFoundError when it does not. */
  private readonly checkRun: (runId: string) => Promise<unknown>;

  constructor(files: FolderFiles, checkRun: (runId: string) => Promise<unknown>) {
    this.files = files;
    this.checkRun = checkRun;
  }

  private modelFolder(name: string): string {
    return join(this.files.root, 'models', checkEntityName('name', name));
  }

  async registerModelVersion(
    name: string,
    runId: string,
    artifactPath: string,
    description = '',
  ): Promise<ModelVersion> {
    const model = this.modelFolder(name);
    checkArtifactPath('artifactPath', artifactPath);
    await this.checkRun(runId);
    await this.files.writeExclusive(
      join(model, 'meta.json'),
      JSON.stringify({ name, creation_timestamp: Date.now() }),
    );
    const versions = join(model, 'versions');
    await mkdir(versions, { recursive: true });
    let n = Math.max(0, ...(await this.files.numbered(versions))) + 1;
    // The folder is the claim: mkdir fails for a second creator of the same number.
    for (; ; n++) {
      try {
        await mkdir(join(versions, String(n)));
        break;
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
      }
    }
    const meta: VersionMeta = {
      name,
      version: String(n),
      run_id: runId,
      source: `runs:/${runId}/${artifactPath}`,
      creation_timestamp: Date.now(),
      description,
    };
    await this.files.writeAtomic(join(versions, String(n), 'meta.json'), JSON.stringify(meta, null, 2));
    return versionOf(meta, []);
  }

  /**
   * A version's meta.json; null when there is none (a version being registered).
   * @throws CorruptFileError naming the file when it is not a JSON object or lacks a field a version needs.
   */
  private async versionMeta(model: string, version: string): Promise<VersionMeta | null> {
    const file = join(model, 'versions', version, 'meta.json');
    const meta = await this.files.readJson<Partial<Record<keyof VersionMeta, unknown>>>(file);
    if (meta === null) return null;
    if (meta.version !== version) {
      throw new CorruptFileError(
        file,
        `version: expected "${version}" (its folder), got ${JSON.stringify(meta.version)}`,
      );
    }
    for (const key of ['name', 'run_id', 'source'] as const) {
      if (typeof meta[key] !== 'string') throw new CorruptFileError(file, `${key}: expected a string`);
    }
    if (!Number.isFinite(meta.creation_timestamp)) {
      throw new CorruptFileError(file, 'creation_timestamp: expected epoch ms');
    }
    const description = typeof meta.description === 'string' ? meta.description : '';
    return { ...(meta as VersionMeta), description };
  }

  /** Alias → version of the model; empty when it has none or does not exist. */
  private async aliases(model: string): Promise<Map<string, string>> {
    const folder = join(model, 'aliases');
    const names = await readdir(folder).catch((err) =>
      missing(err) ? ([] as string[]) : Promise.reject(err),
    );
    const out = new Map<string, string>();
    for (const alias of names) {
      const version = await readFile(join(folder, alias), 'utf8').catch((err) =>
        missing(err) ? null : Promise.reject(err),
      );
      if (version) out.set(alias, version.trim());
    }
    return out;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    const model = this.modelFolder(name);
    checkAlias(alias);
    checkVersion(version);
    if (!(await this.versionMeta(model, version))) {
      throw new NotFoundError(`model ${name} has no version ${version}`);
    }
    await this.files.writeAtomic(join(model, 'aliases', alias), version);
  }

  async removeAlias(name: string, alias: string): Promise<boolean> {
    const model = this.modelFolder(name);
    checkAlias(alias);
    try {
      // One unlink: of two concurrent removals, one finds the file.
      await unlink(join(model, 'aliases', alias));
      return true;
    } catch (err) {
      if (missing(err)) return false;
      throw err;
    }
  }

  async versionByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    const model = this.modelFolder(name);
    checkAlias(alias);
    const aliases = await this.aliases(model);
    const version = aliases.get(alias);
    if (!version) return null;
    const meta = await this.versionMeta(model, version);
    if (!meta) return null;
    return versionOf(meta, aliasesOf(aliases, version));
  }

  async listVersions(
    name: string,
    onUnreadable: (problem: UnreadableVersion) => void = warnUnreadable,
  ): Promise<ModelVersion[]> {
    const model = this.modelFolder(name);
    const aliases = await this.aliases(model);
    const numbers = (await this.files.numbered(join(model, 'versions'))).sort((a, b) => b - a);
    const out: ModelVersion[] = [];
    for (const n of numbers) {
      let meta: VersionMeta | null;
      try {
        meta = await this.versionMeta(model, String(n));
      } catch (err) {
        if (!(err instanceof CorruptFileError)) throw err;
        onUnreadable({ name, version: String(n), file: err.path, reason: err.reason });
        continue;
      }
      // A folder without meta.json is a version being registered: not there yet.
      if (meta) out.push(versionOf(meta, aliasesOf(aliases, meta.version)));
    }
    return out;
  }
}

const aliasesOf = (aliases: Map<string, string>, version: string) =>
  [...aliases].filter(([, v]) => v === version).map(([a]) => a);

function versionOf(meta: VersionMeta, aliases: string[]): ModelVersion {
  return {
    name: meta.name,
    version: meta.version,
    runId: meta.run_id,
    source: meta.source,
    aliases,
    createdAt: meta.creation_timestamp,
    description: meta.description,
  };
}

/** The default report of an unreadable version: a process warning, which node prints on stderr. */
function warnUnreadable(p: UnreadableVersion): void {
  process.emitWarning(`${p.file}: ${p.reason}; version ${p.version} of ${p.name} left out`, {
    code: 'MANTIS_UNREADABLE_MODEL_VERSION',
  });
}
