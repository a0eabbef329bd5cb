/**
 * Running speed of a machine: fixed, read from a `speed` sensor, or estimated from the vibration spectrum's 1×
 * peak. Every result says which source gave it, so a defect frequency or a diagnosis can say what it rests on.
 */
import type { PowerSpectrum } from '../pipeline/spectrum.ts';

/** Where a running speed came from. */
export type SpeedSource = 'fixed' | 'sensor' | 'estimated';

/**
 * How an asset's running speed is known:
 * - `fixed`: a constant shaft speed in rpm (a machine on the grid without a drive);
 * - `sensor`: the latest value, in rpm, of the `speed` sensor `sensorId` of the same asset;
 * - `estimated`: the strongest spectral peak between `minHz` and `maxHz`, taken as the shaft's 1×. The peak must
 *   stand `minProminenceDb` (default 10 dB) above the median power of that range, so that noise is not read as
 *   a speed.
 */
export type SpeedSetting =
  | { source: 'fixed'; rpm: number }
  | { source: 'sensor'; sensorId: string }
  | { source: 'estimated'; minHz: number; maxHz: number; minProminenceDb?: number };

/** What the setting needs at the time of a block: the speed sensor's latest value, or the block's spectrum. */
export interface SpeedInputs {
  /** Latest value of the speed sensor, rpm; null or absent when it has sent none. */
  sensorRpm?: number | null;
  /** Power spectrum of the vibration block (see `powerSpectrum`). */
  spectrum?: PowerSpectrum;
}

/** A running speed and its source; or, when it cannot be had, `hz: null` and the reason. */
export type RunningSpeed =
  | { source: SpeedSource; hz: number; rpm: number }
  | { source: SpeedSource; hz: null; rpm: null; reason: string };

export const DEFAULT_MIN_PROMINENCE_DB = 10;

/** Above this a rotating machine's shaft speed is not believable (the ISO 20816-3 range ends at 30 000 r/min). */
const MAX_RPM = 1_000_000;

/**
 * Checks a speed setting, as configuration is read.
 * @throws RangeError naming the field (`source`, `rpm`, `sensorId`, `minHz`, `maxHz`, `minProminenceDb`) and the
 * reason.
 */
export function checkSpeedSetting(setting: SpeedSetting): void {
  if (typeof setting !== 'object' || setting === null)
    throw new RangeError('speed: expected a speed setting');
  switch (setting.source) {
    case 'fixed':
      if (typeof setting.rpm !== 'number' || !(setting.rpm > 0 && setting.rpm <= MAX_RPM)) {
        throw new RangeError(
          `rpm: expected a shaft speed above 0 and up to ${MAX_RPM} rpm, got ${setting.rpm}`,
        );
      }
      return;
    case 'sensor':
      if (typeof setting.sensorId !== 'string' || setting.sensorId.trim() === '') {
        throw new RangeError('sensorId: expected the id of a speed sensor of the same asset');
      }
      return;
    case 'estimated': {
      const { minHz, maxHz, minProminenceDb = DEFAULT_MIN_PROMINENCE_DB } = setting;
      if (typeof minHz !== 'number' || !(minHz > 0 && Number.isFinite(minHz))) {
        throw new RangeError(`minHz: expected a frequency above 0 Hz, got ${minHz}`);
      }
      if (typeof maxHz !== 'number' || !(maxHz > minHz && Number.isFinite(maxHz))) {
        throw new RangeError(`maxHz: expected a frequency above minHz (${minHz} Hz), got ${maxHz}`);
      }
      if (
        typeof minProminenceDb !== 'number' ||
        !(minProminenceDb >= 0 && Number.isFinite(minProminenceDb))
      ) {
        throw new RangeError(`minProminenceDb: expected a number of dB ≥ 0, got ${minProminenceDb}`);
      }
      return;
    }
    default:
      throw new RangeError(
        `source: expected 'fixed', 'sensor' or 'estimated', got ${JSON.stringify((setting as { source: unknown }).source)}`,
      );
  }
}

/**
 * The running speed under `setting` for one block. A missing or impossible sensor value, or a spectrum without a
 * clear peak in the range, gives `hz: null` with the reason rather than an error: the block's other features
 * stand without it.
 * @throws RangeError naming the field when the setting itself is invalid (see `checkSpeedSetting`).
 */
export function runningSpeed(setting: SpeedSetting, inputs: SpeedInputs = {}): RunningSpeed {
  checkSpeedSetting(setting);
  switch (setting.source) {
    case 'fixed':
      return found('fixed', setting.rpm / 60);
    case 'sensor': {
      const rpm = inputs.sensorRpm;
      if (rpm === null || rpm === undefined) {
        return missing('sensor', `no reading yet from speed sensor ${setting.sensorId}`);
      }
      if (typeof rpm !== 'number' || !(rpm > 0 && rpm <= MAX_RPM)) {
        return missing('sensor', `speed sensor ${setting.sensorId} reads ${rpm} rpm, not a running shaft`);
      }
      return found('sensor', rpm / 60);
    }
    case 'estimated': {
      if (!inputs.spectrum) return missing('estimated', 'no spectrum to estimate the speed from');
      const peak = spectralPeak(
        inputs.spectrum,
        setting.minHz,
        setting.maxHz,
        setting.minProminenceDb ?? DEFAULT_MIN_PROMINENCE_DB,
      );
      return typeof peak === 'number' ? found('estimated', peak) : missing('estimated', peak.reason);
    }
  }
}

function found(source: SpeedSource, hz: number): RunningSpeed {
  return { source, hz, rpm: hz * 60 };
}

function missing(source: SpeedSource, reason: string): RunningSpeed {
  return { source, hz: null, rpm: null, reason };
}

/**
 * Frequency (Hz) of the strongest local maximum of `spectrum` within [minHz, maxHz], refined between bins; or why
 * there is none: the range lies outside the spectrum, holds no local maximum (the power keeps rising past an
 * edge, so the peak is outside), or the maximum stands less than `minProminenceDb` above the range's median.
 *
 * Refinement: a parabola through the natural log of the peak bin's power and its two neighbours (Gaussian
 * interpolation: M. Gasior and J. L. Gonzalez, "Improving FFT frequency measurement resolution by parabolic and
 * Gaussian spectrum interpolation", AIP Conference Proceedings 732, 2004, pp. 276–285). On a Hann-windowed tone
 * its error stays within about 0.015 bin, i.e. 0.2 % of the frequency from 8 bins up.
 */
export function spectralPeak(
  spectrum: PowerSpectrum,
  minHz: number,
  maxHz: number,
  minProminenceDb = DEFAULT_MIN_PROMINENCE_DB,
): number | { reason: string } {
  const { power, resolutionHz } = spectrum;
  // Bins 1 … length−2 have two neighbours to interpolate with; DC and Nyquist do not.
  const first = Math.max(1, Math.ceil(minHz / resolutionHz));
  const last = Math.min(power.length - 2, Math.floor(maxHz / resolutionHz));
  const range = `${minHz}–${maxHz} Hz`;
  if (!(resolutionHz > 0) || last < first) {
    return {
      reason: `the spectrum (bins of ${resolutionHz} Hz up to ${spectrum.rateHz / 2} Hz) has no bin in ${range}`,
    };
  }
  let best = -1;
  for (let k = first; k <= last; k++) {
    const isLocalMax = power[k] > power[k - 1] && power[k] >= power[k + 1];
    if (isLocalMax && (best < 0 || power[k] > power[best])) best = k;
  }
  if (best < 0 || !(power[best] > 0)) return { reason: `no spectral peak in ${range}` };
  const inRange = Array.from(power.subarray(first, last + 1)).sort((a, b) => a - b);
  const median = inRange[Math.floor(inRange.length / 2)];
  const prominenceDb = median > 0 ? 10 * Math.log10(power[best] / median) : Number.POSITIVE_INFINITY;
  if (prominenceDb < minProminenceDb) {
    return {
      reason: `strongest peak in ${range} (${(best * resolutionHz).toFixed(2)} Hz) is ${prominenceDb.toFixed(1)} dB above the median, below ${minProminenceDb} dB`,
    };
  }
  const a = Math.log(power[best - 1] || Number.MIN_VALUE);
  const b = Math.log(power[best]);
  const c = Math.log(power[best + 1] || Number.MIN_VALUE);
  const curvature = a - 2 * b + c;
  const shift = curvature < 0 ? (0.5 * (a - c)) / curvature : 0;
  return (best + Math.max(-0.5, Math.min(0.5, shift))) * resolutionHz;
}
