/** Time-domain features of a window. Pure; works over several chunks without copying them. */
import type { TimeDomainFeatures } from '../domain/types.ts';

type Chunks = readonly ArrayLike<number>[];

export function timeDomainFeatures(chunks: Chunks): TimeDomainFeatures {
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i];
      sum += v;
      sumSquares += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    count += chunk.length;
  }
  if (count === 0) throw new RangeError('a window needs at least one value');
  const mean = sum / count;
  // Central moments in a second pass: one-pass power sums lose precision on offset signals.
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const d = chunk[i] - mean;
      const d2 = d * d;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }
  }
  m2 /= count;
  m3 /= count;
  m4 /= count;
  const rms = Math.sqrt(sumSquares / count);
  const peak = Math.max(Math.abs(min), Math.abs(max));
  // Below this the spread is rounding noise, and the shape statistics are meaningless.
  const flat = m2 <= 1e-24 * Math.max(1, mean * mean);
  return {
    count,
    mean,
    min,
    max,
    std: Math.sqrt(m2),
    rms,
    peakToPeak: max - min,
    crestFactor: rms > 0 ? peak / rms : null,
    skewness: flat ? null : m3 / m2 ** 1.5,
    kurtosis: flat ? null : m4 / (m2 * m2),
  };
}
