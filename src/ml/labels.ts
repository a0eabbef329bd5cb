/**
 * Maintenance labels: what technicians found when closing work orders, turned into labelled time intervals
 * of the windows before them, for model training (labelled windows are kept out of the healthy baseline) and
 * evaluation (detections are scored against them).
 */
import { ValidationError } from '../domain/errors.ts';
import type { ClosedFinding } from '../domain/types.ts';
import { checkConfirmedCause, NO_FAULT_FOUND } from '../domain/work-orders.ts';

export type { ClosedFinding };
export { NO_FAULT_FOUND };

/**
 * The windows of an asset — of one sensor when `sensorId` is given — overlapping [from, to) (epoch ms) carry
 * `fault`: a named fault (`outer-race`, …), `other:<text>`, or `no-fault-found` (healthy). `to` is the repair
 * (the order's closing): a window from then on is after it. Training and evaluation read these (ml/train.ts).
 */
export interface WindowLabel {
  assetId: string;
  sensorId?: string;
  from: number;
  to: number;
  fault: string;
}

export interface LabelOptions {
  /** How long before its order was raised a finding reaches back, ms (setting ml.labelHorizonHours). */
  horizonMs: number;
}

/**
 * One label per finding, over [raisedAt − horizonMs, closedAt) of its asset, and of its sensor when the
 * order has one (an order about the whole asset labels every sensor of it). Sorted by asset, sensor (whole
 * asset first), start, then fault; overlapping labels are all kept, for the reader to weigh.
 *
 * Why that interval: a fault exists before anything detects it. On the P-F curve of reliability-centred
 * maintenance (J. Moubray, Reliability-centred Maintenance, 2nd ed., 1997: the P-F interval), a defect
 * becomes detectable at P some time before the alert raised the order, and stays until the repair, which is
 * the order's closing. `horizonMs` stands for the part of that P-F interval before the alert: windows in it
 * are the early signs a better model should catch, so they must neither train the healthy baseline nor count
 * as false alarms. For `no-fault-found` the same interval is healthy: an inspection found the machine sound,
 * so what raised the order was a false alarm.
 *
 * Throws ValidationError on `horizonMs` (not a finite number ≥ 0) and on `orders.<i>.…` for a finding that is
 * not one (closed before it was raised, a time that is not finite, a refused confirmedCause).
 */
export function labelsFromFindings(orders: readonly ClosedFinding[], options: LabelOptions): WindowLabel[] {
  const { horizonMs } = options;
  if (typeof horizonMs !== 'number' || !Number.isFinite(horizonMs) || horizonMs < 0) {
    throw new ValidationError('horizonMs', `must be a finite number of milliseconds ≥ 0, got ${horizonMs}`);
  }
  const labels = orders.map((order, i): WindowLabel => {
    for (const field of ['raisedAt', 'closedAt'] as const) {
      if (!Number.isFinite(order[field])) {
        throw new ValidationError(`orders.${i}.${field}`, `must be a finite epoch ms, got ${order[field]}`);
      }
    }
    if (order.closedAt < order.raisedAt) {
      throw new ValidationError(
        `orders.${i}.closedAt`,
        `${order.closedAt} is before the order was raised (${order.raisedAt})`,
      );
    }
    const refused = checkConfirmedCause(order.confirmedCause);
    if (refused) throw new ValidationError(`orders.${i}.${refused.field}`, refused.reason);
    return {
      assetId: order.assetId,
      ...(order.sensorId !== null && { sensorId: order.sensorId }),
      from: order.raisedAt - horizonMs,
      to: order.closedAt,
      fault: order.confirmedCause,
    };
  });
  return labels.sort(
    (a, b) =>
      cmp(a.assetId, b.assetId) ||
      cmp(a.sensorId ?? '', b.sensorId ?? '') ||
      a.from - b.from ||
      cmp(a.fault, b.fault),
  );
}

/**
 * Whether `label` reaches a window of `assetId`/`sensorId` spanning [windowStart, windowEnd) (epoch ms): same
 * asset, same sensor unless the label is the whole asset's, and the times overlap [from, to) — as
 * ml/train.ts `isFaulty` reads a fault label.
 */
export function labelCovers(
  label: WindowLabel,
  window: { assetId: string; sensorId: string; windowStart: number; windowEnd: number },
): boolean {
  return (
    label.assetId === window.assetId &&
    (label.sensorId === undefined || label.sensorId === window.sensorId) &&
    window.windowStart < label.to &&
    window.windowEnd > label.from
  );
}

// Code-unit order, the same on every machine (localeCompare depends on the locale).
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
