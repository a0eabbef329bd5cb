import {
  type Alert,
  type AlertStatus,
  type AlertView,
  DIAGNOSIS_CAUSE_PREFIX,
  type WorkOrder,
  type WorkOrderStatus,
} from '../../domain/types.ts';
import type { Queryable } from '../ports/database.ts';
import type { ListQuery, Page, PageCursor } from '../ports/paging.ts';

export type { ListQuery, Page, PageCursor };

export interface AlertRow {
  id: string;
  asset_id: string;
  sensor_id: string;
  cause: string;
  severity: Alert['severity'];
  status: AlertStatus;
  health: number;
  score: number;
  message: string;
  raised_at: Date;
  resolved_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_by: string | null;
  model_name: string | null;
  model_version: string | null;
}

export interface WorkOrderRow {
  id: string;
  asset_id: string;
  sensor_id: string | null;
  cause: string;
  alert_id: string | null;
  title: string;
  priority: WorkOrder['priority'];
  status: WorkOrderStatus;
  created_at: Date;
  updated_at: Date;
  assignee: string | null;
  version: number;
  confirmed_cause: string | null;
}

export const toAlert = (r: AlertRow): AlertView => ({
  id: r.id,
  assetId: r.asset_id,
  sensorId: r.sensor_id,
  cause: r.cause,
  severity: r.severity,
  status: r.status,
  health: r.health,
  score: r.score,
  message: r.message,
  raisedAt: r.raised_at.getTime(),
  resolvedAt: r.resolved_at?.getTime() ?? null,
  acknowledgedAt: r.acknowledged_at?.getTime() ?? null,
  acknowledgedBy: r.acknowledged_by,
  resolvedBy: r.resolved_by,
  model: r.model_name === null ? null : { name: r.model_name, version: r.model_version ?? '' },
});

const OPEN = `status IN ('open', 'assigned', 'in_progress')`;
const PRIORITIES: WorkOrder['priority'][] = ['low', 'medium', 'high', 'urgent'];
/** SQL: the higher of the row's priority and $n (never lowers one). */
const higherPriority = (n: number, list: number) =>
  `CASE WHEN array_position($${list}::text[], priority) < array_position($${list}::text[], $${n}) THEN $${n} ELSE priority END`;

/**
 * Records an alert and opens its work order, one per physical problem:
 * - a named fault (cause `diagnosis:…`) is the machine's, one order per asset and cause whichever of its
 *   sensors names it (a radial and an axial accelerometer both see one misalignment); it takes over the
 *   sensor's open order raised by an anomaly alert — its cause, alert and title become the diagnosis's, its
 *   priority the higher of both — so the order says what to repair; with none to take over it opens its own,
 *   and a second, different fault opens its own too;
 * - an anomaly opens an order unless one is open for the same cause or for a named fault on the sensor.
 * Both are idempotent, so a replayed window changes nothing. Returns whether a work order was opened.
 */
export async function raiseAlert(tx: Queryable, alert: Alert, workOrder: WorkOrder): Promise<boolean> {
  await tx.query(
    `INSERT INTO alerts (id, asset_id, sensor_id, cause, severity, status, health, score, message, raised_at,
       model_name, model_version)
     VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, to_timestamp($9 / 1000.0), $10, $11)
     ON CONFLICT (id) DO NOTHING`,
    [
      alert.id,
      alert.assetId,
      alert.sensorId,
      alert.cause,
      alert.severity,
      alert.health,
      alert.score,
      alert.message,
      alert.raisedAt,
      alert.model?.name ?? null,
      alert.model?.version ?? null,
    ],
  );
  const named = workOrder.cause.startsWith(DIAGNOSIS_CAUSE_PREFIX);
  if (named && (await takeOverAnomalyOrder(tx, workOrder))) return false;
  const opened = await tx.query(
    `INSERT INTO work_orders (id, asset_id, sensor_id, cause, alert_id, title, priority, status, created_at, updated_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, 'open', to_timestamp($8 / 1000.0), to_timestamp($8 / 1000.0)
     WHERE CASE WHEN $9 THEN NOT EXISTS (SELECT 1 FROM work_orders WHERE asset_id = $2 AND cause = $4 AND ${OPEN})
                ELSE NOT EXISTS (SELECT 1 FROM work_orders WHERE asset_id = $2 AND sensor_id = $3 AND ${OPEN}
                                 AND starts_with(cause, $10)) END
     ON CONFLICT (asset_id, sensor_id, cause) WHERE ${OPEN} DO NOTHING
     RETURNING id`,
    [
      workOrder.id,
      workOrder.assetId,
      workOrder.sensorId,
      workOrder.cause,
      workOrder.alertId,
      workOrder.title,
      workOrder.priority,
      workOrder.createdAt,
      named,
      DIAGNOSIS_CAUSE_PREFIX,
    ],
  );
  return opened.length > 0;
}

/** A named fault's order takes over the sensor's oldest open anomaly order, unless its own is open already. */
async function takeOverAnomalyOrder(tx: Queryable, workOrder: WorkOrder): Promise<boolean> {
  const taken = await tx.query(
    `UPDATE work_orders SET cause = $3, alert_id = $4, title = $5, priority = ${higherPriority(6, 8)},
       version = version + 1, updated_at = greatest(updated_at, to_timestamp($7 / 1000.0))
     WHERE id = (SELECT id FROM work_orders
                 WHERE asset_id = $1 AND sensor_id = $2 AND ${OPEN} AND alert_id IS NOT NULL
                   AND NOT starts_with(cause, $9)
                 ORDER BY created_at, id LIMIT 1)
       AND NOT EXISTS (SELECT 1 FROM work_orders WHERE asset_id = $1 AND cause = $3 AND ${OPEN})
     RETURNING id`,
    [
      workOrder.assetId,
      workOrder.sensorId,
      workOrder.cause,
      workOrder.alertId,
      workOrder.title,
      workOrder.priority,
      workOrder.createdAt,
      PRIORITIES,
      DIAGNOSIS_CAUSE_PREFIX,
    ],
  );
  return taken.length > 0;
}

/**
 * Stores an open alert's new severity, health, score and message, and raises the priority of the open work
 * order it covers (never lowers it; a new version, so If-Match sees the change): for a named fault, the asset's
 * order of its cause; for an anomaly, the sensor's order of its cause and those of named faults on the sensor,
 * which the anomaly's order may have become.
 * `at` (epoch ms) is when it happened. Idempotent: a replayed escalation changes nothing more.
 * Returns whether the alert was still active (one resolved by hand stays as it was).
 */
export async function escalateAlert(
  tx: Queryable,
  alert: Alert,
  priority: WorkOrder['priority'],
  at: number,
): Promise<boolean> {
  const updated = await tx.query(
    `UPDATE alerts SET severity = $2, health = $3, score = $4, message = $5,
       model_name = CASE WHEN $6::text IS NULL THEN model_name ELSE $6 END,
       model_version = CASE WHEN $6::text IS NULL THEN model_version ELSE $7 END
     WHERE id = $1 AND status = 'active' RETURNING id`,
    [
      alert.id,
      alert.severity,
      alert.health,
      alert.score,
      alert.message,
      alert.model?.name ?? null,
      alert.model?.version ?? null,
    ],
  );
  await tx.query(
    `UPDATE work_orders SET priority = $4, version = version + 1,
       updated_at = greatest(updated_at, to_timestamp($5 / 1000.0))
     WHERE asset_id = $1 AND ${OPEN}
       AND CASE WHEN starts_with($3, $7) THEN cause = $3
                ELSE sensor_id = $2 AND (cause = $3 OR starts_with(cause, $7)) END
       AND array_position($6::text[], priority) < array_position($6::text[], $4)`,
    [alert.assetId, alert.sensorId, alert.cause, priority, at, PRIORITIES, DIAGNOSIS_CAUSE_PREFIX],
  );
  return updated.length > 0;
}

export async function resolveAlerts(
  tx: Queryable,
  assetId: string,
  sensorId: string,
  at: number,
): Promise<void> {
  await tx.query(
    `UPDATE alerts SET status = 'resolved', resolved_at = to_timestamp($3 / 1000.0)
     WHERE asset_id = $1 AND sensor_id = $2 AND status = 'active'`,
    [assetId, sensorId, at],
  );
}

export async function activeAlerts(db: Queryable): Promise<Alert[]> {
  return (await db.query<AlertRow>(`SELECT * FROM alerts WHERE status = 'active'`)).map(toAlert);
}

/**
 * Newest first, one page at a time by keyset (time, id): a page costs the same however deep it is, and rows
 * written meanwhile neither repeat nor vanish across pages.
 */
async function listPage<R extends { id: string; cursor_us: string }, T>(
  db: Queryable,
  table: 'alerts' | 'work_orders',
  timeColumn: 'raised_at' | 'created_at',
  q: ListQuery<string>,
  map: (row: R) => T,
): Promise<Page<T>> {
  const rows = await db.query<R>(
    `SELECT *, (extract(epoch FROM ${timeColumn}) * 1000000)::bigint::text AS cursor_us FROM ${table}
     WHERE ($1::text IS NULL OR asset_id = $1) AND ($2::text IS NULL OR status = $2)
       AND ($4::text IS NULL OR (${timeColumn}, id) < (to_timestamp($4::bigint / 1000000.0), $5::text))
     ORDER BY ${timeColumn} DESC, id DESC LIMIT $3`,
    [q.assetId ?? null, q.status ?? null, q.limit + 1, q.after?.us ?? null, q.after?.id ?? null],
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(map),
    next: rows.length > q.limit && last ? { us: last.cursor_us, id: last.id } : null,
  };
}

export function listAlerts(db: Queryable, q: ListQuery<AlertStatus>): Promise<Page<AlertView>> {
  return listPage(db, 'alerts', 'raised_at', q, (r: AlertRow & { cursor_us: string }) => toAlert(r));
}
