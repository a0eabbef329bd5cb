/**
 * Envelope features of a bearing: the envelope spectrum's amplitude at each defect frequency and its first
 * harmonics, and at the inner race's shaft sidebands, each against the spectrum's local noise floor.
 */

import type { DefectFrequencies } from './bearings.ts';
import type { EnvelopeSpectrum } from './envelope.ts';
import { upperMedian } from './median.ts';

/** The defects an envelope spectrum can show; `rollingElement` is looked for at 2 × BSF. */
export type BearingDefect = 'bpfo' | 'bpfi' | 'rollingElement' | 'ftf';
export const BEARING_DEFECTS: readonly BearingDefect[] = ['bpfo', 'bpfi', 'rollingElement', 'ftf'];
/** How messages name each defect frequency. */
export const DEFECT_LABELS: Readonly<Record<BearingDefect, string>> = {
  bpfo: 'BPFO',
  bpfi: 'BPFI',
  rollingElement: '2×BSF',
  ftf: 'FTF',
};

/**
 * Fewest bins between a peak's search window and a neighbouring line (DC for a fundamental, the BPFI harmonic for
 * its sidebands): the half-width of a Hann main lobe. Closer, the bin read may be the neighbour's own.
 */
export const MAIN_LOBE_BINS = 2;

/** A peak looked for in the envelope spectrum. Frequencies in Hz, amplitudes in the block's unit. */
export interface EnvelopePeak {
  /** Where it should be. */
  expectedHz: number;
  /** The largest bin within the tolerance, refined between bins. */
  foundHz: number;
  amplitude: number;
  /** Median amplitude of the neighbourhood, the peak's own bins left out. */
  floor: number;
  /** 20 log10(amplitude / floor). */
  dbAboveFloor: number;
}

/** Evidence of one defect: its harmonics 1×, 2×, … and, for BPFI, each harmonic's ±1× shaft sidebands. */
export interface DefectFeature {
  defect: BearingDefect;
  /** The defect frequency at the running speed, Hz. */
  expectedHz: number;
  /** Harmonics from 1×, as many as asked that the spectrum reaches. */
  harmonics: EnvelopePeak[];
  /** For BPFI: [lower, upper] sidebands of each harmonic, at h·BPFI ∓ shaftHz. */
  sidebands?: [EnvelopePeak, EnvelopePeak][];
  /**
   * Why the spectrum cannot show the defect (its fundamental too close to DC for the resolution, or beyond the
   * band's reach; `harmonics` then empty) or, for BPFI, its sidebands (too close to the harmonics they flank).
   */
  declined?: string;
}

export interface EnvelopeFeatureOptions {
  /** Relative tolerance on a defect frequency, for slip (default 0.02, Randall & Antoni 2011 §2: 1–2 %). */
  tolerance?: number;
  /** Harmonics of each defect frequency (default 3). */
  harmonics?: number;
  /** Half-width of the neighbourhood the floor is the median of, in bins (default 40). */
  floorHalfWidthBins?: number;
}

/**
 * Envelope features of one bearing: for each defect (BPFO, BPFI, 2 × BSF, FTF of `frequencies`, in Hz at the
 * running speed `shaftHz`), the peak at each harmonic h = 1…`harmonics` within h·f·(1 ± tolerance) (at least ±1
 * bin), and for BPFI the peaks at h·BPFI ± shaftHz within the same tolerance. Each peak is rated against the
 * median amplitude of the `floorHalfWidthBins` bins each side, the peak's search window and a bin either side of
 * it left out (the median ignores a few other peaks in the neighbourhood).
 *
 * Only what the spectrum resolves is looked at; `declined` says what is not. A defect whose search window comes
 * within `MAIN_LOBE_BINS` of DC, or reaches beyond the band's width (an envelope shows modulation up to about the
 * width of the band demodulated), has no harmonics; harmonics stop at the band's width; BPFI sidebands stop at
 * the first harmonic whose search window comes within `MAIN_LOBE_BINS` of the harmonic itself.
 * @throws RangeError naming `shaftHz`, `tolerance`, `harmonics` or `floorHalfWidthBins` when out of range.
 */
export function envelopeFeatures(
  spectrum: EnvelopeSpectrum,
  frequencies: DefectFrequencies,
  shaftHz: number,
  options: EnvelopeFeatureOptions = {},
): DefectFeature[] {
  const { tolerance = 0.02, harmonics = 3, floorHalfWidthBins = 40 } = options;
  if (typeof shaftHz !== 'number' || !(shaftHz > 0 && Number.isFinite(shaftHz))) {
    throw new RangeError(`shaftHz: expected a running speed above 0 Hz, got ${shaftHz}`);
  }
  if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance < 0.5)) {
    throw new RangeError(`tolerance: expected a fraction from 0 to below 0.5, got ${tolerance}`);
  }
  if (!Number.isInteger(harmonics) || harmonics < 1 || harmonics > 20) {
    throw new RangeError(`harmonics: expected a whole number from 1 to 20, got ${harmonics}`);
  }
  if (!Number.isInteger(floorHalfWidthBins) || floorHalfWidthBins < 4) {
    throw new RangeError(`floorHalfWidthBins: expected a whole number ≥ 4, got ${floorHalfWidthBins}`);
  }
  const expected: Record<BearingDefect, number> = {
    bpfo: frequencies.bpfo,
    bpfi: frequencies.bpfi,
    rollingElement: 2 * frequencies.bsf,
    ftf: frequencies.ftf,
  };
  const { resolutionHz, band } = spectrum;
  const reachHz = band.highHz - band.lowHz;
  // Search half-width in bins, as `peakAt` takes it.
  const window = (hz: number) => Math.max(1, (hz * tolerance) / resolutionHz);
  const look = (hz: number, halfWidthHz: number) =>
    hz + Math.max(halfWidthHz, resolutionHz) > reachHz
      ? null
      : peakAt(spectrum, hz, halfWidthHz, floorHalfWidthBins);
  const hz = (v: number) => `${v.toPrecision(4)} Hz`;
  return BEARING_DEFECTS.map((defect) => {
    const f = expected[defect];
    const feature: DefectFeature = { defect, expectedHz: f, harmonics: [] };
    const label = DEFECT_LABELS[defect];
    const needed = window(f) + MAIN_LOBE_BINS;
    if (f / resolutionHz < needed) {
      feature.declined = `${label} (${hz(f)}) lies ${(f / resolutionHz).toFixed(1)} bins of ${resolutionHz} Hz from DC, ${needed.toFixed(1)} needed`;
      if (defect === 'bpfi') feature.sidebands = [];
      return feature;
    }
    if (f + Math.max(f * tolerance, resolutionHz) > reachHz) {
      feature.declined = `${label} (${hz(f)}) lies beyond what the envelope of the ${hz(band.lowHz)}–${hz(band.highHz)} band shows (up to ${hz(reachHz)})`;
      if (defect === 'bpfi') feature.sidebands = [];
      return feature;
    }
    for (let h = 1; h <= harmonics; h++) {
      const peak = look(h * f, h * f * tolerance);
      if (!peak) break;
      feature.harmonics.push(peak);
    }
    if (defect === 'bpfi') {
      feature.sidebands = [];
      for (let h = 1; h <= feature.harmonics.length; h++) {
        const sidebandNeeded = window(h * f) + MAIN_LOBE_BINS;
        if (shaftHz / resolutionHz < sidebandNeeded) {
          if (h === 1) {
            feature.declined = `BPFI sidebands unresolved: ±1× (${hz(shaftHz)}) is ${(shaftHz / resolutionHz).toFixed(1)} bins of ${resolutionHz} Hz, ${sidebandNeeded.toFixed(1)} needed`;
          }
          break;
        }
        const lower = look(h * f - shaftHz, h * f * tolerance);
        const upper = look(h * f + shaftHz, h * f * tolerance);
        if (!lower || !upper) break;
        feature.sidebands.push([lower, upper]);
      }
    }
    return feature;
  });
}

/**
 * The largest bin of `spectrum` within `hz` ± `halfWidthHz` (at least ±1 bin), rated against its neighbourhood;
 * null when the window leaves the spectrum.
 */
export function peakAt(
  spectrum: EnvelopeSpectrum,
  hz: number,
  halfWidthHz: number,
  floorHalfWidthBins = 40,
): EnvelopePeak | null {
  const { amplitude, resolutionHz } = spectrum;
  const halfBins = Math.max(1, halfWidthHz / resolutionHz);
  const first = Math.max(1, Math.ceil(hz / resolutionHz - halfBins));
  const last = Math.floor(hz / resolutionHz + halfBins);
  if (!(hz > 0) || last >= amplitude.length - 1 || last < first) return null;
  let best = first;
  for (let k = first + 1; k <= last; k++) if (amplitude[k] > amplitude[best]) best = k;
  // Neighbourhood: up to floorHalfWidthBins each side, without the search window and one bin around it.
  const start = Math.max(1, first - 1 - floorHalfWidthBins);
  const end = Math.min(amplitude.length, last + 2 + floorHalfWidthBins);
  const room = Math.max(0, first - 1 - start) + Math.max(0, end - last - 2);
  if (scratch.length < room) scratch = new Float64Array(2 * room);
  let count = 0;
  for (let k = start; k < first - 1; k++) scratch[count++] = amplitude[k];
  for (let k = last + 2; k < end; k++) scratch[count++] = amplitude[k];
  const floor = count ? upperMedian(scratch, count) : 0;
  const value = amplitude[best];
  return {
    expectedHz: hz,
    foundHz: refine(amplitude, best) * resolutionHz,
    amplitude: value,
    floor,
    dbAboveFloor: floor > 0 ? 20 * Math.log10(value / floor) : value > 0 ? Number.POSITIVE_INFINITY : 0,
  };
}

/** Reused by every `peakAt` call: the neighbourhood is copied here and partly reordered. */
let scratch = new Float64Array(128);

/** Bin position of a peak refined by a parabola through the peak bin and its neighbours. */
function refine(a: Float64Array, k: number): number {
  if (k <= 0 || k >= a.length - 1) return k;
  const curvature = a[k - 1] - 2 * a[k] + a[k + 1];
  if (!(curvature < 0)) return k;
  return k + Math.max(-0.5, Math.min(0.5, (0.5 * (a[k - 1] - a[k + 1])) / curvature));
}
