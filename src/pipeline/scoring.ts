import type { SensorKind, WindowFeatures } from '../domain/types.ts';

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

export interface Baseline {
  median: ScoredFeatures;
  scale: ScoredFeatures;
}

/** Relative floor on the scale: a feature must move by more than 5 % of its level to count. */
const RELATIVE_FLOOR = 0.05;
const MAD_TO_SIGMA = 1.4826;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function learnBaseline(history: ScoredFeatures[]): Baseline {
  if (history.length === 0) throw new RangeError('a baseline needs at least one window');
  const names = Object.keys(history[0]).filter((name) => history.every((h) => Number.isFinite(h[name])));
  const baseline: Baseline = { median: {}, scale: {} };
  for (const name of names) {
    const values = history.map((h) => h[name]);
    const m = median(values);
    const mad = median(values.map((v) => Math.abs(v - m)));
    baseline.median[name] = m;
    baseline.scale[name] = Math.max(MAD_TO_SIGMA * mad, RELATIVE_FLOOR * Math.abs(m), 1e-12);
  }
  return baseline;
}

export interface AnomalyScore {
  score: number;
  /** The feature with the largest deviation, and how many baselines it sits from the median. */
  feature: string | null;
  ratio: number | null;
}

export function anomalyScore(features: ScoredFeatures, baseline: Baseline): AnomalyScore {
  let best: AnomalyScore = { score: 0, feature: null, ratio: null };
  for (const [name, m] of Object.entries(baseline.median)) {
    const value = features[name];
    if (!Number.isFinite(value)) continue;
    const z = Math.abs(value - m) / baseline.scale[name];
    if (z > best.score) best = { score: z, feature: name, ratio: m !== 0 ? value / m : null };
  }
  return best;
}

/** Deviations within 3 baselines are normal; health then decays: z = 6 → 61, z = 9 → 37. */
export function healthFromScore(score: number): number {
  return score <= 3 ? 100 : 100 * Math.exp(-(score - 3) / 6);
}

export function smoothHealth(previous: number | null, current: number, weight: number): number {
  return previous === null ? current : weight * current + (1 - weight) * previous;
}

export interface Hysteresis {
  alertBelow: number;
  clearAbove: number;
}

/** 'raise' when health falls below alertBelow, 'clear' once it climbs back above clearAbove. */
export function alertTransition(active: boolean, health: number, h: Hysteresis): 'raise' | 'clear' | null {
  if (!active && health < h.alertBelow) return 'raise';
  if (active && health > h.clearAbove) return 'clear';
  return null;
}

/** One cause per kind of sensor, so a sensor never has two open work orders for one condition. */
export function causeOf(kind: SensorKind): string {
  return `${kind}-anomaly`;
}

export function severityOf(health: number, h: Hysteresis): 'warning' | 'critical' {
  return health < h.alertBelow / 2 ? 'critical' : 'warning';
}

const FEATURE_LABELS: Record<string, string> = { mean: 'mean', rms: 'RMS', kurtosis: 'kurtosis' };

export function describeFeature(name: string, bandEdgesHz: readonly number[]): string {
  const band = /^band(\d+)$/.exec(name);
  if (band) {
    const i = Number(band[1]);
    return `energy in ${bandEdgesHz[i]}–${bandEdgesHz[i + 1]} Hz`;
  }
  return FEATURE_LABELS[name] ?? name;
}
