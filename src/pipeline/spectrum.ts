import { FFT_CACHE_ENTRIES, hann, nextPowerOfTwo, transformOf, workArray } from '../lib/fft.ts';
import { powerOfTwoScale } from './features.ts';

export { cachedWindowLengths } from '../lib/fft.ts';

/** One-sided power spectrum of a sample block, Hann-windowed, mean removed. */
export interface PowerSpectrum {
  rateHz: number;
  /** Frequency step between bins. */
  resolutionHz: number;
  /** Mean-square contribution of each bin; the sum is the block's variance. */
  power: Float64Array;
}

/** How many block lengths keep their transform and window cached (see lib/fft.ts). */
export const SPECTRUM_CACHE_ENTRIES = FFT_CACHE_ENTRIES;

/**
 * The one-sided power spectrum of `values` sampled at `rateHz`, in the values' unit squared per bin.
 * Zero-pads to a power of two; the fft.js radix-4 transform needs one. The transform runs on the values
 * scaled by a power of two near their largest magnitude (exact), so that squaring the bins neither overflows
 * for huge values nor underflows for tiny ones; a bin whose power itself exceeds the double range is Infinity.
 */
export function powerSpectrum(values: ArrayLike<number>, rateHz: number): PowerSpectrum {
  const n = values.length;
  const size = nextPowerOfTwo(n);
  const window = hann(n);
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(values[i]));
  const k = powerOfTwoScale(peak);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] * k;
  mean /= n;
  const input = workArray(size, 0);
  let windowSquares = 0;
  for (let i = 0; i < n; i++) {
    input[i] = (values[i] * k - mean) * window[i];
    windowSquares += window[i] * window[i];
  }
  input.fill(0, n);
  const fft = transformOf(size);
  const out = workArray(2 * size, 1);
  fft.realTransform(out, input);
  // Parseval: sum |X_k|^2 over all k = size * sum (w x)^2; divide by sum w^2 to undo the window.
  const bins = size / 2 + 1;
  const power = new Float64Array(bins);
  const scale = 1 / (size * windowSquares);
  for (let bin = 0; bin < bins; bin++) {
    const re = out[2 * bin];
    const im = out[2 * bin + 1];
    const oneSided = bin === 0 || bin === size / 2 ? 1 : 2;
    // Undone in two steps, as 1/k² alone may overflow where the power does not.
    power[bin] = (oneSided * (re * re + im * im) * scale) / k / k;
  }
  return { rateHz, resolutionHz: rateHz / size, power };
}

/** Sum of bin power in each band [edges[i], edges[i+1]). */
export function bandEnergies(spectrum: PowerSpectrum, edgesHz: readonly number[]): number[] {
  const energies = new Array<number>(edgesHz.length - 1).fill(0);
  const { power, resolutionHz } = spectrum;
  let band = 0;
  for (let k = 0; k < power.length; k++) {
    const f = k * resolutionHz;
    while (band < energies.length && f >= edgesHz[band + 1]) band++;
    if (band >= energies.length) break;
    if (f >= edgesHz[band]) energies[band] += power[k];
  }
  return energies;
}

/** Frequency of the strongest bin above DC, refined by a parabola through its neighbours. */
export function dominantFrequency(spectrum: PowerSpectrum): number | null {
  const { power, resolutionHz } = spectrum;
  let best = 1;
  for (let k = 2; k < power.length; k++) if (power[k] > power[best]) best = k;
  if (!(power[best] > 0)) return null;
  if (best === power.length - 1) return best * resolutionHz;
  // Parabolic interpolation on log power; exact for a Gaussian-shaped peak, close for Hann.
  const a = Math.log(power[best - 1] || Number.MIN_VALUE);
  const b = Math.log(power[best]);
  const c = Math.log(power[best + 1] || Number.MIN_VALUE);
  const denominator = a - 2 * b + c;
  const shift = denominator === 0 ? 0 : (0.5 * (a - c)) / denominator;
  return (best + Math.max(-0.5, Math.min(0.5, shift))) * resolutionHz;
}
