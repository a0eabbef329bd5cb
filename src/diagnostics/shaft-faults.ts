/**
 * Shaft faults from the running-speed orders of the acceleration spectrum: imbalance (1× dominant), misalignment
 * (2× high against 1×, strong axially), mechanical looseness (many harmonics and half orders). The fault–symptom
 * table is the trade's (ISO 13373-3:2015, "Condition monitoring and diagnostics of machines — Vibration condition
 * monitoring — Part 3: Guidelines for vibration diagnosis", its tables of symptoms by fault); the thresholds below
 * are MANTIS's defaults, set on simulated machines (src/simulator/vibration-faults.ts) and configurable.
 */

import type { PowerSpectrum } from '../pipeline/spectrum.ts';
import { upperMedian } from './median.ts';
import { ISO_20816_3_BAND_HZ } from './severity.ts';

/** One running-speed order of the spectrum. */
export interface OrderPeak {
  /** Multiple of the running speed: 0.5, 1, 1.5, 2, … */
  order: number;
  /** Frequency of the strongest bin near it, refined between bins, Hz. */
  hz: number;
  /** Amplitude of the tone (peak, not r.m.s.), in the block's unit, from the power of the peak's bins. */
  amplitude: number;
  /** Power of the peak over the median power of its neighbourhood, dB. */
  dbAboveFloor: number;
}

/** A shaft-fault diagnosis before it is worded: the fault, a confidence 0..1 and the numbers behind it. */
export interface ShaftFinding {
  fault: 'imbalance' | 'misalignment' | 'looseness';
  confidence: number;
  evidence: Record<string, number>;
}

export interface ShaftFaultOptions {
  /** Relative tolerance on an order's frequency (default 0.02). */
  tolerance?: number;
  /**
   * R.m.s. velocity of the shaft orders (1× and 2×) from which imbalance or misalignment is named, mm/s (default
   * 2.8: the B/C zone boundary of ISO 20816-3 for group 2 machines on rigid foundations, below which a machine
   * may run without restriction).
   */
  minOrderVelocityMmPerS?: number;
}

/**
 * Fewest bins between an order and the neighbouring lines it is compared with (DC and the orders a whole or a half
 * order away), for a search window of ±1 bin; a wider window w needs w + 3. An order's reading takes the strongest
 * bin within ±w and one bin each side of it, so reaches w + 1 bins from the order; a Hann-windowed tone's main
 * lobe reaches 2 bins from its frequency. From w + 3 bins apart every bin read lies outside the neighbour's main
 * lobe, where the side lobes are at most −31.5 dB (F. J. Harris, "On the use of windows for harmonic analysis with
 * the discrete Fourier transform", Proceedings of the IEEE 66(1), 1978, Table I): under 5 % of the neighbour's
 * amplitude over the three bins, below the tenth of 1× that makes an order count. Closer, a half order picks up
 * 1×'s own peak.
 */
export const MIN_ORDER_SEPARATION_BINS = 4;

/** Harmonics and half orders looked at for looseness. */
const MAX_ORDER = 10;
/** An order counts for looseness when it stands this far above its floor and is at least a tenth of 1×. */
const SIGNIFICANT_DB = 10;
const SIGNIFICANT_OF_1X = 0.1;

/**
 * Whether `order` of a shaft turning `shaftBins` bins of the spectrum is resolved from the lines `step` orders
 * away (1 for a whole order, 0.5 for a half order): at least `MIN_ORDER_SEPARATION_BINS` − 1 bins beyond its
 * search window of ±max(1, tolerance × order × shaftBins) bins.
 */
export function orderResolved(order: number, step: number, shaftBins: number, tolerance = 0.02): boolean {
  const window = Math.max(1, tolerance * order * shaftBins);
  return step * shaftBins >= window + MIN_ORDER_SEPARATION_BINS - 1;
}

/**
 * Why the orders of `shaftHz` cannot all be read from `spectrum`: `shaft` when the whole orders (1× from DC and
 * 2×) are not resolved or 2× lies beyond the spectrum, so no shaft fault can be judged; `halfOrders` when 0.5× is
 * not resolved from DC and 1×, so looseness rests on the harmonics alone. Absent when resolved.
 */
export function unresolvedOrders(
  spectrum: Pick<PowerSpectrum, 'rateHz' | 'resolutionHz'>,
  shaftHz: number,
  tolerance = 0.02,
): { shaft?: string; halfOrders?: string } {
  const { rateHz, resolutionHz } = spectrum;
  const shaftBins = shaftHz / resolutionHz;
  // orderPeaks reads an order only with its search window and two bins more below the Nyquist frequency.
  if (2 * shaftHz * (1 + tolerance) + 3 * resolutionHz >= rateHz / 2) {
    return {
      shaft: `shaft orders beyond the spectrum: 2× (${(2 * shaftHz).toPrecision(4)} Hz) lies at or above the Nyquist frequency of a block sampled at ${rateHz} Hz (${rateHz / 2} Hz)`,
    };
  }
  const apart = (step: number) =>
    `${(step * shaftBins).toFixed(1)} bins of ${resolutionHz} Hz apart, ${MIN_ORDER_SEPARATION_BINS} needed`;
  if (!orderResolved(1, 1, shaftBins, tolerance)) {
    return {
      shaft: `shaft orders unresolved: 1× (${shaftHz.toPrecision(3)} Hz), DC and 2× lie ${apart(1)} (a shaft of at least ${(MIN_ORDER_SEPARATION_BINS * resolutionHz).toPrecision(3)} Hz, or a longer block)`,
    };
  }
  if (!orderResolved(0.5, 0.5, shaftBins, tolerance)) {
    return {
      halfOrders: `half orders unresolved: 0.5× (${(shaftHz / 2).toPrecision(3)} Hz) and 1× lie ${apart(0.5)}; looseness judged on harmonics alone`,
    };
  }
  return {};
}

/**
 * Orders 0.5×, 1×, 1.5×, …, 10× of `shaftHz` in `spectrum` (Hann-windowed power spectrum, see `powerSpectrum`):
 * for each, the strongest bin within ±max(1 bin, tolerance × f), and the tone's amplitude √(2 P) from the power
 * P of that bin and its two neighbours (most of a Hann main lobe: all of an on-bin tone's power, 85 % at worst
 * half-way between bins), against the median power of the whole spectrum. Orders above the spectrum's range are
 * left out, and so are those the spectrum does not resolve from their neighbours (see `orderResolved`): a half
 * order too close to the whole orders beside it would read their peaks.
 */
export function orderPeaks(spectrum: PowerSpectrum, shaftHz: number, tolerance = 0.02): OrderPeak[] {
  const { power, resolutionHz } = spectrum;
  const shaftBins = shaftHz / resolutionHz;
  if (!orderResolved(1, 1, shaftBins, tolerance)) return [];
  // The broadband floor: orders crowd the low end of the spectrum (a loose machine's every half order), so the
  // median of the whole spectrum, mostly noise, is the floor they stand above.
  // Upper median of the bins above DC, in linear expected time (sorting 2 049 bins took a third of it).
  const floor = upperMedian(Float64Array.from(power.subarray(1)), power.length - 1);
  const peaks: OrderPeak[] = [];
  for (let order = 0.5; order <= MAX_ORDER; order += 0.5) {
    const centre = (order * shaftHz) / resolutionHz;
    const half = Math.max(1, centre * tolerance);
    const first = Math.max(1, Math.ceil(centre - half));
    const last = Math.floor(centre + half);
    if (last + 2 >= power.length) break;
    if (!orderResolved(order, Number.isInteger(order) ? 1 : 0.5, shaftBins, tolerance)) continue;
    let best = first;
    for (let k = first + 1; k <= last; k++) if (power[k] > power[best]) best = k;
    let p = 0;
    for (let k = Math.max(1, best - 1); k <= best + 1; k++) p += power[k];
    peaks.push({
      order,
      hz: refined(power, best) * resolutionHz,
      amplitude: Math.sqrt(2 * p),
      dbAboveFloor: floor > 0 ? 10 * Math.log10(power[best] / floor) : Number.POSITIVE_INFINITY,
    });
  }
  return peaks;
}

/**
 * Imbalance, misalignment and looseness findings from `orders` (see `orderPeaks`) at `shaftHz`, the block's
 * samples being `unitToMs2` m/s² per unit. `axialOrders`, the orders of an axial accelerometer at the same
 * place, adds the axial/radial ratio to misalignment's evidence. Velocities count only the orders within
 * `velocityBandHz` (default ISO 20816-3's 10–1000 Hz), as the severity does: an order outside adds nothing, and
 * an order missing from `orders` (unresolved) is no evidence. Rules:
 * - imbalance: 1× velocity ≥ `minOrderVelocityMmPerS` and 1× at least 3 times every other order;
 * - misalignment: 2× ≥ half of 1× (≥ 1× when looseness is found), and the 1×–2× velocity ≥
 *   `minOrderVelocityMmPerS`; an axial 1× or 2× at least half the radial raises the confidence, one below 0.3 of
 *   it lowers it;
 * - looseness: at least 3 of the harmonics 3×…10×, or 2 half orders, standing 10 dB above their floor and at
 *   least a tenth of 1×.
 */
export function shaftFindings(
  orders: OrderPeak[],
  shaftHz: number,
  unitToMs2: number,
  axialOrders: OrderPeak[] | null,
  options: ShaftFaultOptions = {},
  velocityBandHz: readonly [number, number] = ISO_20816_3_BAND_HZ,
): ShaftFinding[] {
  const { minOrderVelocityMmPerS = 2.8 } = options;
  if (typeof minOrderVelocityMmPerS !== 'number' || !(minOrderVelocityMmPerS > 0)) {
    throw new RangeError(
      `minOrderVelocityMmPerS: expected a velocity above 0 mm/s, got ${minOrderVelocityMmPerS}`,
    );
  }
  const at = (list: OrderPeak[], order: number) => list.find((o) => o.order === order);
  const one = at(orders, 1);
  if (!one) return [];
  const two = at(orders, 2);
  // R.m.s. velocity of an order of amplitude a (block unit), a tone at order × shaftHz, in mm/s; 0 outside the band.
  const [lowHz, highHz] = velocityBandHz;
  const velocity = (o: OrderPeak | undefined) => {
    const hz = o ? o.order * shaftHz : 0;
    if (!o || hz < lowHz || hz > highHz) return 0;
    return ((o.amplitude * unitToMs2) / Math.SQRT2 / (2 * Math.PI * hz)) * 1000;
  };
  const v1 = velocity(one);
  const v2 = velocity(two);
  const findings: ShaftFinding[] = [];

  const significant = (o: OrderPeak) =>
    o.dbAboveFloor >= SIGNIFICANT_DB && o.amplitude >= SIGNIFICANT_OF_1X * one.amplitude;
  const harmonics = orders.filter((o) => Number.isInteger(o.order) && o.order >= 3 && significant(o)).length;
  const halfOrders = orders.filter((o) => !Number.isInteger(o.order) && significant(o)).length;
  const loose = harmonics >= 3 || halfOrders >= 2;

  const others = orders.filter((o) => o.order !== 1);
  const largestOther = Math.max(...others.map((o) => o.amplitude), Number.MIN_VALUE);
  const dominance = one.amplitude / largestOther;
  if (v1 >= minOrderVelocityMmPerS && dominance >= 3) {
    const confidence = clamp(
      0.5 + 0.25 * Math.log2(v1 / minOrderVelocityMmPerS) + 0.1 * Math.log2(dominance / 3),
    );
    findings.push({
      fault: 'imbalance',
      confidence,
      evidence: { shaftHz, hz1x: one.hz, amplitude1x: one.amplitude, velocity1xMmPerS: v1, dominance },
    });
  }

  const ratio2x = two ? two.amplitude / one.amplitude : 0;
  const vOrders = Math.hypot(v1, v2);
  // A loose machine's 2× belongs to its series of harmonics: misalignment then needs a 2× above the 1×.
  if (two && ratio2x >= (loose ? 1 : 0.5) && vOrders >= minOrderVelocityMmPerS) {
    let confidence =
      0.4 + 0.3 * Math.min(1, ratio2x - 0.5) + 0.2 * Math.log2(vOrders / minOrderVelocityMmPerS);
    const evidence: Record<string, number> = {
      shaftHz,
      hz1x: one.hz,
      hz2x: two.hz,
      amplitude1x: one.amplitude,
      amplitude2x: two.amplitude,
      ratio2xTo1x: ratio2x,
      velocityMmPerS: vOrders,
    };
    if (axialOrders) {
      const axial = Math.max(at(axialOrders, 1)?.amplitude ?? 0, at(axialOrders, 2)?.amplitude ?? 0);
      const axialRatio = axial / Math.max(one.amplitude, two.amplitude);
      evidence.axialToRadial = axialRatio;
      if (axialRatio >= 0.5) confidence += 0.2;
      else if (axialRatio < 0.3) confidence *= 0.6;
    }
    findings.push({ fault: 'misalignment', confidence: clamp(confidence), evidence });
  }

  if (loose) {
    findings.push({
      fault: 'looseness',
      confidence: clamp(0.3 + 0.08 * harmonics + 0.06 * halfOrders),
      evidence: { shaftHz, harmonics, halfOrders, amplitude1x: one.amplitude },
    });
  }
  return findings;
}

const clamp = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * Bin position of the peak at `k`, refined by a parabola through the logarithms of its power and its
 * neighbours' (Gaussian interpolation; M. Gasior and J. L. Gonzalez, AIP Conference Proceedings 732, 2004,
 * pp. 276–285), as speed.ts's spectralPeak does.
 */
function refined(power: Float64Array, k: number): number {
  if (k < 1 || k >= power.length - 1 || !(power[k] > 0)) return k;
  const a = Math.log(power[k - 1] || Number.MIN_VALUE);
  const b = Math.log(power[k]);
  const c = Math.log(power[k + 1] || Number.MIN_VALUE);
  const curvature = a - 2 * b + c;
  return curvature < 0 ? k + Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / curvature)) : k;
}
