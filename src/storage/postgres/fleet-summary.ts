import type { WorkOrder } from '../../domain/types.ts';
import type { AssetPlacement } from '../ports/asset-registry.ts';
import type { Queryable } from '../ports/database.ts';

const PRIORITIES: WorkOrder['priority'][] = ['low', 'medium', 'high', 'urgent'];

/** Work orders not yet done or cancelled, per priority; every priority present. */
export async function openWorkOrderCounts(db: Queryable): Promise<Record<WorkOrder['priority'], number>> {
  const rows = await db.query<{ priority: WorkOrder['priority']; n: number }>(
    `SELECT priority, count(*)::int AS n FROM work_orders
     WHERE status IN ('open', 'assigned', 'in_progress') GROUP BY priority`,
  );
  return Object.fromEntries(PRIORITIES.map((p) => [p, rows.find((r) => r.priority === p)?.n ?? 0])) as Record<
    WorkOrder['priority'],
    number
  >;
}

/** Every asset not retired, with its site and line. */
export async function activeAssetPlacements(db: Queryable): Promise<AssetPlacement[]> {
  const rows = await db.query<{ id: string; site_id: string; line_id: string }>(
    'SELECT id, site_id, line_id FROM assets WHERE retired_at IS NULL',
  );
  return rows.map((r) => ({ id: r.id, siteId: r.site_id, lineId: r.line_id }));
}

/** Ids of the sites not retired, in id order. */
export async function activeSiteIds(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT id FROM sites WHERE retired_at IS NULL ORDER BY id');
  return rows.map((r) => r.id);
}
