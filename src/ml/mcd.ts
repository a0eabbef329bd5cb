/**
 * FAST-MCD, the Minimum Covariance Determinant estimator of location and scatter (P. J. Rousseeuw and K. Van
 * Driessen, "A fast algorithm for the minimum covariance determinant estimator", Technometrics 41(3), 1999),
 * on ml-matrix. Hand-written: no maintained npm package implements the MCD.
 */
import { CholeskyDecomposition, covariance, Matrix } from 'ml-matrix';
import { quantile, seededRandom } from '../lib/stats.ts';
import { chiSquareQuantile, mahalanobis2 } from './model.ts';

/** A matrix as nested arrays, made exactly symmetric from its upper triangle (rounding leaves it not quite). */
export const symmetric = (m: Matrix): number[][] =>
  m.to2DArray().map((row, i) => row.map((v, j) => (i <= j ? v : m.get(j, i))));

/** ln det of a symmetric matrix by Cholesky; +∞ when it is not positive definite. */
export function logDet(m: Matrix): number {
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
  const next = seededRandom(seed);
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
