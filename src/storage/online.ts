import type { WindowFeatures } from '../domain/types.ts';
import type { Logger } from '../observability/logger.ts';
import { RedisOnlineStore } from './redis/online-store.ts';

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
  /** Resolves with a one-line detail when the store answers; throws saying why when not. */
  probe(): Promise<string>;
  close(): Promise<void>;
}

/** In-process online store: one entry per (asset, sensor), so it is bounded by the fleet's size. */
export class MemoryOnlineStore implements OnlineStore {
  private readonly byAsset = new Map<string, Map<string, WindowFeatures>>();

  async put(features: WindowFeatures[]): Promise<void> {
    for (const f of features) {
      let sensors = this.byAsset.get(f.assetId);
      if (!sensors) {
        sensors = new Map();
        this.byAsset.set(f.assetId, sensors);
      }
      const current = sensors.get(f.sensorId);
      if (!current || current.windowStart <= f.windowStart) sensors.set(f.sensorId, f);
    }
  }

  async latest(assetId: string): Promise<Record<string, WindowFeatures>> {
    return Object.fromEntries(this.byAsset.get(assetId) ?? []);
  }

  async probe(): Promise<string> {
    return `in memory, ${this.byAsset.size} assets`;
  }

  async close(): Promise<void> {}
}

export interface OnlineStoreOptions {
  /** redis: life of an asset's entry after its last write, in seconds. */
  ttlSeconds: number;
  /** redis: how long a read waits before the caller reads the database instead, in milliseconds. */
  timeoutMs: number;
  log?: Logger;
}

/** The online store a URL names: `memory:`, or `redis://` / `rediss://` (see RedisOnlineStore). */
export function createOnlineStore(
  url: string,
  options: OnlineStoreOptions = { ttlSeconds: 600, timeoutMs: 250 },
): OnlineStore {
  if (url.startsWith('memory:')) return new MemoryOnlineStore();
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const { ttlSeconds, timeoutMs, log } = options;
    return new RedisOnlineStore(url, { ttlSeconds, readTimeoutMs: timeoutMs, log });
  }
  throw new Error(`no online store adapter for ${url}`);
}
