import { describe, expect, it } from 'vitest';
import { evaluateDiagnostics, evaluationTable } from './evaluation.ts';

describe('diagnostics evaluation on simulated runs', () => {
  // Fleet seeds from 1001: block seeds 31 031 and up, none of those the thresholds were set on.
  const evaluation = evaluateDiagnostics({
    seeds: [1001, 1002],
    faults: ['healthy', 'outer-race'],
    durationSeconds: 240,
  });
  const scoreOf = (fault: string) => evaluation.scores.find((s) => s.fault === fault);

  it('names the outer race in at least 90 % of its developed windows, in every run', () => {
    const outer = scoreOf('outer-race');
    // A window is labelled at its last second; severity 0.25 comes 37.5 s after the 90 s onset (150 s growth):
    // 2 runs × the windows whose last second is 129, 139, …, 239.
    expect(outer?.windows).toBe(2 * 12);
    expect(outer?.windowDetectionRate).toBeGreaterThanOrEqual(0.9);
    expect(outer?.runDetectionRate).toBe(1);
  });

  it('names no bearing fault on healthy runs', () => {
    const healthy = scoreOf('healthy');
    // 2 seeds × 8 machines × 24 windows.
    expect(healthy?.healthyWindows).toBe(2 * 8 * 24);
    expect(healthy?.bearingDiagnosesOnHealthy).toBe(0);
    expect(healthy?.alerts).toBe(0);
  });

  it('prints one table row per fault kind', () => {
    expect(evaluationTable(evaluation).split('\n')).toHaveLength(2 + 2);
  });

  it('refuses an empty seed list, naming the field', () => {
    expect(() => evaluateDiagnostics({ seeds: [] })).toThrow(/^seeds: /);
  });
});
