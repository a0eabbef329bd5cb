import type { WindowFeatures } from '../../domain/types.ts';

/**
 * The online feature store port: each series' latest features, for low-latency reads. Best effort: the
 * database holds every window, so `put` and `latest` may throw (store down, slow or full) and callers
 * carry on without it.
 */
export interface OnlineStore {
  /** Keeps each series' newest window; an older window never replaces a newer one. */
  put(features: WindowFeatures[]): Promise<void>;
  /** Latest features of every sensor of an asset, by sensor id; `{}` when the store holds none. */
  latest(assetId: string): Promise<Record<string, WindowFeatures>>;
  /** Asks the store whether it is reachable now; resolves with a one-line detail, throws saying why not. */
  ping(): Promise<string>;
  close(): Promise<void>;
}
