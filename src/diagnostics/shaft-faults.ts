/**
 * Shaft faults from the running-speed orders of the acceleration spectrum: imbalance (1× dominant), misalignment
 * (2× high against 1×, strong axially), mechanical looseness (many harmonics and half orders). The fault–symptom
 * table is the trade's (ISO 13373-3:2015, "Condition monitoring and diagnostics of machines — Vibration condition
 * monitoring — Part 3: Guidelines for vibration diagnosis", its tables of symptoms by fault); the thresholds below
 * are MANTIS's defaults, set on simulated machines (src/simulator/vibration-faults.ts) and configurable.
 */

import type { PowerSpectrum } from '../pipeline/spectrum.ts';
import { upperMedian } from './median.ts';

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

/** Harmonics and half orders looked at for looseness. */
const MAX_ORDER = 10;
/** An order counts for looseness when it stands this far above its floor and is at least a tenth of 1×. */
const SIGNIFICANT_DB = 10;
const SIGNIFICANT_OF_1X = 0.1;

/**
 * Orders 0.5×, 1×, 1.5×, …, 10× of `shaftHz` in `spectrum` (Hann-windowed power spectrum, see `powerSpectrum`):
 * for each, the strongest bin within ±max(1 bin, tolerance × f), and the tone's amplitude √(2 P) from the power
 * P of that bin and its two neighbours (most of a Hann main lobe: all of an on-bin tone's power, 85 % at worst
 * half-way between bins), against the median power of the whole spectrum. Orders above the spectrum's range are
 * left out.
 */
export function orderPeaks(spectrum: PowerSpectrum, shaftHz: number, tolerance = 0.02): OrderPeak[] {
  const { power, resolutionHz } = spectrum;
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
 * place, adds the axial/radial ratio to misalignment's evidence. Rules:
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
  // R.m.s. velocity of an order of amplitude a (block unit), a tone at order × shaftHz, in mm/s.
  const velocity = (o: OrderPeak | undefined) =>
    o ? ((o.amplitude * unitToMs2) / Math.SQRT2 / (2 * Math.PI * o.order * shaftHz)) * 1000 : 0;
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
