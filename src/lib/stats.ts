/** Small statistics shared by scoring, training and the evaluations. */

/**
 * The median of `values` (the mean of the two middle ones for an even count); NaN for none. Halves are added,
 * not summed then halved: the sum of two values near the largest double would overflow.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : sorted[mid - 1] / 2 + sorted[mid] / 2;
}

/** The median, or null when there is nothing to take it of (a report's "—"). */
export const medianOrNull = (values: readonly number[]): number | null =>
  values.length === 0 ? null : median(values);

/**
 * mulberry32 (T. Ettinger, 2017): a small, fast 32-bit seeded generator of numbers in [0, 1), so that a seed
 * always gives the same sequence (the simulated fleet, FAST-MCD's random starts). Not for cryptography.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Linear interpolation between order statistics (Hyndman & Fan 1996, type 7). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}
