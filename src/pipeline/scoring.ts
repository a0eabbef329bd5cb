import type { AlertSeverity, ModelRef, Sensor, SensorKind, WindowFeatures } from '../domain/types.ts';
import { median } from '../lib/stats.ts';

/**
 * Health scoring, first version: a robust baseline (median and MAD) per (asset, sensor) learned from
 * its first windows, a window's anomaly score as the largest robust z-score among its scored features,
 * a 0–100 health smoothed over windows, and hysteresis between raising and clearing an alert.
 */

export type ScoredFeatures = Record<string, number>;

/** The features that describe a sensor's condition; spread statistics of slow scalars are too noisy. */
export function scoredFeatures(f: Pick<WindowFeatures, 'mean' | 'rms' | 'kurtosis' | 'bandEnergies'>) {
  const out: ScoredFeatures = {};
  if (!f.bandEnergies) {
    out.mean = f.mean;
    return out;
  }
  out.rms = f.rms;
  if (f.kurtosis !== null) out.kurtosis = f.kurtosis;
  f.bandEnergies.forEach((energy, i) => {
    out[`band${i}`] = energy;
  });
  return out;
}

/** Strongest envelope level of each bearing defect kind, dB above the envelope spectrum's floor, by feature name. */
export const ENVELOPE_FEATURES = {
  bpfoDb: 'bpfo',
  bpfiDb: 'bpfi',
  rollingElementDb: 'rollingElement',
  ftfDb: 'ftf',
} as const;

/**
 * What a series' baseline is learned over: the scored features, plus for a diagnosed vibration window its r.m.s.
 * velocity (mm/s) and, per bearing defect kind, the strongest envelope level over its bearings (dB). A learned
 * model scores these; the baseline scorer only the scored ones.
 */
export function baselineFeatures(
  f: Pick<WindowFeatures, 'mean' | 'rms' | 'kurtosis' | 'bandEnergies' | 'velocityRms' | 'diagnostics'>,
): ScoredFeatures {
  const out = scoredFeatures(f);
  if (!f.bandEnergies) return out;
  if (typeof f.velocityRms === 'number') out.velocityRms = f.velocityRms;
  for (const [name, defect] of Object.entries(ENVELOPE_FEATURES)) {
    const levels = (f.diagnostics?.envelope ?? []).filter((e) => e.defect === defect);
    if (levels.length > 0) out[name] = Math.max(...levels.map((e) => e.dbAboveFloor));
  }
  return out;
}

/** Per feature, its median and its spread (1.4826 × MAD, a robust σ) over the baseline windows. */
export interface Baseline {
  median: ScoredFeatures;
  spread: ScoredFeatures;
}

/** A sensor's registered range, where known: what the floor on a level's scale comes from. */
export type SensorRange = Partial<Pick<Sensor, 'validMin' | 'validMax'>>;

/**
 * Floor on the scale of a level (a scalar's mean): 0.5 % of the sensor's registered span, the error limit of
 * an accuracy class 0.5 instrument (IEC 60051-1 states it as a percentage of the span). A level has no
 * natural zero (°C, K and °F put it in different places), so its floor cannot be a share of the level.
 */
export const SPAN_FLOOR = 0.005;
/**
 * Floor on the scale of a ratio quantity (RMS, band energy, kurtosis), whose zero is physical: it must move
 * by more than 5 % of its level to count. Also the floor of a level whose sensor's range is unknown.
 */
export const RELATIVE_FLOOR = 0.05;
/** Guards against a zero scale (a feature that was exactly 0 throughout the baseline). */
const MIN_SCALE = 1e-12;
/** MAD to σ for a normal distribution: 1 / Φ⁻¹(3/4) (Rousseeuw & Croux, 1993). */
const MAD_TO_SIGMA = 1.4826;

/**
 * Median and spread per feature of a series' first windows; features missing or non-finite in any of them
 * are left out. Throws RangeError for an empty history.
 */
export function learnBaseline(history: ScoredFeatures[]): Baseline {
  if (history.length === 0) throw new RangeError('a baseline needs at least one window');
  const names = Object.keys(history[0]).filter((name) => history.every((h) => Number.isFinite(h[name])));
  const baseline: Baseline = { median: {}, spread: {} };
  for (const name of names) {
    const values = history.map((h) => h[name]);
    const m = median(values);
    const mad = median(values.map((v) => Math.abs(v - m)));
    baseline.median[name] = m;
    baseline.spread[name] = MAD_TO_SIGMA * mad;
  }
  return baseline;
}

/**
 * The scale a feature's deviation is measured in: its baseline spread, floored so that a very quiet baseline
 * does not turn noise into alarms. The mean (a level) is floored at SPAN_FLOOR of the sensor's registered
 * span, the same physical amount in any unit; other features, and a mean whose sensor range is unknown, at
 * RELATIVE_FLOOR of their median.
 */
export function scaleOf(name: string, baseline: Baseline, range: SensorRange = {}): number {
  const { validMin, validMax } = range;
  // Scaled before subtracting: the span of a range near ±the largest double would overflow.
  const spanFloor =
    validMin !== undefined && validMax !== undefined
      ? SPAN_FLOOR * validMax - SPAN_FLOOR * validMin
      : Number.NaN;
  const floor =
    name === 'mean' && Number.isFinite(spanFloor) && spanFloor > 0
      ? spanFloor
      : Math.max(RELATIVE_FLOOR * Math.abs(baseline.median[name]), MIN_SCALE);
  return Math.max(baseline.spread[name], floor);
}

export interface AnomalyScore {
  score: number;
  /** The feature with the largest deviation, and how many baselines it sits from the median. */
  feature: string | null;
  /** That feature's value over its baseline median; null for a level (a scalar's mean), whose zero is arbitrary. */
  ratio: number | null;
  /** That feature's value and its baseline median, in the feature's unit. */
  value: number | null;
  median: number | null;
}

/**
 * A learned model that scores a window in place of the baseline scorer (see ml/model.ts). Its score is on the
 * baseline scorer's scale, so health, hysteresis and alert thresholds mean the same for both.
 */
export interface WindowScorer {
  /** The registered model: name and version. */
  readonly model: ModelRef;
  /** Anomaly score of a window against its series' baseline, on the baseline scorer's scale (≤ 3 normal). */
  score(features: WindowFeatures, baseline: Baseline, range: SensorRange): AnomalyScore;
  /**
   * Whether the model scores this window: it and the baseline hold every feature the model needs. Absent: every
   * window. A window it declines is scored by the baseline scorer.
   */
  accepts?(features: WindowFeatures, baseline: Baseline): boolean;
}

/** The largest robust z-score |x − median| / scale among the features (0 when none deviates). */
export function anomalyScore(
  features: ScoredFeatures,
  baseline: Baseline,
  range: SensorRange = {},
): AnomalyScore {
  let best: AnomalyScore = { score: 0, feature: null, ratio: null, value: null, median: null };
  for (const [name, m] of Object.entries(baseline.median)) {
    const value = features[name];
    if (!Number.isFinite(value)) continue;
    // In halves, so that a deviation between values near ±the largest double does not overflow.
    const z = Math.abs(value / 2 - m / 2) / (scaleOf(name, baseline, range) / 2);
    if (z > best.score) {
      // A ratio of levels depends on the unit's zero (80 °C / 60 °C ≠ 353 K / 333 K): levels are shown as values.
      const ratio = name !== 'mean' && m !== 0 ? value / m : null;
      best = { score: z, feature: name, ratio, value, median: m };
    }
  }
  return best;
}

/**
 * Health is kept to 1e-4 of a point: finer steps mean nothing on a 0–100 scale, and the stored column is
 * single precision (PostgreSQL `real`), which refuses a value such as 4.8e-114 with "underflow" (22003) —
 * the health of a window scored thousands of baselines away. Rounding makes it 0 instead.
 */
export const HEALTH_RESOLUTION = 1e-4;

/** Rounded to HEALTH_RESOLUTION through its decimal form, so 0.0075 is 0.0075, not 0.007500000000000001. */
const quantizeHealth = (health: number): number => Number(health.toFixed(4));

/**
 * Deviations within 3 baselines are normal; health then decays: z = 6 → 61, z = 9 → 37. 0–100, to
 * HEALTH_RESOLUTION.
 */
export function healthFromScore(score: number): number {
  return score <= 3 ? 100 : quantizeHealth(100 * Math.exp(-(score - 3) / 6));
}

/** Exponential smoothing of health (weight of the current window, 0–1), to HEALTH_RESOLUTION. */
export function smoothHealth(previous: number | null, current: number, weight: number): number {
  return previous === null ? current : quantizeHealth(weight * current + (1 - weight) * previous);
}

export interface Hysteresis {
  alertBelow: number;
  clearAbove: number;
}

/**
 * What a window's health does to its series' alert, given the open alert's severity (null: none open):
 * 'raise' when health falls below alertBelow; 'escalate' a warning once health falls into the critical
 * band (severityOf); 'clear' once health climbs back above clearAbove. Severity never steps down while the
 * alert is open: a fault does not heal itself, and late-stage damage can even make a signal quieter.
 */
export function alertTransition(
  open: AlertSeverity | null,
  health: number,
  h: Hysteresis,
): 'raise' | 'escalate' | 'clear' | null {
  if (open === null) return health < h.alertBelow ? 'raise' : null;
  if (health > h.clearAbove) return 'clear';
  if (open === 'warning' && severityOf(health, h) === 'critical') return 'escalate';
  return null;
}

/** One cause per kind of sensor, so a sensor never has two open work orders for one condition. */
export function causeOf(kind: SensorKind): string {
  return `${kind}-anomaly`;
}

/** Critical below half the alert threshold (20 by default), else warning. */
export function severityOf(health: number, h: Hysteresis): AlertSeverity {
  return health < h.alertBelow / 2 ? 'critical' : 'warning';
}

const FEATURE_LABELS: Record<string, string> = {
  mean: 'mean',
  rms: 'RMS',
  kurtosis: 'kurtosis',
  velocityRms: 'velocity RMS',
  bpfoDb: 'envelope level at BPFO',
  bpfiDb: 'envelope level at BPFI',
  rollingElementDb: 'envelope level at the rolling-element defect frequency',
  ftfDb: 'envelope level at FTF',
};

export function describeFeature(name: string, bandEdgesHz: readonly number[]): string {
  const band = /^band(\d+)$/.exec(name);
  if (band) {
    const i = Number(band[1]);
    return `energy in ${bandEdgesHz[i]}–${bandEdgesHz[i + 1]} Hz`;
  }
  return FEATURE_LABELS[name] ?? name;
}
