/**
 * Bearing diagnoses from envelope features: when a defect's peaks name it, with what confidence and message.
 */
import type { DefectFrequencies } from './bearings.ts';
import type { Diagnosis, FaultName } from './diagnosis.ts';
import { type BearingDefect, DEFECT_LABELS, type DefectFeature } from './envelope-features.ts';

const FAULT_OF: Record<BearingDefect, FaultName> = {
  bpfo: 'outer-race',
  bpfi: 'inner-race',
  rollingElement: 'rolling-element',
  ftf: 'cage',
};
/** A harmonic or sideband counts as a second symptom from this level, dB above floor. */
const SUPPORT_DB = 6;
/** A fundamental this strong is named without a second symptom. */
const ALONE_DB = 15;

/**
 * The diagnosis a defect's envelope feature `f` supports on `bearing` (its label) at `shaftHz`, or null: the
 * fundamental `minDb` above the floor and a second symptom (another harmonic, or for BPFI a ±1× sideband pair,
 * `SUPPORT_DB` above), or the fundamental alone `ALONE_DB` above.
 */
export function bearingDiagnosis(
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
  const label = DEFECT_LABELS[f.defect];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const what = fault === 'rolling-element' ? 'rolling-element' : fault;
  let message =
    `${what} defect suspected on bearing ${bearing}: envelope peaks at ${fundamental.foundHz.toFixed(1)} Hz = ${label}` +
    (harmonics > 0 ? ` and ${plural(harmonics, 'harmonic')}` : '');
  if (f.sidebands && sidebandPairs > 0) message += ` with ±1× sidebands (${plural(sidebandPairs, 'pair')})`;
  message += `, ${Math.round(fundamental.dbAboveFloor)} dB above floor`;
  return { fault, bearing, confidence, evidence, message };
}

/**
 * Whether `hz` is one of a ball defect's cage sidebands, h·2BSF ± n·FTF (h = 1…3, n = 1, 2), within the
 * tolerance and a bin: for some geometries (the 6205's 2BSF + 2FTF lies 1.7 % from BPFI) those fall where BPFI
 * is looked for.
 */
export function nearBallSideband(
  hz: number,
  f: DefectFrequencies,
  resolutionHz: number,
  tolerance = 0.02,
): boolean {
  for (let h = 1; h <= 3; h++) {
    for (const n of [-2, -1, 1, 2]) {
      const line = h * 2 * f.bsf + n * f.ftf;
      if (Math.abs(hz - line) <= tolerance * line + resolutionHz) return true;
    }
  }
  return false;
}
