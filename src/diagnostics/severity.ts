/**
 * Vibration severity by the standards of the trade: the r.m.s. velocity over 10–1000 Hz, computed from an
 * accelerometer's block, and its ISO 20816-3 evaluation zone (A newly commissioned, B unrestricted long-term
 * operation, C restricted operation, D damage likely).
 */
import { type PowerSpectrum, powerSpectrum } from '../pipeline/spectrum.ts';

/** Units an accelerometer block may be in. */
export type AccelerationUnit = 'g' | 'm/s²' | 'm/s2';

/** Standard acceleration of gravity, m/s² (3rd CGPM, 1901; ISO 80000-3). */
export const STANDARD_GRAVITY = 9.80665;

/**
 * The broadband evaluation range of ISO 20816-3 for machines running above 600 r/min, Hz. The standard widens it
 * to 2–1000 Hz for machines at 120–600 r/min: pass `lowHz: 2` for those.
 */
export const ISO_20816_3_BAND_HZ: readonly [number, number] = [10, 1000];

/** How the r.m.s. velocity of a block is taken. */
export interface VelocityOptions {
  /** Unit of the acceleration samples. */
  unit: AccelerationUnit;
  /** Lower band edge, Hz (default 10). */
  lowHz?: number;
  /** Upper band edge, Hz (default 1000); must not exceed the Nyquist frequency rateHz / 2. */
  highHz?: number;
}

/** An r.m.s. velocity and the band it covers. */
export interface VelocityRms {
  /** R.m.s. velocity over the band, mm/s. */
  mmPerS: number;
  /** Band edges used, Hz. */
  bandHz: [number, number];
  /** Spacing of the spectrum bins the band was summed over, Hz. */
  resolutionHz: number;
}

/**
 * R.m.s. velocity (mm/s) over [lowHz, highHz] of the acceleration block `values` sampled at `rateHz` (Hz).
 *
 * Integration in the frequency domain: the block's one-sided power spectrum (Hann window, mean removed,
 * normalised so that its bins sum to the mean square: Parseval) is divided bin by bin by (2πf)², since a tone
 * a·sin(2πft) of acceleration is a velocity of amplitude a / (2πf); the bins within the band are summed to the
 * velocity's mean square. The band is ideal (brick-wall), not the standard's analogue filter tolerances. The
 * Hann window keeps the leakage of DC and of tones outside the band from reaching it; it spreads a tone over a
 * few bins whose 1/f² weights differ, which raises a tone at f in a block lasting T seconds by about 0.5/(fT)²
 * (measured: +0.05 % at 100 Hz, +0.55 % at 30 Hz, +2.1 % at 15 Hz for 4096 samples at 12.8 kHz, T = 0.32 s):
 * blocks of a second or more suit the low end of the band.
 * @throws RangeError naming the field: `unit` not m/s² or g, `rateHz` not positive, `values` holding a
 * non-finite sample or too short to resolve `lowHz` (2 rateHz / length > lowHz), `lowHz`/`highHz` not an
 * increasing pair with highHz ≤ rateHz / 2.
 * `spectrum`, the block's `powerSpectrum` when the caller has it already, saves computing it again; one that
 * does not fit the block (another rate or length) is ignored.
 */
export function velocityRms(
  values: ArrayLike<number>,
  rateHz: number,
  options: VelocityOptions,
  spectrum?: PowerSpectrum,
): VelocityRms {
  const scale = accelerationScale(options?.unit);
  const [lowHz, highHz] = checkBand(values, rateHz, options);
  spectrum = sameBlock(spectrum, values.length, rateHz) ? spectrum : powerSpectrum(values, rateHz);
  const { power, resolutionHz } = spectrum;
  let meanSquare = 0;
  const first = Math.ceil(lowHz / resolutionHz);
  const last = Math.min(power.length - 1, Math.floor(highHz / resolutionHz));
  for (let k = first; k <= last; k++) {
    const omega = 2 * Math.PI * k * resolutionHz;
    meanSquare += power[k] / (omega * omega);
  }
  // Into (m/s)² with the unit's scale, then mm/s.
  return { mmPerS: Math.sqrt(meanSquare) * scale * 1000, bandHz: [lowHz, highHz], resolutionHz };
}

/** Whether `spectrum` can be the power spectrum of a block of `n` samples at `rateHz` (zero-padded to 2^k). */
function sameBlock(
  spectrum: PowerSpectrum | undefined,
  n: number,
  rateHz: number,
): spectrum is PowerSpectrum {
  if (!spectrum || spectrum.rateHz !== rateHz) return false;
  const size = Math.max(4, 2 ** Math.ceil(Math.log2(n)));
  return spectrum.power.length === size / 2 + 1;
}

/** m/s² per unit of `unit`. @throws RangeError naming `unit`. */
export function accelerationScale(unit: AccelerationUnit): number {
  if (unit === 'g') return STANDARD_GRAVITY;
  if (unit === 'm/s²' || unit === 'm/s2') return 1;
  throw new RangeError(
    `unit: expected an acceleration unit, 'm/s²' (or 'm/s2') or 'g', got ${JSON.stringify(unit)}`,
  );
}

function checkBand(values: ArrayLike<number>, rateHz: number, options: VelocityOptions): [number, number] {
  const [defaultLow, defaultHigh] = ISO_20816_3_BAND_HZ;
  const { lowHz = defaultLow, highHz = defaultHigh } = options;
  if (typeof rateHz !== 'number' || !(rateHz > 0 && Number.isFinite(rateHz))) {
    throw new RangeError(`rateHz: expected a sample rate above 0 Hz, got ${rateHz}`);
  }
  if (typeof lowHz !== 'number' || !(lowHz > 0 && Number.isFinite(lowHz))) {
    throw new RangeError(`lowHz: expected a frequency above 0 Hz, got ${lowHz}`);
  }
  if (typeof highHz !== 'number' || !(highHz > lowHz && highHz <= rateHz / 2)) {
    throw new RangeError(
      `highHz: expected a frequency above lowHz (${lowHz} Hz) and at most the Nyquist frequency rateHz / 2 (${rateHz / 2} Hz), got ${highHz}`,
    );
  }
  const n = values?.length;
  if (typeof n !== 'number' || n < 2) throw new RangeError('values: expected a block of at least 2 samples');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]))
      throw new RangeError(`values: sample ${i} is ${values[i]}, not a finite number`);
  }
  // The Hann main lobe reaches 2 bins of rateHz / n each side: DC would leak into a band starting closer.
  const needed = Math.ceil((2 * rateHz) / lowHz);
  if (n < needed) {
    throw new RangeError(
      `values: ${n} samples at ${rateHz} Hz cannot resolve ${lowHz} Hz; a block of at least ${needed} samples is needed`,
    );
  }
  return [lowHz, highHz];
}

/** ISO 20816-3 machine group: 1, rated power above 300 kW; 2, from 15 kW to 300 kW. */
export type MachineGroup = 1 | 2;
/**
 * Foundation (support) as ISO 20816-3 classes it: rigid when the lowest natural frequency of machine and support
 * lies at least 25 % above the main excitation (usually the running speed), flexible otherwise.
 */
export type Foundation = 'rigid' | 'flexible';
/** Evaluation zone of ISO 20816-3. */
export type SeverityZone = 'A' | 'B' | 'C' | 'D';

/** Zone boundaries, r.m.s. velocity in mm/s: A/B, B/C and C/D. */
export interface ZoneBoundaries {
  ab: number;
  bc: number;
  cd: number;
}

/**
 * Default zone boundaries of housing vibration (r.m.s. velocity, mm/s, 10–1000 Hz): ISO 10816-3:2009 Annex A,
 * Table A.1 (group 1) and Table A.2 (group 2), the values ISO 20816-3:2022 (which replaces it) is reported to
 * keep in its Annex A; docs/diagnostics.md says how they were checked. The standard presents them as a guide;
 * a user's own acceptance criteria can replace them.
 */
export const ISO_20816_3_ZONE_BOUNDARIES: Readonly<
  Record<MachineGroup, Readonly<Record<Foundation, ZoneBoundaries>>>
> = {
  1: { rigid: { ab: 2.3, bc: 4.5, cd: 7.1 }, flexible: { ab: 3.5, bc: 7.1, cd: 11.0 } },
  2: { rigid: { ab: 1.4, bc: 2.8, cd: 4.5 }, flexible: { ab: 2.3, bc: 4.5, cd: 7.1 } },
};

/**
 * Zone boundaries for `group` and `foundation`: the standard's defaults, with any of `overrides` in their place.
 * @throws RangeError naming `group`, `foundation`, or the boundary (`boundaries.ab`, `.bc`, `.cd`) that is not a
 * positive number above the one before it.
 */
export function zoneBoundaries(
  group: MachineGroup,
  foundation: Foundation,
  overrides: Partial<ZoneBoundaries> = {},
): ZoneBoundaries {
  if (group !== 1 && group !== 2) {
    throw new RangeError(`group: expected machine group 1 (above 300 kW) or 2 (15–300 kW), got ${group}`);
  }
  if (foundation !== 'rigid' && foundation !== 'flexible') {
    throw new RangeError(`foundation: expected 'rigid' or 'flexible', got ${JSON.stringify(foundation)}`);
  }
  const boundaries = { ...ISO_20816_3_ZONE_BOUNDARIES[group][foundation], ...overrides };
  let below = 0;
  for (const key of ['ab', 'bc', 'cd'] as const) {
    const value = boundaries[key];
    if (typeof value !== 'number' || !(value > below && Number.isFinite(value))) {
      throw new RangeError(`boundaries.${key}: expected mm/s above ${below}, got ${value}`);
    }
    below = value;
  }
  return boundaries;
}

/**
 * The zone of an r.m.s. velocity `mmPerS` (mm/s). A value exactly on a boundary belongs to the zone below it: the
 * standard's criteria act when a boundary is exceeded (its alarms and trips are set "above" a boundary), so a
 * machine at 2.8 mm/s in group 2 on a rigid foundation is still in zone B.
 * @throws RangeError naming `velocity` when it is negative or not a number.
 */
export function severityZone(mmPerS: number, boundaries: ZoneBoundaries): SeverityZone {
  if (typeof mmPerS !== 'number' || !(mmPerS >= 0)) {
    throw new RangeError(`velocity: expected an r.m.s. velocity ≥ 0 mm/s, got ${mmPerS}`);
  }
  if (mmPerS <= boundaries.ab) return 'A';
  if (mmPerS <= boundaries.bc) return 'B';
  if (mmPerS <= boundaries.cd) return 'C';
  return 'D';
}

/** Options of `velocitySeverity`: the velocity's and the machine's. */
export interface SeverityOptions extends VelocityOptions {
  group: MachineGroup;
  foundation: Foundation;
  /** Boundaries replacing the standard's defaults, mm/s. */
  boundaries?: Partial<ZoneBoundaries>;
}

/** The r.m.s. velocity of a block and its ISO 20816-3 zone, with what the zone was judged against. */
export interface VelocitySeverity extends VelocityRms {
  zone: SeverityZone;
  group: MachineGroup;
  foundation: Foundation;
  boundaries: ZoneBoundaries;
}

/**
 * R.m.s. velocity of the acceleration block `values` (see `velocityRms`) and its ISO 20816-3 zone for the
 * machine's group and foundation (see `zoneBoundaries`, `severityZone`); `spectrum` as for `velocityRms`.
 * @throws RangeError naming the field, as `velocityRms` and `zoneBoundaries` do.
 */
export function velocitySeverity(
  values: ArrayLike<number>,
  rateHz: number,
  options: SeverityOptions,
  spectrum?: PowerSpectrum,
): VelocitySeverity {
  const boundaries = zoneBoundaries(options?.group, options?.foundation, options?.boundaries);
  const velocity = velocityRms(values, rateHz, options, spectrum);
  return {
    ...velocity,
    zone: severityZone(velocity.mmPerS, boundaries),
    group: options.group,
    foundation: options.foundation,
    boundaries,
  };
}
