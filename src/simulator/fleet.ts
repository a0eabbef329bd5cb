import { catalogueBearing } from '../diagnostics/bearings.ts';
import { STANDARD_GRAVITY } from '../diagnostics/severity.ts';
import type { Asset, Reading, SensorKind } from '../domain/types.ts';
import { seededRandom } from '../lib/stats.ts';
import {
  BEARING_LOCATION,
  type FaultLabel,
  PLANT,
  PLANT_SEVERITY_CLASS,
  type PlantMachine,
  storyLabel,
} from './plant.ts';
import { synthesizeVibration, VIBRATION_FAULTS, type VibrationFault } from './vibration-faults.ts';

/**
 * A deterministic simulated plant: two lines of pumps, motors, fans and a compressor (see plant.ts). Vibration
 * comes as sample blocks of acceleration in g from `synthesizeVibration`: each machine's running-speed orders,
 * noise, and the fault story of one asset — by default pump-2's 6205 at the drive end (1797 rpm) develops an
 * outer-race defect from faultStartSeconds, growing to full severity over faultGrowthSeconds, its impacts
 * jittered by a slip of 1–2 % drawn from the seed. Temperature and current come as scalars.
 */

export interface FleetOptions {
  seed: number;
  siteId: string;
  /** Asset that develops the fault; null for a healthy fleet. */
  faultAssetId: string | null;
  /** What develops on it. */
  faultKind: VibrationFault;
  faultStartSeconds: number;
  /** Seconds for the fault to grow from nothing to faultPeakSeverity. */
  faultGrowthSeconds: number;
  /** Severity the fault reaches, 0..1. */
  faultPeakSeverity: number;
  vibrationRateHz: number;
  vibrationBlockSize: number;
}

export const defaultFleetOptions: FleetOptions = {
  seed: 42,
  siteId: 'plant-1',
  faultAssetId: 'pump-2',
  faultKind: 'outer-race',
  faultStartSeconds: 70,
  faultGrowthSeconds: 60,
  faultPeakSeverity: 1,
  vibrationRateHz: 5120,
  vibrationBlockSize: 4096,
};

/** Where each machine's speed comes from and its ISO 20816-3 class, as the registry stores it. */
export interface MachineSetting {
  speed: { source: 'fixed'; rpm: number };
  severity: { group: 2; foundation: 'rigid' };
}

/** Registry fields of the machine model (speed, bearings, axis) beside the asset's own. */
export type SimulatedSensor = Asset['sensors'][number] & {
  bearings?: { designation: string; location: string }[];
  axis?: 'radial';
};
export type SimulatedAsset = Omit<Asset, 'sensors'> & { machine: MachineSetting; sensors: SimulatedSensor[] };

/** Warming of a machine at full fault severity, °C. */
const FAULT_WARMING_C = 2;

const sensor = (
  assetId: string,
  suffix: string,
  kind: SensorKind,
  unit: string,
  rate: number,
  min: number,
  max: number,
): SimulatedSensor => ({
  id: `${assetId}.${suffix}`,
  assetId,
  kind,
  unit,
  sampleRateHz: rate,
  validMin: min,
  validMax: max,
});

/** The plant's assets with their machine model: fixed speed, ISO class, the bearing under each accelerometer. */
export function fleetAssets(options: FleetOptions = defaultFleetOptions): SimulatedAsset[] {
  return PLANT.map((m) => ({
    id: m.id,
    siteId: options.siteId,
    lineId: m.lineId,
    name: m.name,
    kind: m.kind,
    machine: { speed: { source: 'fixed', rpm: m.rpm }, severity: { ...PLANT_SEVERITY_CLASS } },
    sensors: [
      {
        ...sensor(m.id, 'vib', 'vibration', 'g', options.vibrationRateHz, -50, 50),
        bearings: [{ designation: m.bearing, location: BEARING_LOCATION }],
        axis: 'radial',
      },
      sensor(m.id, 'temp', 'temperature', '°C', 1, -40, 200),
      sensor(m.id, 'current', 'current', 'A', 1, 0, 500),
    ],
  }));
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Generates each second's readings; the same seed and second always give the same values. */
export class Fleet {
  readonly options: FleetOptions;
  readonly assets: SimulatedAsset[];
  /** Impact jitter of the fault, a fraction of the impact period from 1 % to 2 %, drawn from the seed. */
  readonly slip: number;

  /** @throws RangeError naming `faultAssetId`, `faultKind` or `faultPeakSeverity` when out of range. */
  constructor(options: Partial<FleetOptions> = {}) {
    this.options = { ...defaultFleetOptions, ...options };
    const o = this.options;
    if (o.faultAssetId !== null && !PLANT.some((m) => m.id === o.faultAssetId)) {
      throw new RangeError(
        `faultAssetId: expected one of ${PLANT.map((m) => m.id).join(', ')} or null, got ${JSON.stringify(o.faultAssetId)}`,
      );
    }
    if (!VIBRATION_FAULTS.includes(o.faultKind)) {
      throw new RangeError(
        `faultKind: expected one of ${VIBRATION_FAULTS.join(', ')}, got ${JSON.stringify(o.faultKind)}`,
      );
    }
    if (typeof o.faultPeakSeverity !== 'number' || !(o.faultPeakSeverity >= 0 && o.faultPeakSeverity <= 1)) {
      throw new RangeError(`faultPeakSeverity: expected a number from 0 to 1, got ${o.faultPeakSeverity}`);
    }
    this.assets = fleetAssets(this.options);
    this.slip = 0.01 + 0.01 * seededRandom(o.seed * 7_919 + 17)();
  }

  /**
   * The fault and its severity on `assetId` at `second` of the run (seconds since its start, the `second` of
   * `readings`); 'healthy' with severity 0 on every other asset, and before the fault starts. Every sensor of
   * the asset shares the label (the vibration shows the fault, the temperature its warming); `sensorId` must
   * be one of the asset's.
   * @throws RangeError naming `sensorId` when it is not a sensor of `assetId`.
   */
  labelAt(assetId: string, sensorId: string, second: number): FaultLabel {
    const asset = this.assets.find((a) => a.id === assetId);
    if (!asset?.sensors.some((s) => s.id === sensorId)) {
      throw new RangeError(
        `sensorId: ${JSON.stringify(sensorId)} is not a sensor of asset ${JSON.stringify(assetId)}`,
      );
    }
    const o = this.options;
    if (assetId !== o.faultAssetId) return { fault: 'healthy', severity: 0 };
    return storyLabel(o.faultKind, second, o.faultStartSeconds, o.faultGrowthSeconds, o.faultPeakSeverity);
  }

  /** Every sensor's readings for one second of the run, starting at startTs + second. */
  readings(second: number, startTs: number): Reading[] {
    return PLANT.flatMap((_, index) => this.machineReadings(index, second, startTs));
  }

  /**
   * One asset's readings (vibration block, temperature, current) for one second of the run.
   * @throws RangeError naming `assetId` when it is not an asset of the plant.
   */
  assetReadings(assetId: string, second: number, startTs: number): Reading[] {
    const index = PLANT.findIndex((m) => m.id === assetId);
    if (index < 0) throw new RangeError(`assetId: ${JSON.stringify(assetId)} is not an asset of the plant`);
    return this.machineReadings(index, second, startTs);
  }

  private machineReadings(index: number, second: number, startTs: number): Reading[] {
    const m = PLANT[index];
    const ts = startTs + second * 1000;
    const next = seededRandom(this.options.seed * 1_000_003 + index * 7_919 + second * 104_729);
    const label = this.labelAt(m.id, `${m.id}.vib`, second);
    return [
      {
        sensorId: `${m.id}.vib`,
        ts,
        rateHz: this.options.vibrationRateHz,
        values: this.vibration(m, index, second, label),
      },
      {
        sensorId: `${m.id}.temp`,
        ts,
        value: round(m.temperatureC + FAULT_WARMING_C * label.severity + 0.3 * gaussian(next), 2),
      },
      { sensorId: `${m.id}.current`, ts, value: round(m.currentA * (1 + 0.01 * gaussian(next)), 2) },
    ];
  }

  /** The accelerometer's block at `second`, in g rounded to 0.1 mg (a 16-bit ±3 g converter resolves 0.09 mg). */
  private vibration(m: PlantMachine, index: number, second: number, label: FaultLabel): number[] {
    const { vibrationRateHz: rateHz, vibrationBlockSize: samples, seed } = this.options;
    const block = synthesizeVibration({
      rateHz,
      samples,
      startSeconds: second,
      shaftHz: m.rpm / 60,
      bearing: catalogueBearing(m.bearing),
      fault: label.fault,
      severity: label.severity,
      resonanceHz: m.resonanceHz,
      slip: this.slip,
      seed: seed * 31 + index,
    });
    const values = new Array<number>(samples);
    for (let i = 0; i < samples; i++) values[i] = round(block[i] / STANDARD_GRAVITY, 4);
    return values;
  }
}
