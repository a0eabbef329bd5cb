import { describe, expect, it } from 'vitest';
import { sine } from '../../test/helpers/signals.ts';
import {
  ISO_20816_3_ZONE_BOUNDARIES,
  type SeverityOptions,
  STANDARD_GRAVITY,
  severityZone,
  velocityRms,
  velocitySeverity,
  zoneBoundaries,
} from './severity.ts';

const RATE = 12_800;
const N = 12_800; // one second: the low end of the band is resolved finely

/** Closed form: acceleration A sin(2πft) (m/s²) is a velocity of amplitude A/(2πf) m/s, r.m.s. that over √2. */
const closedFormMmPerS = (amplitude: number, hz: number): number =>
  (amplitude / (2 * Math.PI * hz) / Math.SQRT2) * 1000;

const plus = (a: number[], b: number[]): number[] => a.map((v, i) => v + b[i]);

describe('velocityRms from acceleration', () => {
  it.each([
    [5, 24.7],
    [5, 159.15],
    [20, 733.3],
    [0.2, 50],
  ])('matches A/(2πf)/√2 within 1 per cent for a %s m/s² sine at %s Hz', (amplitude, hz) => {
    const v = velocityRms(sine(amplitude, hz, RATE, N, 0, 0.7), RATE, { unit: 'm/s²' });
    expect(Math.abs(v.mmPerS / closedFormMmPerS(amplitude, hz) - 1)).toBeLessThan(0.01);
    expect(v.bandHz).toEqual([10, 1000]);
  });

  it('gives 10 mm/s peak for 6.2832 m/s² at 100 Hz', () => {
    // 2π·100 Hz × 0.01 m/s = 6.2832 m/s²: a velocity of 10 mm/s peak, 7.071 mm/s r.m.s.
    const v = velocityRms(sine(2 * Math.PI, 100, RATE, N), RATE, { unit: 'm/s2' });
    expect(v.mmPerS).toBeCloseTo(10 / Math.SQRT2, 2);
  });

  it('reads g as 9.80665 m/s²', () => {
    const inG = velocityRms(sine(0.5, 80, RATE, N), RATE, { unit: 'g' });
    const inMs2 = velocityRms(sine(0.5 * STANDARD_GRAVITY, 80, RATE, N), RATE, { unit: 'm/s²' });
    expect(inG.mmPerS / inMs2.mmPerS).toBeCloseTo(1, 12);
    expect(Math.abs(inG.mmPerS / closedFormMmPerS(0.5 * 9.80665, 80) - 1)).toBeLessThan(0.01);
  });

  it('leaves out a sine below 10 Hz and one above 1000 Hz', () => {
    const inBand = sine(1, 100, RATE, N);
    const below = sine(1, 5, RATE, N); // alone it would be 31.8 mm/s r.m.s.
    const above = sine(50, 1500, RATE, N);
    const all = plus(plus(inBand, below), above);
    const v = velocityRms(all, RATE, { unit: 'm/s²' }).mmPerS;
    expect(Math.abs(v / closedFormMmPerS(1, 100) - 1)).toBeLessThan(0.01);
    expect(velocityRms(below, RATE, { unit: 'm/s²' }).mmPerS).toBeLessThan(0.01 * closedFormMmPerS(1, 5));
    expect(velocityRms(above, RATE, { unit: 'm/s²' }).mmPerS).toBeLessThan(0.01 * closedFormMmPerS(50, 1500));
  });

  it('counts a tone near a band edge partly, over the ±2 bins of the Hann main lobe', () => {
    // 4096 samples at 5120 Hz: bins of 1.25 Hz. A tone's power spreads over ±2 bins, so the edge is that wide.
    const rate = 5120;
    const share = (hz: number) =>
      velocityRms(sine(1, hz, rate, 4096, 0, 0.4), rate, { unit: 'm/s²' }).mmPerS / closedFormMmPerS(1, hz);
    // 3 bins and more outside: nothing of the main lobe is in the band.
    expect(share(10 - 3 * 1.25)).toBeLessThan(0.01);
    expect(share(1000 + 3 * 1.25)).toBeLessThan(0.01);
    // 3 bins and more inside: the whole main lobe (with the 0.5/(fT)² of a short block, 0.3 % at 13.75 Hz).
    expect(Math.abs(share(10 + 3 * 1.25) - 1)).toBeLessThan(0.01);
    expect(Math.abs(share(1000 - 3 * 1.25) - 1)).toBeLessThan(0.01);
    // On a bin at the edge, the bin and the one inside it count: Hann bins hold 1/4 ∶ 1/16 of a centred tone's
    // power, the edge bin 2/3 of it and each neighbour 1/6, so √(2/3 + 1/6) = 91.3 % of the velocity.
    expect(share(1000)).toBeCloseTo(Math.sqrt(2 / 3 + 1 / 6), 3);
    // A bin below the lower edge only the edge bin counts, 1/6 of the power at 10 Hz instead of 8.75 Hz: the
    // velocity's √(1/6) × 8.75 / 10 = 35.7 %.
    expect(share(10 - 1.25)).toBeCloseTo(Math.sqrt(1 / 6) * (8.75 / 10), 3);
  });

  it('ignores a constant offset (gravity on a vertical accelerometer)', () => {
    const withOffset = velocityRms(sine(1, 100, RATE, N, 9.81), RATE, { unit: 'm/s²' });
    expect(Math.abs(withOffset.mmPerS / closedFormMmPerS(1, 100) - 1)).toBeLessThan(0.01);
  });

  it('takes another band when asked: 2–1000 Hz for slow machines, over a block long enough for 5 Hz', () => {
    const rate = 2560;
    const fourSeconds = sine(1, 5, rate, 4 * rate);
    const v = velocityRms(fourSeconds, rate, { unit: 'm/s²', lowHz: 2 });
    expect(Math.abs(v.mmPerS / closedFormMmPerS(1, 5) - 1)).toBeLessThan(0.01);
    expect(v.bandHz).toEqual([2, 1000]);
  });

  it('over-reads a tone few cycles long by about 0.5/(fT)², as documented', () => {
    // 4096 samples at 12.8 kHz last T = 0.32 s; at 15 Hz, fT = 4.8 and the bias is about 2.2 %.
    for (const hz of [15, 30, 100]) {
      const ratio =
        velocityRms(sine(1, hz, RATE, 4096, 0, 0.3), RATE, { unit: 'm/s²' }).mmPerS / closedFormMmPerS(1, hz);
      const predicted = 1 + 0.5 / (hz * 0.32) ** 2;
      expect(Math.abs(ratio - predicted)).toBeLessThan(0.002);
    }
  });

  it.each([
    ['unit', [sine(1, 100, RATE, N), RATE, { unit: 'mm/s' }]],
    ['rateHz', [sine(1, 100, RATE, N), 0, { unit: 'g' }]],
    ['highHz', [sine(1, 100, 1000, 1000), 1000, { unit: 'g' }]],
    ['lowHz', [sine(1, 100, RATE, N), RATE, { unit: 'g', lowHz: -5 }]],
    ['values', [[0, 1, Number.NaN, 1], RATE, { unit: 'g' }]],
    ['values', [sine(1, 100, RATE, 1024), RATE, { unit: 'g' }]],
  ])('throws a RangeError naming %s', (field, args) => {
    const call = () => velocityRms(...(args as Parameters<typeof velocityRms>));
    expect(call).toThrow(RangeError);
    expect(call).toThrow(new RegExp(`^${field}: `));
  });

  it('says how long a block must be to resolve the band', () => {
    expect(() => velocityRms(sine(1, 100, RATE, 1024), RATE, { unit: 'g' })).toThrow(
      'values: 1024 samples at 12800 Hz cannot resolve 10 Hz; a block of at least 2560 samples is needed',
    );
  });
});

describe('ISO 20816-3 zones', () => {
  it('has the standard defaults for both groups and foundations', () => {
    expect(ISO_20816_3_ZONE_BOUNDARIES).toEqual({
      1: { rigid: { ab: 2.3, bc: 4.5, cd: 7.1 }, flexible: { ab: 3.5, bc: 7.1, cd: 11 } },
      2: { rigid: { ab: 1.4, bc: 2.8, cd: 4.5 }, flexible: { ab: 2.3, bc: 4.5, cd: 7.1 } },
    });
  });

  it.each([
    [0, 'A'],
    [1.4, 'A'],
    [1.4000001, 'B'],
    [2.8, 'B'],
    [2.8000001, 'C'],
    [4.5, 'C'],
    [4.5000001, 'D'],
    [40, 'D'],
  ])('puts %s mm/s (group 2, rigid) in zone %s: a boundary value stays in the zone below', (mmPerS, zone) => {
    expect(severityZone(mmPerS, zoneBoundaries(2, 'rigid'))).toBe(zone);
  });

  it('judges the same velocity by group and foundation', () => {
    expect(severityZone(4.1, zoneBoundaries(2, 'rigid'))).toBe('C');
    expect(severityZone(4.1, zoneBoundaries(2, 'flexible'))).toBe('B');
    expect(severityZone(4.1, zoneBoundaries(1, 'rigid'))).toBe('B');
    expect(severityZone(4.1, zoneBoundaries(1, 'flexible'))).toBe('B');
    expect(severityZone(7.1, zoneBoundaries(1, 'flexible'))).toBe('B');
    expect(severityZone(11.0, zoneBoundaries(1, 'flexible'))).toBe('C');
  });

  it('takes configured boundaries in place of the defaults', () => {
    const own = zoneBoundaries(2, 'rigid', { bc: 3.5 });
    expect(own).toEqual({ ab: 1.4, bc: 3.5, cd: 4.5 });
    expect(severityZone(3, own)).toBe('B');
  });

  it.each([
    ['group', () => zoneBoundaries(3 as 1, 'rigid')],
    ['foundation', () => zoneBoundaries(1, 'soft' as 'rigid')],
    ['boundaries.bc', () => zoneBoundaries(2, 'rigid', { bc: 1 })],
    ['boundaries.ab', () => zoneBoundaries(2, 'rigid', { ab: 0 })],
    ['boundaries.cd', () => zoneBoundaries(2, 'rigid', { cd: Number.NaN })],
    ['velocity', () => severityZone(-1, zoneBoundaries(2, 'rigid'))],
  ])('throws a RangeError naming %s', (field, call) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(new RegExp(`^${field.replace('.', '\\.')}: `));
  });
});

describe('velocitySeverity', () => {
  it('gives the velocity, the zone and what it was judged against', () => {
    // 4.1 mm/s r.m.s. at 50 Hz: acceleration amplitude 4.1e-3 × √2 × 2π × 50 m/s².
    const amplitude = 4.1e-3 * Math.SQRT2 * 2 * Math.PI * 50;
    const options: SeverityOptions = { unit: 'm/s²', group: 2, foundation: 'rigid' };
    const s = velocitySeverity(sine(amplitude, 50, RATE, N), RATE, options);
    expect(s.mmPerS).toBeCloseTo(4.1, 2);
    expect(s).toMatchObject({
      zone: 'C',
      group: 2,
      foundation: 'rigid',
      boundaries: { ab: 1.4, bc: 2.8, cd: 4.5 },
      bandHz: [10, 1000],
    });
  });
});
