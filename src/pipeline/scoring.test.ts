import { describe, expect, it } from 'vitest';
import {
  alertTransition,
  anomalyScore,
  describeFeature,
  healthFromScore,
  learnBaseline,
  SPAN_FLOOR,
  scaleOf,
  scoredFeatures,
  severityOf,
  smoothHealth,
} from './scoring.ts';

describe('baseline', () => {
  it('is the median and 1.4826 × MAD of the first windows', () => {
    // values 10 11 12 13 100: median 12; |deviations| 2 1 0 1 88 → MAD 1.
    const b = learnBaseline([10, 11, 12, 13, 100].map((mean) => ({ mean })));
    expect(b.median.mean).toBe(12);
    expect(b.spread.mean).toBeCloseTo(1.4826, 6);
  });

  it('floors the scale of a ratio quantity at 5 % of its level so a too-quiet baseline does not alarm on noise', () => {
    const b = learnBaseline([50, 50, 50, 50].map((rms) => ({ rms })));
    expect(scaleOf('rms', b)).toBeCloseTo(2.5, 9);
    expect(scaleOf('rms', b, { validMin: -100, validMax: 100 })).toBeCloseTo(2.5, 9);
  });

  it("floors the scale of a level at 0.5 % of the sensor's span, whatever the unit's zero", () => {
    const celsius = learnBaseline([60, 60, 60, 60].map((mean) => ({ mean })));
    expect(scaleOf('mean', celsius, { validMin: -40, validMax: 200 })).toBeCloseTo(SPAN_FLOOR * 240, 9);
    const kelvin = learnBaseline([333.15, 333.15, 333.15].map((mean) => ({ mean })));
    expect(scaleOf('mean', kelvin, { validMin: 233.15, validMax: 473.15 })).toBeCloseTo(1.2, 9);
    // Without a known range, the level falls back to the relative floor.
    expect(scaleOf('mean', celsius)).toBeCloseTo(3, 9);
    // A noisy baseline keeps its own spread.
    const noisy = learnBaseline([50, 60, 70].map((mean) => ({ mean })));
    expect(scaleOf('mean', noisy, { validMin: 0, validMax: 100 })).toBeCloseTo(14.826, 6);
  });

  it('learns and scores levels near the largest double without overflow', () => {
    const MAX = Number.MAX_VALUE;
    const b = learnBaseline([MAX, MAX, MAX, MAX].map((mean) => ({ mean })));
    expect(b.median.mean).toBe(MAX);
    const range = { validMin: -MAX, validMax: MAX };
    expect(anomalyScore({ mean: MAX }, b, range).score).toBe(0);
    // From +max to −max is twice the largest double: still a finite score, in spans of the range.
    const swing = anomalyScore({ mean: -MAX }, b, range);
    expect(Number.isFinite(swing.score)).toBe(true);
    expect(swing.score).toBeCloseTo(2 / (SPAN_FLOOR * 2), 6);
    const mixed = learnBaseline([MAX, -MAX, MAX, -MAX].map((mean) => ({ mean })));
    expect(mixed.median.mean).toBe(0);
  });

  it('skips features missing in some baseline window', () => {
    const b = learnBaseline([{ rms: 1, kurtosis: 3 }, { rms: 1 }]);
    expect(Object.keys(b.median)).toEqual(['rms']);
  });
});

describe('anomaly score and health', () => {
  const baseline = learnBaseline([9, 10, 11, 10, 10].map((rms) => ({ rms, band0: rms / 10 })));

  it('scores the most deviating feature', () => {
    const s = anomalyScore({ rms: 10, band0: 5 }, baseline);
    expect(s.feature).toBe('band0');
    expect(s.score).toBeCloseTo((5 - 1) / 0.05, 6);
    expect(s.ratio).toBeCloseTo(5, 9);
    expect(anomalyScore({ rms: 10, band0: 1 }, baseline).score).toBe(0);
  });

  it('maps the score to a health that stays 100 while normal and falls as the deviation grows', () => {
    expect(healthFromScore(0)).toBe(100);
    expect(healthFromScore(3)).toBe(100);
    // 100·e^−1 = 36.78794…, kept to 1e-4 of a point.
    expect(healthFromScore(9)).toBeCloseTo(36.7879, 9);
    expect(healthFromScore(100)).toBeLessThan(1);
  });

  it('smooths health with an exponentially weighted average', () => {
    expect(smoothHealth(null, 40, 0.5)).toBe(40);
    expect(smoothHealth(100, 40, 0.5)).toBe(70);
  });

  it('keeps health to 1e-4 of a point, so a window thousands of baselines away stores as 0, not 4.8e-114', () => {
    // 100·e^−(1596−3)/6 ≈ 4.8e-114: below single precision, PostgreSQL's real refuses it (22003 underflow).
    expect(healthFromScore(1596.15)).toBe(0);
    expect(healthFromScore(60)).toBe(0.0075);
    expect(smoothHealth(1e-120, 1e-200, 0.3)).toBe(0);
    expect(smoothHealth(0.00026, 0, 0.5)).toBe(0.0001);
  });
});

describe('hysteresis', () => {
  const h = { alertBelow: 40, clearAbove: 60 };

  it('raises below the lower threshold and clears only above the upper one', () => {
    expect(alertTransition(null, 39, h)).toBe('raise');
    expect(alertTransition(null, 50, h)).toBeNull();
    expect(alertTransition('warning', 50, h)).toBeNull();
    expect(alertTransition('warning', 61, h)).toBe('clear');
    expect(alertTransition('critical', 61, h)).toBe('clear');
  });

  it('escalates an open warning below half the alert threshold, and never steps a critical one down', () => {
    expect(severityOf(20, h)).toBe('warning');
    expect(severityOf(19.9, h)).toBe('critical');
    expect(alertTransition('warning', 25, h)).toBeNull();
    expect(alertTransition('warning', 19, h)).toBe('escalate');
    expect(alertTransition('critical', 5, h)).toBeNull();
    expect(alertTransition('critical', 39, h)).toBeNull();
    expect(alertTransition('critical', 59, h)).toBeNull();
    // Raised straight into the critical band: a raise, its severity critical.
    expect(alertTransition(null, 10, h)).toBe('raise');
  });

  it('does not flap on a value oscillating around one threshold', () => {
    let open: 'warning' | 'critical' | null = null;
    let transitions = 0;
    for (const health of [41, 39, 41, 39, 45, 38, 55, 39, 59]) {
      const t = alertTransition(open, health, h);
      if (t) {
        transitions++;
        open = t === 'raise' ? 'warning' : null;
      }
    }
    expect(transitions).toBe(1);
    expect(open).toBe('warning');
  });

  it('escalates once on a value oscillating around the critical threshold', () => {
    let open: 'warning' | 'critical' | null = 'warning';
    const seen: string[] = [];
    for (const health of [21, 19, 21, 19, 35, 15, 45]) {
      const t = alertTransition(open, health, h);
      if (t === 'escalate') open = 'critical';
      if (t) seen.push(t);
    }
    expect(seen).toEqual(['escalate']);
    expect(open).toBe('critical');
  });
});

describe('scored features', () => {
  it('uses the mean for scalars and level, shape and bands for sample blocks', () => {
    expect(scoredFeatures({ mean: 5, rms: 5, kurtosis: null, bandEnergies: null })).toEqual({ mean: 5 });
    expect(scoredFeatures({ mean: 0, rms: 2, kurtosis: 3, bandEnergies: [1, 2] })).toEqual({
      rms: 2,
      kurtosis: 3,
      band0: 1,
      band1: 2,
    });
    expect(describeFeature('band1', [0, 50, 100])).toBe('energy in 50–100 Hz');
  });
});
