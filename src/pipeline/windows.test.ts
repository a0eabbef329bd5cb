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
  it('counts a reading delivered twice once', () => {
    const w = new WindowSet(options);
    w.add('a', { sensorId: 't', ts: T0, value: 1 }, null, 0);
    w.add('a', { sensorId: 't', ts: T0 + 1000, value: 3 }, null, 0);
    w.add('a', { sensorId: 't', ts: T0, value: 1 }, null, 0);
    const [closed] = w.drain();
    expect(closed.features).toMatchObject({ count: 2, mean: 2 });
  });
});
