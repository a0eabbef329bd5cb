import { describe, expect, it } from 'vitest';
import type { Alert, WindowDiagnosis, WindowFeatures } from '../domain/types.ts';
import { stableId } from './alert-ids.ts';
import { DiagnosisTracker, diagnosisCause } from './diagnosis-alerts.ts';

const OUTER: WindowDiagnosis = {
  fault: 'outer-race',
  bearing: { designation: '6205', location: 'drive end' },
  confidence: 0.82,
  blocks: 3,
  evidence: { foundHz: 107.3, dbAboveFloor: 14.2, harmonics: 2 },
  message:
    'outer-race defect suspected on bearing 6205 (drive end): envelope peaks at 107.3 Hz = BPFO and 2 harmonics, 14 dB above floor',
};
const IMBALANCE: WindowDiagnosis = {
  fault: 'imbalance',
  confidence: 0.7,
  blocks: 2,
  evidence: { hz1x: 29.95 },
  message: 'imbalance suspected: 1× at 29.9 Hz dominates, 3.0 mm/s, 5.0× the largest other order',
};

let t0 = 1_700_000_000_000;
function windowOf(
  diagnoses: WindowDiagnosis[] | null,
  velocityRms: number | null = 4.1,
  zone: WindowFeatures['severityZone'] = 'C',
): WindowFeatures {
  const windowStart = t0;
  t0 += 10_000;
  return {
    assetId: 'pump-1',
    sensorId: 'vib-1',
    windowStart,
    windowEnd: windowStart + 10_000,
    count: 4096,
    mean: 0,
    min: -1,
    max: 1,
    std: 0.5,
    rms: 0.5,
    peakToPeak: 2,
    crestFactor: 2,
    skewness: 0,
    kurtosis: 3,
    dominantHz: 30,
    bandEnergies: null,
    anomalyScore: 1,
    health: 90,
    velocityRms,
    severityZone: zone,
    diagnostics:
      diagnoses &&
      ({
        blocks: 3,
        speed: { source: 'fixed', hz: 29.95, rpm: 1797 },
        band: null,
        envelope: [],
        diagnoses,
      } as const),
  };
}

describe('diagnosisCause', () => {
  it('names the fault and, for a bearing, its designation and location', () => {
    expect(diagnosisCause(OUTER)).toBe('diagnosis:outer-race:6205@drive end');
    expect(diagnosisCause({ fault: 'cage', bearing: { designation: '6203', location: null } })).toBe(
      'diagnosis:cage:6203',
    );
    expect(diagnosisCause(IMBALANCE)).toBe('diagnosis:imbalance');
  });

  it('keeps two bearings apart whatever separators their designation and location hold', () => {
    const at = (designation: string, location: string | null) =>
      diagnosisCause({ fault: 'outer-race', bearing: { designation, location } });
    expect(at('A@B', 'C')).toBe('diagnosis:outer-race:A%40B@C');
    expect(at('A', 'B@C')).toBe('diagnosis:outer-race:A@B%40C');
    expect(at('A:1', null)).toBe('diagnosis:outer-race:A%3A1');
    expect(at('50%', 'x')).toBe('diagnosis:outer-race:50%25@x');
    const causes = [at('A@B', 'C'), at('A', 'B@C'), at('A', 'B%40C'), at('A%40B', 'C'), at('A:B', null)];
    expect(new Set(causes).size).toBe(causes.length);
  });
});

describe('windows that could not be diagnosed', () => {
  it('neither raise nor clear: no running speed yet, or no block diagnosed', () => {
    const tracker = new DiagnosisTracker({ raiseAfter: 1, clearAfter: 2 });
    expect(tracker.observe(windowOf([OUTER]))[0]?.kind).toBe('raise');
    const noSpeed = windowOf([]);
    noSpeed.diagnostics = {
      ...(noSpeed.diagnostics as NonNullable<WindowFeatures['diagnostics']>),
      speed: { source: 'sensor', hz: null, rpm: null, reason: 'no reading yet from speed sensor rs.speed' },
    };
    const noBlock = windowOf([]);
    noBlock.diagnostics = {
      ...(noBlock.diagnostics as NonNullable<WindowFeatures['diagnostics']>),
      blocks: 0,
    };
    for (let i = 0; i < 5; i++) {
      expect(tracker.observe({ ...noSpeed, windowStart: noSpeed.windowStart + i })).toEqual([]);
      expect(tracker.observe({ ...noBlock, windowStart: noBlock.windowStart + i })).toEqual([]);
    }
    // Diagnosed windows without the fault still clear it.
    expect(tracker.observe(windowOf([]))).toEqual([]);
    expect(tracker.observe(windowOf([])).map((a) => a.kind)).toEqual(['clear']);
  });
});

describe('DiagnosisTracker', () => {
  it('raises after the configured consecutive windows, with the message, a stable id and its work order', () => {
    const tracker = new DiagnosisTracker({ raiseAfter: 2, clearAfter: 2 });
    expect(tracker.observe(windowOf([OUTER]))).toEqual([]);
    const second = windowOf([OUTER]);
    const [action] = tracker.observe(second);
    if (action?.kind !== 'raise') throw new Error(`expected a raise, got ${action?.kind}`);
    const cause = 'diagnosis:outer-race:6205@drive end';
    expect(action.alert).toMatchObject({
      id: stableId('alr', 'pump-1', 'vib-1', cause, second.windowStart),
      cause,
      severity: 'warning',
      score: 0.82,
      health: 90,
      raisedAt: second.windowEnd,
      message:
        'outer-race defect suspected on bearing 6205 (drive end): envelope peaks at 107.3 Hz = BPFO and 2 harmonics, 14 dB above floor; velocity 4.1 mm/s, ISO 20816-3 zone C',
    });
    expect(action.workOrder).toMatchObject({
      id: stableId('wo', action.alert.id),
      cause,
      alertId: action.alert.id,
      priority: 'high',
    });
    expect(action.workOrder.title).toContain('outer-race defect suspected on bearing 6205 (drive end)');
    // Named again: no second alert.
    expect(tracker.observe(windowOf([OUTER]))).toEqual([]);
  });

  it('needs the windows in a row: a window without the fault starts the count again', () => {
    const tracker = new DiagnosisTracker({ raiseAfter: 2, clearAfter: 2 });
    expect(tracker.observe(windowOf([OUTER]))).toEqual([]);
    expect(tracker.observe(windowOf([]))).toEqual([]);
    expect(tracker.observe(windowOf([OUTER]))).toEqual([]);
    expect(tracker.observe(windowOf([OUTER])).map((a) => a.kind)).toEqual(['raise']);
  });

  it('ignores windows without diagnostics, raises critical in zone D, keeps faults apart and clears each', () => {
    const tracker = new DiagnosisTracker({ raiseAfter: 1, clearAfter: 2 });
    expect(tracker.observe(windowOf(null))).toEqual([]);
    const [outer] = tracker.observe(windowOf([OUTER], 8, 'D'));
    expect(outer.kind === 'raise' && outer.alert.severity).toBe('critical');
    expect(outer.kind === 'raise' && outer.workOrder.priority).toBe('urgent');
    const both = tracker.observe(windowOf([OUTER, IMBALANCE]));
    expect(both.map((a) => a.kind === 'raise' && a.alert.cause)).toEqual(['diagnosis:imbalance']);
    // The outer race gone for two diagnosed windows (a window without diagnostics does not count).
    expect(tracker.observe(windowOf([IMBALANCE]))).toEqual([]);
    expect(tracker.observe(windowOf(null))).toEqual([]);
    const cleared = tracker.observe(windowOf([IMBALANCE]));
    expect(cleared).toEqual([
      expect.objectContaining({ kind: 'clear', cause: 'diagnosis:outer-race:6205@drive end' }),
    ]);
  });

  it('escalates an open warning when the velocity reaches zone D', () => {
    const tracker = new DiagnosisTracker({ raiseAfter: 1, clearAfter: 2 });
    tracker.observe(windowOf([OUTER]));
    const [escalated] = tracker.observe(windowOf([OUTER], 9.2, 'D'));
    expect(escalated.kind).toBe('escalate');
    if (escalated.kind !== 'escalate') return;
    expect(escalated.priority).toBe('urgent');
    expect(escalated.alert.severity).toBe('critical');
    expect(escalated.alert.message).toMatch(/; velocity 9\.2 mm\/s, ISO 20816-3 zone D$/);
  });

  it('takes back stored diagnosis alerts only, so a replay neither raises them again nor loses their clear', () => {
    const stored: Alert = {
      id: 'alr_x',
      assetId: 'pump-1',
      sensorId: 'vib-1',
      cause: 'diagnosis:outer-race:6205@drive end',
      severity: 'warning',
      status: 'active',
      health: 90,
      score: 0.8,
      message: 'm',
      raisedAt: 1,
      resolvedAt: null,
    };
    const tracker = new DiagnosisTracker({ raiseAfter: 2, clearAfter: 1 });
    tracker.restore([stored, { ...stored, id: 'alr_h', cause: 'vibration-anomaly' }]);
    expect(tracker.observe(windowOf([OUTER]))).toEqual([]);
    expect(tracker.observe(windowOf([]))).toEqual([
      expect.objectContaining({ kind: 'clear', cause: stored.cause }),
    ]);
  });

  it('refuses settings that are not whole numbers of windows', () => {
    expect(() => new DiagnosisTracker({ raiseAfter: 0, clearAfter: 1 })).toThrow(/^raiseAfter: expected/);
    expect(() => new DiagnosisTracker({ raiseAfter: 1, clearAfter: 1.5 })).toThrow(/^clearAfter: expected/);
  });
});
