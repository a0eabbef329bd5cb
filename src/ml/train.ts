/**
 * Training of an asset type's health model (see model.ts for what it is) from machines' stored windows.
 *
 * Vibration series only: a scalar sensor's window has one scored feature (its mean), which a multivariate model
 * cannot improve on, so scalar series are left to the baseline scorer and skipped here. Each series' first
 * `baselineWindows` windows give its baseline, as in the health tracker; the windows after it, standardised by
 * it, are the training set, less any window that overlaps a fault label.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { ValidationError } from '../domain/errors.ts';
import type { WindowFeatures } from '../domain/types.ts';
import { quantile } from '../lib/stats.ts';
import { baselineFeatures, learnBaseline } from '../pipeline/scoring.ts';
import { NO_FAULT_FOUND, type WindowLabel } from './labels.ts';
import { fastMcd, logDet, symmetric } from './mcd.ts';
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
  /** What the training data looked wrong about (a machine that seems faulty), for the user to act on. */
  warnings: string[];
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
  /** The machine of each row. */
  const rowMachine: string[] = [];
  series.forEach((s, i) => {
    for (const w of s.windows.slice(o.baselineWindows)) {
      const u = standardize(baselineFeatures(w), baselines[i], features);
      if (u) {
        rows.push(u);
        rowMachine.push(s.assetId);
      } else excluded++;
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
  const d2s = mahalanobis2(X, mcd.location, precision);
  const zs = d2s.map((d2) => wilsonHilferty(d2, p));
  // A machine whose windows mostly lie outside the type's normal is likely faulty, unlabelled: its windows
  // would set the alarm threshold (one faulty machine of three made the calibration deaf to its own fault).
  const contaminated = contaminatedMachines(d2s, rowMachine, chiSquareQuantile(p, OUTLIER_Z));
  const calibrationZs = zs.filter((_, i) => !contaminated.has(rowMachine[i]));
  const offset = 3 - quantile(calibrationZs.length > 0 ? calibrationZs : zs, 1 - o.targetFalseAlarmRate);
  const trainingAlarmRate = zs.filter((zv) => zv + offset > 3).length / zs.length;
  const warnings = [...contaminated].map(
    ([assetId, share]) =>
      `${assetId}: ${(100 * share).toFixed(0)} % of its training windows lie outside the type's normal (expected ${(100 * OUTLIER_SHARE).toFixed(1)} %): if it is faulty, close its work order with the finding or train on a range before the fault; it was left out of the alarm calibration`,
  );
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
      contaminatedMachines: contaminated.size,
    },
    warnings,
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

/** The reweighting cut-off of FAST-MCD, χ²_p(0.975) (z of 0.975), and the share of healthy windows beyond it. */
const OUTLIER_Z = 1.959964;
const OUTLIER_SHARE = 0.025;
/** A machine with more than this share of its windows beyond the cut-off is taken for contaminated. */
export const CONTAMINATED_SHARE = 0.25;

/**
 * Machines (by id, with their share) with more than CONTAMINATED_SHARE of their rows beyond `cutoff` (d²); never
 * all of them: when every machine would be, none is singled out (the model is then off for all, said by the
 * training alarm rate).
 */
function contaminatedMachines(d2s: number[], rowMachine: string[], cutoff: number): Map<string, number> {
  const counts = new Map<string, { n: number; out: number }>();
  d2s.forEach((d2, i) => {
    const c = counts.get(rowMachine[i]) ?? { n: 0, out: 0 };
    c.n++;
    if (d2 > cutoff) c.out++;
    counts.set(rowMachine[i], c);
  });
  const flagged = new Map(
    [...counts].filter(([, c]) => c.out / c.n > CONTAMINATED_SHARE).map(([m, c]) => [m, c.out / c.n]),
  );
  return flagged.size < counts.size ? flagged : new Map();
}
