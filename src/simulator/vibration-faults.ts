/**
 * Acceleration blocks of a rotating machine with one named fault, modelled as vibration analysts model them.
 *
 * Bearing faults (R. B. Randall and J. Antoni, "Rolling element bearing diagnostics — A tutorial", MSSP 25(2),
 * 2011, §2; P. D. McFadden and J. D. Smith, "Model for the vibration produced by a single point defect in a
 * rolling element bearing", Journal of Sound and Vibration 96(1), 1984, pp. 69–82): a train of impacts at the
 * defect frequency, each impact's time jittered at random by up to `slip` of the period, each exciting a decaying
 * structural resonance. Outer race: constant amplitude (the defect stays in the load zone). Inner race: amplitude
 * modulated once per shaft turn (the defect passes through the load zone). Rolling element: impacts at 2 × BSF
 * (the defect strikes both races), modulated at the cage frequency FTF. Cage: a rub, dense irregular impacts whose strength follows the cage
 * (modulated at FTF).
 * Shaft faults: imbalance, a 1× sine; misalignment, a strong 2× beside a raised 1×, strong in the axial direction;
 * mechanical looseness, many 1× harmonics and half orders. Every machine has a small 1× and 2× and broadband noise.
 *
 * Every sample is a function of its absolute time and the seed, so consecutive blocks (`startSeconds`) join
 * without a seam, and a block is the same whichever blocks were made before it.
 */
import { type BearingGeometry, defectFrequencies } from '../diagnostics/bearings.ts';

export type VibrationFault =
  | 'healthy'
  | 'outer-race'
  | 'inner-race'
  | 'rolling-element'
  | 'cage'
  | 'imbalance'
  | 'misalignment'
  | 'looseness';

export const VIBRATION_FAULTS: readonly VibrationFault[] = [
  'healthy',
  'outer-race',
  'inner-race',
  'rolling-element',
  'cage',
  'imbalance',
  'misalignment',
  'looseness',
];

/** A block to synthesize. Accelerations in m/s², frequencies in Hz, times in seconds. */
export interface VibrationScenario {
  /** Sample rate, Hz. */
  rateHz: number;
  /** Samples in the block. */
  samples: number;
  /** Time of the block's first sample since the start of the run, s. */
  startSeconds: number;
  /** Shaft (running) frequency, Hz. */
  shaftHz: number;
  bearing: BearingGeometry;
  fault: VibrationFault;
  /** Fault severity from 0 (none) to 1 (fully developed). */
  severity: number;
  /** Natural frequency of the structural resonance the bearing impacts excite, Hz (default 3000). */
  resonanceHz?: number;
  /** Damping ratio of that resonance (default 0.05: an impact rings for about 1 ms at 3 kHz). */
  dampingRatio?: number;
  /** Largest jitter of an impact's time, as a fraction of the impact period (default 0.015). */
  slip?: number;
  /** R.m.s. of the broadband (white, Gaussian) noise, m/s² (default 0.05). */
  noise?: number;
  /** Which direction the accelerometer measures (default radial). */
  channel?: 'radial' | 'axial';
  /** Axial over radial amplitude of the shaft orders; default 0.8 for misalignment, 0.3 otherwise. */
  axialRatio?: number;
  /** Seed of the random parts (impact jitter, noise). */
  seed: number;
}

/** Peak of a fully developed bearing impact's response, m/s² (about 1 g). */
const IMPACT_PEAK = 10;
/** Every machine's own 1× and 2× amplitudes, m/s² (a 1× of 0.3 m/s² at 25 Hz is 1.4 mm/s r.m.s.). */
const BASE_ORDERS: readonly [number, number] = [0.3, 0.06];
/** Fully developed shaft faults, m/s²: imbalance 1×; misalignment 1× added and 2×; looseness 1× harmonic. */
const IMBALANCE_1X = 3;
const MISALIGNMENT_1X = 1;
const MISALIGNMENT_2X = 2.5;
const LOOSENESS_1X = 0.8;
/** Modulation depth of inner-race and rolling-element impacts (the load zone's share of the amplitude). */
const MODULATION_DEPTH = 0.8;
/** Rub impacts of a worn cage per turn of the cage. */
const RUB_IMPACTS_PER_CAGE_TURN = 40;
/** An impact's ring is cut where its envelope has decayed by e^−12 (6 ppm). */
const RING_TIME_CONSTANTS = 12;

/**
 * The acceleration block (m/s²) of `scenario`.
 * @throws RangeError naming the field that is out of range (`rateHz`, `samples`, `startSeconds`, `shaftHz`,
 * `fault`, `severity`, `resonanceHz`, `dampingRatio`, `slip`, `noise`, `channel`, `axialRatio`, `seed`) or the
 * bearing geometry's.
 */
export function synthesizeVibration(scenario: VibrationScenario): Float64Array {
  const s = checkScenario(scenario);
  const out = new Float64Array(s.samples);
  const axial = s.channel === 'axial';
  const axialRatio = scenario.axialRatio ?? (s.fault === 'misalignment' ? 0.8 : 0.3);
  const orderScale = axial ? axialRatio : 1;
  addOrders(out, s, orderScale);
  // Bearing impacts reach an axial accelerometer weaker, through the housing.
  addImpacts(out, s, axial ? 0.5 : 1);
  addNoise(out, s, axial ? 2 : 1);
  return out;
}

type Checked = Required<Omit<VibrationScenario, 'axialRatio'>>;

function addOrders(out: Float64Array, s: Checked, scale: number): void {
  const sev = s.fault === 'healthy' ? 0 : s.severity;
  // [order, amplitude, phase]: fixed phases, so that blocks join.
  const orders: [number, number, number][] = [
    [1, BASE_ORDERS[0], 0],
    [2, BASE_ORDERS[1], 1],
  ];
  if (s.fault === 'imbalance') orders[0][1] += sev * IMBALANCE_1X;
  if (s.fault === 'misalignment') {
    orders[0][1] += sev * MISALIGNMENT_1X;
    orders[1][1] += sev * MISALIGNMENT_2X;
    orders.push([3, sev * 0.3 * MISALIGNMENT_2X, 2]);
  }
  if (s.fault === 'looseness') {
    // Harmonics falling off slowly up to 10×, and half orders: a loose support clips the motion once a turn.
    for (let h = 1; h <= 10; h++) {
      const harmonic = sev * LOOSENESS_1X * 0.85 ** (h - 1);
      if (h <= 2) orders[h - 1][1] += harmonic;
      else orders.push([h, harmonic, h]);
      orders.push([h - 0.5, 0.5 * harmonic, 0.5 * h]);
    }
  }
  const dt = 1 / s.rateHz;
  for (const [order, amplitude, phase] of orders) {
    const w = 2 * Math.PI * order * s.shaftHz;
    const a = amplitude * scale;
    if (a === 0) continue;
    for (let i = 0; i < out.length; i++) out[i] += a * Math.sin(w * (s.startSeconds + i * dt) + phase);
  }
}

function addImpacts(out: Float64Array, s: Checked, scale: number): void {
  if (s.severity === 0) return;
  const f = defectFrequencies(s.bearing, s.shaftHz);
  let rate: number;
  let modulationHz = 0;
  let depth = MODULATION_DEPTH;
  let slip = s.slip;
  if (s.fault === 'outer-race') rate = f.bpfo;
  else if (s.fault === 'inner-race') [rate, modulationHz] = [f.bpfi, s.shaftHz];
  else if (s.fault === 'rolling-element') [rate, modulationHz] = [2 * f.bsf, f.ftf];
  else if (s.fault === 'cage') {
    // A worn cage rubs: a dense, irregular train of small impacts whose strength follows the cage round, once
    // per FTF period. Its envelope carries FTF itself rather than a comb of sharp impacts.
    [rate, modulationHz, depth, slip] = [RUB_IMPACTS_PER_CAGE_TURN * f.ftf, f.ftf, 1, 0.45];
  } else return;
  const peak = IMPACT_PEAK * s.severity * scale * (s.fault === 'cage' ? 0.3 : 1);
  const period = 1 / rate;
  const r = ringOf(s.resonanceHz, s.dampingRatio, s.rateHz);
  const ring = RING_TIME_CONSTANTS / r.sigma;
  const t0 = s.startSeconds;
  const t1 = t0 + s.samples / s.rateHz;
  const firstImpact = Math.max(0, Math.floor((t0 - ring) / period) - 1);
  for (let k = firstImpact; k * period <= t1 + period; k++) {
    const jitter = slip * (2 * uniform(s.seed, k, 1) - 1);
    const tk = (k + jitter) * period;
    if (tk < 0 || tk >= t1 || tk + ring < t0) continue;
    const load = modulationHz ? 1 - depth + depth * 0.5 * (1 + Math.cos(2 * Math.PI * modulationHz * tk)) : 1;
    const from = Math.max(0, Math.ceil((tk - t0) * s.rateHz));
    const to = Math.min(s.samples, Math.ceil((tk + ring - t0) * s.rateHz));
    for (let i = from; i < to; i++) {
      const tau = t0 + i / s.rateHz - tk;
      out[i] += peak * load * impactResponse(tau, r);
    }
  }
}

/** The ring of one impact, as a velocity v(τ) = (1 − e^−τ/τr)² e^−στ cos(ω_d τ + φ). */
interface Ring {
  sigma: number;
  wd: number;
  riseSeconds: number;
  phase: number;
  /** Divides the acceleration so that its peak is 1. */
  peak: number;
}

/**
 * The ring of an impact on a resonance of natural frequency ω_n and damping ratio ζ, as the housing's velocity:
 * a decaying oscillation at ω_d = ω_n √(1 − ζ²), σ = ζ ω_n, that rises smoothly over τr (the contact's duration,
 * at least 1.5 samples so that sampling sees no step), with the phase φ that makes its integral zero — the
 * housing ends where it started, with no net displacement. The acceleration (`impactResponse`) is its derivative,
 * so both its integral and its first moment vanish: its spectrum falls as f² towards DC instead of keeping the
 * flat floor of a bare decaying sine, and an impact ringing at 3 kHz puts next to nothing below 1 kHz.
 * φ solves Re(e^{iφ} Z) = 0 with Z = ∫ (1 − e^−τ/τr)² e^{(−σ + iω_d)τ} dτ = 1/s₀ − 2/s₁ + 1/s₂, s_j = σ + j/τr − iω_d.
 */
function ringOf(resonanceHz: number, dampingRatio: number, rateHz: number): Ring {
  const wn = 2 * Math.PI * resonanceHz;
  const sigma = dampingRatio * wn;
  const wd = wn * Math.sqrt(1 - dampingRatio ** 2);
  const riseSeconds = Math.max(1 / wn, 1.5 / rateHz);
  let re = 0;
  let im = 0;
  for (const [j, c] of [
    [0, 1],
    [1, -2],
    [2, 1],
  ]) {
    // c / (a − iω_d) = c (a + iω_d) / (a² + ω_d²)
    const a = sigma + j / riseSeconds;
    re += (c * a) / (a * a + wd * wd);
    im += (c * wd) / (a * a + wd * wd);
  }
  const ring: Ring = { sigma, wd, riseSeconds, phase: Math.PI / 2 - Math.atan2(im, re), peak: 1 };
  // The peak comes within the rise and the first periods: found on a fine grid over them.
  const span = 5 * riseSeconds + 3 / resonanceHz;
  let peak = 0;
  for (let i = 1; i <= 2000; i++) peak = Math.max(peak, Math.abs(impactResponse((i * span) / 2000, ring)));
  ring.peak = peak;
  return ring;
}

/** Acceleration of the ring at τ s after the impact: dv/dτ, scaled to a peak of 1. */
function impactResponse(tau: number, r: Ring): number {
  const e = Math.exp(-tau / r.riseSeconds);
  const w = (1 - e) * (1 - e);
  const dw = (2 * (1 - e) * e) / r.riseSeconds;
  const angle = r.wd * tau + r.phase;
  const c = Math.cos(angle);
  return (Math.exp(-r.sigma * tau) * ((dw - r.sigma * w) * c - r.wd * w * Math.sin(angle))) / r.peak;
}

function addNoise(out: Float64Array, s: Checked, stream: number): void {
  if (s.noise === 0) return;
  // Indexed by the absolute sample number, so a sample's noise does not depend on the block it falls in.
  const first = Math.round(s.startSeconds * s.rateHz);
  for (let i = 0; i < out.length; i++) {
    const u1 = uniform(s.seed, first + i, 2 * stream);
    const u2 = uniform(s.seed, first + i, 2 * stream + 1);
    // Box–Muller; 1 − u1 keeps the logarithm finite.
    out[i] += s.noise * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}

/**
 * A uniform number in [0, 1) that depends only on (seed, index, stream): a counter-based generator, so any
 * impact or sample can be drawn without drawing those before it. The mixing function is the finaliser of
 * MurmurHash3 (A. Appleby, public domain), applied to the three inputs in turn.
 */
function uniform(seed: number, index: number, stream: number): number {
  let h = mix(seed ^ 0x9e3779b9);
  h = mix(h ^ (index >>> 0));
  h = mix(h ^ Math.floor(index / 4_294_967_296));
  h = mix(h ^ Math.imul(stream + 1, 0x85ebca6b));
  return h / 4_294_967_296;
}

function mix(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function checkScenario(s: VibrationScenario): Checked {
  if (typeof s !== 'object' || s === null) throw new RangeError('scenario: expected an object');
  const positive = (name: string, v: unknown) => {
    if (typeof v !== 'number' || !(v > 0 && Number.isFinite(v))) {
      throw new RangeError(`${name}: expected a finite number above 0, got ${v}`);
    }
  };
  positive('rateHz', s.rateHz);
  if (!Number.isInteger(s.samples) || s.samples < 1) {
    throw new RangeError(`samples: expected a whole number ≥ 1, got ${s.samples}`);
  }
  if (typeof s.startSeconds !== 'number' || !(s.startSeconds >= 0 && Number.isFinite(s.startSeconds))) {
    throw new RangeError(`startSeconds: expected a finite time ≥ 0 s, got ${s.startSeconds}`);
  }
  positive('shaftHz', s.shaftHz);
  if (!VIBRATION_FAULTS.includes(s.fault)) {
    throw new RangeError(
      `fault: expected one of ${VIBRATION_FAULTS.join(', ')}, got ${JSON.stringify(s.fault)}`,
    );
  }
  if (typeof s.severity !== 'number' || !(s.severity >= 0 && s.severity <= 1)) {
    throw new RangeError(`severity: expected a number from 0 to 1, got ${s.severity}`);
  }
  const resonanceHz = s.resonanceHz ?? 3000;
  positive('resonanceHz', resonanceHz);
  if (resonanceHz >= s.rateHz / 2) {
    throw new RangeError(
      `resonanceHz: expected below the Nyquist frequency ${s.rateHz / 2} Hz, got ${resonanceHz}`,
    );
  }
  const dampingRatio = s.dampingRatio ?? 0.05;
  if (typeof dampingRatio !== 'number' || !(dampingRatio > 0 && dampingRatio < 1)) {
    throw new RangeError(`dampingRatio: expected a number above 0 and below 1, got ${dampingRatio}`);
  }
  const slip = s.slip ?? 0.015;
  if (typeof slip !== 'number' || !(slip >= 0 && slip < 0.5)) {
    throw new RangeError(`slip: expected a fraction of the period from 0 to below 0.5, got ${slip}`);
  }
  const noise = s.noise ?? 0.05;
  if (typeof noise !== 'number' || !(noise >= 0 && Number.isFinite(noise))) {
    throw new RangeError(`noise: expected an r.m.s. ≥ 0 m/s², got ${noise}`);
  }
  const channel = s.channel ?? 'radial';
  if (channel !== 'radial' && channel !== 'axial') {
    throw new RangeError(`channel: expected 'radial' or 'axial', got ${JSON.stringify(channel)}`);
  }
  if (s.axialRatio !== undefined && (typeof s.axialRatio !== 'number' || !(s.axialRatio >= 0))) {
    throw new RangeError(`axialRatio: expected a ratio ≥ 0, got ${s.axialRatio}`);
  }
  if (!Number.isInteger(s.seed)) throw new RangeError(`seed: expected a whole number, got ${s.seed}`);
  // Validates the geometry (throws naming its field).
  defectFrequencies(s.bearing, s.shaftHz);
  return { ...s, resonanceHz, dampingRatio, slip, noise, channel };
}
