/** Time-domain features of a window. Pure; works over several chunks without copying them. */
import type { TimeDomainFeatures } from '../domain/types.ts';

type Chunks = readonly ArrayLike<number>[];

/**
 * The power of two 2^−e that brings a largest magnitude `peak` into [1, 2). Multiplying by a power of two
 * is exact in binary floating point, so moments of the scaled values are the moments of the values, scaled,
 * bit for bit; only squares and sums that would overflow (|x| ≳ 1e154) or underflow (|x| ≲ 1e−154) change:
 * they no longer do. 1 for a zero or non-finite peak.
 */
export function powerOfTwoScale(peak: number): number {
  if (!(peak > 0) || !Number.isFinite(peak)) return 1;
  // Clamped so that 2^−e itself stays finite; a subnormal peak keeps the little precision it has.
  const e = Math.min(1023, Math.max(-1022, Math.floor(Math.log2(peak))));
  return 2 ** -e;
}

/**
 * Count, mean, min, max, population standard deviation, RMS, peak-to-peak, crest factor, skewness and
 * Pearson kurtosis of every value of the chunks, in the values' unit (kurtosis, skewness and crest factor
 * are dimensionless). Values are scaled by a power of two near their largest magnitude before any sum, so
 * that a window of 1e200 or 1e−200 keeps its RMS and moments, and a window of ordinary values gets the same
 * bits as the unscaled sums; a mean is kept within [min, max] and an RMS within the least and largest magnitude,
 * where their exact values lie. A result that itself exceeds the double range (peak-to-peak of ±1.7e308) is
 * ±Infinity. Throws RangeError for a window without values.
 */
export function timeDomainFeatures(chunks: Chunks): TimeDomainFeatures {
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let leastMagnitude = Number.POSITIVE_INFINITY;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i];
      if (v < min) min = v;
      if (v > max) max = v;
      if (Math.abs(v) < leastMagnitude) leastMagnitude = Math.abs(v);
    }
    count += chunk.length;
  }
  if (count === 0) throw new RangeError('a window needs at least one value');
  const k = powerOfTwoScale(Math.max(Math.abs(min), Math.abs(max)));
  let sum = 0;
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) sum += chunk[i] * k;
  // The exact mean lies in [min, max] and the RMS in [min |x|, max |x|]: kept there, equal values give
  // themselves back where rounding would put them an ulp off (0.1 three times sums to 0.30000000000000004).
  const mean = clamp(sum / count, min * k, max * k);
  // Central moments in a second pass: one-pass power sums lose precision on offset signals.
  let sumSquares = 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const x = chunk[i] * k;
      const d = x - mean;
      const d2 = d * d;
      sumSquares += x * x;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }
  }
  m2 /= count;
  m3 /= count;
  m4 /= count;
  const peak = Math.max(Math.abs(min), Math.abs(max)) * k;
  const rms = clamp(Math.sqrt(sumSquares / count), leastMagnitude * k, peak);
  // Below this the spread is rounding noise relative to the values' size, and the shape statistics are
  // meaningless; relative to the peak, so the test is the same in any unit.
  const flat = m2 <= 1e-24 * peak * peak;
  return {
    count,
    mean: mean / k,
    min,
    max,
    std: Math.sqrt(m2) / k,
    rms: rms / k,
    peakToPeak: max - min,
    crestFactor: rms > 0 ? peak / rms : null,
    skewness: flat ? null : m3 / m2 ** 1.5,
    kurtosis: flat ? null : m4 / (m2 * m2),
  };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}
