/**
 * Named diagnoses of one vibration block: bearing defects from the envelope spectrum (outer race, inner race,
 * rolling element, cage) and shaft faults from the running-speed orders (imbalance, misalignment, looseness),
 * each with a confidence, the numbers it rests on and a one-line message an analyst can act on.
 */
import { type PowerSpectrum, powerSpectrum } from '../pipeline/spectrum.ts';
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
  type MachineGroup,
  type VelocitySeverity,
  velocitySeverity,
  type ZoneBoundaries,
} from './severity.ts';
import { orderPeaks, type ShaftFaultOptions, shaftFindings } from './shaft-faults.ts';
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

export interface BlockDiagnosis {
  speed: RunningSpeed;
  /** The envelope band; null when there was no speed to look for defect frequencies at. */
  band: EnvelopeBand | null;
  bearings: BearingFeatures[];
  /** Velocity severity; null when the machine has no ISO class; the reason when the block cannot give it. */
  severity: VelocitySeverity | { reason: string } | null;
  diagnoses: Diagnosis[];
}

const FAULT_OF: Record<BearingDefect, FaultName> = {
  bpfo: 'outer-race',
  bpfi: 'inner-race',
  rollingElement: 'rolling-element',
  ftf: 'cage',
};
const LABEL_OF: Record<BearingDefect, string> = {
  bpfo: 'BPFO',
  bpfi: 'BPFI',
  rollingElement: '2×BSF',
  ftf: 'FTF',
};
/** A harmonic or sideband counts as a second symptom from this level, dB above floor. */
const SUPPORT_DB = 6;
/** A fundamental this strong is named without a second symptom. */
const ALONE_DB = 15;

/**
 * Diagnoses the acceleration block `samples` (at `rateHz` Hz, in `machine.unit`) of `machine`: running speed
 * (see `runningSpeed`), envelope spectrum (see `envelopeSpectrum`) and each bearing's envelope features (see
 * `envelopeFeatures`), shaft orders (see `orderPeaks`), velocity severity (see `velocitySeverity`) when the
 * machine has an ISO class, and the diagnoses, strongest first.
 *
 * A bearing defect is named when its fundamental stands `minDb` (12 dB) above the envelope floor and a second
 * symptom (another harmonic, or for BPFI a ±1× sideband pair, at 6 dB) backs it, or the fundamental alone
 * reaches 14 dB. A cage finding on a bearing whose rolling element is named is left out, as is an inner-race
 * finding whose peak is one of the ball defect's cage sidebands: a ball defect's impacts are modulated at the
 * cage frequency. Shaft faults: see `shaftFindings`.
 * @throws RangeError naming the field: `samples`, `rateHz`, `machine.speed` fields, `bearings[i].designation` or
 * geometry, `unit`, severity class, options out of range.
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
  const spectrum = powerSpectrum(samples, rateHz);
  const speed = runningSpeed(machine.speed, { sensorRpm: options.sensorRpm, spectrum });
  // One spectrum serves the speed, the shaft orders and the velocity severity.
  const severity = machine.severity ? severityOf(samples, rateHz, machine, spectrum) : null;
  if (speed.hz === null) return { speed, band: null, bearings: [], severity, diagnoses: [] };
  const shaftHz = speed.hz;

  const diagnoses: Diagnosis[] = [];
  const orders = orderPeaks(spectrum, shaftHz, options.tolerance);
  const axialOrders = options.axial
    ? orderPeaks(powerSpectrum(options.axial, rateHz), shaftHz, options.tolerance)
    : null;
  for (const f of shaftFindings(orders, shaftHz, unitToMs2, axialOrders, options)) {
    diagnoses.push({ ...f, message: shaftMessage(f.fault, f.evidence) });
  }

  let band: EnvelopeBand | null = null;
  const results: BearingFeatures[] = [];
  if (bearings.length > 0) {
    const all = bearings.map((b) => defectFrequencies(b.geometry, shaftHz));
    // The band must pass the sidebands of the highest harmonic looked for; it must start above the shaft orders.
    const highest =
      Math.max(...all.map((f) => Math.max(f.bpfi, 2 * f.bsf))) * (options.harmonics ?? 3) + shaftHz;
    const envelope = envelopeSpectrum(samples, rateHz, {
      band: options.band,
      minBandHz: Math.min(rateHz / 8, 2 * highest),
      minLowHz: options.minLowHz ?? Math.min(rateHz / 4, Math.max(1000, 12 * shaftHz)),
    });
    band = envelope.band;
    bearings.forEach((b, i) => {
      const features = envelopeFeatures(envelope, all[i], shaftHz, options);
      results.push({ bearing: b.label, frequencies: all[i], features });
      const found = features.flatMap((f) => bearingDiagnosis(f, b.label, shaftHz, minDb) ?? []);
      const ballDefect = found.some((d) => d.fault === 'rolling-element');
      const explained = (d: Diagnosis) =>
        ballDefect &&
        (d.fault === 'cage' ||
          (d.fault === 'inner-race' &&
            nearBallSideband(d.evidence.foundHz, all[i], envelope.resolutionHz, options)));
      diagnoses.push(...found.filter((d) => !explained(d)));
    });
  }
  diagnoses.sort((a, b) => b.confidence - a.confidence);
  return { speed, band, bearings: results, severity, diagnoses };
}

/**
 * Whether `hz` is one of a ball defect's cage sidebands, h·2BSF ± n·FTF (h = 1…3, n = 1, 2), within the
 * tolerance and a bin: for some geometries (the 6205's 2BSF + 2FTF lies 1.7 % from BPFI) those fall where BPFI
 * is looked for.
 */
function nearBallSideband(
  hz: number,
  f: DefectFrequencies,
  resolutionHz: number,
  options: DiagnoseOptions,
): boolean {
  const tolerance = options.tolerance ?? 0.02;
  for (let h = 1; h <= 3; h++) {
    for (const n of [-2, -1, 1, 2]) {
      const line = h * 2 * f.bsf + n * f.ftf;
      if (Math.abs(hz - line) <= tolerance * line + resolutionHz) return true;
    }
  }
  return false;
}

function resolveBearing(b: MachineBearing, i: number): { label: string; geometry: BearingGeometry } {
  if (typeof b?.designation !== 'string' || b.designation.trim() === '') {
    throw new RangeError(`bearings[${i}].designation: expected a bearing designation`);
  }
  const geometry = b.geometry ?? catalogueBearing(b.designation);
  checkGeometry(geometry);
  return { label: b.location ? `${b.designation.trim()} (${b.location})` : b.designation.trim(), geometry };
}

function severityOf(
  samples: ArrayLike<number>,
  rateHz: number,
  machine: MachineModel,
  spectrum: PowerSpectrum,
): VelocitySeverity | { reason: string } {
  const options = {
    unit: machine.unit ?? 'm/s²',
    ...(machine.severity as NonNullable<MachineModel['severity']>),
  };
  try {
    return velocitySeverity(samples, rateHz, options, spectrum);
  } catch (error) {
    // A block too short for the 10 Hz band edge still gets its envelope diagnosis; the class itself is checked.
    if (error instanceof RangeError && error.message.startsWith('values:')) return { reason: error.message };
    throw error;
  }
}

function bearingDiagnosis(
  f: DefectFeature,
  bearing: string,
  shaftHz: number,
  minDb: number,
): Diagnosis | null {
  const [fundamental, ...higher] = f.harmonics;
  if (!fundamental || fundamental.dbAboveFloor < minDb) return null;
  const harmonics = higher.filter((h) => h.dbAboveFloor >= SUPPORT_DB).length;
  const sidebandPairs = (f.sidebands ?? []).filter(
    ([lower, upper]) => lower.dbAboveFloor >= SUPPORT_DB && upper.dbAboveFloor >= SUPPORT_DB,
  ).length;
  if (harmonics + sidebandPairs === 0 && fundamental.dbAboveFloor < ALONE_DB) return null;
  const confidence = Math.min(
    1,
    0.4 + 0.03 * (fundamental.dbAboveFloor - minDb) + 0.15 * harmonics + 0.1 * Math.min(2, sidebandPairs),
  );
  const evidence: Record<string, number> = {
    expectedHz: f.expectedHz,
    foundHz: fundamental.foundHz,
    amplitude: fundamental.amplitude,
    dbAboveFloor: fundamental.dbAboveFloor,
    harmonics,
    shaftHz,
  };
  if (f.sidebands) evidence.sidebandPairs = sidebandPairs;
  const fault = FAULT_OF[f.defect];
  const label = LABEL_OF[f.defect];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const what = fault === 'rolling-element' ? 'rolling-element' : fault;
  let message =
    `${what} defect suspected on bearing ${bearing}: envelope peaks at ${fundamental.foundHz.toFixed(1)} Hz = ${label}` +
    (harmonics > 0 ? ` and ${plural(harmonics, 'harmonic')}` : '');
  if (f.sidebands && sidebandPairs > 0) message += ` with ±1× sidebands (${plural(sidebandPairs, 'pair')})`;
  message += `, ${Math.round(fundamental.dbAboveFloor)} dB above floor`;
  return { fault, bearing, confidence, evidence, message };
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
