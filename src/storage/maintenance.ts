import type {
  Alert,
  AlertStatus,
  AlertView,
  WorkOrder,
  WorkOrderStatus,
  WorkOrderView,
} from '../domain/types.ts';
import type { Queryable } from './port.ts';

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
});

export const toWorkOrder = (r: WorkOrderRow): WorkOrderView => ({
  id: r.id,
  assetId: r.asset_id,
  sensorId: r.sensor_id,
  cause: r.cause,
  alertId: r.alert_id,
  title: r.title,
  priority: r.priority,
  status: r.status,
  createdAt: r.created_at.getTime(),
  assignee: r.assignee,
  version: r.version,
  updatedAt: r.updated_at.getTime(),
});

/**
 * Records an alert and opens its work order unless one is already open for the same asset, sensor
 * and cause. Both inserts are idempotent, so a replayed window changes nothing.
 * Returns whether a work order was opened.
 */
export async function raiseAlert(tx: Queryable, alert: Alert, workOrder: WorkOrder): Promise<boolean> {
  await tx.query(
    `INSERT INTO alerts (id, asset_id, sensor_id, cause, severity, status, health, score, message, raised_at)
     VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, to_timestamp($9 / 1000.0)) ON CONFLICT (id) DO NOTHING`,
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
    ],
  );
  const opened = await tx.query(
    `INSERT INTO work_orders (id, asset_id, sensor_id, cause, alert_id, title, priority, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', to_timestamp($8 / 1000.0), to_timestamp($8 / 1000.0))
     ON CONFLICT (asset_id, sensor_id, cause) WHERE status IN ('open', 'assigned', 'in_progress') DO NOTHING
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
    ],
  );
  return opened.length > 0;
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

export interface ListQuery<S> {
  assetId?: string;
  status?: S;
  limit: number;
}

export async function listAlerts(db: Queryable, q: ListQuery<AlertStatus>): Promise<AlertView[]> {
  const rows = await db.query<AlertRow>(
    `SELECT * FROM alerts WHERE ($1::text IS NULL OR asset_id = $1) AND ($2::text IS NULL OR status = $2)
     ORDER BY raised_at DESC, id LIMIT $3`,
    [q.assetId ?? null, q.status ?? null, q.limit],
  );
  return rows.map(toAlert);
}

export async function listWorkOrders(db: Queryable, q: ListQuery<WorkOrderStatus>): Promise<WorkOrderView[]> {
  const rows = await db.query<WorkOrderRow>(
    `SELECT * FROM work_orders WHERE ($1::text IS NULL OR asset_id = $1) AND ($2::text IS NULL OR status = $2)
     ORDER BY created_at DESC, id LIMIT $3`,
    [q.assetId ?? null, q.status ?? null, q.limit],
  );
  return rows.map(toWorkOrder);
}
