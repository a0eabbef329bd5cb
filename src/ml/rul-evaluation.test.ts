import { describe, expect, it } from 'vitest';
import { evaluateRul, rulEvaluationTable } from './rul-evaluation.ts';

describe('remaining-useful-life evaluation on a simulated run to failure', () => {
  const e = evaluateRul({ seeds: [1001], machines: ['pump-2'], faultGrowthSeconds: 180_000 });
  const at = (checkpoint: number) => e.samples.find((s) => s.checkpoint === checkpoint);

  it('runs the fault to the failure line and estimates at 75 and 90 % of its life', () => {
    expect(e.failedRuns).toBe(1);
    // Checkpoints fall on whole windows: the true time left is a multiple of 10 s and shrinks with the life.
    expect(at(0.75)?.trueSeconds).toBeGreaterThan(at(0.9)?.trueSeconds ?? Number.POSITIVE_INFINITY);
    for (const c of [0.75, 0.9]) {
      expect(at(c)?.status).toBe('estimated');
      expect((at(c)?.trueSeconds ?? 0) % 10).toBe(0);
    }
  });

  it('comes closer to the true time left as the fault grows', () => {
    const error = (c: number) => Math.abs((at(c)?.estimatedSeconds ?? 0) - (at(c)?.trueSeconds ?? 0));
    expect(error(0.9)).toBeLessThan(error(0.75));
    expect(rulEvaluationTable(e).split('\n')).toHaveLength(2 + 3);
  });

  it('refuses bad arguments, naming the field', () => {
    expect(() => evaluateRul({ seeds: [] })).toThrow(/^seeds: /);
    expect(() => evaluateRul({ seeds: [1], machines: ['nope'] })).toThrow(/^machines: /);
    expect(() => evaluateRul({ seeds: [1], checkpoints: [1.5] })).toThrow(/^checkpoints: /);
    expect(() => evaluateRul({ seeds: [1, 1] })).toThrow(/^seeds: a seed is listed twice/);
    expect(() => evaluateRul({ seeds: [1], machines: ['pump-2', 'pump-2'] })).toThrow(
      /^machines: a machine is listed twice/,
    );
  });
});
