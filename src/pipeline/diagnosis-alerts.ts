import {
  type Alert,
  type AlertAction,
  DIAGNOSIS_CAUSE_PREFIX,
  type WindowDiagnosis,
  type WindowFeatures,
  type WorkOrder,
} from '../domain/types.ts';
import { stableId } from './alert-ids.ts';
import { seriesKey } from './windows.ts';

/** When a named fault becomes an alert, and when it clears. */
export interface DiagnosisAlertOptions {
  /** Consecutive windows naming a fault before it is raised (≥ 1). */
  raiseAfter: number;
  /** Consecutive diagnosed windows without it before its alert clears (≥ 1). */
  clearAfter: number;
}

export { DIAGNOSIS_CAUSE_PREFIX };

interface FaultState {
  /** Windows in a row that named the fault, and diagnosed windows in a row without it. */
  named: number;
  absent: number;
  alert: Alert | null;
}

const PRIORITY_OF: Record<Alert['severity'], WorkOrder['priority']> = { warning: 'high', critical: 'urgent' };

/**
 * The cause of a diagnosis's alert and work order: `diagnosis:<fault>`, and for a bearing defect
 * `:<designation>@<location>` (or `:<designation>` when the bearing has no location). One cause per fault and
 * bearing, so a second, different fault on the same sensor opens its own work order.
 */
export function diagnosisCause(d: Pick<WindowDiagnosis, 'fault' | 'bearing'>): string {
  if (!d.bearing) return `${DIAGNOSIS_CAUSE_PREFIX}${d.fault}`;
  const where = d.bearing.location ? `@${escapeCausePart(d.bearing.location)}` : '';
  return `${DIAGNOSIS_CAUSE_PREFIX}${d.fault}:${escapeCausePart(d.bearing.designation)}${where}`;
}

/**
 * Percent-encodes the separators (`%`, `:`, `@`) in a designation or location, so that two different bearings
 * never share a cause ("A@B" at "C" and "A" at "B@C"); other characters stay as they are, readable.
 */
const escapeCausePart = (part: string): string =>
  part.replace(/[%:@]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The alert message of a diagnosis: its strongest block's message, then the window's velocity and zone, e.g.
 * "outer-race defect suspected on bearing 6205 (drive end): envelope peaks at 107.3 Hz = BPFO and 2 harmonics,
 * 14 dB above floor; velocity 4.1 mm/s, ISO 20816-3 zone C".
 */
export function diagnosisMessage(d: WindowDiagnosis, f: WindowFeatures): string {
  if (f.velocityRms === null || f.velocityRms === undefined) return d.message;
  const zone = f.severityZone ? `, ISO 20816-3 zone ${f.severityZone}` : '';
  return `${d.message}; velocity ${f.velocityRms.toFixed(1)} mm/s${zone}`;
}

/**
 * Turns the named faults of closed windows into alerts, per series and cause (see `diagnosisCause`): raised
 * once a fault is named in `raiseAfter` consecutive diagnosed windows, a warning, or critical when the window's
 * velocity is in ISO 20816-3 zone D; escalated to critical when a later window reaches zone D; cleared after
 * `clearAfter` diagnosed windows in a row without it. Windows without diagnostics (a sensor not diagnosed) or
 * without a diagnosed block (no running speed yet, every block refused) change nothing. Ids are stable (series, cause, raising window), so a replayed window raises the same alert.
 * Holds state only; the caller stores the actions.
 */
export class DiagnosisTracker {
  private readonly series = new Map<string, Map<string, FaultState>>();
  private readonly options: DiagnosisAlertOptions;

  /** @throws RangeError naming `raiseAfter` or `clearAfter` when not a whole number ≥ 1. */
  constructor(options: DiagnosisAlertOptions) {
    for (const field of ['raiseAfter', 'clearAfter'] as const) {
      const n = options?.[field];
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`${field}: expected windows ≥ 1, got ${n}`);
    }
    this.options = options;
  }

  /** Takes back the diagnosis alerts still active (others are ignored), as stored by an earlier run. */
  restore(activeAlerts: readonly Alert[]): void {
    for (const a of activeAlerts) {
      if (!a.cause.startsWith(DIAGNOSIS_CAUSE_PREFIX)) continue;
      const state = this.stateOf(a.assetId, a.sensorId, a.cause);
      if (state.alert && a.raisedAt <= state.alert.raisedAt) continue;
      state.alert = { ...a, status: 'active', resolvedAt: null };
      state.named = this.options.raiseAfter;
      state.absent = 0;
    }
  }

  /** What one closed window's diagnoses do to its series' diagnosis alerts. */
  observe(f: WindowFeatures): AlertAction[] {
    const diagnostics = f.diagnostics;
    // A window no block of which could be diagnosed (no speed yet, every block refused) says nothing either way.
    if (!diagnostics || diagnostics.blocks === 0 || diagnostics.speed.hz === null) return [];
    const actions: AlertAction[] = [];
    const named = new Map(diagnostics.diagnoses.map((d) => [diagnosisCause(d), d]));
    for (const [cause, d] of named) {
      const state = this.stateOf(f.assetId, f.sensorId, cause);
      state.named++;
      state.absent = 0;
      const severity: Alert['severity'] = f.severityZone === 'D' ? 'critical' : 'warning';
      if (state.alert) {
        if (state.alert.severity === 'warning' && severity === 'critical') {
          state.alert = { ...state.alert, severity, score: d.confidence, message: diagnosisMessage(d, f) };
          actions.push({
            kind: 'escalate',
            alert: state.alert,
            priority: PRIORITY_OF[severity],
            at: f.windowEnd,
          });
        }
      } else if (state.named >= this.options.raiseAfter) {
        actions.push(this.raise(state, f, cause, d, severity));
      }
    }
    for (const [cause, state] of this.series.get(seriesKey(f.assetId, f.sensorId)) ?? []) {
      if (named.has(cause)) continue;
      state.named = 0;
      if (!state.alert) continue;
      state.absent++;
      if (state.absent < this.options.clearAfter) continue;
      state.alert = null;
      state.absent = 0;
      actions.push({ kind: 'clear', assetId: f.assetId, sensorId: f.sensorId, at: f.windowEnd, cause });
    }
    return actions;
  }

  private raise(
    state: FaultState,
    f: WindowFeatures,
    cause: string,
    d: WindowDiagnosis,
    severity: Alert['severity'],
  ): AlertAction {
    const message = diagnosisMessage(d, f);
    const alert: Alert = {
      id: stableId('alr', f.assetId, f.sensorId, cause, f.windowStart),
      assetId: f.assetId,
      sensorId: f.sensorId,
      cause,
      severity,
      status: 'active',
      // The window's health when scored, else full health: a diagnosis may come before any baseline exists.
      health: Math.round((f.health ?? 100) * 10) / 10,
      score: d.confidence,
      message,
      raisedAt: f.windowEnd,
      resolvedAt: null,
    };
    state.alert = alert;
    const workOrder: WorkOrder = {
      id: stableId('wo', alert.id),
      assetId: f.assetId,
      sensorId: f.sensorId,
      cause,
      alertId: alert.id,
      title: `Inspect ${f.assetId} (${f.sensorId}): ${message}`,
      priority: PRIORITY_OF[severity],
      status: 'open',
      createdAt: alert.raisedAt,
    };
    return { kind: 'raise', alert, workOrder };
  }

  private stateOf(assetId: string, sensorId: string, cause: string): FaultState {
    const key = seriesKey(assetId, sensorId);
    let faults = this.series.get(key);
    if (!faults) {
      faults = new Map();
      this.series.set(key, faults);
    }
    let state = faults.get(cause);
    if (!state) {
      state = { named: 0, absent: 0, alert: null };
      faults.set(cause, state);
    }
    return state;
  }
}
