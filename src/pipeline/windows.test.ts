import { describe, expect, it } from 'vitest';
import { sine } from '../../test/helpers/signals.ts';
import { WindowSet } from './windows.ts';

const T0 = Date.UTC(2026, 0, 1);
const options = {
  windowMs: 10_000,
  latenessMs: 2_000,
  idleMs: 30_000,
  idleNeedsPartitionProgress: false,
  bandEdgesHz: [0, 100, 500],
};

describe('WindowSet', () => {
  it('groups readings into tumbling windows and closes them on the watermark', () => {
    const w = new WindowSet(options);
    for (let s = 0; s < 12; s++) w.add('a', { sensorId: 't', ts: T0 + s * 1000, value: s }, null, 0);
    // Event time has reached T0+11 s; window [T0, T0+10 s) needs the watermark past T0+12 s.
    expect(w.closeReady(0)).toEqual([]);
    w.add('a', { sensorId: 't', ts: T0 + 12_000, value: 12 }, null, 0);
    const closed = w.closeReady(0);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ assetId: 'a', sensorId: 't', start: T0, end: T0 + 10_000 });
    expect(closed[0].features).toMatchObject({ count: 10, mean: 4.5, min: 0, max: 9 });
  });

  it('accepts a late reading within the allowed lateness and refuses it after its window closed', () => {
    const w = new WindowSet(options);
    w.add('a', { sensorId: 't', ts: T0 + 11_000, value: 1 }, null, 0);
    expect(w.add('a', { sensorId: 't', ts: T0 + 9_000, value: 5 }, null, 0)).toBe('added');
    w.add('a', { sensorId: 't', ts: T0 + 12_500, value: 1 }, null, 0);
    expect(w.closeReady(0).map((c) => c.features.count)).toEqual([1]);
    expect(w.add('a', { sensorId: 't', ts: T0 + 9_500, value: 5 }, null, 0)).toBe('late');
  });

  it('keeps series apart and closes an idle series by wall-clock time', () => {
    const w = new WindowSet(options);
    w.add('a', { sensorId: 't', ts: T0, value: 1 }, null, 1_000);
    w.add('b', { sensorId: 't', ts: T0, value: 3 }, null, 20_000);
    const closed = w.closeReady(31_000);
    expect(closed.map((c) => c.assetId)).toEqual(['a']);
    expect(w.closeReady(50_000).map((c) => c.assetId)).toEqual(['b']);
  });

  it('on a durable bus, idles out a silent sensor only once its partition has moved on', () => {
    const w = new WindowSet({ ...options, idleNeedsPartitionProgress: true });
    w.add('a', { sensorId: 't', ts: T0, value: 1 }, { partition: 0, offset: 0 }, 0);
    w.add('b', { sensorId: 't', ts: T0, value: 2 }, { partition: 1, offset: 0 }, 0);
    // Nothing more arrives from either partition (a stalled bus): nothing closes, however long.
    expect(w.closeReady(100_000)).toEqual([]);
    // Partition 0 moves on past the window's end plus lateness through another sensor.
    w.add('c', { sensorId: 't', ts: T0 + 12_000, value: 3 }, { partition: 0, offset: 1 }, 100_000);
    expect(w.closeReady(100_000).map((c) => c.assetId)).toEqual(['a']);
  });

  it('drains every open window on shutdown', () => {
    const w = new WindowSet(options);
    w.add('a', { sensorId: 't', ts: T0, value: 1 }, null, 0);
    w.add('a', { sensorId: 't', ts: T0 + 10_000, value: 2 }, null, 0);
    w.add('a', { sensorId: 'u', ts: T0, value: 3 }, null, 0);
    expect(w.drain().map((c) => [c.sensorId, c.start])).toEqual([
      ['t', T0],
      ['t', T0 + 10_000],
      ['u', T0],
    ]);
    expect(w.openWindowCount()).toBe(0);
  });

  it('does not reopen windows restored as stored', () => {
    const w = new WindowSet(options);
    w.restore('a', 't', T0 + 10_000);
    expect(w.add('a', { sensorId: 't', ts: T0 + 5_000, value: 1 }, null, 0)).toBe('late');
    expect(w.add('a', { sensorId: 't', ts: T0 + 10_000, value: 1 }, null, 0)).toBe('added');
  });

  it('holds the lowest offset per partition until the window closes', () => {
    const w = new WindowSet(options);
    w.add('a', { sensorId: 't', ts: T0, value: 1 }, { partition: 0, offset: 5 }, 0);
    w.add('a', { sensorId: 't', ts: T0 + 1, value: 1 }, { partition: 0, offset: 9 }, 0);
    w.add('b', { sensorId: 't', ts: T0 + 20_000, value: 1 }, { partition: 1, offset: 3 }, 0);
    w.add('a', { sensorId: 't', ts: T0 + 20_000, value: 1 }, { partition: 0, offset: 12 }, 0);
    // A second reading confirms the jump of event time.
    w.add('a', { sensorId: 't', ts: T0 + 21_000, value: 1 }, { partition: 0, offset: 13 }, 0);
    expect(w.heldOffsets()).toEqual(
      new Map([
        [0, 5],
        [1, 3],
      ]),
    );
    w.closeReady(0);
    expect(w.heldOffsets()).toEqual(
      new Map([
        [0, 12],
        [1, 3],
      ]),
    );
  });

  it('computes spectral features of sample blocks over the window', () => {
    const w = new WindowSet(options);
    for (let b = 0; b < 4; b++) {
      w.add(
        'a',
        { sensorId: 'v', ts: T0 + b * 1000, rateHz: 1024, values: sine(2, 200, 1024, 1024) },
        null,
        0,
      );
    }
    const [closed] = w.drain();
    expect(closed.features.count).toBe(4096);
    expect(closed.features.rms).toBeCloseTo(Math.SQRT2, 3);
    expect(Math.abs((closed.features.dominantHz as number) - 200)).toBeLessThan(0.5);
    const bands = closed.features.bandEnergies as number[];
    expect(bands[1]).toBeCloseTo(2, 2);
    expect(bands[0]).toBeLessThan(1e-3);
  });
});

describe('WindowSet idempotence', () => {
  it('counts a reading delivered twice once, and says it is a duplicate', () => {
    const w = new WindowSet(options);
    expect(w.add('a', { sensorId: 't', ts: T0, value: 1 }, null, 0)).toBe('added');
    expect(w.add('a', { sensorId: 't', ts: T0 + 1000, value: 3 }, null, 0)).toBe('added');
    expect(w.add('a', { sensorId: 't', ts: T0, value: 1 }, null, 0)).toBe('duplicate');
    const block = { sensorId: 'v', ts: T0, rateHz: 4, values: [1, 2, 3, 4] };
    expect(w.add('a', block, null, 0)).toBe('added');
    expect(w.add('a', block, null, 0)).toBe('duplicate');
    const closed = w.drain();
    expect(closed.map((c) => c.features.count)).toEqual([2, 4]);
    expect(closed[0].features.mean).toBe(2);
  });

  it('does not let a duplicate confirm a reading whose timestamp jumped ahead', () => {
    const w = new WindowSet(options);
    const outlier = { sensorId: 't', ts: T0 + 240_000, value: 0 };
    w.add('a', { sensorId: 't', ts: T0, value: 1 }, null, 0);
    w.add('a', outlier, null, 0);
    expect(w.add('a', outlier, null, 0)).toBe('duplicate');
    expect(w.closeReady(0)).toEqual([]);
    expect(w.add('a', { sensorId: 't', ts: T0 + 1000, value: 1 }, null, 0)).toBe('added');
  });
});

describe('WindowSet watermark', () => {
  /** A reading of sensor t at event time ts, accepted by ingest at arrivedAt, each closed on arrival. */
  function feed(w: WindowSet, readings: [ts: number, arrivedAt: number][]) {
    const outcomes: string[] = [];
    const closed: { start: number; count: number }[] = [];
    for (const [ts, arrivedAt] of readings) {
      outcomes.push(w.add('a', { sensorId: 't', ts, value: 1 }, null, arrivedAt, arrivedAt));
      for (const c of w.closeReady(arrivedAt)) closed.push({ start: c.start, count: c.features.count });
    }
    return { outcomes, closed };
  }
  const trueTime = (n: number, from = 0): [number, number][] =>
    Array.from({ length: n }, (_, i) => [T0 + (from + i) * 1000, T0 + (from + i) * 1000]);

  it('keeps the readings that follow one stamped 240 s ahead: 20 readings at 1 Hz fill windows of 10', () => {
    const w = new WindowSet(options);
    const { outcomes, closed } = feed(w, [[T0 + 240_000, T0], ...trueTime(20)]);
    expect(outcomes).toEqual(Array(21).fill('added'));
    // The first window closed on the watermark, as on any other day; the rest on drain.
    expect(closed).toEqual([{ start: T0, count: 10 }]);
    expect(w.drain().map((c) => [c.start, c.features.count])).toEqual([
      [T0 + 10_000, 10],
      [T0 + 240_000, 1],
    ]);
  });

  it('keeps them too when arrival does not bound the outlier (a backfill): one reading does not move it', () => {
    const w = new WindowSet(options);
    // Everything arrives at once, long after it was measured.
    const late = T0 + 3_600_000;
    const readings = [[T0 + 240_000, late], ...trueTime(20).map(([ts]) => [ts, late])] as [number, number][];
    const { outcomes, closed } = feed(w, readings);
    expect(outcomes).toEqual(Array(21).fill('added'));
    expect(closed).toEqual([{ start: T0, count: 10 }]);
  });

  it('ignores a reading stamped behind: it gets its own window or is late, and moves nothing', () => {
    const w = new WindowSet(options);
    const { outcomes, closed } = feed(w, [
      ...trueTime(5),
      [T0 - 3_600_000, T0 + 5_000],
      ...trueTime(10, 5),
      [T0 - 3_600_000 + 1000, T0 + 15_000],
      ...trueTime(10, 15),
    ]);
    // The first one opens an old window (nothing closed it yet); the second finds that window stored.
    expect(outcomes.filter((o) => o === 'late')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'added')).toHaveLength(26);
    expect(closed).toEqual([
      { start: T0 - 3_600_000, count: 1 },
      { start: T0, count: 10 },
      { start: T0 + 10_000, count: 10 },
    ]);
  });

  it('follows a sensor whose clock is genuinely ahead: windows close on arrival time, none is late', () => {
    const w = new WindowSet(options);
    // Every reading is stamped 240 s ahead of the clock that receives it, for 270 s.
    const ahead = trueTime(270).map(([ts, at]) => [ts + 240_000, at] as [number, number]);
    const { outcomes, closed } = feed(w, ahead);
    expect(outcomes).toEqual(Array(270).fill('added'));
    // [T0+240 s, T0+250 s) closes once the clock passes its end plus lateness, at T0+252 s; and so on.
    expect(closed).toEqual([
      { start: T0 + 240_000, count: 10 },
      { start: T0 + 250_000, count: 10 },
    ]);
    const rest = w.drain().map((c) => c.features.count);
    expect(rest).toEqual(Array(25).fill(10));
  });

  it('moves on two readings that agree, within the allowed lateness of each other', () => {
    const w = new WindowSet(options);
    const late = T0 + 3_600_000;
    const { outcomes, closed } = feed(w, [
      ...trueTime(5).map(([ts]) => [ts, late] as [number, number]),
      [T0 + 100_000, late],
      [T0 + 101_000, late],
      [T0 + 5_000, late],
    ]);
    expect(closed).toEqual([{ start: T0, count: 5 }]);
    expect(outcomes.at(-1)).toBe('late');
  });
});
