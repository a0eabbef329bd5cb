import { describe, expect, it } from 'vitest';
import { closedInterval, defaultThresholds, SensorAudit } from './data-quality.ts';

const sensor = { id: 's1', assetId: 'a1', sampleRateHz: 1, validMin: 0, validMax: 100 };
const S = 1000;

describe('SensorAudit', () => {
  it('finds gaps, flat lines, values at and past the limits, late readings and clock lag', () => {
    const audit = new SensorAudit(sensor, { from: 0, to: 100 * S }, defaultThresholds, {
      from: 0,
      to: 60 * S,
    });
    for (let i = 0; i < 30; i++) audit.add(i * S, i + 1); // 0–29 s, distinct values
    for (let i = 40; i < 80; i++) audit.add(i * S, 5); // silent 29→40 s, then 40 identical readings
    audit.add(80 * S, 100); // at validMax
    audit.add(81 * S, 150); // above
    audit.add(82 * S, -1); // below
    for (let i = 83; i < 90; i++) audit.add(i * S, i - 70); // silent from 89 s to the end at 100 s
    // 30 + 20 readings lie in [0, 60 s); the stored windows counted 45 of them.
    const q = audit.finish(100 * S, 200 * S, {
      closed: { from: 0, to: 60 * S },
      counted: 45,
      medianCloseDelayMs: 70 * S,
      latenessMs: 5 * S,
    });
    expect(q).toEqual({
      sensorId: 's1',
      assetId: 'a1',
      readings: 80,
      expected: 100,
      gaps: { count: 2, totalMs: 22 * S, longest: { from: 29 * S, to: 40 * S } },
      flatLines: { count: 1, spans: [{ from: 40 * S, to: 79 * S, value: 5, samples: 40 }] },
      outOfRange: { below: 1, above: 1, atLimit: 1 },
      lateReadings: 5,
      clockSkew: { lagMs: 65 * S, leadMs: 0, flagged: true },
      issues: 2 + 1 + 3 + 5 + 1,
    });
  });

  it('counts a silent range as one gap, a run one short of the threshold as no flat line, a lead ahead of now', () => {
    const silent = new SensorAudit(sensor, { from: 0, to: 50 * S }, defaultThresholds);
    expect(silent.finish(50 * S, 60 * S, null)).toMatchObject({
      readings: 0,
      gaps: { count: 1, totalMs: 50 * S, longest: { from: 0, to: 50 * S } },
      lateReadings: null,
      clockSkew: { lagMs: null, leadMs: 0, flagged: false },
      issues: 1,
    });

    const audit = new SensorAudit(sensor, { from: 0, to: 200 * S }, defaultThresholds);
    for (let i = 0; i < 29; i++) audit.add(i * S, 7);
    for (let i = 29; i < 200; i++) audit.add(i * S, i);
    // Now is 120 s: the newest timestamp (199 s) is 79 s ahead.
    const q = audit.finish(120 * S, 120 * S, null);
    expect(q.flatLines.count).toBe(0);
    expect(q.gaps.count).toBe(0);
    expect(q.clockSkew).toEqual({ lagMs: null, leadMs: 79 * S, flagged: true });
  });

  it('honours the thresholds it is given', () => {
    const audit = new SensorAudit(
      { ...sensor, sampleRateHz: 10 },
      { from: 0, to: 10 * S },
      { gapFactor: 5, flatSamples: 3, skewMs: 1000 },
    );
    // 10 Hz: a silence counts past 500 ms. 0.0, 0.1, 0.2 s identical, then 0.7 s (a 500 ms silence: none)
    // and 1.3 s (600 ms: a gap).
    for (const [ts, v] of [
      [0, 1],
      [100, 1],
      [200, 1],
      [700, 2],
      [1300, 3],
    ])
      audit.add(ts, v);
    const q = audit.finish(1300, 5000, null);
    expect(q.gaps).toEqual({ count: 1, totalMs: 600, longest: { from: 700, to: 1300 } });
    expect(q.flatLines).toEqual({ count: 1, spans: [{ from: 0, to: 200, value: 1, samples: 3 }] });
  });
});

describe('closedInterval', () => {
  it('keeps whole windows inside the range that closed', () => {
    expect(closedInterval(1_005, 100_000, 10_000, 60_000)).toEqual({ from: 10_000, to: 60_000 });
    expect(closedInterval(0, 95_000, 10_000, 200_000)).toEqual({ from: 0, to: 90_000 });
    expect(closedInterval(0, 95_000, 10_000, null)).toEqual({ from: 0, to: 0 });
  });
});
