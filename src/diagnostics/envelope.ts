/**
 * Envelope analysis of an acceleration block: band-pass around the structural resonance that bearing impacts
 * excite, envelope by the analytic signal, and the envelope spectrum, where a bearing defect shows at its defect
 * frequency (R. B. Randall and J. Antoni, "Rolling element bearing diagnostics — A tutorial", MSSP 25(2), 2011,
 * §3). The band is configured, or chosen per block by a kurtogram (see `kurtogram`).
 *
 * All filtering is done on FFT bins (ideal, brick-wall filters): one forward transform of the block, then inverse
 * transforms of only the band's bins, shifted to baseband. Shifting changes the analytic signal's phase, not its
 * modulus, and lets each band's complex envelope come out decimated to the band's width.
 */
import { FFT_CACHE_ENTRIES, hann, nextPowerOfTwo, transformOf, workArray } from '../lib/fft.ts';
import { LruCache } from '../lib/lru.ts';

/** A frequency band, Hz. */
export interface Band {
  lowHz: number;
  highHz: number;
}

/** One band of the kurtogram. */
export interface KurtogramBand extends Band {
  /** Level in Antoni's 1/3-binary tree: k for 2^k bands, k + 0.6 for 3·2^(k−1) bands. */
  level: number;
  /** Spectral kurtosis of the band's complex envelope c: E|c|⁴ / (E|c|²)² − 2 (0 for Gaussian noise). */
  kurtosis: number;
  /** Mean power per bin of the band over that of the whole block, dB (−Infinity for an empty band). */
  powerDb: number;
}

/** The band chosen for the envelope and how. */
export interface EnvelopeBand extends Band {
  chosenBy: 'configured' | 'kurtogram';
  /** The band's spectral kurtosis, when the kurtogram chose it. */
  kurtosis: number | null;
  level: number | null;
  /** The band's mean power per bin over the block's, dB, when the kurtogram chose it. */
  powerDb: number | null;
}

/** One-sided amplitude spectrum of a block's envelope. */
export interface EnvelopeSpectrum {
  band: EnvelopeBand;
  /** Frequency step between bins, Hz. */
  resolutionHz: number;
  /** Amplitude of each bin, in the block's unit: a tone a·cos(2πft) in the envelope shows as a at f. */
  amplitude: Float64Array;
}

export interface KurtogramOptions {
  /** Deepest level (default: the deepest whose bands are at least `minBandHz` and 16 bins wide, at most 8). */
  maxLevel?: number;
  /** Narrowest band, Hz (default 0). An envelope shows modulation up to about half its band's width. */
  minBandHz?: number;
  /**
   * Lowest band edge a chosen band may have, Hz (default 0): keeps the choice above the shaft orders, whose
   * beating would otherwise be read as modulation. Bands below it are still in the kurtogram.
   */
  minLowHz?: number;
  /**
   * Least mean power per bin of a chosen band over the block's, dB (default `NEGLIGIBLE_BAND_DB`, −60): quieter
   * bands hold only leakage. Such bands are still in the kurtogram.
   */
  minBandPowerDb?: number;
}

export interface EnvelopeOptions extends KurtogramOptions {
  /** The band to demodulate; chosen by the kurtogram when absent. */
  band?: Band;
}

/**
 * Default `minBandPowerDb`: a band whose mean power per bin lies further below the block's holds nothing but what
 * the block's strong lines leak into it through the taper (and rounding). That leakage comes from the block's
 * ends, so its kurtosis is large whatever the machine does: a noiseless tone at 3 kHz (12.8 kHz, 4 096 samples)
 * leaks −63 to −121 dB into the bands above it with kurtosis 11 to 132, and would win. The bands the kurtogram
 * picks on simulated machines lie at −2 to −28 dB (a severe imbalance's 1× raising the block's level most).
 */
export const NEGLIGIBLE_BAND_DB = -60;

// Bounded, as the transforms are (see lib/fft.ts): block lengths are the sender's choice.
const tukeys = new LruCache<number, Float64Array>(FFT_CACHE_ENTRIES);

/** The rising half of a Tukey window with α = 0.1 over `length` samples: 5 % of the block at each end. */
function tukeyEnds(length: number): Float64Array {
  return tukeys.getOrSet(length, () => {
    const m = Math.max(1, Math.floor(0.05 * length));
    const w = new Float64Array(m);
    for (let i = 0; i < m; i++) w[i] = 0.5 - 0.5 * Math.cos((Math.PI * i) / m);
    return w;
  });
}

/** A block's full complex spectrum (zero-padded to a power of two, mean removed), interleaved re, im. */
interface BlockSpectrum {
  n: number;
  size: number;
  rateHz: number;
  bins: number[];
}

/**
 * With `taper`, the block's ends are tapered (Tukey window, 5 % cosine at each end): a block is not periodic,
 * and the step between its ends would otherwise ring in every band and pass for an impact.
 */
function blockSpectrum(values: ArrayLike<number>, rateHz: number, taper: boolean): BlockSpectrum {
  checkBlock(values, rateHz);
  const n = values.length;
  const size = nextPowerOfTwo(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  const input = workArray(size, 0);
  for (let i = 0; i < n; i++) input[i] = values[i] - mean;
  input.fill(0, n);
  if (taper) {
    const w = tukeyEnds(n);
    for (let i = 0; i < w.length; i++) {
      input[i] *= w[i];
      input[n - 1 - i] *= w[i];
    }
  }
  const fft = transformOf(size);
  const bins = workArray(2 * size, 1);
  fft.realTransform(bins, input);
  return { n, size, rateHz, bins };
}

/**
 * The complex envelope of bins [first, last) (positive frequencies), shifted to baseband and decimated to
 * `length` (a power of two ≥ last − first) samples covering the whole padded block, interleaved re, im; with
 * `scaled`, so that its modulus is the analytic signal's (2 X_k / size per positive bin), else off by a constant
 * factor (enough for a kurtosis). Only the first ⌊n·length/size⌋ samples hold the block; the rest is padding.
 * The result is a work buffer: valid until the next call.
 */
function bandSignal(s: BlockSpectrum, first: number, last: number, length: number, scaled = true): number[] {
  const fft = transformOf(length);
  // Buffers 2 and 3: apart from the block's input and bins (0 and 1), whatever `length` is.
  const input = workArray(2 * length, 2);
  const width = 2 * (last - first);
  for (let i = 0; i < width; i++) input[i] = s.bins[2 * first + i];
  input.fill(0, width);
  const out = workArray(2 * length, 3);
  fft.inverseTransform(out, input);
  if (scaled) {
    // inverseTransform divides by `length`; the analytic signal needs 2 / size.
    const scale = (2 * length) / s.size;
    for (let i = 0; i < out.length; i++) out[i] *= scale;
  }
  return out;
}

function binRange(s: BlockSpectrum, band: Band): [number, number] {
  const resolution = s.rateHz / s.size;
  const first = Math.max(1, Math.ceil(band.lowHz / resolution));
  const last = Math.min(s.size / 2, Math.floor(band.highHz / resolution) + 1);
  return [first, last];
}

/**
 * The kurtogram of `values` sampled at `rateHz`: the spectral kurtosis of the block's complex envelope in each
 * band of a 1/3-binary tree over [0, rateHz/2] — level k splits it into 2^k equal bands, level k + 0.6 into
 * 3·2^(k−1) — as in J. Antoni, "Fast computation of the kurtogram for the detection of transient faults", MSSP
 * 21(1), 2007, pp. 108–124. A simplification of Antoni's fast kurtogram: the same tree of bands and the same
 * kurtosis of the complex envelope, but each band is cut from the block's FFT with ideal rectangular edges and
 * brought back by an inverse FFT of its bins alone (decimated to its width), instead of his cascade of
 * quasi-analytic FIR filters and decimators. The result is the same map, with sharper band edges, at a cost of
 * about one FFT of half the block per level.
 * @returns every band's kurtosis, levels in ascending order.
 * @throws RangeError naming `values`, `rateHz`, `maxLevel` or `minBandHz` when out of range.
 */
export function kurtogram(
  values: ArrayLike<number>,
  rateHz: number,
  options: KurtogramOptions = {},
): KurtogramBand[] {
  return bandsOf(blockSpectrum(values, rateHz, true), options);
}

/** The kurtogram's bands; those starting below `skipBelowHz` are left out (not computed). */
function bandsOf(s: BlockSpectrum, options: KurtogramOptions, skipBelowHz = 0): KurtogramBand[] {
  const { minBandHz = 0 } = options;
  if (typeof minBandHz !== 'number' || !(minBandHz >= 0 && minBandHz <= s.rateHz / 2)) {
    throw new RangeError(
      `minBandHz: expected a width from 0 to rateHz / 2 (${s.rateHz / 2} Hz), got ${minBandHz}`,
    );
  }
  const half = s.size / 2;
  const nyquist = s.rateHz / 2;
  const deepest = (bands: number) => nyquist / bands >= minBandHz && half / bands >= 16;
  let maxLevel = options.maxLevel;
  if (maxLevel === undefined) {
    maxLevel = 0;
    while (maxLevel < 8 && deepest(2 ** (maxLevel + 1))) maxLevel++;
  } else if (!Number.isInteger(maxLevel) || maxLevel < 0 || maxLevel > 12) {
    throw new RangeError(`maxLevel: expected a whole number from 0 to 12, got ${maxLevel}`);
  }
  const rows: [number, number][] = [[0, 1]];
  for (let k = 1; k <= maxLevel; k++) {
    rows.push([k, 2 ** k]);
    // Level k + 0.6 lies between k and k + 1: within an asked maxLevel only below it; when the depth follows
    // from minBandHz, as deep as its bands are wide enough.
    if (k < maxLevel || (options.maxLevel === undefined && deepest(3 * 2 ** (k - 1)))) {
      rows.push([k + 0.6, 3 * 2 ** (k - 1)]);
    }
  }
  // Cumulative power of the bins, for each band's mean power per bin.
  const cumulative = new Float64Array(half + 2);
  for (let k = 1; k <= half; k++) {
    const re = s.bins[2 * k];
    const im = s.bins[2 * k + 1];
    cumulative[k + 1] = cumulative[k] + re * re + im * im;
  }
  const blockPower = cumulative[half + 1] / half;
  const result: KurtogramBand[] = [];
  for (const [level, count] of rows) {
    if (!deepest(count) && level > 0) continue;
    for (let b = 0; b < count; b++) {
      const first = Math.max(1, Math.round((b * half) / count));
      const last = Math.round(((b + 1) * half) / count);
      if (last - first < 2 || (b * nyquist) / count < skipBelowHz) continue;
      result.push({
        level,
        lowHz: (b * nyquist) / count,
        highHz: ((b + 1) * nyquist) / count,
        kurtosis: bandKurtosis(s, first, last),
        powerDb: 10 * Math.log10((cumulative[last] - cumulative[first]) / (last - first) / blockPower),
      });
    }
  }
  return result;
}

function bandKurtosis(s: BlockSpectrum, first: number, last: number): number {
  const length = nextPowerOfTwo(last - first);
  // The kurtosis does not depend on the signal's scale.
  const c = bandSignal(s, first, last, length, false);
  const used = Math.floor((s.n * length) / s.size);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < used; i++) {
    const p = c[2 * i] * c[2 * i] + c[2 * i + 1] * c[2 * i + 1];
    m2 += p;
    m4 += p * p;
  }
  if (!(m2 > 0)) return 0;
  m2 /= used;
  m4 /= used;
  return m4 / (m2 * m2) - 2;
}

/**
 * The Hilbert envelope |x + i·H(x)| of `values` band-passed to `band` (whole spectrum when absent), at the
 * block's rate and length. The analytic signal is made through the FFT: positive-frequency bins doubled, negative
 * ones zeroed (S. L. Marple, "Computing the discrete-time analytic signal via FFT", IEEE Transactions on Signal
 * Processing 47(9), 1999, pp. 2600–2603). The block is taken as periodic: a few samples at each end are off when
 * it is not.
 * @throws RangeError naming `values`, `rateHz` or `band`.
 */
export function hilbertEnvelope(values: ArrayLike<number>, rateHz: number, band?: Band): Float64Array {
  const s = blockSpectrum(values, rateHz, false);
  const [first, last] = binRange(s, band ? checkBand(band, rateHz) : { lowHz: 0, highHz: rateHz / 2 });
  // Full length; the band shifted by `first` bins changes only the phase.
  const c = bandSignal(s, first, last, s.size);
  const envelope = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) envelope[i] = Math.sqrt(c[2 * i] * c[2 * i] + c[2 * i + 1] * c[2 * i + 1]);
  return envelope;
}

/**
 * The envelope spectrum of `values` sampled at `rateHz`: band-pass to `options.band`, or to the band of highest
 * spectral kurtosis (`kurtogram`) no narrower than `options.minBandHz` and not quieter than
 * `options.minBandPowerDb` (see `NEGLIGIBLE_BAND_DB`); the analytic signal's modulus, decimated
 * to twice the band's width; its one-sided amplitude spectrum (mean removed, Hann window, divided by the
 * window's sum so that a tone's amplitude reads as itself on its bin). Bins are rateHz / size apart, size being
 * the block length rounded up to a power of two; the spectrum reaches about the band's width.
 * @throws RangeError naming `values`, `rateHz`, `band`, `maxLevel`, `minBandHz`, `minLowHz` or `minBandPowerDb`.
 */
export function envelopeSpectrum(
  values: ArrayLike<number>,
  rateHz: number,
  options: EnvelopeOptions = {},
): EnvelopeSpectrum {
  const s = blockSpectrum(values, rateHz, true);
  let band: EnvelopeBand;
  if (options.band) {
    band = {
      ...checkBand(options.band, rateHz),
      chosenBy: 'configured',
      kurtosis: null,
      level: null,
      powerDb: null,
    };
  } else {
    const { minLowHz = 0, minBandPowerDb = NEGLIGIBLE_BAND_DB } = options;
    if (typeof minBandPowerDb !== 'number' || Number.isNaN(minBandPowerDb)) {
      throw new RangeError(`minBandPowerDb: expected a level in dB, got ${minBandPowerDb}`);
    }
    if (typeof minLowHz !== 'number' || !(minLowHz >= 0 && minLowHz < rateHz / 2)) {
      throw new RangeError(
        `minLowHz: expected a frequency from 0 to below rateHz / 2 (${rateHz / 2} Hz), got ${minLowHz}`,
      );
    }
    let best: KurtogramBand | null = null;
    for (const b of bandsOf(s, options, minLowHz)) {
      if (b.powerDb >= minBandPowerDb && (!best || b.kurtosis > best.kurtosis)) best = b;
    }
    band = best
      ? {
          lowHz: best.lowHz,
          highHz: best.highHz,
          chosenBy: 'kurtogram',
          kurtosis: best.kurtosis,
          level: best.level,
          powerDb: best.powerDb,
        }
      : // No band of the tree starts high enough: the band from minLowHz to the Nyquist frequency.
        {
          lowHz: minLowHz,
          highHz: rateHz / 2,
          chosenBy: 'kurtogram',
          kurtosis: null,
          level: null,
          powerDb: null,
        };
  }
  const [first, last] = binRange(s, band);
  // |c|² of a band B bins wide spans ±B bins: 2B samples hold it; |c| spreads a little wider, into the few
  // bins the envelope features never look at.
  const length = Math.min(s.size, nextPowerOfTwo(2 * Math.max(1, last - first)));
  const c = bandSignal(s, first, last, length);
  const used = Math.max(2, Math.floor((s.n * length) / s.size));
  const envelope = new Float64Array(used);
  let mean = 0;
  for (let i = 0; i < used; i++) {
    envelope[i] = Math.sqrt(c[2 * i] * c[2 * i] + c[2 * i + 1] * c[2 * i + 1]);
    mean += envelope[i];
  }
  mean /= used;
  const window = hann(used);
  const fft = transformOf(length);
  const input = workArray(length, 2);
  let windowSum = 0;
  for (let i = 0; i < used; i++) {
    input[i] = (envelope[i] - mean) * window[i];
    windowSum += window[i];
  }
  input.fill(0, used);
  const out = workArray(2 * length, 4);
  fft.realTransform(out, input);
  const amplitude = new Float64Array(length / 2 + 1);
  for (let k = 1; k < amplitude.length; k++) {
    amplitude[k] = (2 * Math.sqrt(out[2 * k] * out[2 * k] + out[2 * k + 1] * out[2 * k + 1])) / windowSum;
  }
  return { band, resolutionHz: rateHz / s.size, amplitude };
}

function checkBlock(values: ArrayLike<number>, rateHz: number): void {
  if (typeof rateHz !== 'number' || !(rateHz > 0 && Number.isFinite(rateHz))) {
    throw new RangeError(`rateHz: expected a sample rate above 0 Hz, got ${rateHz}`);
  }
  const n = values?.length;
  if (typeof n !== 'number' || n < 64)
    throw new RangeError('values: expected a block of at least 64 samples');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]))
      throw new RangeError(`values: sample ${i} is ${values[i]}, not a finite number`);
  }
}

function checkBand(band: Band, rateHz: number): Band {
  const { lowHz, highHz } = band ?? ({} as Band);
  if (typeof lowHz !== 'number' || !(lowHz >= 0 && Number.isFinite(lowHz))) {
    throw new RangeError(`band.lowHz: expected a frequency ≥ 0 Hz, got ${lowHz}`);
  }
  if (typeof highHz !== 'number' || !(highHz > lowHz && highHz <= rateHz / 2)) {
    throw new RangeError(
      `band.highHz: expected a frequency above band.lowHz (${lowHz} Hz) and at most rateHz / 2 (${rateHz / 2} Hz), got ${highHz}`,
    );
  }
  return { lowHz, highHz };
}
