import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../../domain/errors.ts';
import type { ClosedFinding, WorkOrderStatus, WorkOrderView } from '../../domain/types.ts';
import { checkTransition } from '../../domain/work-orders.ts';
import type { Database, Queryable } from '../ports/database.ts';
import type { NewWorkOrder, WorkOrderChange, WorkOrderEvent } from '../ports/work-orders.ts';
import { toWorkOrder, type WorkOrderRow } from './maintenance.ts';

export type { NewWorkOrder, WorkOrderChange, WorkOrderEvent };

/** One work order with its history, or null. */
export async function getWorkOrder(
  db: Queryable,
  id: string,
): Promise<(WorkOrderView & { events: WorkOrderEvent[] }) | null> {
  const [row] = await db.query<WorkOrderRow>('SELECT * FROM work_orders WHERE id = $1', [id]);
  if (!row) return null;
  const events = await db.query<{
    seq: number;
    from_status: WorkOrderStatus;
    to_status: WorkOrderStatus;
    assignee: string | null;
    actor: string;
    note: string | null;
    at: Date;
  }>('SELECT * FROM work_order_events WHERE work_order_id = $1 ORDER BY seq', [id]);
  return {
    ...toWorkOrder(row),
    events: events.map((e) => ({
      seq: e.seq,
      from: e.from_status,
      to: e.to_status,
      assignee: e.assignee,
      actor: e.actor,
      note: e.note,
      at: e.at.getTime(),
    })),
  };
}

/** Moves a work order along its lifecycle, recording who did it; refuses what the lifecycle forbids. */
export async function transitionWorkOrder(db: Database, id: string, change: WorkOrderChange): Promise<void> {
  await db.transaction(async (tx) => {
    // FOR UPDATE: two technicians moving the same order are serialised, the second sees the first's change.
    const [row] = await tx.query<WorkOrderRow>('SELECT * FROM work_orders WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw new NotFoundError(`work order ${id} not found`);
    if (change.ifVersion !== undefined && change.ifVersion !== row.version) {
      throw new PreconditionFailedError(
        `work order ${id} is at version ${row.version}, not ${change.ifVersion}: read it again`,
      );
    }
    const confirmedCause = change.confirmedCause ?? null;
    const check = checkTransition(row.status, change.to, change.assignee ?? null, confirmedCause);
    if (!check.ok) throw check.error;
    // Assigning names the assignee; handing back to open clears it; other moves keep it.
    const assignee =
      change.to === 'assigned' ? (change.assignee ?? null) : change.to === 'open' ? null : row.assignee;
    const at = new Date(change.at);
    await tx.query(
      `UPDATE work_orders SET status = $2, assignee = $3, version = version + 1, updated_at = $4,
         confirmed_cause = $5 WHERE id = $1`,
      [id, change.to, assignee, at, confirmedCause],
    );
    await tx.query(
      `INSERT INTO work_order_events (work_order_id, seq, from_status, to_status, assignee, actor, note, at)
       VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM work_order_events WHERE work_order_id = $1),
               $2, $3, $4, $5, $6, $7)`,
      [id, row.status, change.to, assignee, change.actor, change.note ?? null, at],
    );
  });
}

/** Opens a work order by hand; its creation is the first event of its history. Returns its id. */
export async function createWorkOrder(db: Database, order: NewWorkOrder): Promise<string> {
  const id = `wo-${randomUUID()}`;
  await db.transaction(async (tx) => {
    const [asset] = await tx.query<{ sensor: string | null }>(
      `SELECT (SELECT id FROM sensors WHERE asset_id = a.id AND id = $2) AS sensor FROM assets a WHERE a.id = $1`,
      [order.assetId, order.sensorId ?? null],
    );
    if (!asset) throw new ValidationError('assetId', `unknown asset ${JSON.stringify(order.assetId)}`);
    if (order.sensorId && !asset.sensor) {
      throw new ValidationError(
        'sensorId',
        `asset ${order.assetId} has no sensor ${JSON.stringify(order.sensorId)}`,
      );
    }
    const at = new Date(order.at);
    const cause = order.cause ?? 'manual';
    // One open order per asset, sensor and cause, as for the orders alerts open.
    const [open] = await tx.query<{ id: string }>(
      `SELECT id FROM work_orders WHERE asset_id = $1 AND sensor_id IS NOT DISTINCT FROM $2 AND cause = $3
         AND status IN ('open', 'assigned', 'in_progress')`,
      [order.assetId, order.sensorId ?? null, cause],
    );
    if (open)
      throw new ConflictError(`work order ${open.id} is already open for this asset, sensor and cause`);
    await tx.query(
      `INSERT INTO work_orders (id, asset_id, sensor_id, cause, alert_id, title, priority, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, NULL, $5, $6, 'open', $7, $7)`,
      [id, order.assetId, order.sensorId ?? null, cause, order.title, order.priority, at],
    );
    await tx.query(
      `INSERT INTO work_order_events (work_order_id, seq, from_status, to_status, assignee, actor, note, at)
       VALUES ($1, 1, 'open', 'open', NULL, $2, 'opened', $3)`,
      [id, order.actor, at],
    );
  });
  return id;
}

/** Work orders closed with a finding at `from` ≤ closing < `to` (epoch ms), oldest closing first. */
export async function closedFindings(db: Queryable, from: number, to: number): Promise<ClosedFinding[]> {
  // done is final, so a done order's updated_at is its closing (work_orders_findings_idx); the done step
  // says who closed it.
  const rows = await db.query<{
    id: string;
    asset_id: string;
    sensor_id: string | null;
    cause: string;
    confirmed_cause: string;
    created_at: Date;
    closed_at: Date;
    closed_by: string;
  }>(
    `SELECT w.id, w.asset_id, w.sensor_id, w.cause, w.confirmed_cause, w.created_at,
            e.at AS closed_at, e.actor AS closed_by
     FROM work_orders w
     JOIN work_order_events e ON e.work_order_id = w.id AND e.to_status = 'done'
     WHERE w.confirmed_cause IS NOT NULL
       AND w.updated_at >= $1 AND w.updated_at < $2
     ORDER BY e.at, w.id`,
    [new Date(from), new Date(to)],
  );
  return rows.map((r) => ({
    workOrderId: r.id,
    assetId: r.asset_id,
    sensorId: r.sensor_id,
    cause: r.cause,
    confirmedCause: r.confirmed_cause,
    raisedAt: r.created_at.getTime(),
    closedAt: r.closed_at.getTime(),
    closedBy: r.closed_by,
  }));
}
