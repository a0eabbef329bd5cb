import type { WindowFeatures } from '../domain/types.ts';

/** The online feature store port: each series' latest features, for low-latency reads. */
export interface OnlineStore {
  put(features: WindowFeatures[]): Promise<void>;
  /** Latest features of every sensor of an asset, by sensor id. */
  latest(assetId: string): Promise<Record<string, WindowFeatures>>;
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

  async close(): Promise<void> {}
}

export function createOnlineStore(url: string): OnlineStore {
  if (url.startsWith('memory:')) return new MemoryOnlineStore();
  throw new Error(`no online store adapter for ${url}`);
}
