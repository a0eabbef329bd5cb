/**
 * Remaining useful life (RUL) of a series from its health indicator (0–100, see pipeline/scoring.ts).
 *
 * Health is 100·exp(−(z − 3)/6) of the robust anomaly score z beyond z = 3, so each health value below 100 gives
 * back the score z = 3 + 6·ln(100/health), the distance from the baseline that degradation makes grow. The
 * score is modelled as Gebraeel et al.'s exponential degradation signal, z(t) = θ·exp(β·t) (N. Gebraeel, M.
 * Lawley, R. Li, J. Ryan, "Residual-life distributions from component degradation signals: a Bayesian
 * approach", IIE Transactions 37(6), 2005, with φ = 0), so ln z is a straight line in time; the 'linear' model
 * fits z itself. The line is fitted robustly with the Theil–Sen estimator (H. Theil, 1950; P. K. Sen,
 * "Estimates of the regression coefficient based on Kendall's tau", JASA 63, 1968), whose slope interval
 * (Sen 1968, as given in R. O. Gilbert, "Statistical Methods for Environmental Pollution Monitoring", 1987,
 * §16.5) bounds the crossing times. Pure: no adapter.
 */
// The package ships no type declarations; its class is typed below.
// @ts-expect-error
import { TheilSenRegression as TheilSen } from 'ml-regression-theil-sen';
import { median } from '../lib/stats.ts';

const TheilSenRegression = TheilSen as new (x: number[], y: number[]) => { slope: number; intercept: number };

export interface HealthPoint {
  /** Epoch ms (a window's start). */
  t: number;
  /** Health 0–100. */
  health: number;
}

export type RulModel = 'exponential' | 'linear';
export type RulStatus = 'estimated' | 'insufficient-trend' | 'not-degrading' | 'below-threshold';

export interface RulOptions {
  /** Health under which an alert is raised (scoring.alertBelow); the failure line is half of it (critical). */
  alertBelow: number;
  /** 'exponential' (default): ln z linear in time; 'linear': z linear in time. */
  model?: RulModel;
  /** Two-sided confidence of the interval: 0.8, 0.9 (default), 0.95 or 0.99. */
  confidence?: number;
  /** Fewest points since onset that are fitted (default 8, at least 4). */
  minPoints?: number;
  /** Points fitted and returned at most; more are merged into this many equal-count bins (default 200). */
  maxPoints?: number;
}

/** When a health line is crossed, with the interval of the time left. Times in epoch ms, durations in hours. */
export interface Crossing {
  /** Health line, 0–100. */
  threshold: number;
  /** True when the latest health is already below the line. */
  reached: boolean;
  /** The predicted crossing; when reached, the first fitted point below the line. */
  at: number;
  /** From `asOf` to `at`; 0 when reached. */
  hoursLeft: number;
  /** Bounds of the interval of hoursLeft, from the bounds of the slope. */
  low: number;
  high: number;
}

export interface RulFit {
  /** First and last fitted point, epoch ms. */
  from: number;
  to: number;
  points: number;
  /** What is fitted against time: 'ln(score)' (exponential model) or 'score' (linear). */
  signal: 'ln(score)' | 'score';
  /** Theil–Sen slope of the signal, per hour, and its interval (positive: degrading). */
  slopePerHour: number;
  slopeLowPerHour: number;
  slopeHighPerHour: number;
  /** Health on the fitted line at `to`. */
  healthAtEnd: number;
}

export interface RulEstimate {
  status: RulStatus;
  /** Why there is no estimate, in plain words; absent when estimated. */
  reason?: string;
  model: RulModel;
  confidence: number;
  /** Time of the latest point (epoch ms), from which hours left count; null without points. */
  asOf: number | null;
  /** Latest health; null without points. */
  health: number | null;
  alert?: Crossing;
  failure?: Crossing;
  /** The fit; null when there were too few points to fit. */
  fittedOn: RulFit | null;
  /** The points fitted (binned when more than maxPoints), oldest first. */
  points: HealthPoint[];
  /** The fitted curve as health, from the first point to the predicted failure (empty unless estimated). */
  trend: HealthPoint[];
}

const HOUR_MS = 3_600_000;
/** Health is stored to 1e-4 (scoring.ts HEALTH_RESOLUTION): the floor before taking a logarithm. */
const HEALTH_FLOOR = 1e-4;
/** Standard normal quantiles z_{1−α/2} of the supported two-sided confidences. */
const NORMAL_QUANTILE: Record<number, number> = { 0.8: 1.2816, 0.9: 1.6449, 0.95: 1.96, 0.99: 2.5758 };
const TREND_POINTS = 40;

/** The anomaly score z a health value stands for: the inverse of healthFromScore (scoring.ts). */
export const scoreOfHealth = (health: number): number =>
  3 + 6 * Math.log(100 / Math.max(health, HEALTH_FLOOR));
const healthOfScore = (z: number): number => (z <= 3 ? 100 : 100 * Math.exp(-(z - 3) / 6));

/**
 * Estimates when a series' health crosses the alert line (options.alertBelow) and the failure line (half of
 * it, where alerts turn critical), from its points (any order; non-finite health is dropped). The fitted
 * points are those since health last left 100: a score within 3 baselines reads 100 whatever it is, so those
 * points say nothing of the trend. Statuses: 'not-degrading' when health is at 100 or its slope points up;
 * 'insufficient-trend' when fewer than minPoints remain or the slope's interval includes 0; 'below-threshold'
 * when the latest health is under the failure line; 'estimated' otherwise (the alert may be reached already).
 * @throws RangeError naming `alertBelow`, `confidence`, `minPoints`, `maxPoints` or `points` when out of range.
 */
export function estimateRemainingUsefulLife(
  points: readonly HealthPoint[],
  options: RulOptions,
): RulEstimate {
  const o = checkOptions(options);
  if (!Array.isArray(points)) throw new RangeError('points: expected an array of {t, health}');
  const series = points
    .filter((p) => Number.isFinite(p?.t) && Number.isFinite(p?.health))
    .sort((a, b) => a.t - b.t);
  const base: RulEstimate = {
    status: 'not-degrading',
    model: o.model,
    confidence: o.confidence,
    asOf: series.at(-1)?.t ?? null,
    health: series.at(-1)?.health ?? null,
    fittedOn: null,
    points: [],
    trend: [],
  };
  if (series.length === 0)
    return { ...base, status: 'insufficient-trend', reason: 'no health values to fit' };
  const lastFull = series.findLastIndex((p) => p.health >= 100);
  const since = bin(series.slice(lastFull + 1), o.maxPoints);
  const latest = series[series.length - 1];
  const failureLine = o.alertBelow / 2;
  if (since.length === 0) return { ...base, reason: 'health is at 100: no deviation from the baseline' };
  const withPoints = { ...base, points: since };
  if (latest.health < failureLine) {
    return {
      ...withPoints,
      status: 'below-threshold',
      reason: `health ${round(latest.health)} is already below the failure line (${failureLine})`,
      alert: reached(since, o.alertBelow, latest.t),
      failure: reached(since, failureLine, latest.t),
    };
  }
  if (since.length < o.minPoints) {
    return {
      ...withPoints,
      status: 'insufficient-trend',
      reason: `only ${since.length} points since health left 100; at least ${o.minPoints} are needed`,
    };
  }
  const t0 = since[0].t;
  const x = since.map((p) => (p.t - t0) / HOUR_MS);
  const signal = (health: number) =>
    o.model === 'exponential' ? Math.log(scoreOfHealth(health)) : scoreOfHealth(health);
  const y = since.map((p) => signal(p.health));
  const fit = new TheilSenRegression(x, y);
  const [slopeLow, slopeHigh] = senInterval(x, y, NORMAL_QUANTILE[o.confidence]);
  // The line's level at the latest point, from which time left counts (a bin's median time may be earlier).
  const level = fit.intercept + (fit.slope * (latest.t - t0)) / HOUR_MS;
  const toScore = (v: number) => (o.model === 'exponential' ? Math.exp(v) : v);
  const fittedOn: RulFit = {
    from: t0,
    to: latest.t,
    points: since.length,
    signal: o.model === 'exponential' ? 'ln(score)' : 'score',
    slopePerHour: fit.slope,
    slopeLowPerHour: slopeLow,
    slopeHighPerHour: slopeHigh,
    healthAtEnd: healthOfScore(toScore(level)),
  };
  const fitted = { ...withPoints, fittedOn };
  if (!(fit.slope > 0)) {
    return { ...fitted, reason: 'health is steady or recovering: its trend does not fall' };
  }
  if (!(slopeLow > 0)) {
    return {
      ...fitted,
      status: 'insufficient-trend',
      reason: `the fall of health is not significant: the ${100 * o.confidence} % interval of its slope includes 0`,
    };
  }
  /** Hours from asOf until the line reaches `threshold` at `slope`; never negative. */
  const hoursAt = (threshold: number, slope: number) => Math.max(0, (signal(threshold) - level) / slope);
  const crossing = (threshold: number): Crossing => {
    if (latest.health < threshold) return reached(since, threshold, latest.t);
    const hoursLeft = hoursAt(threshold, fit.slope);
    return {
      threshold,
      reached: false,
      at: latest.t + hoursLeft * HOUR_MS,
      hoursLeft,
      low: hoursAt(threshold, slopeHigh),
      high: hoursAt(threshold, slopeLow),
    };
  };
  const alert = crossing(o.alertBelow);
  const failure = crossing(failureLine);
  const span = failure.at - t0;
  const trend = Array.from({ length: TREND_POINTS + 1 }, (_, i) => {
    const t = t0 + (span * i) / TREND_POINTS;
    return { t, health: healthOfScore(toScore(fit.intercept + (fit.slope * (t - t0)) / HOUR_MS)) };
  });
  return { ...fitted, status: 'estimated', alert, failure, trend };
}

/**
 * Sen's (1968) interval of the Theil–Sen slope: the order statistics M1 = (N − C)/2 and M2 + 1 = (N + C)/2 + 1
 * of the N ordered pairwise slopes, C = z·√(n(n−1)(2n+5)/18) (Kendall's S variance without ties; Gilbert 1987,
 * eq. 16.7–16.8), interpolated between ranks. Written here because the regression package returns only the
 * median slope. Residuals are taken as independent; smoothed health is not quite, so the interval is a lower
 * bound on the uncertainty.
 */
export function senInterval(x: readonly number[], y: readonly number[], z: number): [number, number] {
  const slopes: number[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      if (x[j] !== x[i]) slopes.push((y[j] - y[i]) / (x[j] - x[i]));
    }
  }
  slopes.sort((a, b) => a - b);
  const n = x.length;
  const N = slopes.length;
  const c = z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  // 1-based ranks to 0-based indices, clamped: with few points the interval spans every slope.
  const at = (rank: number) => {
    const r = Math.min(Math.max(rank - 1, 0), N - 1);
    const lo = Math.floor(r);
    return slopes[lo] + (r - lo) * ((slopes[Math.min(lo + 1, N - 1)] ?? slopes[lo]) - slopes[lo]);
  };
  return [at((N - c) / 2), at((N + c) / 2 + 1)];
}

/** A line already crossed: when the fitted points first went below it (the latest point at the latest). */
function reached(points: HealthPoint[], threshold: number, asOf: number): Crossing {
  const at = points.find((p) => p.health < threshold)?.t ?? asOf;
  return { threshold, reached: true, at, hoursLeft: 0, low: 0, high: 0 };
}

/** At most `max` points: consecutive equal-count bins, each its median time and median health. */
function bin(points: HealthPoint[], max: number): HealthPoint[] {
  if (points.length <= max) return points;
  const out: HealthPoint[] = [];
  for (let b = 0; b < max; b++) {
    const group = points.slice(
      Math.floor((b * points.length) / max),
      Math.floor(((b + 1) * points.length) / max),
    );
    out.push({ t: median(group.map((p) => p.t)), health: median(group.map((p) => p.health)) });
  }
  return out;
}

const round = (v: number) => Math.round(v * 10) / 10;

function checkOptions(options: RulOptions): Required<RulOptions> {
  const o = { model: 'exponential' as RulModel, confidence: 0.9, minPoints: 8, maxPoints: 200, ...options };
  if (!(typeof o.alertBelow === 'number' && o.alertBelow > 0 && o.alertBelow <= 100)) {
    throw new RangeError(`alertBelow: expected a health above 0 and up to 100, got ${o.alertBelow}`);
  }
  if (o.model !== 'exponential' && o.model !== 'linear') {
    throw new RangeError(`model: expected 'exponential' or 'linear', got ${JSON.stringify(o.model)}`);
  }
  if (!(o.confidence in NORMAL_QUANTILE)) {
    throw new RangeError(`confidence: expected one of 0.8, 0.9, 0.95, 0.99, got ${o.confidence}`);
  }
  if (!(Number.isInteger(o.minPoints) && o.minPoints >= 4)) {
    throw new RangeError(`minPoints: expected a whole number from 4 up, got ${o.minPoints}`);
  }
  if (!(Number.isInteger(o.maxPoints) && o.maxPoints >= o.minPoints)) {
    throw new RangeError(
      `maxPoints: expected a whole number from minPoints (${o.minPoints}) up, got ${o.maxPoints}`,
    );
  }
  return o;
}

/** An asset's estimate: its most urgent sensor's, and each sensor's status. */
export interface AssetRulEstimate extends RulEstimate {
  /** The sensor the estimate is for; null when no sensor has health in the history. */
  sensorId: string | null;
  sensors: { sensorId: string; status: RulStatus; failureHoursLeft: number | null }[];
}

const URGENCY: Record<RulStatus, number> = {
  'below-threshold': 0,
  estimated: 1,
  'insufficient-trend': 2,
  'not-degrading': 3,
};

/**
 * Estimates each sensor's series and keeps the most urgent, as an asset's health is its worst sensor's: one
 * already below the failure line, else the earliest predicted failure, else a falling series too short to
 * tell (the lowest health first), else a steady one.
 * @throws RangeError as estimateRemainingUsefulLife does.
 */
export function assetRemainingUsefulLife(
  series: ReadonlyMap<string, readonly HealthPoint[]>,
  options: RulOptions,
): AssetRulEstimate {
  const estimates = [...series].map(([sensorId, points]) => ({
    sensorId,
    ...estimateRemainingUsefulLife(points, options),
  }));
  estimates.sort(
    (a, b) =>
      URGENCY[a.status] - URGENCY[b.status] ||
      (a.failure?.at ?? 0) - (b.failure?.at ?? 0) ||
      (a.health ?? 100) - (b.health ?? 100),
  );
  const sensors = estimates.map((e) => ({
    sensorId: e.sensorId,
    status: e.status,
    failureHoursLeft: e.failure?.hoursLeft ?? null,
  }));
  const worst = estimates[0] ?? {
    sensorId: null,
    ...estimateRemainingUsefulLife([], options),
  };
  return { ...worst, sensors };
}
