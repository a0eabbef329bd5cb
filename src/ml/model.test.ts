import { describe, expect, it } from 'vitest';
import type { WindowFeatures } from '../domain/types.ts';
import { HealthTracker } from '../pipeline/health.ts';
import { type HealthModel, parseHealthModel, scorerOf } from './model.ts';

/** A two-feature model: standardised rms and band0 independent with unit variance, centred at 0. */
const MODEL: HealthModel = {
  format: 'mantis.health-model',
  formatVersion: 1,
  assetType: 'pump',
  algorithm: 'mcd-mahalanobis',
  features: ['rms', 'band0'],
  location: [0, 0],
  scatter: [
    [1, 0],
    [0, 1],
  ],
  calibration: { targetFalseAlarmRate: 0.01, offset: 0, trainingAlarmRate: 0.01 },
  training: { machines: ['pump-1'], series: 1, windows: 100, excludedWindows: 0, baselineWindows: 3 },
};
const REF = { name: 'mantis-health-pump', version: '3' };

function window(i: number, rms: number, band0: number): WindowFeatures {
  return {
    assetId: 'pump-2',
    sensorId: 'pump-2.vib',
    windowStart: i * 10_000,
    windowEnd: (i + 1) * 10_000,
    count: 4096,
    mean: 0,
    min: -1,
    max: 1,
    std: rms,
    rms,
    peakToPeak: 2,
    crestFactor: 3,
    skewness: 0,
    kurtosis: 3,
    dominantHz: 25,
    bandEnergies: [band0],
    anomalyScore: null,
    health: null,
  };
}

const BASELINE = {
  median: { rms: 0.5, kurtosis: 3, band0: 0.02 },
  spread: { rms: 0.01, kurtosis: 0.1, band0: 0.001 },
};

/** Wilson–Hilferty z of d² for p = 2: ((d²/2)^(1/3) − (1 − 1/9)) / √(1/9). */
const wh2 = (d2: number) => (Math.cbrt(d2 / 2) - 8 / 9) / (1 / 3);

describe('scorerOf', () => {
  const scorer = scorerOf(MODEL, REF);

  it('scores a window at its baseline as normal', () => {
    // d² = 0, z = −8/3: the score is floored at 0.
    expect(scorer.score(window(9, 0.5, 0.02), BASELINE, {})).toMatchObject({ score: 0 });
    expect(scorer.model).toEqual(REF);
  });

  it('scores an anomalous window by its Mahalanobis distance on the z scale and names the feature', () => {
    // band0 at e⁵ × its median, rms at e¹: u = (1, 5), d² = 26.
    const s = scorer.score(window(9, 0.5 * Math.E, 0.02 * Math.exp(5)), BASELINE, {});
    expect(s.score).toBeCloseTo(wh2(26), 10);
    expect(s.feature).toBe('band0');
    expect(s.ratio).toBeCloseTo(Math.exp(5), 10);
    expect(s.median).toBe(0.02);
  });

  it('adds the calibration offset', () => {
    const shifted = scorerOf({ ...MODEL, calibration: { ...MODEL.calibration, offset: 0.5 } }, REF);
    expect(shifted.score(window(9, 0.5, 0.02 * Math.exp(4)), BASELINE, {}).score).toBeCloseTo(
      wh2(16) + 0.5,
      10,
    );
  });

  it('declines a window or baseline without the model features', () => {
    expect(scorer.accepts?.(window(9, 0.5, 0.02), BASELINE)).toBe(true);
    expect(scorer.accepts?.({ ...window(9, 0.5, 0.02), bandEnergies: null }, BASELINE)).toBe(false);
    expect(scorer.accepts?.(window(9, 0.5, 0.02), { median: { rms: 0.5 }, spread: { rms: 0.01 } })).toBe(
      false,
    );
  });
});

describe('parseHealthModel', () => {
  const refused = (json: unknown) => {
    try {
      parseHealthModel(json);
    } catch (err) {
      return (err as Error).message;
    }
    return 'accepted';
  };

  it('accepts a model as JSON gives it', () => {
    expect(parseHealthModel(JSON.parse(JSON.stringify(MODEL)))).toEqual(MODEL);
  });

  it('refuses what is not a model, naming the field', () => {
    expect(refused([])).toBe('model: expected a JSON object');
    expect(refused({ ...MODEL, format: 'onnx' })).toMatch(/^model\.format: /);
    expect(refused({ ...MODEL, features: ['rms', 'rms'] })).toBe('model.features: a feature is listed twice');
    expect(refused({ ...MODEL, features: [] })).toMatch(/^model\.features: /);
    expect(refused({ ...MODEL, location: [0] })).toBe('model.location: expected 2 values, one per feature');
    expect(refused({ ...MODEL, scatter: [[1, 0]] })).toBe('model.scatter: expected a 2 × 2 matrix');
    expect(
      refused({
        ...MODEL,
        scatter: [
          [1, 2],
          [2, 1],
        ],
      }),
    ).toBe('model.scatter: expected a positive definite matrix');
    expect(
      refused({
        ...MODEL,
        scatter: [
          [1, 0.5],
          [0, 1],
        ],
      }),
    ).toBe('model.scatter: expected a symmetric matrix');
    expect(refused({ ...MODEL, calibration: { ...MODEL.calibration, offset: 'x' } })).toMatch(
      /^model\.calibration\.offset: /,
    );
    const { training: _, ...untrained } = MODEL;
    expect(refused(untrained)).toMatch(/^model\.training: /);
  });

  it('refuses a newer format version, saying to upgrade', () => {
    expect(refused({ ...MODEL, formatVersion: 2 })).toBe(
      'model.formatVersion: version 2 is newer than this MANTIS reads (1); upgrade MANTIS to serve it',
    );
  });
});

describe('HealthTracker with a learned model', () => {
  const options = { baselineWindows: 3, smoothing: 1, alertBelow: 40, clearAbove: 60, bandEdgesHz: [0, 50] };
  const sensor = { kind: 'vibration' as const, assetType: 'pump' };
  /** Three baseline windows, then one with band0 at e¹² × its median (d² = 144). */
  const run = (tracker: HealthTracker) => {
    for (let i = 0; i < 3; i++) tracker.score(window(i, 0.5, 0.02), sensor);
    const w = window(3, 0.5, 0.02 * Math.exp(12));
    return { action: tracker.score(w, sensor), w };
  };

  it("scores with the asset type's model and marks its alerts with it", () => {
    const tracker = new HealthTracker({
      ...options,
      scorerFor: (type) => (type === 'pump' ? scorerOf(MODEL, REF) : null),
    });
    const { action, w } = run(tracker);
    expect(w.anomalyScore).toBeCloseTo(wh2(144), 10);
    expect(action?.kind).toBe('raise');
    expect(action?.kind === 'raise' && action.alert.model).toEqual(REF);
  });

  it('keeps the baseline scorer for other types, with model null', () => {
    const tracker = new HealthTracker({ ...options, scorerFor: () => null });
    const { action, w } = run(tracker);
    // Baseline: the three baseline windows are equal, so band0's scale is its 5 % floor: z = (e¹² − 1) / 0.05.
    expect(w.anomalyScore).toBeCloseTo((Math.exp(12) - 1) / 0.05, 6);
    expect(action?.kind === 'raise' && action.alert.model).toBeNull();
  });
});
