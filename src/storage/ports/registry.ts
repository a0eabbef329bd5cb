import type { AssetMachine, Sensor } from '../../domain/types.ts';

/** The part of the asset registry the processor reads: every sensor, and the machine models of the assets. */
export interface SensorCatalog {
  sensors(): Promise<Sensor[]>;
  /** Machine model of each asset that has one (not retired), by asset id: what vibration diagnosis needs. */
  machines(): Promise<Map<string, AssetMachine>>;
  /** Each asset's type (its `kind`: pump, fan…), not retired, by asset id: what picks its learned model. */
  assetTypes(): Promise<Map<string, string>>;
}
