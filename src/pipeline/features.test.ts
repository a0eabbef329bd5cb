import { describe, expect, it } from 'vitest';
import { sine } from '../../test/helpers/signals.ts';
import { timeDomainFeatures } from './features.ts';

describe('timeDomainFeatures', () => {
  it('matches a hand-worked fixture', () => {
    // x = 2 4 4 4 5 5 7 9: mean 5; deviations -3 -1 -1 -1 0 0 2 4;
    // m2 = 32/8 = 4, m3 = 42/8 = 5.25, m4 = 356/8 = 44.5; sum x^2 = 232.
    const f = timeDomainFeatures([[2, 4, 4, 4, 5, 5, 7, 9]]);
    expect(f.count).toBe(8);
    expect(f.mean).toBe(5);
    expect(f.min).toBe(2);
    expect(f.max).toBe(9);
    expect(f.std).toBe(2);
    expect(f.rms).toBeCloseTo(Math.sqrt(29), 12);
    expect(f.peakToPeak).toBe(7);
    expect(f.crestFactor).toBeCloseTo(9 / Math.sqrt(29), 12);
    expect(f.skewness).toBeCloseTo(5.25 / 8, 12);
    expect(f.kurtosis).toBeCloseTo(44.5 / 16, 12);
  });

  it('gives the same result over chunks as over one array', () => {
    const whole = timeDomainFeatures([[2, 4, 4, 4, 5, 5, 7, 9]]);
    expect(
      timeDomainFeatures([
        [2, 4],
        [4, 4, 5],
        [5, 7, 9],
      ]),
    ).toEqual(whole);
  });

  it('gives a sine of amplitude A an RMS of A/√2, crest factor √2, kurtosis 1.5, skewness 0', () => {
    const f = timeDomainFeatures([sine(3, 50, 1000, 1000)]);
    expect(f.rms).toBeCloseTo(3 / Math.SQRT2, 6);
    expect(f.std).toBeCloseTo(3 / Math.SQRT2, 6);
    expect(f.crestFactor).toBeCloseTo(Math.SQRT2, 3);
    expect(f.kurtosis).toBeCloseTo(1.5, 6);
    expect(f.skewness).toBeCloseTo(0, 6);
    expect(f.peakToPeak).toBeCloseTo(6, 3);
  });

  it('keeps precision on a large offset', () => {
    const f = timeDomainFeatures([sine(0.5, 10, 1000, 1000, 1e6)]);
    expect(f.std).toBeCloseTo(0.5 / Math.SQRT2, 6);
    expect(f.kurtosis).toBeCloseTo(1.5, 4);
  });

  it('has no shape statistics for a flat signal, and no crest factor at zero', () => {
    const flat = timeDomainFeatures([[4, 4, 4]]);
    expect(flat).toMatchObject({ mean: 4, std: 0, rms: 4, skewness: null, kurtosis: null, crestFactor: 1 });
    expect(timeDomainFeatures([[0, 0]]).crestFactor).toBeNull();
  });

  it('handles one value', () => {
    expect(timeDomainFeatures([[7]])).toMatchObject({ count: 1, mean: 7, std: 0, peakToPeak: 0 });
  });

  it('refuses an empty window', () => {
    expect(() => timeDomainFeatures([[]])).toThrow(RangeError);
  });
});
