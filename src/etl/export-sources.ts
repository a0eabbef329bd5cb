import type { WindowFeatures } from '../domain/types.ts';
import type { FeatureReader, RollupPoint } from '../storage/ports/feature-reader.ts';
import type { RawStore, StoredReading } from '../storage/ports/raw-store.ts';
import type { Repositories } from '../storage/ports/repositories.ts';
import { ExportFlagError, type FeatureResolution } from './export-plan.ts';
import type { ExportAsset, ExportSource } from './export-run.ts';
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

/** The assets to export with their sensors: the one of --asset (which must exist) or every asset with sensors. */
export async function exportAssets(repositories: Repositories, only?: string): Promise<ExportAsset[]> {
  const { registry } = repositories;
  const ids = only
    ? [only]
    : [...new Set([...(await registry.sensorOwners()).values()].map((o) => o.assetId))];
  const assets: ExportAsset[] = [];
  for (const id of ids.sort()) {
    const asset = await registry.getAsset(id);
    if (!asset) throw new ExportFlagError('--asset', `unknown asset "${id}"`);
    assets.push({ id, sensors: asset.sensors.map(({ id, kind, unit }) => ({ id, kind, unit })) });
  }
  return assets;
}
