import { describe, expect, it } from 'vitest';
import { sine } from '../../test/helpers/signals.ts';
import {
  bandEnergies,
  cachedWindowLengths,
  dominantFrequency,
  powerSpectrum,
  SPECTRUM_CACHE_ENTRIES,
} from './spectrum.ts';

describe('powerSpectrum', () => {
  it('puts the peak at the sine frequency, on a bin and between bins', () => {
    const rate = 12_800;
    for (const hz of [400, 437.5, 1234]) {
      const s = powerSpectrum(sine(1, hz, rate, 4096), rate);
      expect(s.resolutionHz).toBeCloseTo(3.125, 9);
      expect(Math.abs((dominantFrequency(s) as number) - hz)).toBeLessThan(s.resolutionHz / 2);
    }
  });

  it('sums to the variance (Parseval), so a sine of amplitude A carries A²/2', () => {
    const values = sine(2, 100, 1000, 1000, 5);
    const s = powerSpectrum(values, 1000);
    const total = s.power.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(2, 1);
  });

  it('zero-pads blocks whose length is not a power of two', () => {
    const s = powerSpectrum(sine(1, 50, 1000, 1000), 1000);
    expect(s.power.length).toBe(1024 / 2 + 1);
    expect(Math.abs((dominantFrequency(s) as number) - 50)).toBeLessThan(0.5);
  });

  it('has no dominant frequency for a flat block', () => {
    expect(dominantFrequency(powerSpectrum([1, 1, 1, 1, 1, 1, 1, 1], 100))).toBeNull();
  });
});

describe('bandEnergies', () => {
  it('assigns each tone to its band with its power A²/2', () => {
    const rate = 2048;
    const a = sine(1, 60, rate, 2048);
    const b = sine(3, 300, rate, 2048);
    const values = a.map((v, i) => v + b[i]);
    const energies = bandEnergies(powerSpectrum(values, rate), [0, 50, 100, 200, 500, 1024]);
    expect(energies).toHaveLength(5);
    expect(energies[1]).toBeCloseTo(0.5, 2);
    expect(energies[3]).toBeCloseTo(4.5, 2);
    expect(energies[0] + energies[2] + energies[4]).toBeLessThan(1e-3);
  });
});

describe('powerSpectrum at the ends of the double range', () => {
  it('keeps the power of huge and tiny tones whose squared transform would overflow or underflow', () => {
    const rate = 2048;
    for (const amplitude of [1e153, 1e-150]) {
      const s = powerSpectrum(sine(amplitude, 300, rate, 2048), rate);
      const energies = bandEnergies(s, [0, 200, 500, 1024]);
      expect(energies[1] / (amplitude * amplitude) / 0.5, String(amplitude)).toBeCloseTo(1, 6);
      expect(Math.abs((dominantFrequency(s) as number) - 300)).toBeLessThan(0.5);
    }
  });
});

describe('the spectrum’s caches', () => {
  it('stay bounded whatever block lengths clients send', () => {
    for (let n = 8; n < 8 + 3 * SPECTRUM_CACHE_ENTRIES; n++) powerSpectrum(new Array(n).fill(1), 100);
    expect(cachedWindowLengths()).toBe(SPECTRUM_CACHE_ENTRIES);
  });
});
