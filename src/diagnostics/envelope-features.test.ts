import { describe, expect, it } from 'vitest';
import type { DefectFrequencies } from './bearings.ts';
import type { EnvelopeSpectrum } from './envelope.ts';
import { envelopeFeatures, peakAt } from './envelope-features.ts';

const RESOLUTION = 1; // Hz per bin
const FLOOR = 0.01;

/** A flat envelope spectrum at FLOOR, 1 Hz bins up to `bins`, with tones of the given amplitude at whole Hz. */
function spectrum(peaks: Record<number, number>, bins = 1000): EnvelopeSpectrum {
  const amplitude = new Float64Array(bins).fill(FLOOR);
  for (const [hz, a] of Object.entries(peaks)) amplitude[Number(hz)] = a;
  return {
    band: { lowHz: 2000, highHz: 4000, chosenBy: 'configured', kurtosis: null, level: null, powerDb: null },
    resolutionHz: RESOLUTION,
    amplitude,
  };
}

const frequencies: DefectFrequencies = { bpfo: 100, bpfi: 150, bsf: 60, ftf: 10 };
const SHAFT = 25;
const db = (a: number) => 20 * Math.log10(a / FLOOR);

describe('envelopeFeatures', () => {
  it('rates each harmonic of a defect frequency against the floor, in dB', () => {
    const s = spectrum({ 100: 0.1, 200: 0.05, 300: 0.02 });
    const bpfo = envelopeFeatures(s, frequencies, SHAFT).find((f) => f.defect === 'bpfo');
    expect(bpfo?.expectedHz).toBe(100);
    expect(bpfo?.harmonics.map((h) => h.expectedHz)).toEqual([100, 200, 300]);
    expect(bpfo?.harmonics.map((h) => h.foundHz)).toEqual([100, 200, 300]);
    expect(bpfo?.harmonics.map((h) => h.floor)).toEqual([FLOOR, FLOOR, FLOOR]);
    const levels = bpfo?.harmonics.map((h) => h.dbAboveFloor) ?? [];
    for (const [i, expected] of [db(0.1), db(0.05), db(0.02)].entries())
      expect(levels[i]).toBeCloseTo(expected, 9);
    expect(levels[0]).toBeCloseTo(20, 9);
  });

  it('finds a peak moved by slip within the tolerance, and not beyond it', () => {
    // BPFO 100 Hz: ±2 % is 98–102 Hz at 1×, 196–204 Hz at 2×.
    const within = envelopeFeatures(spectrum({ 102: 0.1, 196: 0.1 }), frequencies, SHAFT)[0];
    expect(within.harmonics[0].amplitude).toBe(0.1);
    expect(within.harmonics[1].amplitude).toBe(0.1);
    const beyond = envelopeFeatures(spectrum({ 103: 0.1 }), frequencies, SHAFT, { tolerance: 0.02 })[0];
    expect(beyond.harmonics[0].amplitude).toBe(FLOOR);
    const wider = envelopeFeatures(spectrum({ 103: 0.1 }), frequencies, SHAFT, { tolerance: 0.05 })[0];
    expect(wider.harmonics[0].amplitude).toBe(0.1);
  });

  it('looks for the rolling element at 2 × BSF and for BPFI ± 1× sidebands', () => {
    const s = spectrum({ 120: 0.1, 150: 0.2, 125: 0.05, 175: 0.04, 300: 0.1, 275: 0.03, 325: 0.03 });
    const features = envelopeFeatures(s, frequencies, SHAFT);
    expect(features.map((f) => f.defect)).toEqual(['bpfo', 'bpfi', 'rollingElement', 'ftf']);
    const ball = features[2];
    expect(ball.expectedHz).toBe(120);
    expect(ball.harmonics[0].amplitude).toBe(0.1);
    const bpfi = features[1];
    expect(bpfi.sidebands?.[0].map((p) => [p.expectedHz, p.amplitude])).toEqual([
      [125, 0.05],
      [175, 0.04],
    ]);
    expect(bpfi.sidebands?.[1].map((p) => [p.expectedHz, p.amplitude])).toEqual([
      [275, 0.03],
      [325, 0.03],
    ]);
    expect(bpfi.sidebands?.[0][0].dbAboveFloor).toBeCloseTo(db(0.05), 9);
  });

  it('uses the median of the neighbourhood as the floor, so a few other peaks do not raise it', () => {
    const s = spectrum({ 100: 0.1, 80: 1, 85: 1, 115: 1 });
    const h = envelopeFeatures(s, frequencies, SHAFT)[0].harmonics[0];
    expect(h.floor).toBe(FLOOR);
  });

  it('gives only the harmonics the spectrum reaches', () => {
    // Bins up to 249 Hz: 2× (196–204 Hz) is inside, 3× (294–306 Hz) is not.
    const s = spectrum({ 100: 0.1 }, 250);
    const bpfo = envelopeFeatures(s, frequencies, SHAFT)[0];
    expect(bpfo.harmonics.map((h) => h.expectedHz)).toEqual([100, 200]);
    expect(peakAt(s, 400, 5)).toBeNull();
  });

  it('names the field of a bad option', () => {
    const s = spectrum({});
    expect(() => envelopeFeatures(s, frequencies, 0)).toThrow(/shaftHz/);
    expect(() => envelopeFeatures(s, frequencies, SHAFT, { tolerance: 0.7 })).toThrow(/tolerance/);
    expect(() => envelopeFeatures(s, frequencies, SHAFT, { harmonics: 0 })).toThrow(/harmonics/);
    expect(() => envelopeFeatures(s, frequencies, SHAFT, { floorHalfWidthBins: 2 })).toThrow(
      /floorHalfWidthBins/,
    );
  });
});
