import type { SensorKind, WindowFeatures } from '../domain/types.ts';
import { medianOrNull } from '../lib/stats.ts';
import { type HealthOptions, HealthTracker } from '../pipeline/health.ts';
import type { SensorRange, WindowScorer } from '../pipeline/scoring.ts';
import { isFaulty, NO_FAULT_FOUND, type WindowLabel } from './train.ts';

/** One machine's windows of one sensor series with the labels of its life. */
export interface LabelledMachineWindows {
  assetId: string;
  assetType: string;
  windows: WindowFeatures[];
  labels: WindowLabel[];
  /** The sensor's kind (default: vibration for sample-block windows, else other) and registered range. */
  kind?: SensorKind;
  range?: SensorRange;
}

/** Counts and rates of one scorer over labelled windows; rates null when nothing was there to count. */
export interface DetectionScores {
  machines: number;
  faults: number;
  detected: number;
  alerts: number;
  trueAlerts: number;
  falseAlarms: number;
  precision: number | null;
  recall: number | null;
  /** Scored time outside fault labels, machine-days. */
  healthyDays: number;
  falseAlarmsPerMachineDay: number | null;
  /** Failure − first true alert of each detected fault, minutes. */
  leadMinutes: number[];
  medianLeadMinutes: number | null;
}

/** The tracker's settings: the configuration's `scoring` with `pipeline.bandEdgesHz`. */
export type DetectionOptions = Omit<HealthOptions, 'scorerFor'>;

const DAY_MS = 86_400_000;

/**
 * Runs a fresh health tracker over each machine's windows (in time order; the inputs are not changed), scored
 * by `scorer` (null: the baseline scorer), and counts its raised alerts against the labels (see the module).
 */
export function evaluateOnWindows(
  scorer: WindowScorer | null,
  machines: LabelledMachineWindows[],
  options: DetectionOptions,
): DetectionScores {
  let faults = 0;
  let alerts = 0;
  let trueAlerts = 0;
  let healthyMs = 0;
  const leads: number[] = [];
  for (const m of machines) {
    const labels = labelsOfSeries(m, m.labels);
    const faultLabels = labels.filter((l) => l.fault !== NO_FAULT_FOUND);
    faults += faultLabels.length;
    const tracker = new HealthTracker({ ...options, scorerFor: () => scorer });
    const firstAlert = new Map<WindowLabel, number>();
    const windows = [...m.windows].sort((a, b) => a.windowStart - b.windowStart);
    for (const original of windows) {
      const w = { ...original, anomalyScore: null, health: null };
      const kind = m.kind ?? (w.bandEnergies ? 'vibration' : 'other');
      const action = tracker.score(w, { kind, assetType: m.assetType, ...m.range });
      const faulty = isFaulty(w, labels);
      if (w.health !== null && !faulty) healthyMs += w.windowEnd - w.windowStart;
      if (action?.kind !== 'raise') continue;
      alerts++;
      if (!faulty) continue;
      trueAlerts++;
      for (const l of faultLabels) {
        const overlaps = isFaulty(w, [l]);
        if (overlaps && w.windowEnd <= l.to && !firstAlert.has(l)) firstAlert.set(l, w.windowEnd);
      }
    }
    for (const [l, at] of firstAlert) leads.push((l.to - at) / 60_000);
  }
  const healthyDays = healthyMs / DAY_MS;
  return {
    machines: machines.length,
    faults,
    detected: leads.length,
    alerts,
    trueAlerts,
    falseAlarms: alerts - trueAlerts,
    precision: alerts > 0 ? trueAlerts / alerts : null,
    recall: faults > 0 ? leads.length / faults : null,
    healthyDays,
    falseAlarmsPerMachineDay: healthyDays > 0 ? (alerts - trueAlerts) / healthyDays : null,
    leadMinutes: leads,
    medianLeadMinutes: medianOrNull(leads),
  };
}

/**
 * The labels that apply to one series: a label names its asset, and its sensor when it has one, so one series
 * counts the faults of its own sensor and of its whole asset.
 */
export function labelsOfSeries(
  series: { assetId: string; windows: readonly { sensorId: string }[] },
  labels: readonly WindowLabel[],
): WindowLabel[] {
  const sensorId = series.windows[0]?.sensorId;
  return labels.filter(
    (l) => l.assetId === series.assetId && (l.sensorId === undefined || l.sensorId === sensorId),
  );
}

/** Pools the scores of several evaluations of one scorer kind. */
export function mergeScores(parts: DetectionScores[]): DetectionScores {
  const sum = (
    k: 'machines' | 'faults' | 'detected' | 'alerts' | 'trueAlerts' | 'falseAlarms' | 'healthyDays',
  ) => parts.reduce((s, p) => s + p[k], 0);
  const leads = parts.flatMap((p) => p.leadMinutes);
  const [alerts, trueAlerts, faults, healthyDays] = [
    sum('alerts'),
    sum('trueAlerts'),
    sum('faults'),
    sum('healthyDays'),
  ];
  return {
    machines: sum('machines'),
    faults,
    detected: sum('detected'),
    alerts,
    trueAlerts,
    falseAlarms: sum('falseAlarms'),
    precision: alerts > 0 ? trueAlerts / alerts : null,
    recall: faults > 0 ? leads.length / faults : null,
    healthyDays,
    falseAlarmsPerMachineDay: healthyDays > 0 ? sum('falseAlarms') / healthyDays : null,
    leadMinutes: leads,
    medianLeadMinutes: medianOrNull(leads),
  };
}
