import { describe, expect, it } from 'vitest';
import type { WindowFeatures } from '../domain/types.ts';
import type { WindowScorer } from '../pipeline/scoring.ts';
import { evaluateOnWindows } from './evaluation.ts';
import { evaluateHealthModels, mlEvaluationTable } from './simulated-evaluation.ts';

const OPTIONS = { baselineWindows: 3, smoothing: 1, alertBelow: 40, clearAbove: 60, bandEdgesHz: [0, 50] };

/** 30 windows of 10 s of a machine. */
const windows = (assetId: string): WindowFeatures[] =>
  Array.from({ length: 30 }, (_, i) => ({
    assetId,
    sensorId: `${assetId}.vib`,
    windowStart: i * 10_000,
    windowEnd: (i + 1) * 10_000,
    count: 4096,
    mean: 0,
    min: -1,
    max: 1,
    std: 0.5,
    rms: 0.5,
    peakToPeak: 2,
    crestFactor: 3,
    skewness: 0,
    kurtosis: 3,
    dominantHz: 25,
    bandEnergies: [0.02],
    anomalyScore: null,
    health: null,
  }));

/** Scores 20 (health 6, an alert) the windows starting at the listed seconds of each machine, else 0. */
const hot: Record<string, number[]> = { a: [50, 120], b: [250], c: [] };
const scorer: WindowScorer = {
  model: { name: 'm', version: '1' },
  score: (f) => ({
    score: hot[f.assetId].includes(f.windowStart / 1000) ? 20 : 0,
    feature: null,
    ratio: null,
    value: null,
    median: null,
  }),
};

describe('evaluateOnWindows', () => {
  const fault = (assetId: string) => ({ assetId, from: 100_000, to: 200_000, fault: 'outer-race' });
  const scores = evaluateOnWindows(
    scorer,
    [
      { assetId: 'a', assetType: 'pump', windows: windows('a'), labels: [fault('a')] },
      {
        assetId: 'b',
        assetType: 'pump',
        windows: windows('b'),
        labels: [{ assetId: 'b', from: 0, to: 300_000, fault: 'no-fault-found' }],
      },
      { assetId: 'c', assetType: 'pump', windows: windows('c'), labels: [fault('c')] },
    ],
    OPTIONS,
  );

  it('counts true alerts, false alarms and detected faults by the definitions', () => {
    // a: an alert at 60 s before the fault (false), one at 130 s within it (true); b: one at 260 s (false, a
    // no-fault-found label is healthy); c: its fault is never alerted.
    expect(scores).toMatchObject({ faults: 2, detected: 1, alerts: 3, trueAlerts: 1, falseAlarms: 2 });
    expect(scores.precision).toBeCloseTo(1 / 3, 12);
    expect(scores.recall).toBe(0.5);
    // Lead: failure at 200 s − alert at 130 s.
    expect(scores.leadMinutes).toEqual([70 / 60]);
    expect(scores.medianLeadMinutes).toBeCloseTo(70 / 60, 12);
  });

  it('counts as exposure the scored windows outside faults', () => {
    // Scored from 30 s (after 3 baseline windows) to 300 s: 270 s each, less 100 s of fault on a and c.
    const seconds = 170 + 270 + 170;
    expect(scores.healthyDays).toBeCloseTo(seconds / 86_400, 12);
    expect(scores.falseAlarmsPerMachineDay).toBeCloseTo(2 / (seconds / 86_400), 9);
  });
});

describe('evaluateHealthModels on the simulated plant', () => {
  // Seeds 111 and 2111: neither among the evaluation's defaults nor below 1 000 in block seeds (31 × seed).
  const e = evaluateHealthModels({
    trainSeeds: [111],
    evalSeeds: [2111],
    split: { pump: { train: ['pump-1', 'pump-3'], evaluate: ['pump-2'] } },
    faults: ['imbalance'],
    trainSeconds: 420,
    healthySeconds: 300,
  });

  it('keeps every machine on one side of the split', () => {
    const [pump] = e.types;
    expect(pump.trainedOn).toEqual(['pump-1', 'pump-3']);
    expect(pump.evaluatedOn).toEqual(['pump-2']);
    expect(pump.trainedOn.filter((m) => pump.evaluatedOn.includes(m))).toEqual([]);
  });

  it('scores the learned model and the baseline on the same held-out runs', () => {
    const [pump] = e.types;
    // One healthy run and one imbalance run: 1 fault; exposure (300 − 60) + (90 − 60) s.
    for (const d of [pump.learned, pump.baseline]) {
      expect(d).toMatchObject({ machines: 2, faults: 1 });
      expect(d.healthyDays).toBeCloseTo(270 / 86_400, 12);
    }
    expect(mlEvaluationTable(e).split('\n')).toHaveLength(2 + 2 + 2);
  });

  it('refuses a machine on both sides and shared seeds, naming the field', () => {
    const split = { pump: { train: ['pump-1', 'pump-2'], evaluate: ['pump-2'] } };
    expect(() => evaluateHealthModels({ trainSeeds: [111], evalSeeds: [2111], split })).toThrow(
      'split: pump has pump-2 on both sides',
    );
    expect(() => evaluateHealthModels({ trainSeeds: [111], evalSeeds: [111] })).toThrow(
      /^evalSeeds: 111 also in/,
    );
  });
});
