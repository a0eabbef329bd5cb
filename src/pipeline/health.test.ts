import { describe, expect, it } from 'vitest';
import type { Alert, WindowFeatures } from '../domain/types.ts';
import { type AlertAction, HealthTracker, type ScoredSensor } from './health.ts';

const T0 = Date.UTC(2026, 0, 1);
const options = {
  baselineWindows: 6,
  smoothing: 0.5,
  alertBelow: 40,
  clearAbove: 60,
  bandEdgesHz: [0, 100],
};

/** A scalar sensor's window i (10 s each) with the given mean. */
function window(i: number, mean: number, sensorId = 'pump-1.temp'): WindowFeatures {
  return {
    assetId: 'pump-1',
    sensorId,
    windowStart: T0 + i * 10_000,
    windowEnd: T0 + (i + 1) * 10_000,
    count: 10,
    mean,
    min: mean,
    max: mean,
    std: 0,
    rms: Math.abs(mean),
    peakToPeak: 0,
    crestFactor: 1,
    skewness: null,
    kurtosis: null,
    dominantHz: null,
    bandEnergies: null,
    anomalyScore: null,
    health: null,
  };
}

/** Scores the windows in turn; returns each window's health and action. */
function run(tracker: HealthTracker, sensor: ScoredSensor, means: number[], from = 0, sensorId?: string) {
  return means.map((mean, i) => {
    const f = window(from + i, mean, sensorId);
    const action = tracker.score(f, sensor);
    return { health: f.health, action };
  });
}

const summary = (a: AlertAction | null) =>
  a === null
    ? null
    : a.kind === 'raise'
      ? ['raise', a.alert.severity, a.workOrder.priority]
      : a.kind === 'escalate'
        ? ['escalate', a.alert.severity, a.priority]
        : ['clear'];

describe('HealthTracker alerts', () => {
  // Span 200: the mean's scale is floored at 1, so a window's z-score is its distance from 50.
  const sensor: ScoredSensor = { kind: 'temperature', validMin: 0, validMax: 200 };
  const baseline = [50, 50, 50, 50, 50, 50];
  // Health is kept to 1e-4 of a point (HEALTH_RESOLUTION).
  const round4 = (x: number) => Number(x.toFixed(4));
  const h = (z: number) => (z <= 3 ? 100 : round4(100 * Math.exp(-(z - 3) / 6)));

  it('raises a warning, escalates it to critical as health falls, and clears it only above clearAbove', () => {
    const tracker = new HealthTracker(options);
    run(tracker, sensor, baseline);
    const zs = [0, 9, 9, 9, 9, 9, 30, 30, 0, 0, 30];
    const steps = run(
      tracker,
      sensor,
      zs.map((z) => 50 + z),
      6,
    );
    // The smoothed health, step by step: 50/50 of the window's and the previous.
    let expected: number | null = null;
    zs.forEach((z, i) => {
      expected = expected === null ? h(z) : round4(0.5 * h(z) + 0.5 * expected);
      expect(steps[i].health, `window ${i}`).toBeCloseTo(expected, 9);
    });
    expect(steps.map((s) => summary(s.action))).toEqual([
      null, // 100
      null, // 68.4
      null, // 52.6
      null, // 44.7
      null, // 40.7
      ['raise', 'warning', 'high'], // 38.8
      ['escalate', 'critical', 'urgent'], // 19.9
      null, // 10.5: already critical
      null, // 55.3: below clearAbove, stays critical
      ['clear'], // 77.6
      ['raise', 'warning', 'high'], // 39.4: a new alert
    ]);
    const raised = steps[5].action as Extract<AlertAction, { kind: 'raise' }>;
    const escalated = steps[6].action as Extract<AlertAction, { kind: 'escalate' }>;
    expect(escalated.alert).toMatchObject({
      id: raised.alert.id,
      raisedAt: raised.alert.raisedAt,
      status: 'active',
      health: 19.9,
      message: 'pump-1.temp: mean 80 against a baseline of 50; health 20/100',
    });
    expect(escalated.at).toBe(T0 + 13 * 10_000);
    const again = steps[10].action as Extract<AlertAction, { kind: 'raise' }>;
    expect(again.alert.id).not.toBe(raised.alert.id);
  });

  it('raises straight into critical when health falls past both thresholds in one window', () => {
    const tracker = new HealthTracker({ ...options, smoothing: 1 });
    run(tracker, sensor, baseline);
    const [step] = run(tracker, sensor, [80], 6);
    expect(summary(step.action)).toEqual(['raise', 'critical', 'urgent']);
  });

  it('escalates an open warning alert restored from storage, and leaves a restored critical one', () => {
    const stored = (sensorId: string, severity: Alert['severity']): Alert => ({
      id: `alr_${sensorId}`,
      assetId: 'pump-1',
      sensorId,
      cause: 'temperature-anomaly',
      severity,
      status: 'active',
      health: 30,
      score: 9,
      message: 'stored',
      raisedAt: T0,
      resolvedAt: null,
    });
    const first = baseline.flatMap((m, i) => [window(i, m, 'pump-1.a'), window(i, m, 'pump-1.b')]);
    const latest = [
      { ...window(6, 59, 'pump-1.a'), health: 30 },
      { ...window(6, 59, 'pump-1.b'), health: 30 },
    ];
    const tracker = new HealthTracker(options);
    tracker.restore(first, latest, [stored('pump-1.a', 'warning'), stored('pump-1.b', 'critical')]);
    const [a] = run(tracker, sensor, [80], 7, 'pump-1.a');
    const [b] = run(tracker, sensor, [80], 7, 'pump-1.b');
    expect(summary(a.action)).toEqual(['escalate', 'critical', 'urgent']);
    expect(a.action?.kind === 'escalate' && a.action.alert.id).toBe('alr_pump-1.a');
    expect(b.action).toBeNull();
  });
});

describe('HealthTracker restored from storage', () => {
  it('floors the scale of a level by the sensor range as it did before the restart', () => {
    const kelvin: ScoredSensor = { kind: 'temperature', validMin: 233.15, validMax: 473.15 };
    const baseline = [333.15, 333.25, 333.05, 333.2, 333.1, 333.15].map((m, i) => window(i, m));
    const live = new HealthTracker(options);
    for (const f of baseline) live.score({ ...f }, kelvin);
    const restored = new HealthTracker(options);
    restored.restore(baseline, [], []);
    const [a, b] = [live, restored].map((tracker) => {
      const f = window(6, 345.15);
      tracker.score(f, kelvin);
      return [f.anomalyScore, f.health];
    });
    expect(b).toEqual(a);
    // 12 K over a floor of 0.5 % of the 240 K span.
    expect(a[0]).toBeCloseTo(12 / 1.2, 9);
  });
});

describe('HealthTracker on scalar levels in different units', () => {
  const units = {
    celsius: { convert: (c: number) => c, sensor: { validMin: -40, validMax: 200 } },
    kelvin: { convert: (c: number) => c + 273.15, sensor: { validMin: 233.15, validMax: 473.15 } },
    fahrenheit: { convert: (c: number) => c * 1.8 + 32, sensor: { validMin: -40, validMax: 392 } },
  };
  const baselineC = [60, 60.1, 59.9, 60.05, 59.95, 60];

  function decisions(stepC: number) {
    return Object.fromEntries(
      Object.entries(units).map(([unit, { convert, sensor }]) => {
        const tracker = new HealthTracker(options);
        const means = [...baselineC, 60, 60, ...Array(8).fill(60 + stepC)].map(convert);
        const steps = run(tracker, { kind: 'temperature', ...sensor }, means);
        return [unit, steps.map((s) => summary(s.action))];
      }),
    );
  }

  it('gives the same decisions for a 60 → 80 °C step in °C, K and °F: an alert, then critical', () => {
    const { celsius, kelvin, fahrenheit } = decisions(20);
    expect(kelvin).toEqual(celsius);
    expect(fahrenheit).toEqual(celsius);
    expect(celsius.filter((d) => d !== null)).toEqual([
      ['raise', 'warning', 'high'],
      ['escalate', 'critical', 'urgent'],
    ]);
  });

  it('gives the same decisions for a 2 °C step in °C, K and °F: within the instrument class, no alert', () => {
    const { celsius, kelvin, fahrenheit } = decisions(2);
    expect(kelvin).toEqual(celsius);
    expect(fahrenheit).toEqual(celsius);
    expect(celsius.every((d) => d === null)).toBe(true);
  });

  it('describes a level by its values in the sensor unit, not by a ratio that depends on the unit', () => {
    const messages = Object.entries(units).map(([, { convert, sensor }]) => {
      const tracker = new HealthTracker(options);
      const means = [...baselineC, 60, 60, ...Array(8).fill(80)].map(convert);
      const raised = run(tracker, { kind: 'temperature', ...sensor }, means).find(
        (s) => s.action?.kind === 'raise',
      );
      return raised?.action?.kind === 'raise' ? raised.action.alert.message : '';
    });
    expect(messages.map((m) => m.replace(/; health .*/, ''))).toEqual([
      'pump-1.temp: mean 80 against a baseline of 60',
      'pump-1.temp: mean 353.1 against a baseline of 333.1',
      'pump-1.temp: mean 176 against a baseline of 140',
    ]);
  });
});
