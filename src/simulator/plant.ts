/**
 * The machines of the simulated plant: what each one is (speed, bearing, structural resonance, ISO 20816-3
 * class), as the registry is told it, and the story of a fault that develops on one of them.
 */
import type { VibrationFault } from './vibration-faults.ts';

/** A machine of the plant. */
export interface PlantMachine {
  id: string;
  lineId: string;
  kind: string;
  name: string;
  /** Fixed running speed, rpm (induction machines on the grid, without a drive). */
  rpm: number;
  /** Catalogue designation of the bearing the accelerometer sits on, at the drive end. */
  bearing: string;
  /** Natural frequency of the housing resonance that bearing impacts excite, Hz (below 2 560 Hz, the Nyquist
   * frequency of the plant's 5 120 Hz accelerometers). */
  resonanceHz: number;
  temperatureC: number;
  currentA: number;
}

/** ISO 20816-3 class of every machine: group 2 (15–300 kW) on a rigid foundation. */
export const PLANT_SEVERITY_CLASS = { group: 2, foundation: 'rigid' } as const;
export const BEARING_LOCATION = 'drive end';

export const PLANT: readonly PlantMachine[] = [
  {
    id: 'pump-1',
    lineId: 'line-1',
    kind: 'pump',
    name: 'Feed pump 1',
    rpm: 1480,
    bearing: '6205',
    resonanceHz: 1850,
    temperatureC: 52,
    currentA: 31,
  },
  {
    // The 6205 at 1797 rpm: the operating point of the Case Western Reserve University bearing data, whose
    // published defect frequencies the docs check BPFO, BPFI, BSF and FTF against.
    id: 'pump-2',
    lineId: 'line-1',
    kind: 'pump',
    name: 'Feed pump 2',
    rpm: 1797,
    bearing: '6205',
    resonanceHz: 1900,
    temperatureC: 54,
    currentA: 32,
  },
  {
    id: 'motor-1',
    lineId: 'line-1',
    kind: 'motor',
    name: 'Conveyor motor 1',
    rpm: 1776,
    bearing: '6205',
    resonanceHz: 2100,
    temperatureC: 61,
    currentA: 48,
  },
  {
    id: 'fan-1',
    lineId: 'line-1',
    kind: 'fan',
    name: 'Exhaust fan 1',
    rpm: 972,
    bearing: '6203',
    resonanceHz: 1700,
    temperatureC: 38,
    currentA: 12,
  },
  {
    id: 'pump-3',
    lineId: 'line-2',
    kind: 'pump',
    name: 'Coolant pump 3',
    rpm: 1470,
    bearing: '6205',
    resonanceHz: 2000,
    temperatureC: 49,
    currentA: 29,
  },
  {
    id: 'motor-2',
    lineId: 'line-2',
    kind: 'motor',
    name: 'Mixer motor 2',
    rpm: 1482,
    bearing: '6205',
    resonanceHz: 2200,
    temperatureC: 64,
    currentA: 55,
  },
  {
    id: 'fan-2',
    lineId: 'line-2',
    kind: 'fan',
    name: 'Cooling fan 2',
    rpm: 744,
    bearing: '6203',
    resonanceHz: 1750,
    temperatureC: 36,
    currentA: 10,
  },
  {
    id: 'compressor-1',
    lineId: 'line-2',
    kind: 'compressor',
    name: 'Air compressor 1',
    rpm: 2946,
    bearing: '6205',
    resonanceHz: 2050,
    temperatureC: 72,
    currentA: 88,
  },
];

/** What a window or a block of a sensor holds: the asset's fault (or 'healthy') and its severity, 0..1. */
export interface FaultLabel {
  fault: VibrationFault;
  severity: number;
}

/**
 * A fault's story: none before `startSeconds`; from there its severity grows linearly to `peakSeverity` over
 * `growthSeconds`, and stays there. Returns the label at `second` of the run.
 */
export function storyLabel(
  fault: VibrationFault,
  second: number,
  startSeconds: number,
  growthSeconds: number,
  peakSeverity: number,
): FaultLabel {
  if (fault === 'healthy' || second < startSeconds) return { fault: 'healthy', severity: 0 };
  const grown = growthSeconds > 0 ? Math.min(1, (second - startSeconds) / growthSeconds) : 1;
  const severity = peakSeverity * grown;
  return severity > 0 ? { fault, severity } : { fault: 'healthy', severity: 0 };
}
