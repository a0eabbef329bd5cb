import type { WindowFeatures } from '../../domain/types.ts';

/** The online feature store port: each series' latest features, for low-latency reads. */
export interface OnlineStore {
  put(features: WindowFeatures[]): Promise<void>;
  /** Latest features of every sensor of an asset, by sensor id. */
  latest(assetId: string): Promise<Record<string, WindowFeatures>>;
  /** Asks the store whether it is reachable now; resolves with a one-line detail, throws saying why not. */
  ping(): Promise<string>;
  close(): Promise<void>;
}
