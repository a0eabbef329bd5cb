import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.ts';
import type { WindowFeatures } from '../domain/types.ts';
import { seededRandom } from '../lib/stats.ts';
import { parseHealthModel } from './model.ts';
import { type MachineWindows, trainHealthModel } from './train.ts';
import { evaluateLeavingOneAssetOut, evaluationTable } from './training-evaluation.ts';

/** Seeded standard normals (Box–Muller over the seeded uniform generator). */
function normals(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Baseline medians of the synthetic series: rms, kurtosis, band0, band1. */
const MEDIANS = [0.5, 3, 0.02, 0.004];
/** The covariance of the log ratios the windows are drawn with. */
const SIGMA = [
  [0.04, 0.01, 0.02, 0],
  [0.01, 0.09, 0, -0.015],
  [0.02, 0, 0.0625, 0.01],
  [0, -0.015, 0.01, 0.01],
];

function window(assetId: string, i: number, u: readonly number[]): WindowFeatures {
  const [rms, kurtosis, b0, b1] = MEDIANS.map((m, j) => m * Math.exp(u[j]));
  return {
    assetId,
    sensorId: `${assetId}.vib`,
    windowStart: i * 10_000,
    windowEnd: (i + 1) * 10_000,
    count: 40_960,
    mean: 0,
    min: -1,
    max: 1,
    std: rms,
    rms,
    peakToPeak: 2,
    crestFactor: 3,
    skewness: 0,
    kurtosis,
    dominantHz: 25,
    bandEnergies: [b0, b1],
    anomalyScore: null,
    health: null,
  };
}

/**
 * Series whose 6 baseline windows sit exactly at MEDIANS (so each window's standardised vector is its drawn log
 * ratio), then `n` windows drawn from N(0, SIGMA), with `outliers` a tenth of them replaced by gross ones.
 */
function series(assetId: string, n: number, seed: number, outliers = true): MachineWindows {
  const next = normals(seed);
  const l = new CholeskyDecomposition(new Matrix(SIGMA)).lowerTriangularMatrix;
  const windows = Array.from({ length: 6 }, (_, i) => window(assetId, i, [0, 0, 0, 0]));
  for (let i = 0; i < n; i++) {
    const e = [next(), next(), next(), next()];
    let u = l.mmul(Matrix.columnVector(e)).getColumn(0);
    if (outliers && i % 10 === 9) u = [3 + e[0], -2, 4, 2.5];
    windows.push(window(assetId, 6 + i, u));
  }
  return { assetId, windows };
}

describe('trainHealthModel', () => {
  const machines = [series('pump-a', 1500, 11), series('pump-b', 1500, 12)];
  const trained = trainHealthModel('pump', machines, { baselineWindows: 6 });
  const { model } = trained;

  it('recovers the location and covariance of healthy windows despite 10 % outliers', () => {
    expect(model.features).toEqual(['rms', 'kurtosis', 'band0', 'band1']);
    for (const v of model.location) expect(Math.abs(v)).toBeLessThan(0.03);
    for (let i = 0; i < 4; i++) {
      // Variances within 12 %; correlations within 0.06 of the drawn ones.
      expect(model.scatter[i][i] / SIGMA[i][i]).toBeGreaterThan(0.88);
      expect(model.scatter[i][i] / SIGMA[i][i]).toBeLessThan(1.12);
      for (let j = 0; j < i; j++) {
        const fitted = model.scatter[i][j] / Math.sqrt(model.scatter[i][i] * model.scatter[j][j]);
        const drawn = SIGMA[i][j] / Math.sqrt(SIGMA[i][i] * SIGMA[j][j]);
        expect(Math.abs(fitted - drawn)).toBeLessThan(0.06);
      }
    }
  });

  it('calibrates the 99th percentile of clean training windows to a score of 3', () => {
    // Without outliers, z is close to standard normal (Wilson–Hilferty): its 99th percentile is Φ⁻¹(0.99) =
    // 2.326, so the offset is 3 − 2.326 = 0.674, within the sampling error of 3 000 windows.
    const clean = [series('pump-a', 1500, 21, false), series('pump-b', 1500, 22, false)];
    const t = trainHealthModel('pump', clean, { baselineWindows: 6 });
    expect(Math.abs(t.model.calibration.offset - 0.674)).toBeLessThan(0.15);
    expect(t.metrics.trainingAlarmRate).toBeCloseTo(0.01, 3);
    expect(t.model.calibration.targetFalseAlarmRate).toBe(0.01);
  });

  it('records provenance and what MLflow logs, and round-trips through JSON', () => {
    expect(model.training).toMatchObject({ machines: ['pump-a', 'pump-b'], series: 2, windows: 3000 });
    expect(trained.params).toMatchObject({
      assetType: 'pump',
      baselineWindows: 6,
      features: 'rms,kurtosis,band0,band1',
    });
    expect(trained.metrics).toMatchObject({ machines: 2, windows: 3000, features: 4, supportWindows: 2250 });
    expect(parseHealthModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });

  it('gives the same model for the same data and seed', () => {
    expect(trainHealthModel('pump', machines, { baselineWindows: 6 }).model).toEqual(model);
  });

  it('leaves out windows that overlap a fault label, but not a no-fault-found one', () => {
    const labels = [
      { assetId: 'pump-a', from: 100_000, to: 200_000, fault: 'outer-race' },
      { assetId: 'pump-b', from: 100_000, to: 200_000, fault: 'no-fault-found' },
    ];
    const t = trainHealthModel('pump', machines, { baselineWindows: 6, labels });
    // pump-a's windows 10–19 (100 s to 200 s) are left out.
    expect(t.metrics.excludedWindows).toBe(10);
    expect(t.model.training.windows).toBe(2990);
  });

  it('refuses too little data, saying how much is needed', () => {
    const few = [series('pump-a', 19, 3)];
    expect(() => trainHealthModel('pump', few, { baselineWindows: 6 })).toThrow(
      new ValidationError(
        'machines',
        '19 healthy windows past the baselines; a model of 4 features needs at least 20 (5 per feature)',
      ),
    );
    expect(() => trainHealthModel('pump', [], { baselineWindows: 6 })).toThrow(
      /^machines: no vibration series/,
    );
  });

  it('refuses bad options and asset types, naming the field', () => {
    expect(() => trainHealthModel('pump', machines, { baselineWindows: 2 })).toThrow(
      /^options\.baselineWindows: /,
    );
    expect(() => trainHealthModel('pump', machines, { baselineWindows: 6, targetFalseAlarmRate: 0 })).toThrow(
      /^options\.targetFalseAlarmRate: /,
    );
    expect(() => trainHealthModel('pump/2', machines, { baselineWindows: 6 })).toThrow(/^assetType: /);
  });
});

describe('the evaluation of a training run without labels', () => {
  const req = {
    assetType: 'pump',
    modelPrefix: 'mantis-health-',
    scoring: {
      baselineWindows: 6,
      alertBelow: 40,
      clearAbove: 60,
      smoothing: 0.5,
      bandEdgesHz: [0, 100, 200],
    },
  };

  it('holds each asset out in turn and counts its false alarms against the baseline scorer', () => {
    const n = 200;
    const machines = [
      series('pump-a', n, 21, false),
      series('pump-b', n, 22, false),
      series('pump-c', n, 23, false),
    ];
    const e = evaluateLeavingOneAssetOut(req, machines);
    if (e.kind !== 'machines') throw new Error(`expected a held-out evaluation, got ${JSON.stringify(e)}`);
    expect(e.assets).toEqual(['pump-a', 'pump-b', 'pump-c']);
    for (const scores of [e.learned, e.baseline]) {
      expect(scores.machines).toBe(3);
      expect(scores.faults).toBe(0);
      expect(scores.recall).toBeNull();
      // Every window past a baseline is healthy time: 3 assets × n windows of 10 s.
      expect(scores.healthyDays).toBeCloseTo((3 * n * 10) / 86_400, 12);
      expect(scores.falseAlarms).toBe(scores.alerts);
    }
    expect(evaluationTable(e)).toMatch(/^Evaluation on each asset held out in turn/);
  });

  it('says why there is none with a single asset', () => {
    const e = evaluateLeavingOneAssetOut(req, [series('pump-a', 200, 21, false)]);
    expect(e).toEqual({
      kind: 'none',
      reason: 'one pump asset and no maintenance label: nothing to hold out',
    });
    expect(evaluationTable(e)).toBe(
      'No evaluation: one pump asset and no maintenance label: nothing to hold out.\n',
    );
  });
});

describe('training on a history with an unlabelled faulty machine', () => {
  /** pump-c drifts away from its baseline over its second half, as a developing fault does. */
  function faulty(n: number): MachineWindows {
    const m = series('pump-c', n, 33, false);
    m.windows.forEach((w, i) => {
      if (i < 6 + n / 2) return;
      const grown = 1 + (8 * (i - 6 - n / 2)) / n;
      w.rms *= grown;
      w.bandEnergies = (w.bandEnergies as number[]).map((e) => e * grown * grown);
    });
    return m;
  }

  it('names the machine, and keeps its windows out of the alarm calibration', () => {
    const healthy = [series('pump-a', 600, 31, false), series('pump-b', 600, 32, false)];
    const clean = trainHealthModel('pump', healthy, { baselineWindows: 6 });
    const mixed = trainHealthModel('pump', [...healthy, faulty(600)], { baselineWindows: 6 });
    expect(clean.warnings).toEqual([]);
    expect(mixed.warnings).toHaveLength(1);
    expect(mixed.warnings[0]).toMatch(/^pump-c: \d+ % of its training windows lie outside the type's normal/);
    expect(mixed.metrics.contaminatedMachines).toBe(1);
    // Calibrated on the healthy machines' windows: within a z of the clean model's, not far below it.
    expect(Math.abs(mixed.model.calibration.offset - clean.model.calibration.offset)).toBeLessThan(1);
  });
});
