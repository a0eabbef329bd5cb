import { describe, expect, it } from 'vitest';
import { sine } from '../../test/helpers/signals.ts';
import { powerOfTwoScale, timeDomainFeatures } from './features.ts';

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

describe('timeDomainFeatures at the ends of the double range', () => {
  const relative = (actual: number | null, expected: number) =>
    expect(Math.abs((actual as number) / expected - 1)).toBeLessThan(1e-14);

  it('gives two readings of 1e200 an RMS of 1e200 and a crest factor of 1', () => {
    const f = timeDomainFeatures([[1e200], [1e200]]);
    expect(f).toMatchObject({ count: 2, mean: 1e200, min: 1e200, max: 1e200, std: 0, peakToPeak: 0 });
    relative(f.rms, 1e200);
    expect(f.crestFactor).toBe(1);
    expect(f.skewness).toBeNull();
    expect(f.kurtosis).toBeNull();
  });

  it('keeps tiny values: two readings of 1e-200 have an RMS of 1e-200', () => {
    const f = timeDomainFeatures([[1e-200, 1e-200]]);
    relative(f.mean, 1e-200);
    relative(f.rms, 1e-200);
    expect(f.crestFactor).toBe(1);
  });

  it('keeps the largest doubles and their sums: 1e308 twice, ±1.7e308', () => {
    const same = timeDomainFeatures([[1e308, 1e308]]);
    relative(same.mean, 1e308);
    relative(same.rms, 1e308);
    const opposite = timeDomainFeatures([[1.7e308, -1.7e308]]);
    expect(opposite.mean).toBe(0);
    relative(opposite.rms, 1.7e308);
    relative(opposite.std, 1.7e308);
    expect(opposite.crestFactor).toBe(1);
    expect(opposite.kurtosis).toBe(1);
    expect(opposite.skewness).toBe(0);
    // 3.4e308 is beyond the double range.
    expect(opposite.peakToPeak).toBe(Number.POSITIVE_INFINITY);
  });

  it('gives negative values their moments: -1e200 and -3e200', () => {
    const f = timeDomainFeatures([[-1e200, -3e200]]);
    relative(f.mean, -2e200);
    relative(f.std, 1e200);
    relative(f.rms, Math.sqrt(5) * 1e200);
    expect(f.crestFactor).toBeCloseTo(3 / Math.sqrt(5), 14);
    expect(f.skewness).toBe(0);
    expect(f.kurtosis).toBe(1);
  });

  it('gives the same shape statistics in any unit, from 1e-300 to 1e300', () => {
    const fixture = [2, 4, 4, 4, 5, 5, 7, 9];
    for (const unit of [1e-300, 1e-200, 1e-100, 1e100, 1e200, 1e300]) {
      const f = timeDomainFeatures([fixture.map((x) => x * unit)]);
      relative(f.mean, 5 * unit);
      relative(f.std, 2 * unit);
      relative(f.rms, Math.sqrt(29) * unit);
      expect(f.crestFactor, String(unit)).toBeCloseTo(9 / Math.sqrt(29), 12);
      expect(f.skewness, String(unit)).toBeCloseTo(5.25 / 8, 12);
      expect(f.kurtosis, String(unit)).toBeCloseTo(44.5 / 16, 12);
    }
  });

  it('measures a mix of huge and ordinary values by the huge ones', () => {
    const f = timeDomainFeatures([[1e200, 1, -1e200, 0]]);
    relative(f.rms, 1e200 / Math.SQRT2);
    expect(f.crestFactor).toBeCloseTo(Math.SQRT2, 14);
    expect(f.kurtosis).toBeCloseTo(2, 12);
  });

  it('scales by an exact power of two', () => {
    expect(powerOfTwoScale(1)).toBe(1);
    expect(powerOfTwoScale(3)).toBe(0.5);
    expect(powerOfTwoScale(0)).toBe(1);
    expect(powerOfTwoScale(Number.MAX_VALUE)).toBe(2 ** -1023);
    expect(powerOfTwoScale(Number.MIN_VALUE)).toBe(2 ** 1022);
    expect(powerOfTwoScale(Number.POSITIVE_INFINITY)).toBe(1);
  });
});
