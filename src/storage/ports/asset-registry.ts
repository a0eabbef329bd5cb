import type { Asset, AssetMachine, Sensor } from '../../domain/types.ts';
import type { SensorCatalog } from './registry.ts';

/** Sites and lines: named places that assets belong to, retired rather than deleted. Times are ISO 8601. */
export interface Place {
  id: string;
  name: string;
  /** The line's site; absent on sites. */
  siteId?: string;
  createdAt: string;
  updatedAt: string;
  retiredAt: string | null;
  version: number;
}

export type PlaceKind = 'site' | 'line';
/** Which to list: active ones, retired ones, or both. */
export type Lifecycle = 'active' | 'retired' | 'all';

export type AssetSort = 'id' | 'name' | 'health';

/** Where the next page of assets starts: after an id (sort by id), or at a position of a snapshot. */
export type AssetCursor =
  | { after: string }
  | {
      snapshot: string;
      offset: number /** phase two: the last id listed after the snapshot */;
      after?: string;
    };

export interface AssetQuery {
  siteId?: string;
  lineId?: string;
  kind?: string;
  status: Lifecycle;
  sort: AssetSort;
  limit: number;
  cursor?: AssetCursor;
}

export interface AssetPage {
  items: Asset[];
  next: AssetCursor | null;
}

/** The fields of an asset that may change in place. */
export interface AssetPatch {
  name?: string;
  kind?: string;
  lineId?: string;
  /** ISO 22400 planned run time per item in seconds; null: the asset produces no items. */
  idealCycleSeconds?: number | null;
  /** The machine model vibration diagnosis reads; null removes it. */
  machine?: AssetMachine | null;
}

/** Where an active asset stands: its site and line. */
export interface AssetPlacement {
  id: string;
  siteId: string;
  lineId: string;
}

/**
 * The asset registry: sites, lines, assets and their sensors. Writes that name a version (`ifMatch`) apply
 * only to it (PreconditionFailedError otherwise); unknown ids throw NotFoundError, what the lifecycle
 * forbids (a retired or non-empty place, a duplicate id) ConflictError, bad references ValidationError.
 * `sensors()` lists those that may send readings, as the processor reads them.
 */
export interface AssetRegistry extends SensorCatalog {
  createPlace(kind: PlaceKind, place: { id: string; name: string; siteId?: string }): Promise<Place>;
  getPlace(kind: PlaceKind, id: string): Promise<Place | null>;
  /** By id, a page at a time: `after` and `next` are ids; `siteId` filters lines (on sites: that one). */
  listPlaces(
    kind: PlaceKind,
    q: { siteId?: string; status: Lifecycle; limit: number; after?: string },
  ): Promise<{ items: Place[]; next: string | null }>;
  renamePlace(kind: PlaceKind, id: string, name: string, ifMatch?: number): Promise<Place>;
  /** Retires a place with nothing active left in it; its history stays. */
  retirePlace(kind: PlaceKind, id: string, ifMatch?: number): Promise<Place>;
  /** Assets with their sensors and health, filtered and sorted, a page at a time. */
  listAssets(q: AssetQuery): Promise<AssetPage>;
  /** How long a sorted listing's snapshot is kept, as a PostgreSQL interval (`1 hour`). */
  readonly assetSnapshotTtl: string;
  getAsset(id: string): Promise<Asset | null>;
  /**
   * Registers or replaces an asset and its sensors, all or nothing: listed sensors are added, updated, or
   * registered again if retired; others stay as they are. Its site and line are created on first use.
   * Its machine model and its sensors' bearings and axis must fit the sensors it will have (ValidationError
   * naming the field otherwise: see `checkAssetModel` in domain/validate.ts).
   */
  registerAsset(asset: Asset, ifMatch?: number): Promise<void>;
  /** Changes some fields; a new machine model must fit the asset's active sensors (see `checkMachine`). */
  updateAsset(id: string, patch: AssetPatch, ifMatch?: number): Promise<void>;
  /** Retires an asset and its sensors, all or nothing: their readings are refused, their history kept. */
  retireAsset(id: string, ifMatch?: number): Promise<void>;
  /** A sensor, retired or not, or null. */
  getSensor(id: string): Promise<Sensor | null>;
  retireSensor(id: string): Promise<void>;
  /** Every asset not retired, with its site and line. */
  activeAssetPlacements(): Promise<AssetPlacement[]>;
  /** Ids of the sites not retired, in id order. */
  activeSiteIds(): Promise<string[]>;
  /** Every sensor's asset and site, retired ones included (a replay may bring their last readings). */
  sensorOwners(): Promise<Map<string, { assetId: string; siteId: string }>>;
}
