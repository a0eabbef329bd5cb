import type { WindowFeatures } from '../../domain/types.ts';
import type { OnlineStore } from '../ports/online-store.ts';

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

  async ping(): Promise<string> {
    return `in process, ${this.byAsset.size} assets`;
  }

  async close(): Promise<void> {}
}
