import { NotFoundError } from '../../domain/errors.ts';
import type {
  Alert,
  AssetMachine,
  ClosedFinding,
  Sensor,
  WindowFeatures,
  WorkOrder,
} from '../../domain/types.ts';
import { DIAGNOSIS_CAUSE_PREFIX, openWorkOrderStatuses } from '../../domain/types.ts';
import { checkTransition } from '../../domain/work-orders.ts';
import type { FeatureStore, SeriesProgress, WindowBatch, WriteHooks } from '../ports/feature-store.ts';
import type { RawStore } from '../ports/raw-store.ts';
import type { SensorCatalog } from '../ports/registry.ts';
import type { WorkOrderChange, WorkOrderRepository } from '../ports/work-orders.ts';
import { classifyMemoryError, MemoryOutage } from './failures.ts';

const PRIORITIES: WorkOrder['priority'][] = ['low', 'medium', 'high', 'urgent'];
const key = (...parts: (string | number)[]) => parts.join('\u0000');

/**
 * A feature store in process memory with the database adapter's semantics: a batch is applied whole or not
 * at all, windows are upserted by (asset, sensor, start), an alert is recorded once by id, work orders open,
 * or are taken over by a named fault, as storage/postgres/maintenance.ts `raiseAlert` says. Unbounded: for
 * tests and one-off runs.
 */
export class MemoryFeatureStore implements FeatureStore, Pick<WorkOrderRepository, 'closedFindings'> {
  readonly kind = 'memory';
  /** Fails writes on demand (see MemoryOutage). */
  readonly outage = new MemoryOutage();
  readonly features = new Map<string, WindowFeatures>();
  readonly progressBySeries = new Map<string, SeriesProgress>();
  readonly assetHealth = new Map<string, number>();
  readonly alerts = new Map<string, Alert>();
  readonly workOrders = new Map<string, WorkOrder>();
  /** What closing found, by work order id (see transition). */
  readonly findings = new Map<string, { confirmedCause: string; closedAt: number; closedBy: string }>();

  async write(batch: WindowBatch, raw: RawStore, hooks: WriteHooks = {}): Promise<number> {
    await raw.write({ scalars: batch.scalars, blocks: batch.blocks });
    this.outage.check();
    // Applied to copies, then swapped in: a failure half-way leaves nothing behind, like a transaction.
    const alerts = new Map(this.alerts);
    const workOrders = new Map(this.workOrders);
    let opened = 0;
    for (const action of batch.actions) {
      if (action.kind === 'raise') {
        const raise = async () => {
          if (!alerts.has(action.alert.id))
            alerts.set(action.alert.id, { ...action.alert, status: 'active' });
          return raiseWorkOrder(workOrders, action.workOrder);
        };
        opened += (hooks.onRaise ? await hooks.onRaise(action.alert, raise) : await raise()) ? 1 : 0;
      } else if (action.kind === 'escalate') {
        const { alert, priority } = action;
        const stored = alerts.get(alert.id);
        if (stored?.status === 'active') {
          const { severity, health, score, message } = alert;
          const model = alert.model ?? stored.model ?? null;
          alerts.set(alert.id, { ...stored, severity, health, score, message, model });
        }
        for (const [id, w] of workOrders) {
          // A named fault's order is the asset's; an anomaly's escalation reaches the named faults' orders on
          // its sensor too (see raiseWorkOrder).
          const same =
            w.assetId === alert.assetId &&
            (alert.cause.startsWith(DIAGNOSIS_CAUSE_PREFIX)
              ? w.cause === alert.cause
              : w.sensorId === alert.sensorId &&
                (w.cause === alert.cause || w.cause.startsWith(DIAGNOSIS_CAUSE_PREFIX)));
          if (
            same &&
            openWorkOrderStatuses.includes(w.status) &&
            PRIORITIES.indexOf(w.priority) < PRIORITIES.indexOf(priority)
          )
            workOrders.set(id, { ...w, priority });
        }
      } else {
        for (const [id, a] of alerts) {
          if (a.assetId === action.assetId && a.sensorId === action.sensorId && a.status === 'active') {
            // A clear with a cause is a diagnosis's; without, it leaves the diagnoses' alerts alone.
            const cleared = action.cause
              ? a.cause === action.cause
              : !a.cause.startsWith(DIAGNOSIS_CAUSE_PREFIX);
            if (cleared) alerts.set(id, { ...a, status: 'resolved', resolvedAt: action.at });
          }
        }
      }
    }
    for (const f of batch.features) this.features.set(key(f.assetId, f.sensorId, f.windowStart), f);
    for (const [assetId, sensorId, closedUntil] of batch.progress.values())
      this.progressBySeries.set(key(assetId, sensorId), { assetId, sensorId, closedUntil });
    for (const [assetId, health] of batch.assetHealth) this.assetHealth.set(assetId, health);
    this.swap(alerts, workOrders);
    return opened;
  }

  private swap(alerts: Map<string, Alert>, workOrders: Map<string, WorkOrder>): void {
    this.alerts.clear();
    for (const [id, a] of alerts) this.alerts.set(id, a);
    this.workOrders.clear();
    for (const [id, w] of workOrders) this.workOrders.set(id, w);
  }

  /** Stored windows, oldest first (by series, then start). */
  storedFeatures(): WindowFeatures[] {
    return [...this.features.values()].sort(
      (a, b) =>
        a.assetId.localeCompare(b.assetId) ||
        a.sensorId.localeCompare(b.sensorId) ||
        a.windowStart - b.windowStart,
    );
  }

  async progress(): Promise<SeriesProgress[]> {
    return [...this.progressBySeries.values()];
  }

  async scoringHistory(baselineWindows: number) {
    const bySeries = new Map<string, WindowFeatures[]>();
    for (const f of this.storedFeatures()) {
      const k = key(f.assetId, f.sensorId);
      bySeries.set(k, [...(bySeries.get(k) ?? []), f]);
    }
    const series = [...bySeries.values()];
    return {
      first: series.flatMap((s) => s.slice(0, baselineWindows)),
      latest: series.map((s) => s[s.length - 1]),
    };
  }

  async activeAlerts(): Promise<Alert[]> {
    return [...this.alerts.values()].filter((a) => a.status === 'active');
  }

  /**
   * Moves a stored work order along its lifecycle with the database's checks (domain/work-orders.ts
   * checkTransition), keeping a closing's finding. Throws NotFoundError, ConflictError or ValidationError.
   * Assignees, notes and versions are not kept in memory.
   */
  async transition(id: string, change: Omit<WorkOrderChange, 'ifVersion'>): Promise<void> {
    const order = this.workOrders.get(id);
    if (!order) throw new NotFoundError(`work order ${id} not found`);
    const confirmedCause = change.confirmedCause ?? null;
    const check = checkTransition(order.status, change.to, change.assignee ?? null, confirmedCause);
    if (!check.ok) throw check.error;
    this.workOrders.set(id, { ...order, status: change.to });
    if (confirmedCause !== null)
      this.findings.set(id, { confirmedCause, closedAt: change.at, closedBy: change.actor });
  }

  async closedFindings(from: number, to: number): Promise<ClosedFinding[]> {
    return [...this.findings]
      .filter(([, f]) => f.closedAt >= from && f.closedAt < to)
      .flatMap(([id, f]) => {
        const order = this.workOrders.get(id);
        if (!order) return [];
        const { assetId, sensorId, cause, createdAt: raisedAt } = order;
        return [{ workOrderId: id, assetId, sensorId, cause, raisedAt, ...f }];
      })
      .sort((a, b) => a.closedAt - b.closedAt || a.workOrderId.localeCompare(b.workOrderId));
  }

  classify = classifyMemoryError;
}

/** A fixed list of sensors and assets' machine models (by asset id), as the registry would give them. */
export class MemorySensorCatalog implements SensorCatalog {
  readonly list: Sensor[];
  readonly machineModels: Map<string, AssetMachine>;
  readonly types: Map<string, string>;
  constructor(
    list: Sensor[] = [],
    machines: Map<string, AssetMachine> = new Map(),
    types: Map<string, string> = new Map(),
  ) {
    this.list = list;
    this.machineModels = machines;
    this.types = types;
  }
  async sensors(): Promise<Sensor[]> {
    return this.list;
  }
  async machines(): Promise<Map<string, AssetMachine>> {
    return this.machineModels;
  }
  async assetTypes(): Promise<Map<string, string>> {
    return this.types;
  }
}

/**
 * Opens `wo` or lets its named fault take over the sensor's open anomaly order, as the database does (see
 * storage/postgres/maintenance.ts `raiseAlert`). Returns whether an order was opened.
 */
function raiseWorkOrder(workOrders: Map<string, WorkOrder>, wo: WorkOrder): boolean {
  const onAsset = [...workOrders.values()].filter(
    (w) => w.assetId === wo.assetId && openWorkOrderStatuses.includes(w.status),
  );
  const open = onAsset.filter((w) => w.sensorId === wo.sensorId);
  const named = (w: WorkOrder) => w.cause.startsWith(DIAGNOSIS_CAUSE_PREFIX);
  // A named fault is the machine's: one order per asset and cause.
  const same = named(wo) ? onAsset : open;
  if (same.some((w) => w.cause === wo.cause) || workOrders.has(wo.id)) return false;
  if (named(wo)) {
    const [anomaly] = open
      .filter((w) => w.alertId !== null && !named(w))
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    if (anomaly) {
      const priority =
        PRIORITIES.indexOf(anomaly.priority) < PRIORITIES.indexOf(wo.priority)
          ? wo.priority
          : anomaly.priority;
      workOrders.set(anomaly.id, {
        ...anomaly,
        cause: wo.cause,
        alertId: wo.alertId,
        title: wo.title,
        priority,
      });
      return false;
    }
  } else if (open.some(named)) return false;
  workOrders.set(wo.id, { ...wo, status: 'open' });
  return true;
}
