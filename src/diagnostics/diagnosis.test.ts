import { describe, expect, it } from 'vitest';
import { bandEnergies, powerSpectrum } from '../pipeline/spectrum.ts';
import {
  synthesizeVibration,
  type VibrationFault,
  type VibrationScenario,
} from '../simulator/vibration-faults.ts';
import { bearingCatalogue } from './bearings.ts';
import { type BlockDiagnosis, diagnoseBlock, type MachineModel } from './diagnosis.ts';

const RATE = 12_800;
const N = 4096;
// The CWRU rig's drive-end 6205 at 1797 rpm, and its published defect frequencies in orders.
const SHAFT_HZ = 1797 / 60;
const ORDERS = { bpfo: 3.5848, bpfi: 5.4152, ballDefect: 4.7135, ftf: 0.39828 };
const BEARING_FAULTS = ['outer-race', 'inner-race', 'rolling-element', 'cage'];

const machine: MachineModel = {
  speed: { source: 'fixed', rpm: 1797 },
  bearings: [{ designation: '6205', location: 'drive end' }],
  severity: { group: 2, foundation: 'rigid' },
};

function block(fault: VibrationFault, severity: number, seed = 7, extra: Partial<VibrationScenario> = {}) {
  return synthesizeVibration({
    rateHz: RATE,
    samples: N,
    startSeconds: 12.5,
    shaftHz: SHAFT_HZ,
    bearing: bearingCatalogue['6205'],
    fault,
    severity,
    seed,
    ...extra,
  });
}

const named = (d: BlockDiagnosis) => d.diagnoses.map((x) => x.fault);
const bearingNamed = (d: BlockDiagnosis) => named(d).filter((f) => BEARING_FAULTS.includes(f));

describe('diagnoseBlock on bearing faults', () => {
  it('names the outer race at BPFO where impacts ring at 3 kHz, while the bands up to 1 kHz barely move', () => {
    const healthy = block('healthy', 0);
    // Impacts of 2.5 m/s² (a quarter of a developed spall's), ringing at 3 kHz with a damping ratio of 0.05.
    const faulty = block('outer-race', 0.25, 7, { resonanceHz: 3000 });
    const edges = [0, 50, 100, 200, 500, 1000, 2000, 5000];
    const before = bandEnergies(powerSpectrum(healthy, RATE), edges);
    const after = bandEnergies(powerSpectrum(faulty, RATE), edges);
    for (let b = 0; b < 5; b++) {
      expect(after[b] / before[b]).toBeGreaterThan(0.85);
      expect(after[b] / before[b]).toBeLessThan(1.15);
    }
    const below1k = (e: number[]) => e.slice(0, 5).reduce((s, v) => s + v, 0);
    expect(Math.abs(below1k(after) / below1k(before) - 1)).toBeLessThan(0.01);
    // Where the resonance is, the energy grows by two orders of magnitude.
    expect(after[6] / before[6]).toBeGreaterThan(100);
    expect(after[5] / before[5]).toBeGreaterThan(2);

    const d = diagnoseBlock(faulty, RATE, machine);
    expect(d.speed).toEqual({ source: 'fixed', hz: SHAFT_HZ, rpm: 1797 });
    expect(d.band?.chosenBy).toBe('kurtogram');
    // The most impulsive band lies at or above the resonance (above it, a struck resonance's acceleration is
    // flat up to the contact's bandwidth), far from the shaft orders.
    expect(d.band?.lowHz).toBeGreaterThanOrEqual(2000);
    expect(d.band?.kurtosis).toBeGreaterThan(1);
    expect(bearingNamed(d)).toEqual(['outer-race']);
    const outer = d.diagnoses[0];
    const bpfo = ORDERS.bpfo * SHAFT_HZ;
    expect(outer.bearing).toBe('6205 (drive end)');
    expect(outer.evidence.expectedHz).toBeCloseTo(bpfo, 1);
    expect(Math.abs(outer.evidence.foundHz - bpfo)).toBeLessThan(0.02 * bpfo);
    expect(outer.evidence.harmonics).toBe(2);
    expect(outer.evidence.dbAboveFloor).toBeGreaterThan(12);
    expect(outer.confidence).toBeGreaterThan(0.8);
    expect(outer.message).toMatch(
      /^outer-race defect suspected on bearing 6205 \(drive end\): envelope peaks at \d+\.\d Hz = BPFO and 2 harmonics, \d+ dB above floor$/,
    );
  });

  it('names the inner race at BPFI with its ±1× sidebands', () => {
    const d = diagnoseBlock(block('inner-race', 0.5), RATE, machine);
    expect(bearingNamed(d)).toEqual(['inner-race']);
    const inner = d.diagnoses.find((x) => x.fault === 'inner-race');
    const bpfi = ORDERS.bpfi * SHAFT_HZ;
    expect(Math.abs((inner?.evidence.foundHz ?? 0) - bpfi)).toBeLessThan(0.02 * bpfi);
    expect(inner?.evidence.sidebandPairs).toBeGreaterThanOrEqual(1);
    const features = d.bearings[0].features.find((f) => f.defect === 'bpfi');
    const pair = features?.sidebands?.[0];
    if (!pair) throw new Error('no BPFI sidebands');
    const [lower, upper] = pair;
    expect(lower.expectedHz).toBeCloseTo(bpfi - SHAFT_HZ, 0);
    expect(upper.expectedHz).toBeCloseTo(bpfi + SHAFT_HZ, 0);
    expect(lower.dbAboveFloor).toBeGreaterThan(6);
    expect(upper.dbAboveFloor).toBeGreaterThan(6);
    expect(inner?.message).toMatch(
      /inner-race defect suspected on bearing 6205 \(drive end\): .* = BPFI .*±1× sidebands/,
    );
  });

  it('names a rolling-element defect at 2 × BSF and a cage defect at FTF', () => {
    const ball = diagnoseBlock(block('rolling-element', 0.5), RATE, machine);
    expect(bearingNamed(ball)).toEqual(['rolling-element']);
    const found = ball.diagnoses.find((x) => x.fault === 'rolling-element')?.evidence.foundHz ?? 0;
    expect(Math.abs(found - ORDERS.ballDefect * SHAFT_HZ)).toBeLessThan(0.02 * ORDERS.ballDefect * SHAFT_HZ);
    const cage = diagnoseBlock(block('cage', 0.5), RATE, machine);
    expect(bearingNamed(cage)).toEqual(['cage']);
    const ftf = cage.diagnoses.find((x) => x.fault === 'cage')?.evidence.foundHz ?? 0;
    // FTF (12 Hz) is 4 bins of 3.125 Hz: the peak is found within a bin.
    expect(Math.abs(ftf - ORDERS.ftf * SHAFT_HZ)).toBeLessThanOrEqual(RATE / N);
  });

  it('names no bearing defect on healthy blocks, nor on imbalance', () => {
    for (let seed = 1; seed <= 10; seed++) {
      expect(bearingNamed(diagnoseBlock(block('healthy', 0, seed), RATE, machine))).toEqual([]);
      expect(bearingNamed(diagnoseBlock(block('imbalance', 0.6, seed), RATE, machine))).toEqual([]);
    }
  });
});

describe('diagnoseBlock on shaft faults', () => {
  it('names imbalance on a dominant 1×, with a speed estimated from the spectrum', () => {
    const estimated: MachineModel = { ...machine, speed: { source: 'estimated', minHz: 10, maxHz: 60 } };
    const d = diagnoseBlock(block('imbalance', 0.6), RATE, estimated);
    expect(d.speed.source).toBe('estimated');
    expect(d.speed.hz).toBeCloseTo(SHAFT_HZ, 0);
    expect(named(d)).toEqual(['imbalance']);
    // 1× of 0.3 + 3 × 0.6 = 2.1 m/s² at 29.95 Hz: 2.1 / √2 / (2π × 29.95) m/s = 7.89 mm/s r.m.s.
    expect(d.diagnoses[0].evidence.velocity1xMmPerS).toBeCloseTo(7.89, 0);
    expect(d.diagnoses[0].message).toMatch(/^imbalance suspected: 1× at 29\.\d Hz dominates, 7\.\d mm\/s/);
    // And the same 7.9 mm/s is ISO 20816-3 zone D for a group 2 machine on a rigid foundation (above 4.5).
    expect(d.severity).toMatchObject({ zone: 'D' });
  });

  it('names misalignment on a strong 2×, with the axial/radial ratio when an axial channel is given', () => {
    const radial = block('misalignment', 0.6);
    const axial = block('misalignment', 0.6, 8, { channel: 'axial' });
    const d = diagnoseBlock(radial, RATE, machine, { axial });
    expect(named(d)).toEqual(['misalignment']);
    const e = d.diagnoses[0].evidence;
    // 2× of 0.06 + 2.5 × 0.6 = 1.56 m/s² against 1× of 0.3 + 0.6 = 0.9 m/s².
    expect(e.ratio2xTo1x).toBeCloseTo(1.56 / 0.9, 1);
    expect(e.axialToRadial).toBeCloseTo(0.8, 1);
    expect(d.diagnoses[0].message).toMatch(
      /misalignment suspected: 2× at 59\.\d Hz is 1\.7\d of 1×.*axial\/radial 0\.8/,
    );
    const withoutAxial = diagnoseBlock(radial, RATE, machine);
    expect(withoutAxial.diagnoses[0].confidence).toBeLessThan(d.diagnoses[0].confidence);
  });

  it('names mechanical looseness on many harmonics and half orders', () => {
    const d = diagnoseBlock(block('looseness', 0.6), RATE, machine);
    expect(named(d)).toEqual(['looseness']);
    // 1× is 0.3 + 0.8 × 0.6 = 0.78 m/s²; an order counts from a tenth of it, 0.078. Harmonic h is
    // 0.48 × 0.85^(h−1): all of 3×…10× count. Half order h − ½ is half that: 0.5×…6.5× count, 7.5× does not.
    expect(d.diagnoses[0].evidence.harmonics).toBe(8);
    expect(d.diagnoses[0].evidence.halfOrders).toBe(7);
  });

  it('names nothing on a healthy machine', () => {
    expect(diagnoseBlock(block('healthy', 0), RATE, machine).diagnoses).toEqual([]);
  });
});

describe('diagnoseBlock inputs', () => {
  it('gives no diagnosis, and the reason, when there is no running speed', () => {
    const sensor: MachineModel = { ...machine, speed: { source: 'sensor', sensorId: 'p.speed' } };
    const d = diagnoseBlock(block('outer-race', 0.5), RATE, sensor);
    expect(d.speed).toMatchObject({ hz: null, reason: 'no reading yet from speed sensor p.speed' });
    expect(d.diagnoses).toEqual([]);
    expect(d.band).toBeNull();
    const withSpeed = diagnoseBlock(block('outer-race', 0.5), RATE, sensor, { sensorRpm: 1797 });
    expect(named(withSpeed)).toContain('outer-race');
  });

  it('keeps the envelope diagnosis of a block too short for the severity band, and says why', () => {
    const short = block('outer-race', 0.5).slice(0, 2048);
    const d = diagnoseBlock(short, RATE, machine);
    expect(d.severity).toMatchObject({ reason: expect.stringMatching(/^values: 2048 samples/) });
    expect(named(d)).toContain('outer-race');
  });

  it('uses a configured band and a bearing given by geometry', () => {
    const own: MachineModel = {
      speed: { source: 'fixed', rpm: 1797 },
      bearings: [{ designation: 'pump DE', geometry: bearingCatalogue['6205'] }],
    };
    const d = diagnoseBlock(block('outer-race', 0.5), RATE, own, { band: { lowHz: 2500, highHz: 3500 } });
    expect(d.band).toMatchObject({ lowHz: 2500, highHz: 3500, chosenBy: 'configured' });
    expect(d.diagnoses[0].message).toMatch(/^outer-race defect suspected on bearing pump DE:/);
    expect(d.severity).toBeNull();
  });

  it('names the field of a bad machine or option', () => {
    const x = block('healthy', 0);
    expect(() => diagnoseBlock(x, RATE, { ...machine, bearings: [{ designation: '9999' }] })).toThrow(
      /designation/,
    );
    expect(() => diagnoseBlock(x, RATE, { ...machine, speed: { source: 'fixed', rpm: -1 } })).toThrow(/rpm/);
    expect(() => diagnoseBlock(x, RATE, { ...machine, unit: 'mm' as never })).toThrow(/unit/);
    expect(() => diagnoseBlock(x, -1, machine)).toThrow(/rateHz/);
    expect(() => diagnoseBlock(x, RATE, machine, { minDb: -3 })).toThrow(/minDb/);
  });
});
