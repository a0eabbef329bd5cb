import { describe, expect, it } from 'vitest';
import { bearingCatalogue } from '../diagnostics/bearings.ts';
import { bandEnergies, powerSpectrum } from '../pipeline/spectrum.ts';
import { synthesizeVibration, type VibrationScenario } from './vibration-faults.ts';

const RATE = 12_800;
const bearing = bearingCatalogue['6205'];
const base: VibrationScenario = {
  rateHz: RATE,
  samples: RATE,
  startSeconds: 0,
  shaftHz: 25,
  bearing,
  fault: 'healthy',
  severity: 0,
  seed: 1,
};

/** Amplitude of the tone at `hz` in `x`, by projection: exact for whole cycles in the block. */
function toneAmplitude(x: ArrayLike<number>, hz: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    re += x[i] * Math.cos((2 * Math.PI * hz * i) / RATE);
    im += x[i] * Math.sin((2 * Math.PI * hz * i) / RATE);
  }
  return (2 * Math.hypot(re, im)) / x.length;
}

/** Sample indices where |x| first exceeds `level` after at least `gap` samples below it: impact onsets. */
function onsets(x: ArrayLike<number>, level: number, gap: number): number[] {
  const found: number[] = [];
  let quiet = gap;
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]) > level) {
      if (quiet >= gap) found.push(i);
      quiet = 0;
    } else quiet++;
  }
  return found;
}

describe('synthesizeVibration', () => {
  it('is a function of the seed: the same scenario gives the same block, another seed another', () => {
    const a = synthesizeVibration({ ...base, fault: 'outer-race', severity: 0.5 });
    expect(synthesizeVibration({ ...base, fault: 'outer-race', severity: 0.5 })).toEqual(a);
    expect(synthesizeVibration({ ...base, fault: 'outer-race', severity: 0.5, seed: 2 })).not.toEqual(a);
  });

  it('joins consecutive blocks without a seam: two halves equal the whole', () => {
    const scenario: VibrationScenario = {
      ...base,
      fault: 'inner-race',
      severity: 0.7,
      samples: 4096,
      startSeconds: 3,
    };
    const whole = synthesizeVibration(scenario);
    const first = synthesizeVibration({ ...scenario, samples: 2048 });
    const second = synthesizeVibration({ ...scenario, samples: 2048, startSeconds: 3 + 2048 / RATE });
    const joined = [...first, ...second];
    for (let i = 0; i < 4096; i++) expect(joined[i]).toBeCloseTo(whole[i], 9);
  });

  it('keeps a healthy machine to its small 1× and 2× and the noise asked for', () => {
    const quiet = synthesizeVibration({ ...base, noise: 0 });
    expect(toneAmplitude(quiet, 25)).toBeCloseTo(0.3, 9);
    expect(toneAmplitude(quiet, 50)).toBeCloseTo(0.06, 9);
    const noisy = synthesizeVibration({ ...base, noise: 0.2 });
    const residual = noisy.map((v, i) => v - quiet[i]);
    const rms = Math.sqrt(residual.reduce((s, v) => s + v * v, 0) / residual.length);
    // 12 800 samples: the r.m.s. of the noise is within a few per cent of σ.
    expect(rms).toBeGreaterThan(0.19);
    expect(rms).toBeLessThan(0.21);
  });

  it('models imbalance as a 1× of 0.3 + 3·severity m/s², misalignment as a strong 2×', () => {
    const imbalance = synthesizeVibration({ ...base, fault: 'imbalance', severity: 0.5, noise: 0 });
    expect(toneAmplitude(imbalance, 25)).toBeCloseTo(1.8, 9);
    const misaligned = synthesizeVibration({ ...base, fault: 'misalignment', severity: 1, noise: 0 });
    expect(toneAmplitude(misaligned, 25)).toBeCloseTo(1.3, 9);
    expect(toneAmplitude(misaligned, 50)).toBeCloseTo(2.56, 9);
    const axial = synthesizeVibration({
      ...base,
      fault: 'misalignment',
      severity: 1,
      noise: 0,
      channel: 'axial',
    });
    expect(toneAmplitude(axial, 50)).toBeCloseTo(0.8 * 2.56, 9);
  });

  it('models looseness as harmonics up to 10× and half orders', () => {
    // Two seconds: whole cycles of the half orders too.
    const loose = synthesizeVibration({
      ...base,
      fault: 'looseness',
      severity: 1,
      noise: 0,
      samples: 2 * RATE,
    });
    for (let h = 3; h <= 10; h++) expect(toneAmplitude(loose, 25 * h)).toBeCloseTo(0.8 * 0.85 ** (h - 1), 9);
    expect(toneAmplitude(loose, 12.5)).toBeCloseTo(0.4, 9);
    expect(toneAmplitude(loose, 37.5)).toBeCloseTo(0.4 * 0.85, 9);
  });

  it('strikes the outer race at BPFO, each impact jittered by at most the slip', () => {
    const bpfo = 3.5848 * 25; // CWRU table, orders of the 6205
    const x = synthesizeVibration({ ...base, fault: 'outer-race', severity: 1, noise: 0, slip: 0.015 });
    const found = onsets(x, 3, 40);
    // One second: BPFO impacts, give or take the one at the edge.
    expect(Math.abs(found.length - bpfo)).toBeLessThanOrEqual(1);
    const period = RATE / bpfo;
    for (const i of found) {
      const k = Math.round(i / period);
      // Jitter ≤ 1.5 % of the period, plus the sample or two the ring takes to cross the level.
      expect(Math.abs(i - k * period)).toBeLessThanOrEqual(0.015 * period + 3);
    }
  });

  it('rings the impacts at the resonance, and modulates inner-race impacts once per turn', () => {
    const healthy = synthesizeVibration({ ...base, noise: 0 });
    const x = synthesizeVibration({ ...base, fault: 'inner-race', severity: 1, noise: 0, resonanceHz: 4000 });
    const impacts = x.map((v, i) => v - healthy[i]);
    const [below1k, , around4k] = bandEnergies(powerSpectrum(impacts, RATE), [0, 1000, 3500, 4500]);
    expect(around4k).toBeGreaterThan(1000 * below1k);
    // Peak of each impact: the load zone swings it between 0.2 and 1 of the full 10 m/s².
    const peaks = onsets(impacts, 0.5, 40).map((i) => Math.max(...impacts.slice(i, i + 40).map(Math.abs)));
    expect(Math.max(...peaks)).toBeGreaterThan(9);
    expect(Math.min(...peaks)).toBeLessThan(3);
  });

  it('names the field of a bad scenario', () => {
    expect(() => synthesizeVibration({ ...base, rateHz: 0 })).toThrow(/rateHz/);
    expect(() => synthesizeVibration({ ...base, samples: 1.5 })).toThrow(/samples/);
    expect(() => synthesizeVibration({ ...base, severity: 2 })).toThrow(/severity/);
    expect(() => synthesizeVibration({ ...base, fault: 'rust' as never })).toThrow(/fault: expected one of/);
    expect(() => synthesizeVibration({ ...base, resonanceHz: 7000 })).toThrow(/resonanceHz/);
    expect(() => synthesizeVibration({ ...base, slip: 0.6 })).toThrow(/slip/);
    expect(() => synthesizeVibration({ ...base, bearing: { ...bearing, rollingElements: 1 } })).toThrow(
      /rollingElements/,
    );
  });
});
