import { kpisOf } from '../domain/kpis.ts';
import { DEFAULT_SENSOR_STALE_SECONDS } from '../domain/sensor-staleness.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { KpiRepository } from '../storage/ports/kpis.ts';
import type { SensorActivityRepository } from '../storage/ports/sensor-activity.ts';
import type { WorkOrderRepository } from '../storage/ports/work-orders.ts';

const DAY_MS = 86_400_000;

/** What the business gauges are read from. */
export interface BusinessSources {
  workOrders: Pick<WorkOrderRepository, 'openCountsByPriority'>;
  registry: Pick<AssetRegistry, 'activeAssetPlacements' | 'activeSiteIds'>;
  kpis: Pick<KpiRepository, 'scopeAssets' | 'totals'>;
  sensorActivity: Pick<SensorActivityRepository, 'staleCountsBySite'>;
}

/**
 * Refreshes the business gauges: open work orders by priority, active assets, each active site's KPIs over
 * the last day before `now` (epoch ms), and each active site's stale sensors (silent for longer than
 * `sensorStaleSeconds`, see `isStale` in domain/sensor-staleness.ts).
 */
export async function refreshBusinessMetrics(
  sources: BusinessSources,
  metrics: Metrics,
  now = Date.now(),
  sensorStaleSeconds = DEFAULT_SENSOR_STALE_SECONDS,
): Promise<void> {
  const { workOrders, registry, kpis, sensorActivity } = sources;
  const open = await workOrders.openCountsByPriority();
  for (const [priority, n] of Object.entries(open)) metrics.workOrdersOpen.set({ priority }, n);
  const assets = await registry.activeAssetPlacements();
  metrics.assetInfo.reset();
  for (const a of assets) metrics.assetInfo.set({ site: a.siteId, line: a.lineId, asset: a.id }, 1);
  const stale = await sensorActivity.staleCountsBySite(now, sensorStaleSeconds * 1000);
  metrics.sensorsStale.reset();
  for (const [site, n] of stale) metrics.sensorsStale.set({ site }, n);
  const sites = await registry.activeSiteIds();
  metrics.kpiMtbf.reset();
  metrics.kpiMttr.reset();
  metrics.kpiRatio.reset();
  for (const site of sites) {
    const assets = await kpis.scopeAssets('site', site);
    const k = kpisOf(await kpis.totals(assets, { from: now - DAY_MS, to: now }, now));
    // A KPI without a value (no failure, nothing produced) is absent, not 0: 0 would read as a disaster.
    if (k.mtbfMs !== null) metrics.kpiMtbf.set({ site }, k.mtbfMs / 1000);
    if (k.mttrMs !== null) metrics.kpiMttr.set({ site }, k.mttrMs / 1000);
    for (const [kpi, value] of Object.entries({
      oee: k.oee,
      availability: k.availability,
      performance: k.effectiveness,
      quality: k.quality,
    })) {
      if (value !== null) metrics.kpiRatio.set({ site, kpi }, value);
    }
  }
}
