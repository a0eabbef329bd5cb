import type { SeverityZone } from '../../diagnostics/severity.ts';
import type { WindowFeatures } from '../../domain/types.ts';

/** One asset's windows over [from, to) (epoch ms), optionally one sensor's, at most `limit`. */
export interface FeatureQuery {
  assetId: string;
  sensorId?: string;
  from: number;
  to: number;
  limit: number;
}

/** An asset's current vibration severity: the sensor whose latest window is worst, and that window's values. */
export interface AssetSeverity {
  /** ISO 20816-3 evaluation zone, A (new) to D (damage likely). */
  zone: SeverityZone;
  /** R.m.s. velocity over 10–1000 Hz, mm/s. */
  velocityRms: number;
  sensorId: string;
  /** Start of the window, epoch ms. */
  windowStart: number;
}

/** Roll-up bucket widths. */
export type Resolution = '1m' | '1h' | '1d';

/**
 * One roll-up bucket of one series (bucket: its start, epoch ms); averages are weighted by count. The velocity
 * fields summarise the ISO 20816-3 severity of the bucket's windows, null where none has a velocity (scalar
 * sensors): `velocityRms` (mm/s) is √(Σ n·v² / Σ n) over the windows' r.m.s. velocities v and sample counts n,
 * `maxVelocityRms` the largest window's (mm/s), `maxSeverityZone` the worst zone (A best, D worst).
 */
export interface RollupPoint {
  assetId: string;
  sensorId: string;
  bucket: number;
  windows: number;
  count: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  rms: number | null;
  maxAnomalyScore: number | null;
  minHealth: number | null;
  velocityRms: number | null;
  maxVelocityRms: number | null;
  maxSeverityZone: NonNullable<WindowFeatures['severityZone']> | null;
}

/**
 * Reads of stored windowed features, for the api and exports. Apart from FeatureStore, whose adapters serve
 * the processor's write path (the in-memory one included), so that a reader is not forced on each of them.
 */
export interface FeatureReader {
  /** An asset's windows, oldest first then by sensor. */
  queryFeatures(q: FeatureQuery): Promise<WindowFeatures[]>;
  /** An asset's roll-up buckets, oldest first then by sensor. */
  queryRollups(q: FeatureQuery & { resolution: Resolution }): Promise<RollupPoint[]>;
  /** Every series' windows starting in [from, to) (epoch ms), oldest first, then by asset and sensor. */
  exportFeatures(from: number, to: number, limit: number): Promise<WindowFeatures[]>;
  /** Each sensor's latest window of one asset, by sensor id. */
  latestFeatures(assetId: string): Promise<Record<string, WindowFeatures>>;
  /** Each asset's worst current ISO 20816-3 zone among its vibration sensors' latest windows, by asset id. */
  latestSeverities(assetIds: string[]): Promise<Map<string, AssetSeverity>>;
}
