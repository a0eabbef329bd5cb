import type { SensorQuality } from '../domain/data-quality.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { QualityReport } from './data-quality.ts';

/** The report's per-asset gauges (mantis_data_quality_*), every audited asset set, clean ones to 0. */
export function recordQuality(metrics: Metrics, r: QualityReport, rangeEnd: number): void {
  const assets = new Map<string, SensorQuality[]>();
  for (const s of r.sensors) assets.set(s.assetId, [...(assets.get(s.assetId) ?? []), s]);
  for (const [asset, list] of assets) {
    const add = (f: (s: SensorQuality) => number) => list.reduce((n, s) => n + f(s), 0);
    metrics.dataQualityGaps.set(
      { asset },
      add((s) => s.gaps.count),
    );
    metrics.dataQualityFlatLines.set(
      { asset },
      add((s) => s.flatLines.count),
    );
    for (const bound of ['below', 'above', 'atLimit'] as const) {
      metrics.dataQualityOutOfRange.set(
        { asset, bound: bound === 'atLimit' ? 'at_limit' : bound },
        add((s) => s.outOfRange[bound]),
      );
    }
    metrics.dataQualityLate.set(
      { asset },
      add((s) => s.lateReadings ?? 0),
    );
    const skew = Math.max(...list.map((s) => Math.max(s.clockSkew.lagMs ?? 0, s.clockSkew.leadMs, 0)));
    metrics.dataQualityClockSkew.set({ asset }, skew / 1000);
    metrics.dataQualitySensorsWithIssues.set({ asset }, list.filter((s) => s.issues > 0).length);
  }
  metrics.dataQualityRangeEnd.set(rangeEnd / 1000);
}
