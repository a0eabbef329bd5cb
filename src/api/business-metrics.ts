import { kpisOf } from '../domain/kpis.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Queryable } from '../storage/ports/database.ts';
import { kpiTotals, scopeAssets } from '../storage/postgres/kpis.ts';

const PRIORITIES = ['low', 'medium', 'high', 'urgent'];
const DAY_MS = 86_400_000;

/** Refreshes the business gauges from the database: assets, open work orders by priority, KPIs per site. */
export async function refreshBusinessMetrics(
  db: Queryable,
  metrics: Metrics,
  now = Date.now(),
): Promise<void> {
  const open = await db.query<{ priority: string; n: number }>(
    `SELECT priority, count(*)::int AS n FROM work_orders
     WHERE status IN ('open', 'assigned', 'in_progress') GROUP BY priority`,
  );
  for (const priority of PRIORITIES) {
    metrics.workOrdersOpen.set({ priority }, open.find((r) => r.priority === priority)?.n ?? 0);
  }
  const assets = await db.query<{ id: string; site_id: string; line_id: string }>(
    'SELECT id, site_id, line_id FROM assets WHERE retired_at IS NULL',
  );
  metrics.assetInfo.reset();
  for (const a of assets) metrics.assetInfo.set({ site: a.site_id, line: a.line_id, asset: a.id }, 1);
  const sites = await db.query<{ id: string }>('SELECT id FROM sites WHERE retired_at IS NULL ORDER BY id');
  metrics.kpiMtbf.reset();
  metrics.kpiMttr.reset();
  metrics.kpiRatio.reset();
  for (const { id: site } of sites) {
    const assets = await scopeAssets(db, 'site', site);
    const k = kpisOf(await kpiTotals(db, assets, { from: now - DAY_MS, to: now }, now));
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
