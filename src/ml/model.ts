/**
 * The learned health model of an asset type, as plain JSON (the training run's `model/model.json` artifact), and
 * the scorer it gives the health tracker.
 *
 * A window's features are first standardised by its own series' baseline (a per-type model cannot use raw
 * levels: machines of one type run at other speeds and loads): ratio quantities (RMS, band energies, kurtosis,
 * velocity) as the natural log of value over baseline median, levels in dB as the difference. The model is the
 * location and scatter of those vectors over healthy training windows, estimated by the Minimum Covariance
 * Determinant (P. J. Rousseeuw and K. Van Driessen, "A fast algorithm for the minimum covariance determinant
 * estimator", Technometrics 41(3), 1999, pp. 212–223). A window's squared Mahalanobis distance d² is, for
 * healthy windows, close to χ²_p; the Wilson–Hilferty cube-root transform (E. B. Wilson and M. M. Hilferty,
 * "The distribution of chi-square", PNAS 17(12), 1931, pp. 684–688) maps it to a standard normal z, and the
 * calibration offset moves z so that a share `targetFalseAlarmRate` of the training windows lies above 3, the
 * baseline scorer's limit of normal.
 */
import { CholeskyDecomposition, inverse, Matrix } from 'ml-matrix';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.ts';
import type { ModelRef, WindowFeatures } from '../domain/types.ts';
import {
  type AnomalyScore,
  type Baseline,
  baselineFeatures,
  type ScoredFeatures,
  type WindowScorer,
} from '../pipeline/scoring.ts';

export const HEALTH_MODEL_FORMAT = 'mantis.health-model';
export const HEALTH_MODEL_FORMAT_VERSION = 1;
export const MCD_ALGORITHM = 'mcd-mahalanobis';

/** Added to a ratio quantity and its median before the log, so that a band exactly at 0 stays finite. */
const LOG_GUARD = 1e-12;

const finite = z.number().refine(Number.isFinite, 'expected a finite number');

const modelSchema = z
  .strictObject({
    format: z.literal(HEALTH_MODEL_FORMAT),
    formatVersion: z.literal(HEALTH_MODEL_FORMAT_VERSION),
    assetType: z.string().min(1).max(64),
    algorithm: z.literal(MCD_ALGORITHM),
    features: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'expected a feature name'))
      .min(1)
      .max(64)
      .refine((f) => new Set(f).size === f.length, 'a feature is listed twice'),
    /** MCD location of the standardised feature vectors, one value per feature. */
    location: z.array(finite),
    /** MCD scatter (consistency-corrected, reweighted) of the standardised vectors, p × p, symmetric. */
    scatter: z.array(z.array(finite)),
    calibration: z.strictObject({
      /** Share of healthy training windows the calibration lets score above 3. */
      targetFalseAlarmRate: z.number().gt(0).lt(1),
      /** Added to the Wilson–Hilferty z to give the score. */
      offset: finite,
      /** Share of the training windows that score above 3 with that offset. */
      trainingAlarmRate: z.number().min(0).max(1),
    }),
    training: z
      .looseObject({
        machines: z.array(z.string()),
        series: z.number().int().nonnegative(),
        windows: z.number().int().nonnegative(),
        excludedWindows: z.number().int().nonnegative(),
        baselineWindows: z.number().int().positive(),
      })
      .describe('provenance: what the model was trained on'),
  })
  .superRefine((m, ctx) => {
    const p = m.features.length;
    if (m.location.length !== p) {
      ctx.addIssue({ code: 'custom', path: ['location'], message: `expected ${p} values, one per feature` });
    }
    if (m.scatter.length !== p || m.scatter.some((row) => row.length !== p)) {
      ctx.addIssue({ code: 'custom', path: ['scatter'], message: `expected a ${p} × ${p} matrix` });
      return;
    }
    const symmetric = m.scatter.every((row, i) =>
      row.every((v, j) => Math.abs(v - m.scatter[j][i]) <= 1e-9 * (Math.abs(v) + 1e-300)),
    );
    if (!symmetric)
      ctx.addIssue({ code: 'custom', path: ['scatter'], message: 'expected a symmetric matrix' });
    else if (!new CholeskyDecomposition(new Matrix(m.scatter)).isPositiveDefinite()) {
      ctx.addIssue({ code: 'custom', path: ['scatter'], message: 'expected a positive definite matrix' });
    }
  });

/** A learned health model: see the module's comment. Plain JSON. */
export type HealthModel = z.infer<typeof modelSchema>;

/**
 * Checks a parsed `model.json`.
 * @throws ValidationError naming the field under `model.` (`model.features`, `model.scatter`, …) and the reason;
 * a `formatVersion` newer than this code reads is refused saying so.
 */
export function parseHealthModel(json: unknown): HealthModel {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ValidationError('model', 'expected a JSON object');
  }
  const { formatVersion } = json as { formatVersion?: unknown };
  if (typeof formatVersion === 'number' && formatVersion > HEALTH_MODEL_FORMAT_VERSION) {
    throw new ValidationError(
      'model.formatVersion',
      `version ${formatVersion} is newer than this MANTIS reads (${HEALTH_MODEL_FORMAT_VERSION}); upgrade MANTIS to serve it`,
    );
  }
  const parsed = modelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(['model', ...issue.path.map(String)].join('.'), issue.message);
  }
  return parsed.data;
}

/** Levels in dB are standardised as a difference; the rest, quantities with a physical zero, as a log ratio. */
export const isLevelFeature = (name: string): boolean => name.endsWith('Db');

/**
 * A window's standardised feature vector: per feature, ln((x + g) / (median + g)) (g = 1e-12) or, for a level
 * in dB, x − median. Null when the window or the baseline lacks one of the features.
 */
export function standardize(
  values: ScoredFeatures,
  baseline: Baseline,
  features: readonly string[],
): number[] | null {
  const out = new Array<number>(features.length);
  for (let i = 0; i < features.length; i++) {
    const name = features[i];
    const x = values[name];
    const m = baseline.median[name];
    if (!Number.isFinite(x) || !Number.isFinite(m)) return null;
    out[i] = isLevelFeature(name)
      ? x - m
      : Math.log((Math.max(x, 0) + LOG_GUARD) / (Math.max(m, 0) + LOG_GUARD));
  }
  return out;
}

/**
 * Wilson–Hilferty (1931): for X ~ χ²_p, (X/p)^(1/3) is close to normal with mean 1 − 2/(9p) and variance
 * 2/(9p); returns the standard normal z of `d2`.
 */
export function wilsonHilferty(d2: number, p: number): number {
  const v = 2 / (9 * p);
  return (Math.cbrt(Math.max(d2, 0) / p) - (1 - v)) / Math.sqrt(v);
}

/** The χ²_p quantile at standard normal z, by inverting Wilson–Hilferty. */
export function chiSquareQuantile(p: number, zq: number): number {
  const v = 2 / (9 * p);
  return p * Math.max(0, 1 - v + zq * Math.sqrt(v)) ** 3;
}

/** Squared Mahalanobis distance of each row of `u` from `location` under `precision` (the inverse scatter). */
export function mahalanobis2(u: Matrix, location: readonly number[], precision: Matrix): number[] {
  const centred = u.clone().subRowVector(location as number[]);
  const projected = centred.mmul(precision);
  return Array.from({ length: u.rows }, (_, i) => {
    let d2 = 0;
    for (let j = 0; j < u.columns; j++) d2 += centred.get(i, j) * projected.get(i, j);
    return d2;
  });
}

/**
 * The scorer of a model for the health tracker. It accepts a window when the window and its series' baseline
 * hold all the model's features (a diagnosed vibration window); the score is max(0, z + calibration offset), and
 * the feature reported is the one contributing most to d².
 */
export function scorerOf(model: HealthModel, ref: ModelRef): WindowScorer {
  const { features, location } = model;
  const precision = inverse(new Matrix(model.scatter));
  const p = features.length;
  const vectorOf = (f: WindowFeatures, baseline: Baseline) =>
    standardize(baselineFeatures(f), baseline, features);
  return {
    model: { name: ref.name, version: ref.version },
    accepts: (f, baseline) => vectorOf(f, baseline) !== null,
    score(f, baseline): AnomalyScore {
      const u = vectorOf(f, baseline);
      if (u === null) {
        const missing = features.filter((n) => !Number.isFinite(baselineFeatures(f)[n]));
        throw new ValidationError(
          'features',
          `window lacks ${missing.join(', ') || 'a baseline of the model features'} that model ${ref.name} scores`,
        );
      }
      const centred = u.map((v, i) => v - location[i]);
      const projected = new Matrix([centred]).mmul(precision).getRow(0);
      let d2 = 0;
      let best = -1;
      let bestContribution = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < p; i++) {
        const c = centred[i] * projected[i];
        d2 += c;
        if (c > bestContribution) {
          bestContribution = c;
          best = i;
        }
      }
      const score = Math.max(0, wilsonHilferty(d2, p) + model.calibration.offset);
      const name = features[best];
      const value = baselineFeatures(f)[name];
      const median = baseline.median[name];
      const ratio = !isLevelFeature(name) && median !== 0 ? value / median : null;
      return { score, feature: name, ratio, value, median };
    },
  };
}
