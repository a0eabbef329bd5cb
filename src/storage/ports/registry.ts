import type { Sensor } from '../../domain/types.ts';

/** The part of the asset registry the processor reads: every sensor, with its kind and valid range. */
export interface SensorCatalog {
  sensors(): Promise<Sensor[]>;
}
