import { describe, expect, it } from 'vitest';
import { envelopeSpectrum, hilbertEnvelope, kurtogram, NEGLIGIBLE_BAND_DB } from './envelope.ts';

const RATE = 12_800;
const N = 4096; // bins of 3.125 Hz

/** (1 + m cos 2π f_m t) cos 2π f_c t: its envelope is 1 + m cos 2π f_m t (for m < 1, f_m < f_c). */
function am(m: number, fm: number, fc: number, n = N): number[] {
  return Array.from({ length: n }, (_, i) => {
    const t = i / RATE;
    return (1 + m * Math.cos(2 * Math.PI * fm * t)) * Math.cos(2 * Math.PI * fc * t);
  });
}

/** Gaussian noise from a linear congruential generator and Box–Muller, reproducible. */
function noise(sigma: number, n: number, seed = 11): number[] {
  let state = seed;
  const next = () => {
    state = (1_103_515_245 * state + 12_345) % 2 ** 31;
    return (state + 1) / (2 ** 31 + 1);
  };
  return Array.from(
    { length: n },
    () => sigma * Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next()),
  );
}

const argmax = (a: ArrayLike<number>) => {
  let best = 1;
  for (let k = 2; k < a.length; k++) if (a[k] > a[best]) best = k;
  return best;
};

describe('hilbertEnvelope', () => {
  it('gives 1 + m·cos(2π f_m t) for an AM tone with whole cycles in the block, everywhere', () => {
    // f_c = 960 bins, f_m = 16 bins: the block is exactly periodic.
    const x = am(0.5, 50, 3000);
    const e = hilbertEnvelope(x, RATE);
    for (let i = 0; i < N; i++)
      expect(e[i]).toBeCloseTo(1 + 0.5 * Math.cos((2 * Math.PI * 50 * i) / RATE), 9);
  });

  it('is within 1 % of 1 + m·cos away from the ends when the block is not periodic', () => {
    const x = am(0.3, 47.3, 2990.7);
    const e = hilbertEnvelope(x, RATE, { lowHz: 2500, highHz: 3500 });
    let worst = 0;
    for (let i = Math.floor(0.1 * N); i < Math.floor(0.9 * N); i++) {
      const expected = 1 + 0.3 * Math.cos((2 * Math.PI * 47.3 * i) / RATE);
      worst = Math.max(worst, Math.abs(e[i] - expected));
    }
    expect(worst).toBeLessThan(0.01);
  });

  it('names the field of a bad input', () => {
    expect(() => hilbertEnvelope([1, 2, 3], RATE)).toThrow(/values: .*at least 64/);
    expect(() => hilbertEnvelope(am(0.5, 50, 3000), 0)).toThrow(/rateHz/);
    expect(() => hilbertEnvelope(am(0.5, 50, 3000), RATE, { lowHz: 3000, highHz: 2000 })).toThrow(
      /band.highHz/,
    );
    const x = am(0.5, 50, 3000);
    x[7] = Number.NaN;
    expect(() => hilbertEnvelope(x, RATE)).toThrow(/values: sample 7 is NaN/);
  });
});

describe('envelopeSpectrum', () => {
  it('shows a tone amplitude-modulated at f_m as a peak of amplitude m at f_m', () => {
    const e = envelopeSpectrum(am(0.4, 50, 3000), RATE, { band: { lowHz: 2500, highHz: 3500 } });
    expect(e.resolutionHz).toBe(RATE / N);
    expect(e.band).toMatchObject({ lowHz: 2500, highHz: 3500, chosenBy: 'configured' });
    const k = argmax(e.amplitude);
    expect(k * e.resolutionHz).toBe(50);
    // On its bin, the Hann window's coherent gain undone: the amplitude reads as m.
    expect(e.amplitude[k]).toBeCloseTo(0.4, 3);
  });

  it('finds an off-bin modulation frequency within a bin, in a block that is not a power of two', () => {
    const x = am(0.4, 73.1, 3100, 3000).map((v, i) => v + noise(0.05, 3000)[i]);
    const e = envelopeSpectrum(x, RATE, { band: { lowHz: 2600, highHz: 3600 } });
    expect(Math.abs(argmax(e.amplitude) * e.resolutionHz - 73.1)).toBeLessThanOrEqual(e.resolutionHz);
  });

  it('never chooses a band holding only the leakage of a noiseless tone', () => {
    // The bands above 4.8 kHz hold only what the taper leaks of the 3 kHz tone: at −115 dB, kurtosis about 100.
    const x = am(0.4, 50, 3000);
    const empty = kurtogram(x, RATE).find((b) => b.lowHz === 4800 && b.highHz === 6400);
    expect(empty?.kurtosis).toBeGreaterThan(50);
    expect(empty?.powerDb).toBeLessThan(NEGLIGIBLE_BAND_DB);
    const e = envelopeSpectrum(x, RATE, { minBandHz: 800, minLowHz: 1000 });
    expect(e.band.lowHz).toBeLessThanOrEqual(3000 - 50);
    expect(e.band.highHz).toBeGreaterThanOrEqual(3000 + 50);
    expect(e.band.powerDb).toBeGreaterThan(NEGLIGIBLE_BAND_DB);
    const k = argmax(e.amplitude);
    expect(k * e.resolutionHz).toBe(50);
    expect(e.amplitude[k]).toBeCloseTo(0.4, 3);
    // Asked for, the quiet bands compete again.
    const all = envelopeSpectrum(x, RATE, { minBandHz: 800, minLowHz: 1000, minBandPowerDb: -200 });
    expect(all.band.lowHz).toBeGreaterThanOrEqual(4000);
    expect(() => envelopeSpectrum(x, RATE, { minBandPowerDb: Number.NaN })).toThrow(/^minBandPowerDb/);
  });

  it('chooses by kurtogram the band where impacts ring, and says so', () => {
    // Impacts every 10 ms ringing at 4 kHz, under noise.
    const x = noise(0.2, N);
    for (let start = 40; start < N; start += 128) {
      for (let j = 0; j < 100 && start + j < N; j++) {
        x[start + j] += Math.exp(-j / 12) * Math.cos((2 * Math.PI * 4000 * j) / RATE);
      }
    }
    const e = envelopeSpectrum(x, RATE, { minBandHz: 500, minLowHz: 1000 });
    expect(e.band.chosenBy).toBe('kurtogram');
    expect(e.band.lowHz).toBeLessThanOrEqual(4000);
    expect(e.band.highHz).toBeGreaterThanOrEqual(4000);
    expect(e.band.kurtosis).toBeGreaterThan(1);
    // 100 impacts a second.
    expect(argmax(e.amplitude) * e.resolutionHz).toBeCloseTo(100, -1);
  });
});

describe('kurtogram', () => {
  it('lays out the 1/3-binary tree of levels 0, 1, 1.6, 2, …', () => {
    const bands = kurtogram(noise(1, N), RATE, { maxLevel: 3 });
    const counts = new Map<number, number>();
    for (const b of bands) counts.set(b.level, (counts.get(b.level) ?? 0) + 1);
    expect([...counts]).toEqual([
      [0, 1],
      [1, 2],
      [1.6, 3],
      [2, 4],
      [2.6, 6],
      [3, 8],
    ]);
    const third = bands.filter((b) => b.level === 1.6);
    expect(third.map((b) => [b.lowHz, b.highHz])).toEqual([
      [0, RATE / 6],
      [RATE / 6, RATE / 3],
      [RATE / 3, RATE / 2],
    ]);
  });

  it('gives about 0 for Gaussian noise and −1 for a band holding one steady tone', () => {
    for (const b of kurtogram(noise(1, N), RATE, { maxLevel: 2 }))
      expect(Math.abs(b.kurtosis)).toBeLessThan(0.3);
    // |c| of a lone tone is constant: E|c|⁴ / (E|c|²)² = 1, the kurtosis 1 − 2; except that the kurtogram tapers
    // the block's ends (Tukey, 5 % each end), so |c| follows the taper w: E w⁴ / (E w²)² − 2.
    const tone = Array.from({ length: N }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / RATE));
    const m = 0.05 * N;
    const w = Array.from({ length: N }, (_, i) => {
      const edge = Math.min(i, N - 1 - i);
      return edge < m ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / m) : 1;
    });
    const mean = (f: (v: number) => number) => w.reduce((sum, v) => sum + f(v), 0) / N;
    const expected = mean((v) => v ** 4) / mean((v) => v ** 2) ** 2 - 2;
    expect(expected).toBeGreaterThan(-0.96);
    const whole = kurtogram(tone, RATE, { maxLevel: 0 })[0];
    expect(whole.kurtosis).toBeCloseTo(expected, 2);
  });

  it('stops at the deepest level whose bands are at least minBandHz wide', () => {
    const bands = kurtogram(noise(1, N), RATE, { minBandHz: 1000 });
    expect(Math.min(...bands.map((b) => b.highHz - b.lowHz))).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...bands.map((b) => b.level))).toBe(2.6);
  });

  it('names the field of a bad option', () => {
    expect(() => kurtogram(noise(1, N), RATE, { maxLevel: 1.5 })).toThrow(/maxLevel/);
    expect(() => kurtogram(noise(1, N), RATE, { minBandHz: -1 })).toThrow(/minBandHz/);
    expect(() => envelopeSpectrum(noise(1, N), RATE, { minLowHz: RATE })).toThrow(/minLowHz/);
  });
});
