import type { WindowFeatures } from '../domain/types.ts';
import type { FeatureReader, RollupPoint } from '../storage/ports/feature-reader.ts';
import type { RawStore, StoredReading } from '../storage/ports/raw-store.ts';
import type { FeatureResolution } from './export-plan.ts';
import type { ExportSource } from './export-run.ts';
import { ROLLUP_COLUMNS, readingColumns, WINDOW_COLUMNS } from './export-schema.ts';

/** Stored windows (`window`) or roll-up buckets (`1m`, `1h`, `1d`) of each asset, from the feature reader. */
export function featureSource(
  features: Pick<FeatureReader, 'queryFeatures' | 'queryRollups'>,
  resolution: FeatureResolution,
): ExportSource<WindowFeatures> | ExportSource<RollupPoint> {
  if (resolution === 'window') {
    return {
      dataset: 'features',
      resolution,
      source: 'features table',
      columns: () => WINDOW_COLUMNS,
      read: (asset, from, to, limit) => features.queryFeatures({ assetId: asset.id, from, to, limit }),
    };
  }
  return {
    dataset: 'features',
    resolution,
    source: `features_${resolution} roll-up`,
    columns: () => ROLLUP_COLUMNS,
    read: (asset, from, to, limit) =>
      features.queryRollups({ assetId: asset.id, from, to, limit, resolution }),
  };
}

/** Raw scalar readings of each asset's sensors, from whichever raw store holds them. */
export function readingSource(raw: Pick<RawStore, 'kind' | 'readReadings'>): ExportSource<StoredReading> {
  return {
    dataset: 'readings',
    source: `raw store (${raw.kind})`,
    columns: (asset) => readingColumns(asset.id),
    read: (asset, from, to, limit) =>
      raw.readReadings(
        from,
        to,
        limit,
        asset.sensors.map((s) => s.id),
      ),
  };
}
