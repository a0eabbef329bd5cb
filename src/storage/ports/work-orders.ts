import type { ClosedFinding, WorkOrder, WorkOrderStatus, WorkOrderView } from '../../domain/types.ts';
import type { ListQuery, Page } from './paging.ts';

/** One step of a work order's history (at: epoch ms). */
export interface WorkOrderEvent {
  seq: number;
  from: WorkOrderStatus;
  to: WorkOrderStatus;
  assignee: string | null;
  actor: string;
  note: string | null;
  at: number;
}

/** A work order with its history, oldest step first. */
export type WorkOrderWithHistory = WorkOrderView & { events: WorkOrderEvent[] };

/** A move along the lifecycle (at: epoch ms). */
export interface WorkOrderChange {
  to: WorkOrderStatus;
  assignee?: string;
  note?: string;
  /** What closing found; required to go to done, refused on any other move (domain/work-orders.ts). */
  confirmedCause?: string;
  actor: string;
  at: number;
  /** The change applies only to this version (If-Match). */
  ifVersion?: number;
}

/** A work order opened by hand about an asset or one of its sensors (at: epoch ms). */
export interface NewWorkOrder {
  assetId: string;
  sensorId?: string;
  title: string;
  priority: WorkOrder['priority'];
  cause?: string;
  actor: string;
  at: number;
}

/**
 * Which work orders a list holds: every filter given must match (AND); `siteId` and `lineId` are those of the
 * order's asset as it is placed now.
 */
export interface WorkOrderListQuery extends ListQuery<WorkOrderStatus> {
  siteId?: string;
  lineId?: string;
  priority?: WorkOrder['priority'];
}

/** Work orders: listed, read with their history, opened by hand and moved along their lifecycle. */
export interface WorkOrderRepository {
  /** Newest first (by creation time, then id), a page at a time, each with its asset's place and its alert. */
  list(q: WorkOrderListQuery): Promise<Page<WorkOrderView>>;
  /** One work order with its history, or null. */
  get(id: string): Promise<WorkOrderWithHistory | null>;
  /** Opens a work order; its creation is the first step of its history. Returns its id. */
  create(order: NewWorkOrder): Promise<string>;
  /**
   * Moves a work order along its lifecycle (domain/work-orders.ts). Throws NotFoundError,
   * ConflictError when the lifecycle forbids it, PreconditionFailedError when `ifVersion` is not current.
   */
  transition(id: string, change: WorkOrderChange): Promise<void>;
  /** Work orders not yet done or cancelled, per priority (every priority present, 0 when none). */
  openCountsByPriority(): Promise<Record<WorkOrder['priority'], number>>;
  /**
   * Work orders closed with a finding at `from` ≤ closing < `to` (epoch ms), oldest closing first (then id);
   * orders closed without one (before findings were kept) are left out.
   */
  closedFindings(from: number, to: number): Promise<ClosedFinding[]>;
}
