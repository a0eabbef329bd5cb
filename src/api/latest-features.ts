import type { WindowFeatures } from '../domain/types.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { FeatureReader } from '../storage/ports/feature-reader.ts';
import type { OnlineStore } from '../storage/ports/online-store.ts';

export interface LatestFeaturesDeps {
  online: OnlineStore;
  /** The fallback: the latest windows the feature store holds. */
  features: Pick<FeatureReader, 'latestFeatures'>;
  metrics?: Metrics;
  /** Told why the online store could not answer (down, slow, a value it cannot decode). */
  onError?(err: unknown): void;
}

/**
 * Latest features of each sensor of an asset, by sensor id: from the online store when it holds the asset
 * (`hit`), else from the database's latest windows — when it holds nothing (`miss`: never written, expired,
 * evicted, or an api target whose store is in another process's memory) or fails (`error`: down, slower
 * than its timeout). The online store's failures never reach the caller; the database's do.
 */
export async function readLatestFeatures(
  deps: LatestFeaturesDeps,
  assetId: string,
): Promise<Record<string, WindowFeatures>> {
  let latest: Record<string, WindowFeatures> = {};
  let result: 'hit' | 'miss' | 'error';
  try {
    latest = await deps.online.latest(assetId);
    result = Object.keys(latest).length > 0 ? 'hit' : 'miss';
  } catch (err) {
    result = 'error';
    deps.onError?.(err);
  }
  deps.metrics?.onlineStoreReads.inc({ result });
  return result === 'hit' ? latest : deps.features.latestFeatures(assetId);
}
