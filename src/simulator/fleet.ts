import type { Asset, Reading, SensorKind } from '../domain/types.ts';

/**
 * A deterministic simulated plant: two lines of pumps, motors, fans and a compressor. Vibration comes as
 * sample blocks with running-speed harmonics and noise; temperature and current as scalars. One asset
 * develops an outer-race bearing fault: a tone at its ball-pass frequency that grows from faultStartSeconds.
 */

export interface FleetOptions {
  seed: number;
  siteId: string;
  /** Asset that develops the bearing fault; null for a healthy fleet. */
  faultAssetId: string | null;
  faultStartSeconds: number;
  /** Seconds for the fault tone to reach its full amplitude. */
  faultGrowthSeconds: number;
  vibrationRateHz: number;
  vibrationBlockSize: number;
}

export const defaultFleetOptions: FleetOptions = {
  seed: 42,
  siteId: 'plant-1',
  faultAssetId: 'pump-2',
  faultStartSeconds: 70,
  faultGrowthSeconds: 60,
  vibrationRateHz: 5120,
  vibrationBlockSize: 2048,
};

interface MachineModel {
  id: string;
  lineId: string;
  kind: string;
  name: string;
  /** Shaft speed in Hz. */
  shaftHz: number;
  /** Amplitudes in g of the 1×, 2× and 3× running-speed harmonics. */
  harmonics: [number, number, number];
  temperatureC: number;
  currentA: number;
}

const MACHINES: MachineModel[] = [
  {
    id: 'pump-1',
    lineId: 'line-1',
    kind: 'pump',
    name: 'Feed pump 1',
    shaftHz: 24.6,
    harmonics: [0.2, 0.08, 0.03],
    temperatureC: 52,
    currentA: 31,
  },
  {
    id: 'pump-2',
    lineId: 'line-1',
    kind: 'pump',
    name: 'Feed pump 2',
    shaftHz: 24.8,
    harmonics: [0.22, 0.07, 0.03],
    temperatureC: 54,
    currentA: 32,
  },
  {
    id: 'motor-1',
    lineId: 'line-1',
    kind: 'motor',
    name: 'Conveyor motor 1',
    shaftHz: 29.6,
    harmonics: [0.15, 0.1, 0.02],
    temperatureC: 61,
    currentA: 48,
  },
  {
    id: 'fan-1',
    lineId: 'line-1',
    kind: 'fan',
    name: 'Exhaust fan 1',
    shaftHz: 16.2,
    harmonics: [0.3, 0.05, 0.02],
    temperatureC: 38,
    currentA: 12,
  },
  {
    id: 'pump-3',
    lineId: 'line-2',
    kind: 'pump',
    name: 'Coolant pump 3',
    shaftHz: 24.5,
    harmonics: [0.18, 0.06, 0.02],
    temperatureC: 49,
    currentA: 29,
  },
  {
    id: 'motor-2',
    lineId: 'line-2',
    kind: 'motor',
    name: 'Mixer motor 2',
    shaftHz: 24.7,
    harmonics: [0.16, 0.09, 0.03],
    temperatureC: 64,
    currentA: 55,
  },
  {
    id: 'fan-2',
    lineId: 'line-2',
    kind: 'fan',
    name: 'Cooling fan 2',
    shaftHz: 12.4,
    harmonics: [0.25, 0.04, 0.02],
    temperatureC: 36,
    currentA: 10,
  },
  {
    id: 'compressor-1',
    lineId: 'line-2',
    kind: 'compressor',
    name: 'Air compressor 1',
    shaftHz: 49.1,
    harmonics: [0.35, 0.15, 0.06],
    temperatureC: 72,
    currentA: 88,
  },
];

/** Ball-pass frequency of the outer race, as a multiple of shaft speed, for a typical deep-groove bearing. */
const BPFO_ORDER = 3.57;
const FAULT_AMPLITUDE_G = 0.6;
const NOISE_G = 0.05;

const sensor = (
  assetId: string,
  suffix: string,
  kind: SensorKind,
  unit: string,
  rate: number,
  min: number,
  max: number,
) => ({
  id: `${assetId}.${suffix}`,
  assetId,
  kind,
  unit,
  sampleRateHz: rate,
  validMin: min,
  validMax: max,
});

export function fleetAssets(options: FleetOptions = defaultFleetOptions): Asset[] {
  return MACHINES.map((m) => ({
    id: m.id,
    siteId: options.siteId,
    lineId: m.lineId,
    name: m.name,
    kind: m.kind,
    sensors: [
      sensor(m.id, 'vib', 'vibration', 'g', options.vibrationRateHz, -50, 50),
      sensor(m.id, 'temp', 'temperature', '°C', 1, -40, 200),
      sensor(m.id, 'current', 'current', 'A', 1, 0, 500),
    ],
  }));
}

/** mulberry32: a tiny seeded generator, so that a seed always gives the same fleet. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Generates each second's readings; the same seed and second always give the same values. */
export class Fleet {
  readonly options: FleetOptions;
  readonly assets: Asset[];

  constructor(options: Partial<FleetOptions> = {}) {
    this.options = { ...defaultFleetOptions, ...options };
    this.assets = fleetAssets(this.options);
  }

  /** Fault amplitude in g at a second of the run. */
  faultAmplitude(assetId: string, second: number): number {
    const o = this.options;
    if (assetId !== o.faultAssetId || second < o.faultStartSeconds) return 0;
    return FAULT_AMPLITUDE_G * Math.min(1, (second - o.faultStartSeconds) / o.faultGrowthSeconds);
  }

  /** Every sensor's readings for one second of the run, starting at startTs + second. */
  readings(second: number, startTs: number): Reading[] {
    const ts = startTs + second * 1000;
    const out: Reading[] = [];
    MACHINES.forEach((m, index) => {
      const next = random(this.options.seed * 1_000_003 + index * 7_919 + second * 104_729);
      const fault = this.faultAmplitude(m.id, second);
      out.push({
        sensorId: `${m.id}.vib`,
        ts,
        rateHz: this.options.vibrationRateHz,
        values: this.vibration(m, ts, fault, next),
      });
      const warming = fault > 0 ? 2 * (fault / FAULT_AMPLITUDE_G) : 0;
      out.push({
        sensorId: `${m.id}.temp`,
        ts,
        value: round(m.temperatureC + warming + 0.3 * gaussian(next), 2),
      });
      out.push({
        sensorId: `${m.id}.current`,
        ts,
        value: round(m.currentA * (1 + 0.01 * gaussian(next)), 2),
      });
    });
    return out;
  }

  private vibration(m: MachineModel, ts: number, fault: number, next: () => number): number[] {
    const { vibrationRateHz: rate, vibrationBlockSize: n } = this.options;
    const t0 = ts / 1000;
    const bpfo = BPFO_ORDER * m.shaftHz;
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const t = t0 + i / rate;
      let v = 0;
      for (let h = 0; h < 3; h++) v += m.harmonics[h] * Math.sin(2 * Math.PI * (h + 1) * m.shaftHz * t + h);
      if (fault > 0) {
        // Impacts at the ball-pass frequency, modulated once per revolution, with a second harmonic.
        const modulation = 1 + 0.5 * Math.sin(2 * Math.PI * m.shaftHz * t);
        v += fault * modulation * (Math.sin(2 * Math.PI * bpfo * t) + 0.4 * Math.sin(4 * Math.PI * bpfo * t));
      }
      values[i] = round(v + NOISE_G * gaussian(next), 4);
    }
    return values;
  }
}
