import type { Alert, AlertAction, WindowFeatures } from '../../domain/types.ts';
import type { FailureJudge } from './failures.ts';
import type { RawRows, RawStore } from './raw-store.ts';

/** Everything one processed batch stores (timestamps epoch ms). */
export interface WindowBatch extends RawRows {
  features: WindowFeatures[];
  /** Alert changes: a raised alert comes with its work order. */
  actions: AlertAction[];
  /** Per series: asset, sensor, and the end of its last closed window. */
  progress: Map<string, [string, string, number]>;
  /** Per asset: health 0–100. */
  assetHealth: Map<string, number>;
}

/** Where a series' windows stand: closed up to `closedUntil` (epoch ms). */
export interface SeriesProgress {
  assetId: string;
  sensorId: string;
  closedUntil: number;
}

/** Hooks around the parts of a write worth their own span. */
export interface WriteHooks {
  /** Runs the raising of one alert (and its work order); returns what `raise` returns. */
  onRaise?<T>(alert: Alert, raise: () => Promise<T>): Promise<T>;
}

/**
 * The feature store port: windowed features with what their closing changes — window progress, asset health,
 * alerts and work orders — committed together, so a replayed batch finds either all of it or none.
 */
export interface FeatureStore extends FailureJudge {
  /** Adapter name, for metrics and spans (`postgres`, `pglite`, `memory`). */
  readonly kind: string;
  /**
   * Stores a batch: its raw rows through `raw` (inside this store's transaction when `raw.transactional`
   * is this store's database, else before it), then the rest in one transaction. Idempotent: a replay
   * stores nothing twice. Returns the number of work orders opened.
   */
  write(batch: WindowBatch, raw: RawStore, hooks?: WriteHooks): Promise<number>;
  /** Each series' progress, as stored by any instance. */
  progress(): Promise<SeriesProgress[]>;
  /** Per series, its first `baselineWindows` windows and its latest one (for the health baselines). */
  scoringHistory(baselineWindows: number): Promise<{ first: WindowFeatures[]; latest: WindowFeatures[] }>;
  /** Alerts still active, for the health tracker's state. */
  activeAlerts(): Promise<Alert[]>;
}
