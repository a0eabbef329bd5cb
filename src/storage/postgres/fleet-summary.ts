import type { SeverityZone } from '../../diagnostics/severity.ts';
import type { WorkOrder } from '../../domain/types.ts';
import type { AssetPlacement } from '../ports/asset-registry.ts';
import type { Queryable } from '../ports/database.ts';
import type { AssetSeverity } from '../ports/feature-reader.ts';

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

/**
 * Each asset's current ISO 20816-3 severity: among the latest window of each of its active vibration sensors
 * that has a zone, the worst one (zone D before C before B before A, then the higher velocity, then the
 * sensor id), by asset id. Assets without such a window are absent. One backward index probe per sensor, as
 * `latestFeatures` does.
 */
export async function latestSeverities(
  db: Queryable,
  assetIds: string[],
): Promise<Map<string, AssetSeverity>> {
  if (assetIds.length === 0) return new Map();
  const rows = await db.query<{
    asset_id: string;
    sensor_id: string;
    zone: SeverityZone;
    velocity_rms: number;
    window_start: number;
  }>(
    `SELECT DISTINCT ON (s.asset_id) s.asset_id, s.id AS sensor_id, f.severity_zone AS zone, f.velocity_rms,
       (extract(epoch FROM f.window_start) * 1000)::float8 AS window_start
     FROM sensors s CROSS JOIN LATERAL (
       SELECT severity_zone, velocity_rms, window_start FROM features
       WHERE asset_id = s.asset_id AND sensor_id = s.id ORDER BY window_start DESC LIMIT 1
     ) f
     WHERE s.asset_id = ANY($1::text[]) AND s.kind = 'vibration' AND s.retired_at IS NULL
       AND f.severity_zone IS NOT NULL AND f.velocity_rms IS NOT NULL
     ORDER BY s.asset_id, f.severity_zone COLLATE "C" DESC, f.velocity_rms DESC, s.id`,
    [assetIds],
  );
  return new Map(
    rows.map((r) => [
      r.asset_id,
      { zone: r.zone, velocityRms: r.velocity_rms, sensorId: r.sensor_id, windowStart: r.window_start },
    ]),
  );
}
