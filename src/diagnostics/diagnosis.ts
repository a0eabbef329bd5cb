/**
 * Named diagnoses of one vibration block: bearing defects from the envelope spectrum (outer race, inner race,
 * rolling element, cage) and shaft faults from the running-speed orders (imbalance, misalignment, looseness),
 * each with a confidence, the numbers it rests on and a one-line message an analyst can act on.
 */
import { type PowerSpectrum, powerSpectrum } from '../pipeline/spectrum.ts';
import { bearingDiagnosis, nearBallSideband } from './bearing-diagnosis.ts';
import {
  type BearingGeometry,
  catalogueBearing,
  checkGeometry,
  type DefectFrequencies,
  defectFrequencies,
} from './bearings.ts';
import { type Band, type EnvelopeBand, envelopeSpectrum } from './envelope.ts';
import {
  type BearingDefect,
  type DefectFeature,
  type EnvelopeFeatureOptions,
  envelopeFeatures,
} from './envelope-features.ts';
import {
  type AccelerationUnit,
  accelerationScale,
  type Foundation,
  ISO_20816_3_BAND_HZ,
  type MachineGroup,
  type VelocitySeverity,
  velocitySeverity,
  type ZoneBoundaries,
  zoneBoundaries,
} from './severity.ts';
import { orderPeaks, type ShaftFaultOptions, shaftFindings, unresolvedOrders } from './shaft-faults.ts';
import { type RunningSpeed, runningSpeed, type SpeedSetting } from './speed.ts';

export type FaultName =
  | 'outer-race'
  | 'inner-race'
  | 'rolling-element'
  | 'cage'
  | 'imbalance'
  | 'misalignment'
  | 'looseness';

/** A bearing of the machine: a catalogue designation, or any name with its geometry. */
export interface MachineBearing {
  designation: string;
  /** Where it sits, e.g. "drive end"; named in messages. */
  location?: string;
  /** Required when `designation` is not in the catalogue. */
  geometry?: BearingGeometry;
}

/** What diagnosis needs to know of the machine a block comes from. */
export interface MachineModel {
  speed: SpeedSetting;
  bearings: MachineBearing[];
  /** Unit of the samples (default m/s²). */
  unit?: AccelerationUnit;
  /** ISO 20816-3 class of the machine; velocity severity is computed when given. */
  severity?: { group: MachineGroup; foundation: Foundation; boundaries?: Partial<ZoneBoundaries> };
}

export interface DiagnoseOptions extends EnvelopeFeatureOptions, ShaftFaultOptions {
  /** Latest value of the machine's speed sensor, rpm (for a `sensor` speed setting). */
  sensorRpm?: number | null;
  /** Simultaneous block of an axial accelerometer at the same place, same rate and unit. */
  axial?: ArrayLike<number>;
  /** Envelope band; chosen per block by the kurtogram when absent. */
  band?: Band;
  /** Lowest edge of a kurtogram-chosen band, Hz (default max(1000, 12 × shaft), capped at a quarter of the rate). */
  minLowHz?: number;
  /** Envelope peak needed at a defect frequency, dB above floor (default 12). */
  minDb?: number;
}

/** A named fault. */
export interface Diagnosis {
  fault: FaultName;
  /** The bearing, for a bearing defect: designation and location. */
  bearing?: string;
  /** 0..1, from the strength and number of the symptoms found. */
  confidence: number;
  /** The numbers it rests on: frequencies in Hz, amplitudes in the block's unit, levels in dB, velocities in mm/s. */
  evidence: Record<string, number>;
  message: string;
}

/** Envelope features of one bearing at the block's speed. */
export interface BearingFeatures {
  bearing: string;
  frequencies: DefectFrequencies;
  features: DefectFeature[];
}

/**
 * A rule the block could not be judged by, and why: `shaft` (no shaft fault: the orders are not resolved),
 * `half-orders` (looseness on harmonics alone), `envelope` (no bearing defect: no envelope spectrum), or a bearing
 * defect (`bpfo`, `bpfi`, `rollingElement`, `ftf`: its frequency, or for BPFI its sidebands, out of the envelope
 * spectrum's resolution or reach) with the bearing.
 */
export interface Declined {
  rule: 'shaft' | 'half-orders' | 'envelope' | BearingDefect;
  bearing?: string;
  reason: string;
}

export interface BlockDiagnosis {
  speed: RunningSpeed;
  /** The envelope band; null when there was no speed to look for defect frequencies at. */
  band: EnvelopeBand | null;
  bearings: BearingFeatures[];
  /** Velocity severity; null when the machine has no ISO class; the reason when the block cannot give it. */
  severity: VelocitySeverity | { reason: string } | null;
  diagnoses: Diagnosis[];
  /** What the block's resolution, band or length kept from being judged, and why; empty when nothing was. */
  declined: Declined[];
}

/** ISO 20816-3 evaluates machines at 120–600 r/min over 2–1000 Hz (see `ISO_20816_3_BAND_HZ`). */
const SLOW_MACHINE_RPM = 600;
const SLOW_MACHINE_LOW_HZ = 2;

/**
 * Diagnoses the acceleration block `samples` (at `rateHz` Hz, in `machine.unit`) of `machine`: running speed
 * (see `runningSpeed`), envelope spectrum (see `envelopeSpectrum`) and each bearing's envelope features (see
 * `envelopeFeatures`), shaft orders (see `orderPeaks`), velocity severity (see `velocitySeverity`) when the
 * machine has an ISO class, and the diagnoses, strongest first.
 *
 * A bearing defect is named when its fundamental stands `minDb` (12 dB) above the envelope floor and a second
 * symptom (another harmonic, or for BPFI a ±1× sideband pair, at 6 dB) backs it, or the fundamental alone
 * reaches 15 dB. A cage finding on a bearing whose rolling element is named is left out, as is an inner-race
 * finding whose peak is one of the ball defect's cage sidebands: a ball defect's impacts are modulated at the
 * cage frequency. Shaft faults: see `shaftFindings`.
 *
 * Severity and shaft-order velocities are taken over 10–1000 Hz, or 2–1000 Hz when the running speed is known and
 * at most 600 rpm (ISO 20816-3's range for machines at 120–600 r/min); `severity.bandHz` says which.
 *
 * What the block cannot show is declined, not guessed: shaft orders closer than `MIN_ORDER_SEPARATION_BINS` to
 * their neighbours, defect frequencies too close to DC or beyond the envelope band's reach (see
 * `envelopeFeatures`); a block the severity or the envelope cannot be computed on (too short, sampled too slowly
 * for the band, a configured band above its Nyquist frequency) keeps the rest of its diagnosis. `declined` and
 * `severity.reason` say why.
 * @throws RangeError naming the field: `samples` (fewer than 2, or a sample not finite), `rateHz`,
 * `machine.speed` fields, `bearings[i].designation` or geometry, `unit`, severity class, options out of range.
 */
export function diagnoseBlock(
  samples: ArrayLike<number>,
  rateHz: number,
  machine: MachineModel,
  options: DiagnoseOptions = {},
): BlockDiagnosis {
  const bearings = (machine?.bearings ?? []).map(resolveBearing);
  const unitToMs2 = accelerationScale(machine.unit ?? 'm/s²');
  const { minDb = 12 } = options;
  if (typeof minDb !== 'number' || !(minDb >= 0))
    throw new RangeError(`minDb: expected dB ≥ 0, got ${minDb}`);
  if (typeof rateHz !== 'number' || !(rateHz > 0 && Number.isFinite(rateHz))) {
    throw new RangeError(`rateHz: expected a sample rate above 0 Hz, got ${rateHz}`);
  }
  checkSamples(samples, 'samples');
  checkEnvelopeOptions(options);
  const spectrum = powerSpectrum(samples, rateHz);
  const speed = runningSpeed(machine.speed, { sensorRpm: options.sensorRpm, spectrum });
  const bandHz: [number, number] = [
    speed.rpm !== null && speed.rpm <= SLOW_MACHINE_RPM ? SLOW_MACHINE_LOW_HZ : ISO_20816_3_BAND_HZ[0],
    ISO_20816_3_BAND_HZ[1],
  ];
  // One spectrum serves the speed, the shaft orders and the velocity severity.
  const severity = machine.severity ? severityOf(samples, rateHz, machine, spectrum, bandHz) : null;
  const declined: Declined[] = [];
  if (speed.hz === null) return { speed, band: null, bearings: [], severity, diagnoses: [], declined };
  const shaftHz = speed.hz;

  const diagnoses: Diagnosis[] = [];
  const unresolved = unresolvedOrders(spectrum, shaftHz, options.tolerance);
  if (unresolved.shaft) declined.push({ rule: 'shaft', reason: unresolved.shaft });
  if (unresolved.halfOrders) declined.push({ rule: 'half-orders', reason: unresolved.halfOrders });
  const orders = unresolved.shaft ? [] : orderPeaks(spectrum, shaftHz, options.tolerance);
  let axialOrders: ReturnType<typeof orderPeaks> | null = null;
  if (options.axial && orders.length > 0) {
    checkSamples(options.axial, 'axial');
    axialOrders = orderPeaks(powerSpectrum(options.axial, rateHz), shaftHz, options.tolerance);
  }
  const velocityBand: [number, number] = [bandHz[0], Math.min(bandHz[1], rateHz / 2)];
  for (const f of shaftFindings(orders, shaftHz, unitToMs2, axialOrders, options, velocityBand)) {
    diagnoses.push({ ...f, message: shaftMessage(f.fault, f.evidence) });
  }

  let band: EnvelopeBand | null = null;
  const results: BearingFeatures[] = [];
  if (bearings.length > 0) {
    const all = bearings.map((b) => defectFrequencies(b.geometry, shaftHz));
    // The band must pass the sidebands of the highest harmonic looked for; it must start above the shaft orders.
    const highest =
      Math.max(...all.map((f) => Math.max(f.bpfi, 2 * f.bsf))) * (options.harmonics ?? 3) + shaftHz;
    // The envelope of a band's noise has a spectrum falling linearly from DC to the band's width; over a band
    // 8 floor neighbourhoods wide, the floor a peak is rated against stays within about 1 dB of flat.
    const minBandBins = 8 * (options.floorHalfWidthBins ?? 40);
    let envelope: ReturnType<typeof envelopeSpectrum>;
    try {
      envelope = envelopeSpectrum(samples, rateHz, {
        band: options.band,
        minBandHz: Math.min(rateHz / 8, Math.max(2 * highest, minBandBins * spectrum.resolutionHz)),
        minLowHz: options.minLowHz ?? Math.min(rateHz / 4, Math.max(1000, 12 * shaftHz)),
      });
    } catch (error) {
      // The options' shapes are checked above: what is left is the block's (too short, a band above its Nyquist).
      if (!(error instanceof RangeError)) throw error;
      declined.push({ rule: 'envelope', reason: error.message });
      diagnoses.sort((a, b) => b.confidence - a.confidence);
      return { speed, band, bearings: results, severity, diagnoses, declined };
    }
    band = envelope.band;
    bearings.forEach((b, i) => {
      const features = envelopeFeatures(envelope, all[i], shaftHz, options);
      results.push({ bearing: b.label, frequencies: all[i], features });
      for (const f of features) {
        if (f.declined) declined.push({ rule: f.defect, bearing: b.label, reason: f.declined });
      }
      const found = features.flatMap((f) => bearingDiagnosis(f, b.label, shaftHz, minDb) ?? []);
      const ballDefect = found.some((d) => d.fault === 'rolling-element');
      const explained = (d: Diagnosis) =>
        ballDefect &&
        (d.fault === 'cage' ||
          (d.fault === 'inner-race' &&
            nearBallSideband(d.evidence.foundHz, all[i], envelope.resolutionHz, options.tolerance)));
      diagnoses.push(...found.filter((d) => !explained(d)));
    });
  }
  diagnoses.sort((a, b) => b.confidence - a.confidence);
  return { speed, band, bearings: results, severity, diagnoses, declined };
}

/** @throws RangeError naming `field` when `values` holds fewer than 2 samples or one that is not finite. */
function checkSamples(values: ArrayLike<number>, field: string): void {
  const n = values?.length;
  if (typeof n !== 'number' || n < 2)
    throw new RangeError(`${field}: expected a block of at least 2 samples`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]))
      throw new RangeError(`${field}: sample ${i} is ${values[i]}, not a finite number`);
  }
}

/** The envelope options whatever the block: a band and minLowHz that fit no block are configuration errors. */
function checkEnvelopeOptions(options: DiagnoseOptions): void {
  if (options.band !== undefined) {
    const { lowHz, highHz } = options.band ?? ({} as Band);
    if (typeof lowHz !== 'number' || !(lowHz >= 0 && Number.isFinite(lowHz))) {
      throw new RangeError(`band.lowHz: expected a frequency ≥ 0 Hz, got ${lowHz}`);
    }
    if (typeof highHz !== 'number' || !(highHz > lowHz && Number.isFinite(highHz))) {
      throw new RangeError(`band.highHz: expected a frequency above band.lowHz (${lowHz} Hz), got ${highHz}`);
    }
  }
  const { minLowHz } = options;
  if (
    minLowHz !== undefined &&
    (typeof minLowHz !== 'number' || !(minLowHz >= 0 && Number.isFinite(minLowHz)))
  ) {
    throw new RangeError(`minLowHz: expected a frequency ≥ 0 Hz, got ${minLowHz}`);
  }
}

function resolveBearing(b: MachineBearing, i: number): { label: string; geometry: BearingGeometry } {
  if (typeof b?.designation !== 'string' || b.designation.trim() === '') {
    throw new RangeError(`bearings[${i}].designation: expected a bearing designation`);
  }
  const geometry = b.geometry ?? catalogueBearing(b.designation);
  checkGeometry(geometry);
  return { label: b.location ? `${b.designation.trim()} (${b.location})` : b.designation.trim(), geometry };
}

/**
 * The block's velocity severity over `bandHz`, or why the block cannot give it (too short for the lower edge,
 * sampled too slowly for the upper one): the rest of the diagnosis stands without it. A wrong class throws.
 */
function severityOf(
  samples: ArrayLike<number>,
  rateHz: number,
  machine: MachineModel,
  spectrum: PowerSpectrum,
  [lowHz, highHz]: [number, number],
): VelocitySeverity | { reason: string } {
  const { group, foundation, boundaries } = machine.severity as NonNullable<MachineModel['severity']>;
  zoneBoundaries(group, foundation, boundaries);
  if (rateHz / 2 < highHz) {
    return {
      reason: `rateHz: the ISO 20816-3 band reaches ${highHz} Hz, above the Nyquist frequency of a block sampled at ${rateHz} Hz (${rateHz / 2} Hz)`,
    };
  }
  const options = { unit: machine.unit ?? 'm/s²', group, foundation, boundaries, lowHz, highHz };
  try {
    return velocitySeverity(samples, rateHz, options, spectrum);
  } catch (error) {
    // The class and unit are checked: what is left is the block's.
    if (error instanceof RangeError) return { reason: error.message };
    throw error;
  }
}

function shaftMessage(fault: FaultName, e: Record<string, number>): string {
  const hz = (v: number) => `${v.toFixed(1)} Hz`;
  if (fault === 'imbalance') {
    return `imbalance suspected: 1× at ${hz(e.hz1x)} dominates, ${e.velocity1xMmPerS.toFixed(1)} mm/s, ${e.dominance.toFixed(1)}× the largest other order`;
  }
  if (fault === 'misalignment') {
    const axial = e.axialToRadial === undefined ? '' : `, axial/radial ${e.axialToRadial.toFixed(2)}`;
    return `misalignment suspected: 2× at ${hz(e.hz2x)} is ${e.ratio2xTo1x.toFixed(2)} of 1×, 1×–2× ${e.velocityMmPerS.toFixed(1)} mm/s${axial}`;
  }
  return `mechanical looseness suspected: ${e.harmonics} running-speed harmonics above 2× and ${e.halfOrders} half orders stand out`;
}
