/**
 * Stores the assets of an import in batches, each batch in one transaction. Each asset is written under a
 * savepoint: one the registry refuses (a line of another site, a sensor of another asset, a retired asset) is
 * reported and undone alone, the rest of its batch is kept. An asset equal to what is stored is not written,
 * so importing the same file again changes nothing, not even versions. A dry run does all of it and rolls
 * each batch back, so its counts and refusals are those a real run would have.
 */
import { ConflictError, PreconditionFailedError, ValidationError } from '../domain/errors.ts';
import type { Asset } from '../domain/types.ts';
import type { Place, PlaceKind } from '../storage/ports/asset-registry.ts';
import type { ImportItem, ImportProblem } from './import-assets.ts';

/** What the import needs of the registry inside one transaction. */
export interface ImportTransaction {
  getAsset(id: string): Promise<Asset | null>;
  getPlace(kind: PlaceKind, id: string): Promise<Place | null>;
  createPlace(kind: PlaceKind, place: { id: string; name: string; siteId?: string }): Promise<unknown>;
  renamePlace(kind: PlaceKind, id: string, name: string): Promise<unknown>;
  /** As AssetRegistry.registerAsset, inside this transaction. */
  upsertAsset(asset: Asset): Promise<void>;
  /** Runs `fn` so that, when it throws, only its own writes are undone (a savepoint); rethrows. */
  isolated<T>(fn: () => Promise<T>): Promise<T>;
}

export interface ImportStore {
  /** Commits when `fn` resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: ImportTransaction) => Promise<T>): Promise<T>;
}

export type AssetOutcome = 'created' | 'updated' | 'unchanged';

export interface WriteResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Assets the registry refused, each with the rows it spans, and why (one problem each). */
  refused: { assetId: string; rows: number }[];
  problems: ImportProblem[];
  /** Rows of the assets stored (created or updated) and of those left unchanged. */
  rowsStored: number;
  rowsUnchanged: number;
  batches: number;
}

export interface WriteOptions {
  /** Assets per transaction. */
  batchSize: number;
  dryRun: boolean;
  /** Called after each batch with the assets done so far and in all. */
  onProgress?: (done: number, total: number) => void;
}

/** JSON with object keys sorted: jsonb does not keep the order of keys. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Whether storing `asset` would change nothing of `stored`: its fields and each sensor it lists. */
export function sameAsset(stored: Asset, asset: Asset): boolean {
  if (stored.retiredAt) return false;
  const head = (a: Asset) =>
    canonical([a.siteId, a.lineId, a.name, a.kind, a.idealCycleSeconds ?? null, a.machine ?? null]);
  if (head(stored) !== head(asset)) return false;
  const sensor = (s: Asset['sensors'][number]) =>
    canonical([
      s.kind,
      s.unit,
      s.sampleRateHz,
      s.rateVaries ?? false,
      s.validMin,
      s.validMax,
      s.bearings ?? null,
      s.axis ?? null,
      s.retiredAt ?? null,
    ]);
  const byId = new Map(stored.sensors.map((s) => [s.id, sensor(s)]));
  return asset.sensors.every((s) => byId.get(s.id) === sensor(s));
}

/** Creates the asset's site and line with the file's names, or renames them to it. True when one changed. */
async function writePlaces(tx: ImportTransaction, item: ImportItem): Promise<boolean> {
  const { siteId, lineId } = item.asset;
  let changed = false;
  const site = await tx.getPlace('site', siteId);
  if (!site && (item.siteName !== undefined || item.lineName !== undefined)) {
    await tx.createPlace('site', { id: siteId, name: item.siteName ?? siteId });
    changed = true;
  } else if (site && item.siteName !== undefined && site.name !== item.siteName) {
    await tx.renamePlace('site', siteId, item.siteName);
    changed = true;
  }
  if (item.lineName === undefined) return changed;
  const line = await tx.getPlace('line', lineId);
  if (!line) await tx.createPlace('line', { id: lineId, name: item.lineName, siteId });
  else if (line.name !== item.lineName && line.siteId === siteId) {
    await tx.renamePlace('line', lineId, item.lineName);
  } else return changed;
  return true;
}

async function writeOne(tx: ImportTransaction, item: ImportItem): Promise<AssetOutcome> {
  const stored = await tx.getAsset(item.asset.id);
  const placesChanged = await writePlaces(tx, item);
  if (stored && sameAsset(stored, item.asset)) return placesChanged ? 'updated' : 'unchanged';
  await tx.upsertAsset(item.asset);
  return stored ? 'updated' : 'created';
}

/** The problem for a refusal by the registry, at the field it names, or null for an error of another kind. */
function refusal(err: unknown, item: ImportItem): ImportProblem | null {
  const assetId = item.asset.id;
  if (err instanceof ValidationError) {
    return { ...item.locate(err.field), reason: err.reason, assetId };
  }
  if (!(err instanceof ConflictError || err instanceof PreconditionFailedError)) return null;
  const sensorId = /^sensor (\S+) /.exec(err.message)?.[1];
  const index = item.asset.sensors.findIndex((s) => s.id === sensorId);
  return { ...item.locate(index >= 0 ? `sensors.${index}.id` : 'id'), reason: err.message, assetId };
}

/** Thrown inside a dry run's transaction to roll it back with what it found. */
class DryRunRollback extends Error {
  readonly batch: WriteResult;
  constructor(batch: WriteResult) {
    super('dry run');
    this.batch = batch;
  }
}

const emptyResult = (): WriteResult => ({
  created: [],
  updated: [],
  unchanged: [],
  refused: [],
  problems: [],
  rowsStored: 0,
  rowsUnchanged: 0,
  batches: 0,
});

/**
 * Writes `items` in batches of `batchSize` assets, one transaction each, and says what became of each asset.
 * Batches committed before a failing one stay committed.
 * @throws what the database throws other than a registry refusal (unreachable, a failed statement).
 */
export async function writeAssets(
  store: ImportStore,
  items: ImportItem[],
  options: WriteOptions,
): Promise<WriteResult> {
  if (!(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
    throw new RangeError(`batchSize: expected a whole number above 0, got ${options.batchSize}`);
  }
  const total = emptyResult();
  for (let from = 0; from < items.length; from += options.batchSize) {
    const batchItems = items.slice(from, from + options.batchSize);
    const run = async (tx: ImportTransaction) => {
      const batch = emptyResult();
      for (const item of batchItems) {
        try {
          const outcome = await tx.isolated(() => writeOne(tx, item));
          batch[outcome].push(item.asset.id);
          if (outcome === 'unchanged') batch.rowsUnchanged += item.rows;
          else batch.rowsStored += item.rows;
        } catch (err) {
          const problem = refusal(err, item);
          if (!problem) throw err;
          batch.problems.push(problem);
          batch.refused.push({ assetId: item.asset.id, rows: item.rows });
        }
      }
      if (options.dryRun) throw new DryRunRollback(batch);
      return batch;
    };
    const batch = await store.transaction(run).catch((err) => {
      if (err instanceof DryRunRollback) return err.batch;
      throw err;
    });
    total.created.push(...batch.created);
    total.updated.push(...batch.updated);
    total.unchanged.push(...batch.unchanged);
    total.refused.push(...batch.refused);
    total.problems.push(...batch.problems);
    total.rowsStored += batch.rowsStored;
    total.rowsUnchanged += batch.rowsUnchanged;
    total.batches++;
    options.onProgress?.(Math.min(from + options.batchSize, items.length), items.length);
  }
  return total;
}
