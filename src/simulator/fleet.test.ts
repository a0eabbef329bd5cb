import { describe, expect, it } from 'vitest';
import { bearingCatalogue, defectFrequencies } from '../diagnostics/bearings.ts';
import { diagnoseBlock } from '../diagnostics/diagnosis.ts';
import { isSampleBlock } from '../domain/types.ts';
import { machineOf } from './evaluation.ts';
import { Fleet } from './fleet.ts';

describe('simulated plant', () => {
  const fleet = new Fleet();
  const pump = fleet.assets.find((a) => a.id === 'pump-2');

  it("registers pump-2's machine model: 1797 rpm, its 6205 at the drive end, ISO group 2 rigid", () => {
    expect(pump?.machine).toEqual({
      speed: { source: 'fixed', rpm: 1797 },
      severity: { group: 2, foundation: 'rigid' },
    });
    expect(pump?.sensors.find((s) => s.id === 'pump-2.vib')?.bearings).toEqual([
      { designation: '6205', location: 'drive end' },
    ]);
  });

  it('labels its outer-race fault from the onset, growing to full severity', () => {
    expect(fleet.labelAt('pump-2', 'pump-2.vib', 69)).toEqual({ fault: 'healthy', severity: 0 });
    expect(fleet.labelAt('pump-2', 'pump-2.vib', 100)).toEqual({ fault: 'outer-race', severity: 0.5 });
    expect(fleet.labelAt('pump-2', 'pump-2.vib', 500)).toEqual({ fault: 'outer-race', severity: 1 });
    expect(fleet.labelAt('pump-1', 'pump-1.vib', 500)).toEqual({ fault: 'healthy', severity: 0 });
    expect(() => fleet.labelAt('pump-2', 'pump-1.vib', 0)).toThrow(/^sensorId: /);
    expect(fleet.slip).toBeGreaterThanOrEqual(0.01);
    expect(fleet.slip).toBeLessThanOrEqual(0.02);
  });

  it("sends blocks whose diagnosis names the outer race at the 6205's BPFO once the fault has grown", () => {
    const block = fleet.assetReadings('pump-2', 120, 0).find((r) => r.sensorId === 'pump-2.vib');
    if (!block || !isSampleBlock(block)) throw new Error('no block');
    expect(block.values).toHaveLength(fleet.options.vibrationBlockSize);
    const result = diagnoseBlock(block.values, block.rateHz, machineOf(pump as NonNullable<typeof pump>));
    const bpfo = defectFrequencies(bearingCatalogue['6205'], 1797 / 60).bpfo;
    expect(result.diagnoses[0].fault).toBe('outer-race');
    expect(result.diagnoses[0].evidence.foundHz).toBeCloseTo(bpfo, -0.5);
    const healthy = fleet.assetReadings('pump-2', 60, 0).find((r) => r.sensorId === 'pump-2.vib');
    if (!healthy || !isSampleBlock(healthy)) throw new Error('no block');
    expect(
      diagnoseBlock(healthy.values, healthy.rateHz, machineOf(pump as NonNullable<typeof pump>)).diagnoses,
    ).toEqual([]);
  });

  it('refuses an unknown fault asset or kind, naming the field', () => {
    expect(() => new Fleet({ faultAssetId: 'pump-9' })).toThrow(/^faultAssetId: /);
    expect(() => new Fleet({ faultKind: 'wear' as never })).toThrow(/^faultKind: /);
  });
});
