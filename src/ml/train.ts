/**
 * Training of an asset type's health model (see model.ts for what it is) from machines' stored windows.
 *
 * Vibration series only: a scalar sensor's window has one scored feature (its mean), which a multivariate model
 * cannot improve on, so scalar series are left to the baseline scorer and skipped here. Each series' first
 * `baselineWindows` windows give its baseline, as in the health tracker; the windows after it, standardised by
 * it, are the training set, less any window that overlaps a fault label.
 */
import { CholeskyDecomposition, covariance, Matrix } from 'ml-matrix';
import { ValidationError } from '../domain/errors.ts';
import type { WindowFeatures } from '../domain/types.ts';
import { baselineFeatures, learnBaseline } from '../pipeline/scoring.ts';
import { NO_FAULT_FOUND, type WindowLabel } from './labels.ts';
import {
  chiSquareQuantile,
  HEALTH_MODEL_FORMAT,
  HEALTH_MODEL_FORMAT_VERSION,
  type HealthModel,
  MCD_ALGORITHM,
  mahalanobis2,
  standardize,
  wilsonHilferty,
} from './model.ts';
import { canHaveModel } from './naming.ts';

/** One machine's stored windows of one sensor series. */
export interface MachineWindows {
  assetId: string;
  windows: WindowFeatures[];
}

// Labels are maintenance's (see labels.ts); a simulated run labels its fault up to its severity's peak.
export type { WindowLabel };
export { NO_FAULT_FOUND };

export interface TrainOptions {
  /** A series' first windows, learned as its baseline (the health tracker's scoring.baselineWindows). */
  baselineWindows: number;
  /** Share of healthy training windows allowed to score above 3, 0–0.5. */
  targetFalseAlarmRate?: number;
  /** MCD h / n: the share of windows the scatter is estimated on, 0.5–1. */
  supportFraction?: number;
  /** Random initial subsets of FAST-MCD. */
  starts?: number;
  /** Seed of those subsets: the same data and seed give the same model. */
  seed?: number;
  /** Fault labels: windows overlapping a fault are left out. */
  labels?: WindowLabel[];
}

/**
 * Defaults: a 1 % false-alarm target; h = 0.75 n, which Rousseeuw & Van Driessen (1999, §2) advise when fewer
 * than a quarter of the windows may be outliers, with better efficiency than the 50 % breakdown choice; 50
 * starts as in sklearn's MinCovDet (its n_trials of 500 is for larger and dirtier data sets).
 */
export const DEFAULT_TRAIN_OPTIONS = {
  targetFalseAlarmRate: 0.01,
  supportFraction: 0.75,
  starts: 50,
  seed: 1,
} as const;

/** Training windows needed per feature: Rousseeuw & Van Driessen (1999) recommend n/p > 5 for the MCD. */
export const WINDOWS_PER_FEATURE = 5;

export interface TrainedModel {
  model: HealthModel;
  /** What MLflow logs as the run's parameters and metrics. */
  params: Record<string, string | number | boolean>;
  metrics: Record<string, number>;
  /** A markdown evaluation of the model (see evaluation.ts), when the caller made one; logged as an artifact. */
  evaluation?: string;
}

/** Whether a window overlaps a fault label of its asset and sensor ('no-fault-found' is not a fault). */
export function isFaulty(w: WindowFeatures, labels: readonly WindowLabel[]): boolean {
  return labels.some(
    (l) =>
      l.fault !== NO_FAULT_FOUND &&
      l.assetId === w.assetId &&
      (l.sensorId === undefined || l.sensorId === w.sensorId) &&
      w.windowStart < l.to &&
      w.windowEnd > l.from,
  );
}

/**
 * Trains `assetType`'s model on `machines` (vibration windows in any order; other series are skipped).
 * @throws ValidationError on `assetType` (not a model name), `options.*` (out of range) or `machines` (fewer
 * than WINDOWS_PER_FEATURE × p healthy windows past the baselines, p the features every series has).
 */
export function trainHealthModel(
  assetType: string,
  machines: MachineWindows[],
  options: TrainOptions,
): TrainedModel {
  const o = checkOptions(options);
  if (!canHaveModel(assetType)) {
    throw new ValidationError(
      'assetType',
      `${JSON.stringify(assetType)}: expected 1–64 letters, digits, _, . or -`,
    );
  }
  const series: { assetId: string; windows: WindowFeatures[] }[] = [];
  let excluded = 0;
  let skippedSeries = 0;
  for (const m of machines) {
    const windows = [...m.windows]
      .filter((w) => w.bandEnergies)
      .sort((a, b) => a.windowStart - b.windowStart);
    const baseline = windows.slice(0, o.baselineWindows);
    // A series whose baseline holds a fault, or too short for one, teaches nothing healthy.
    if (baseline.length < o.baselineWindows || baseline.some((w) => isFaulty(w, o.labels))) {
      skippedSeries++;
      continue;
    }
    const rest = windows.slice(o.baselineWindows);
    const healthy = rest.filter((w) => !isFaulty(w, o.labels));
    excluded += rest.length - healthy.length;
    series.push({ assetId: m.assetId, windows: [...baseline, ...healthy] });
  }
  if (series.length === 0) {
    throw new ValidationError(
      'machines',
      `no vibration series with ${o.baselineWindows} healthy baseline windows (got ${machines.length} series)`,
    );
  }
  const baselines = series.map((s) =>
    learnBaseline(s.windows.slice(0, o.baselineWindows).map(baselineFeatures)),
  );
  // The features every series' baseline has, in the order windows give them.
  const features = Object.keys(baselines[0].median).filter((n) => baselines.every((b) => n in b.median));
  const rows: number[][] = [];
  series.forEach((s, i) => {
    for (const w of s.windows.slice(o.baselineWindows)) {
      const u = standardize(baselineFeatures(w), baselines[i], features);
      if (u) rows.push(u);
      else excluded++;
    }
  });
  const p = features.length;
  if (rows.length < WINDOWS_PER_FEATURE * p) {
    throw new ValidationError(
      'machines',
      `${rows.length} healthy windows past the baselines; a model of ${p} features needs at least ${WINDOWS_PER_FEATURE * p} (${WINDOWS_PER_FEATURE} per feature)`,
    );
  }
  const X = new Matrix(rows);
  const mcd = fastMcd(X, Math.ceil(o.supportFraction * rows.length), o.starts, o.seed);
  const precision = new CholeskyDecomposition(mcd.scatter).solve(Matrix.eye(p));
  const zs = mahalanobis2(X, mcd.location, precision).map((d2) => wilsonHilferty(d2, p));
  const offset = 3 - quantile(zs, 1 - o.targetFalseAlarmRate);
  const trainingAlarmRate = zs.filter((zv) => zv + offset > 3).length / zs.length;
  const machineIds = [...new Set(series.map((s) => s.assetId))].sort();
  const model: HealthModel = {
    format: HEALTH_MODEL_FORMAT,
    formatVersion: HEALTH_MODEL_FORMAT_VERSION,
    assetType,
    algorithm: MCD_ALGORITHM,
    features,
    location: mcd.location,
    scatter: symmetric(mcd.scatter),
    calibration: { targetFalseAlarmRate: o.targetFalseAlarmRate, offset, trainingAlarmRate },
    training: {
      machines: machineIds,
      series: series.length,
      windows: rows.length,
      excludedWindows: excluded,
      baselineWindows: o.baselineWindows,
      supportFraction: o.supportFraction,
      starts: o.starts,
      seed: o.seed,
    },
  };
  return {
    model,
    params: {
      assetType,
      algorithm: MCD_ALGORITHM,
      features: features.join(','),
      baselineWindows: o.baselineWindows,
      targetFalseAlarmRate: o.targetFalseAlarmRate,
      supportFraction: o.supportFraction,
      starts: o.starts,
      seed: o.seed,
    },
    metrics: {
      machines: machineIds.length,
      series: series.length,
      skippedSeries,
      windows: rows.length,
      excludedWindows: excluded,
      features: p,
      supportWindows: mcd.h,
      logDetScatter: logDet(mcd.scatter),
      calibrationOffset: offset,
      trainingAlarmRate,
    },
  };
}

type Checked = Required<TrainOptions>;

function checkOptions(options: TrainOptions): Checked {
  const o = { ...DEFAULT_TRAIN_OPTIONS, labels: [], ...options };
  const check = (field: string, ok: boolean, expected: string, got: unknown) => {
    if (!ok) throw new ValidationError(`options.${field}`, `expected ${expected}, got ${String(got)}`);
  };
  check(
    'baselineWindows',
    Number.isInteger(o.baselineWindows) && o.baselineWindows >= 3,
    'a whole number ≥ 3',
    o.baselineWindows,
  );
  check(
    'targetFalseAlarmRate',
    o.targetFalseAlarmRate > 0 && o.targetFalseAlarmRate < 0.5,
    'a share above 0 and below 0.5',
    o.targetFalseAlarmRate,
  );
  check(
    'supportFraction',
    o.supportFraction >= 0.5 && o.supportFraction <= 1,
    'a share from 0.5 to 1',
    o.supportFraction,
  );
  check(
    'starts',
    Number.isInteger(o.starts) && o.starts >= 1 && o.starts <= 10_000,
    'a whole number from 1 to 10000',
    o.starts,
  );
  check('seed', Number.isInteger(o.seed), 'a whole number', o.seed);
  check('labels', Array.isArray(o.labels), 'a list of labels', o.labels);
  return o;
}

/** Linear interpolation between order statistics (Hyndman & Fan 1996, type 7). */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** mulberry32: a small seeded generator, so that a seed always gives the same subsets. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const symmetric = (m: Matrix): number[][] =>
  m.to2DArray().map((row, i) => row.map((v, j) => (i <= j ? v : m.get(j, i))));

function logDet(m: Matrix): number {
  const chol = new CholeskyDecomposition(m);
  if (!chol.isPositiveDefinite()) return Number.POSITIVE_INFINITY;
  const l = chol.lowerTriangularMatrix;
  let sum = 0;
  for (let i = 0; i < m.rows; i++) sum += 2 * Math.log(l.get(i, i));
  return sum;
}

interface Fit {
  location: number[];
  scatter: Matrix;
  subset: number[];
  logDet: number;
}

/** Mean and covariance of some rows, with a ridge of `ridge` on the diagonal so that a flat feature stays invertible. */
function fitRows(X: Matrix, subset: number[], ridge: number): Fit {
  const sub = X.selection(subset, [...Array(X.columns).keys()]);
  const location = sub.mean('column');
  const scatter = new Matrix(covariance(sub, { center: true }));
  for (let j = 0; j < X.columns; j++) scatter.set(j, j, scatter.get(j, j) + ridge);
  return { location, scatter, subset, logDet: logDet(scatter) };
}

/** The C-step: the h rows nearest to the fit, refitted; its determinant never grows (R&VD 1999, theorem 1). */
function cStep(X: Matrix, fit: Fit, h: number, ridge: number): Fit {
  const precision = new CholeskyDecomposition(fit.scatter).solve(Matrix.eye(X.columns));
  const d2 = mahalanobis2(X, fit.location, precision);
  const nearest = [...d2.keys()].sort((a, b) => d2[a] - d2[b]).slice(0, h);
  return fitRows(X, nearest, ridge);
}

/** Φ⁻¹(0.4875), the standard normal quantile at half the reweighting's 97.5 %. */
const Z_0_4875 = -0.0313388;

/**
 * FAST-MCD (Rousseeuw & Van Driessen 1999, §3): `starts` random (p + 1)-subsets, two C-steps each, the ten best
 * iterated to convergence; then the consistency factor median(d²) / χ²_p(0.5) and one reweighting step keeping
 * the rows with d² ≤ χ²_p(0.975) (the paper's §6), made consistent by their own median. χ² quantiles come from
 * Wilson–Hilferty. Returns location, scatter and h.
 */
export function fastMcd(
  X: Matrix,
  h: number,
  starts: number,
  seed: number,
): { location: number[]; scatter: Matrix; h: number } {
  const n = X.rows;
  const p = X.columns;
  const next = random(seed);
  const full = new Matrix(covariance(X, { center: true }));
  const ridge = 1e-9 * (full.trace() / p || 1);
  const candidates: Fit[] = [];
  for (let s = 0; s < starts; s++) {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(p + 1, n)) chosen.add(Math.floor(next() * n));
    let fit = fitRows(X, [...chosen], ridge);
    for (let k = 0; k < 2; k++) fit = cStep(X, fit, h, ridge);
    candidates.push(fit);
  }
  candidates.sort((a, b) => a.logDet - b.logDet);
  let best: Fit | null = null;
  for (let fit of candidates.slice(0, 10)) {
    for (let k = 0; k < 100; k++) {
      const stepped = cStep(X, fit, h, ridge);
      const same = stepped.logDet >= fit.logDet - 1e-12;
      fit = stepped;
      if (same) break;
    }
    if (!best || fit.logDet < best.logDet) best = fit;
  }
  const raw = best as Fit;
  const rawPrecision = new CholeskyDecomposition(raw.scatter).solve(Matrix.eye(p));
  const d2 = mahalanobis2(X, raw.location, rawPrecision);
  const factor = quantile(d2, 0.5) / chiSquareQuantile(p, 0);
  const corrected = raw.scatter.clone().mul(factor);
  const correctedD2 = d2.map((v) => v / factor);
  const cutoff = chiSquareQuantile(p, 1.959964);
  const kept = [...correctedD2.keys()].filter((i) => correctedD2[i] <= cutoff);
  if (kept.length <= p) return { location: raw.location, scatter: corrected, h };
  const reweighted = fitRows(X, kept, ridge);
  // The rows kept are a sample truncated at χ²_p(0.975), whose median is χ²_p(0.4875) for normal data: the
  // median over the kept rows alone makes the scatter consistent, whatever lies beyond the cut-off.
  const rwPrecision = new CholeskyDecomposition(reweighted.scatter).solve(Matrix.eye(p));
  const rwD2 = mahalanobis2(X, reweighted.location, rwPrecision);
  const rwFactor =
    quantile(
      kept.map((i) => rwD2[i]),
      0.5,
    ) / chiSquareQuantile(p, Z_0_4875);
  return { location: reweighted.location, scatter: reweighted.scatter.mul(rwFactor), h };
}
