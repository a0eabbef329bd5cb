import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  MissingReferenceError,
  NotFoundError,
  PreconditionFailedError,
} from '../../domain/errors.ts';
import type { Alert, ClosedFinding, WorkOrderStatus, WorkOrderView } from '../../domain/types.ts';
import { checkTransition } from '../../domain/work-orders.ts';
import type { Database, Queryable } from '../ports/database.ts';
import type { Page } from '../ports/paging.ts';
import type {
  NewWorkOrder,
  WorkOrderChange,
  WorkOrderEvent,
  WorkOrderListQuery,
} from '../ports/work-orders.ts';
import type { WorkOrderRow } from './maintenance.ts';

export type { NewWorkOrder, WorkOrderChange, WorkOrderEvent, WorkOrderListQuery };

/** A work order with its asset's site and line and its alert's evidence (alert_* all null without an alert). */
interface WorkOrderViewRow extends WorkOrderRow {
  site_id: string;
  line_id: string;
  alert_sensor_id: string | null;
  alert_cause: string | null;
  alert_severity: Alert['severity'] | null;
  alert_status: Alert['status'] | null;
  alert_health: number | null;
  alert_score: number | null;
  alert_message: string | null;
  alert_raised_at: Date | null;
}

/**
 * One join reads an order, its asset's place and its alert: no query per order. Assets are retired, never
 * deleted, and orders open only on registered assets, so the inner join keeps every order.
 */
const VIEW_COLUMNS = `w.*, a.site_id, a.line_id,
    al.sensor_id AS alert_sensor_id, al.cause AS alert_cause, al.severity AS alert_severity,
    al.status AS alert_status, al.health AS alert_health, al.score AS alert_score,
    al.message AS alert_message, al.raised_at AS alert_raised_at`;
const VIEW_JOINS = `work_orders w
  JOIN assets a ON a.id = w.asset_id
  LEFT JOIN alerts al ON al.id = w.alert_id`;

const toWorkOrderView = (r: WorkOrderViewRow): WorkOrderView => ({
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
  confirmedCause: r.confirmed_cause,
  siteId: r.site_id,
  lineId: r.line_id,
  alert:
    r.alert_id === null || r.alert_raised_at === null
      ? null
      : {
          id: r.alert_id,
          sensorId: r.alert_sensor_id as string,
          cause: r.alert_cause as string,
          severity: r.alert_severity as Alert['severity'],
          status: r.alert_status as Alert['status'],
          health: r.alert_health as number,
          score: r.alert_score as number,
          message: r.alert_message as string,
          raisedAt: r.alert_raised_at.getTime(),
        },
});

/**
 * Newest first (created_at, then id), one page at a time by keyset: a page costs the same however deep it is,
 * and orders written meanwhile neither repeat nor vanish across pages. Only the filters given enter the SQL,
 * so each plan can use the index of its filter (V023__work_order_filters.sql).
 */
export async function listWorkOrders(db: Queryable, q: WorkOrderListQuery): Promise<Page<WorkOrderView>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const match = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  match('w.asset_id', q.assetId);
  match('w.status', q.status);
  match('w.priority', q.priority);
  match('a.site_id', q.siteId);
  match('a.line_id', q.lineId);
  if (q.after) {
    params.push(q.after.us, q.after.id);
    const n = params.length;
    where.push(`(w.created_at, w.id) < (to_timestamp($${n - 1}::bigint / 1000000.0), $${n}::text)`);
  }
  params.push(q.limit + 1);
  // cursor_us: the keyset time in epoch µs, as text (it passes 2^53).
  const rows = await db.query<WorkOrderViewRow & { cursor_us: string }>(
    `SELECT ${VIEW_COLUMNS}, (extract(epoch FROM w.created_at) * 1000000)::bigint::text AS cursor_us
     FROM ${VIEW_JOINS}
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY w.created_at DESC, w.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toWorkOrderView),
    next: rows.length > q.limit && last ? { us: last.cursor_us, id: last.id } : null,
  };
}

/** One work order with its history, or null. */
export async function getWorkOrder(
  db: Queryable,
  id: string,
): Promise<(WorkOrderView & { events: WorkOrderEvent[] }) | null> {
  const [row] = await db.query<WorkOrderViewRow>(
    `SELECT ${VIEW_COLUMNS} FROM ${VIEW_JOINS} WHERE w.id = $1`,
    [id],
  );
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
    ...toWorkOrderView(row),
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
    if (!asset) throw new MissingReferenceError('assetId', `unknown asset ${JSON.stringify(order.assetId)}`);
    if (order.sensorId && !asset.sensor) {
      throw new MissingReferenceError(
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
