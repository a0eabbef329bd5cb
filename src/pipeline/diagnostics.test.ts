import { describe, expect, it } from 'vitest';
import { bearingCatalogue } from '../diagnostics/bearings.ts';
import { diagnoseBlock, type MachineModel } from '../diagnostics/diagnosis.ts';
import { severityZone, velocityRms, zoneBoundaries } from '../diagnostics/severity.ts';
import type { Sensor } from '../domain/types.ts';
import { synthesizeVibration, type VibrationFault } from '../simulator/vibration-faults.ts';
import { diagnoseWindow, MachineDirectory } from './diagnostics.ts';

const RATE = 12_800;
const N = 4096;
const SHAFT_HZ = 1797 / 60;
const machine: MachineModel = {
  speed: { source: 'fixed', rpm: 1797 },
  bearings: [{ designation: '6205', location: 'drive end' }],
  unit: 'm/s²',
  severity: { group: 2, foundation: 'rigid' },
};

function block(
  fault: VibrationFault,
  severity: number,
  index: number,
  seed = 11,
  channel: 'radial' | 'axial' = 'radial',
) {
  const values = synthesizeVibration({
    rateHz: RATE,
    samples: N,
    startSeconds: (index * N) / RATE,
    shaftHz: SHAFT_HZ,
    bearing: bearingCatalogue['6205'],
    fault,
    severity,
    seed,
    channel,
  });
  return { ts: index * 1000, values, rateHz: RATE };
}

describe('diagnoseWindow', () => {
  it('aggregates velocity, envelope levels and diagnoses over the blocks of a window', () => {
    const blocks = [0.3, 0.5, 0.7].map((s, i) => block('outer-race', s, i));
    const w = diagnoseWindow(blocks, machine);

    // Velocity: the root of the mean of the blocks' squared r.m.s. velocities, each taken on its own.
    const perBlock = blocks.map((b) => velocityRms(b.values, RATE, { unit: 'm/s²' }).mmPerS);
    const expected = Math.sqrt(perBlock.reduce((s, v) => s + v * v, 0) / perBlock.length);
    expect(w.velocityRms).toBeCloseTo(expected, 9);
    expect(w.severityZone).toBe(severityZone(expected, zoneBoundaries(2, 'rigid')));

    // BPFO level: the strongest fundamental of the blocks, each diagnosed alone.
    const alone = blocks.map((b) => diagnoseBlock(b.values, RATE, machine));
    const bpfoDb = alone.map(
      (d) => d.bearings[0].features.find((f) => f.defect === 'bpfo')?.harmonics[0].dbAboveFloor as number,
    );
    const bpfo = w.diagnostics.envelope.find((e) => e.defect === 'bpfo');
    expect(bpfo?.bearing).toBe('6205 (drive end)');
    expect(bpfo?.dbAboveFloor).toBe(Math.max(...bpfoDb));
    expect(bpfo?.expectedHz).toBeCloseTo(3.5848 * SHAFT_HZ, 1);

    expect(w.diagnostics.blocks).toBe(3);
    expect(w.diagnostics.skipped).toBeUndefined();
    expect(w.diagnostics.speed).toEqual({ source: 'fixed', hz: SHAFT_HZ, rpm: 1797 });
    expect(w.diagnostics.band).not.toBeNull();

    const outer = w.diagnostics.diagnoses.find((d) => d.fault === 'outer-race');
    const namedIn = alone.filter((d) => d.diagnoses.some((x) => x.fault === 'outer-race'));
    const best = Math.max(
      ...namedIn.map((d) => d.diagnoses.find((x) => x.fault === 'outer-race')?.confidence as number),
    );
    expect(namedIn.length).toBeGreaterThanOrEqual(2);
    expect(outer?.blocks).toBe(namedIn.length);
    expect(outer?.confidence).toBe(best);
    expect(outer?.bearing).toEqual({ designation: '6205', location: 'drive end' });
    expect(outer?.message).toMatch(
      /^outer-race defect suspected on bearing 6205 \(drive end\): envelope peaks at/,
    );
  });

  it('names no bearing defect on healthy blocks', () => {
    const w = diagnoseWindow(
      [0, 1].map((i) => block('healthy', 0, i)),
      machine,
    );
    expect(w.diagnostics.diagnoses.filter((d) => d.bearing)).toEqual([]);
    expect(w.severityZone).toBe('A');
  });

  it('keeps what the blocks declined, once per rule with the first reason and the blocks that declined it', () => {
    // 300 rpm on 3.125 Hz bins: the shaft orders lie 1.6 bins apart, unresolved.
    const slow: MachineModel = { ...machine, speed: { source: 'fixed', rpm: 300 } };
    const blocks = [0, 1, 2].map((i) => ({
      ts: i * 1000,
      rateHz: RATE,
      values: synthesizeVibration({
        rateHz: RATE,
        samples: N,
        startSeconds: (i * N) / RATE,
        shaftHz: 5,
        bearing: bearingCatalogue['6205'],
        fault: 'healthy',
        severity: 0,
        seed: 21 + i,
      }),
    }));
    const w = diagnoseWindow(blocks, slow);
    const expected = diagnoseBlock(blocks[0].values, RATE, slow).declined;
    expect(expected.length).toBeGreaterThan(0);
    expect(w.diagnostics.declined).toEqual(
      expected.map((d) => ({
        rule: d.rule,
        ...(d.bearing && { bearing: d.bearing }),
        reason: d.reason,
        blocks: 3,
      })),
    );
    expect(w.diagnostics.declined?.map((d) => d.rule)).toContain('shaft');
    // A window whose blocks declined nothing carries no list.
    expect(diagnoseWindow([block('outer-race', 0.6, 0)], machine).diagnostics.declined).toBeUndefined();
  });

  it('gives the reason of a block too short for the velocity band, its velocity left out', () => {
    const short = { ts: 5000, values: new Float64Array(64).fill(0.1), rateHz: RATE };
    const long = block('outer-race', 0.6, 0);
    const w = diagnoseWindow([short, long], machine);
    expect(w.diagnostics.blocks).toBe(2);
    expect(w.diagnostics.velocitySkipped?.blocks).toBe(1);
    expect(w.diagnostics.velocitySkipped?.reason).toMatch(
      /^values: 64 samples at 12800 Hz cannot resolve 10 Hz/,
    );
    expect(w.velocityRms).toBeCloseTo(velocityRms(long.values, RATE, { unit: 'm/s²' }).mmPerS, 9);
  });

  it('counts a block the diagnosis refuses with its reason instead of throwing', () => {
    const bad = block('healthy', 0, 1);
    bad.values[100] = Number.NaN;
    const w = diagnoseWindow([bad, block('outer-race', 0.6, 0)], machine);
    expect(w.diagnostics.blocks).toBe(1);
    expect(w.diagnostics.skipped?.blocks).toBe(1);
    expect(w.diagnostics.skipped?.reason).toBe('samples: sample 100 is NaN, not a finite number');
  });

  it('says why when no block had a speed', () => {
    const sensorSpeed: MachineModel = { ...machine, speed: { source: 'sensor', sensorId: 'rpm-1' } };
    const w = diagnoseWindow([block('outer-race', 0.6, 0)], sensorSpeed, { sensorRpm: null });
    expect(w.diagnostics.speed.hz).toBeNull();
    expect(w.diagnostics.speed.source).toBe('sensor');
    expect(w.diagnostics.speed.reason).toBeTruthy();
    expect(w.diagnostics.diagnoses).toEqual([]);
  });
});

describe('MachineDirectory', () => {
  const sensor = (over: Partial<Sensor>): Sensor => ({
    id: 'vib-1',
    assetId: 'pump-1',
    kind: 'vibration',
    unit: 'm/s²',
    sampleRateHz: RATE,
    validMin: -500,
    validMax: 500,
    ...over,
  });

  it('diagnoses vibration sensors in m/s² or g of assets with a machine model, with the speed sensor read', () => {
    const directory = new MachineDirectory();
    directory.update(
      [
        sensor({ bearings: [{ designation: '6205', location: 'drive end' }] }),
        sensor({ id: 'vib-2', unit: 'mm/s' }),
        sensor({ id: 'temp-1', kind: 'temperature', unit: '°C' }),
        sensor({ id: 'vib-3', assetId: 'fan-1' }),
        sensor({ id: 'rpm-1', kind: 'speed', unit: 'rpm' }),
      ],
      new Map([['pump-1', { speed: { source: 'sensor' as const, sensorId: 'rpm-1' } }]]),
    );
    expect(directory.modelOf('vib-1')?.bearings).toEqual([{ designation: '6205', location: 'drive end' }]);
    expect(directory.modelOf('vib-2')).toBeUndefined();
    expect(directory.modelOf('temp-1')).toBeUndefined();
    expect(directory.modelOf('vib-3')).toBeUndefined();

    const blocks = [block('outer-race', 0.6, 0)];
    expect(directory.diagnose('vib-1', blocks)?.diagnostics.speed.hz).toBeNull();
    expect(directory.speedSensorsWithoutReading()).toEqual(['rpm-1']);
    directory.observeSpeed('rpm-1', 1797, 30_000);
    directory.observeSpeed('other', 3000, 30_000);
    expect(directory.speedSensorsWithoutReading()).toEqual([]);
    // A backfilled older reading does not replace the latest.
    directory.observeSpeed('rpm-1', -7, 10_000);
    expect(directory.diagnose('vib-1', blocks)?.diagnostics.speed).toEqual({
      source: 'sensor',
      hz: SHAFT_HZ,
      rpm: 1797,
    });
    directory.observeSpeed('rpm-1', 1200, 40_000);
    expect(directory.diagnose('vib-1', blocks)?.diagnostics.speed.rpm).toBeCloseTo(1200, 9);
    expect(directory.diagnose('vib-3', blocks)).toBeNull();
  });

  it('diagnoses a radial sensor with the axial block of the same timestamp on its asset', () => {
    const directory = new MachineDirectory();
    const fixed = { speed: { source: 'fixed' as const, rpm: 1797 } };
    const driveEnd = [{ designation: '6205', location: 'drive end' }];
    directory.update(
      [
        sensor({ id: 'vib-r', axis: 'radial', bearings: driveEnd }),
        sensor({ id: 'vib-a', axis: 'axial', bearings: driveEnd }),
        sensor({
          id: 'vib-n',
          axis: 'radial',
          bearings: [{ designation: '6205', location: 'non-drive end' }],
        }),
        // Two axial sensors, none at its location: which one is ambiguous, so fan-1's radial goes unpaired.
        sensor({ id: 'fan-r', assetId: 'fan-1', axis: 'radial' }),
        sensor({ id: 'fan-a1', assetId: 'fan-1', axis: 'axial' }),
        sensor({ id: 'fan-a2', assetId: 'fan-1', axis: 'axial' }),
      ],
      new Map([
        ['pump-1', fixed],
        ['fan-1', fixed],
      ]),
    );
    const radial = [0, 1].map((i) => block('misalignment', 0.8, i, 7));
    const axial = [0, 1].map((i) => block('misalignment', 0.8, i, 7, 'axial'));
    const misalignment = (id: string, blocks: typeof radial) =>
      directory.diagnose(id, blocks)?.diagnostics.diagnoses.find((d) => d.fault === 'misalignment');

    // No axial block seen yet: diagnosed on the radial one alone.
    expect(misalignment('vib-r', radial)?.evidence.axialToRadial).toBeUndefined();
    for (const b of axial) {
      directory.observeBlock('vib-a', b.ts, b.values);
      directory.observeBlock('fan-a1', b.ts, b.values);
    }
    // The simulator's axial channel carries the shaft orders at 0.8 of the radial (vibration-faults.ts).
    expect(misalignment('vib-r', radial)?.evidence.axialToRadial).toBeCloseTo(0.8, 1);
    // Paired by bearing location: the non-drive end has no axial sensor there, and pump-1 has one axial in all.
    expect(misalignment('vib-n', radial)?.evidence.axialToRadial).toBeCloseTo(0.8, 1);
    expect(misalignment('fan-r', radial)?.evidence.axialToRadial).toBeUndefined();
    // A block of another timestamp is not simultaneous.
    const later = radial.map((b) => ({ ...b, ts: b.ts + 500 }));
    expect(misalignment('vib-r', later)?.evidence.axialToRadial).toBeUndefined();
  });

  it("keeps a retired sensor's model for the windows it still has open, and drops a removed machine model", () => {
    const directory = new MachineDirectory();
    const vib = sensor({ bearings: [{ designation: '6205', location: 'drive end' }] });
    const fixed = { speed: { source: 'fixed' as const, rpm: 1797 } };
    directory.update([vib], new Map([['pump-1', fixed]]));
    // Retired: no longer listed by the registry.
    directory.update([], new Map([['pump-1', fixed]]));
    const diagnosed = directory.diagnose('vib-1', [block('outer-race', 0.6, 0)]);
    expect(diagnosed?.velocityRms).toBeNull();
    expect(diagnosed?.diagnostics.diagnoses.map((d) => d.fault)).toContain('outer-race');
    // Still listed, but its asset's machine model was removed: no longer diagnosed.
    directory.update([vib], new Map([['pump-1', fixed]]));
    directory.update([vib], new Map());
    expect(directory.modelOf('vib-1')).toBeUndefined();
  });
});
