import { describe, expect, it } from 'vitest';
import {
  assetRemainingUsefulLife,
  estimateRemainingUsefulLife,
  type HealthPoint,
  senInterval,
} from './rul.ts';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const options = { alertBelow: 40 };

/** mulberry32, so the noise is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Hourly health whose anomaly score grows exponentially, z(t) = 3.5·exp(t/40 h) (health 100·exp(−(z − 3)/6)),
 * with ±3 % multiplicative noise on z and, at hours 5, 15, 25…, an outlier at health 99.
 */
function degrading(hours: number): HealthPoint[] {
  const next = random(7);
  return Array.from({ length: hours }, (_, h) => {
    const z = 3.5 * Math.exp(h / 40) * (1 + 0.06 * (next() - 0.5));
    return { t: T0 + h * HOUR, health: h % 10 === 5 ? 99 : 100 * Math.exp(-(z - 3) / 6) };
  });
}
/** Hours at which the noise-free score reaches health `line`: z = 3 + 6·ln(100/line) = 3.5·exp(t/40). */
const crossingHour = (line: number) => 40 * Math.log((3 + 6 * Math.log(100 / line)) / 3.5);

describe('estimateRemainingUsefulLife', () => {
  it('finds the crossings of an exponential degradation with noise and outliers', () => {
    const points = degrading(30);
    const e = estimateRemainingUsefulLife(points, options);
    expect(e.status).toBe('estimated');
    expect(e.asOf).toBe(T0 + 29 * HOUR);
    // Alert (40) at 35.5 h and failure (20) at 51.4 h of the run: 6.5 h and 22.4 h after the last point.
    expect(Math.abs((e.alert?.hoursLeft ?? 0) - (crossingHour(40) - 29))).toBeLessThan(0.5);
    expect(Math.abs((e.failure?.hoursLeft ?? 0) - (crossingHour(20) - 29))).toBeLessThan(1);
    for (const c of [e.alert, e.failure]) {
      expect(c?.reached).toBe(false);
      expect(c?.low).toBeLessThan(c?.hoursLeft ?? Number.NaN);
      expect(c?.high).toBeGreaterThan(c?.hoursLeft ?? Number.NaN);
      expect(c?.at).toBeCloseTo(T0 + 29 * HOUR + (c?.hoursLeft ?? 0) * HOUR, -1);
    }
    expect(e.failure?.threshold).toBe(20);
    // ln z grows at 1/40 per hour.
    expect(e.fittedOn?.slopePerHour).toBeCloseTo(0.025, 3);
    expect(e.fittedOn?.signal).toBe('ln(score)');
    expect(e.points).toHaveLength(30);
    expect(e.trend.at(-1)?.health).toBeCloseTo(20, 6);
  });

  it('reads a reached alert line and estimates the failure line still ahead', () => {
    const points = degrading(40);
    const e = estimateRemainingUsefulLife(points, options);
    expect(e.status).toBe('estimated');
    expect(e.alert).toMatchObject({ threshold: 40, reached: true, hoursLeft: 0 });
    expect(e.alert?.at).toBe(points.find((p) => p.health < 40)?.t);
    expect(Math.abs((e.failure?.hoursLeft ?? 0) - (crossingHour(20) - 39))).toBeLessThan(1);
  });

  it('says a flat health is not degrading', () => {
    const flat = Array.from({ length: 50 }, (_, h) => ({ t: T0 + h * HOUR, health: 100 }));
    expect(estimateRemainingUsefulLife(flat, options)).toMatchObject({
      status: 'not-degrading',
      reason: 'health is at 100: no deviation from the baseline',
      points: [],
    });
    // Health wandering about 80 with no trend: the slope's 90 % interval holds 0.
    const next = random(11);
    const steady = flat.map((p) => ({ ...p, health: 80 + 4 * (next() - 0.5) }));
    const e = estimateRemainingUsefulLife(steady, options);
    expect(e.status).toBe('insufficient-trend');
    expect(e.reason).toMatch(/interval of its slope includes 0/);
    const recovering = flat.map((p, i) => ({ ...p, health: 50 + i / 2 }));
    expect(estimateRemainingUsefulLife(recovering, options)).toMatchObject({ status: 'not-degrading' });
    expect(estimateRemainingUsefulLife(recovering, options).reason).toMatch(/steady or recovering/);
  });

  it('says plainly when too few points have left 100', () => {
    const points = degrading(25).slice(0, 5);
    const e = estimateRemainingUsefulLife(points, options);
    expect(e).toMatchObject({
      status: 'insufficient-trend',
      reason: 'only 5 points since health left 100; at least 8 are needed',
    });
    expect(e.alert).toBeUndefined();
    expect(estimateRemainingUsefulLife([], options).reason).toBe('no health values to fit');
  });

  it('says when health is already below the failure line', () => {
    const points = degrading(54);
    const e = estimateRemainingUsefulLife(points, options);
    expect(e.status).toBe('below-threshold');
    expect(e.reason).toMatch(/^health [\d.]+ is already below the failure line \(20\)$/);
    const firstBelow = points.find((p) => p.health < 20)?.t;
    expect(firstBelow).toBeGreaterThan(T0 + 50 * HOUR);
    expect(e.failure).toMatchObject({ reached: true, hoursLeft: 0, at: firstBelow });
  });

  it('fits points since health last left 100, in time order', () => {
    const earlier = [
      { t: T0 - 5 * HOUR, health: 50 },
      { t: T0 - 4 * HOUR, health: 100 },
    ];
    const shuffled = [...degrading(30)].reverse();
    const e = estimateRemainingUsefulLife([...shuffled, ...earlier], options);
    expect(e.fittedOn?.from).toBe(T0);
    expect(e.fittedOn?.to).toBe(T0 + 29 * HOUR);
  });

  it('refuses bad options, naming the field', () => {
    expect(() => estimateRemainingUsefulLife([], { alertBelow: 0 })).toThrow(/^alertBelow: /);
    expect(() => estimateRemainingUsefulLife([], { alertBelow: 40, confidence: 0.5 })).toThrow(
      /^confidence: /,
    );
    expect(() => estimateRemainingUsefulLife([], { alertBelow: 40, minPoints: 2 })).toThrow(/^minPoints: /);
    expect(() => estimateRemainingUsefulLife({} as HealthPoint[], options)).toThrow(/^points: /);
  });
});

describe("Sen's slope interval", () => {
  it('takes the ranks of Gilbert (1987) eq. 16.7–16.8 among the ordered pairwise slopes', () => {
    // n = 10: N = 45 slopes, C = 1.6449·√(10·9·25/18) = 18.39, M1 = 13.30, M2 + 1 = 32.70.
    const x = Array.from({ length: 10 }, (_, i) => i);
    const y = x.map((v) => v * v);
    const slopes: number[] = [];
    for (let i = 0; i < 10; i++) for (let j = i + 1; j < 10; j++) slopes.push(i + j);
    slopes.sort((a, b) => a - b);
    const c = 1.6449 * Math.sqrt((10 * 9 * 25) / 18);
    const rank = (r: number) =>
      slopes[Math.floor(r) - 1] + (r - Math.floor(r)) * (slopes[Math.floor(r)] - slopes[Math.floor(r) - 1]);
    const [low, high] = senInterval(x, y, 1.6449);
    expect(low).toBeCloseTo(rank((45 - c) / 2), 9);
    expect(high).toBeCloseTo(rank((45 + c) / 2 + 1), 9);
  });
});

describe('assetRemainingUsefulLife', () => {
  it("keeps the sensor that fails first and lists each sensor's status", () => {
    const slow = degrading(30);
    const fast = degrading(30).map((p) => ({ ...p, t: p.t + 2 * HOUR }));
    const flat = slow.map((p) => ({ ...p, health: 100 }));
    const e = assetRemainingUsefulLife(
      new Map([
        ['a.temp', flat],
        ['a.vib', slow],
        ['a.current', fast.map((p) => ({ ...p, t: p.t - 4 * HOUR }))],
      ]),
      options,
    );
    expect(e.sensorId).toBe('a.current');
    expect(e.sensors.map((s) => [s.sensorId, s.status])).toEqual([
      ['a.current', 'estimated'],
      ['a.vib', 'estimated'],
      ['a.temp', 'not-degrading'],
    ]);
    expect(assetRemainingUsefulLife(new Map(), options)).toMatchObject({
      sensorId: null,
      status: 'insufficient-trend',
      sensors: [],
    });
  });
});
