import { describe, expect, it } from 'vitest';
import { assetStaleness, isStale, latestReadingTimes } from './sensor-staleness.ts';

const MIN = 60_000;
const now = Date.UTC(2026, 0, 10, 12);

describe('isStale', () => {
  it('is stale once the latest reading is older than the period, not at the period itself', () => {
    const registeredAt = now - 60 * MIN;
    expect(isStale({ registeredAt, lastReadingAt: now - 15 * MIN }, false, now, 15 * MIN)).toBe(false);
    expect(isStale({ registeredAt, lastReadingAt: now - 15 * MIN - 1 }, false, now, 15 * MIN)).toBe(true);
    expect(isStale({ registeredAt, lastReadingAt: now - MIN }, false, now, 15 * MIN)).toBe(false);
  });

  it('counts a sensor that never sent a reading from its registration', () => {
    expect(isStale({ registeredAt: now - 10 * MIN, lastReadingAt: null }, false, now, 15 * MIN)).toBe(false);
    expect(isStale({ registeredAt: now - 16 * MIN, lastReadingAt: null }, false, now, 15 * MIN)).toBe(true);
  });

  it('counts a sensor registered again after retirement from that registration', () => {
    const activity = { registeredAt: now - 5 * MIN, lastReadingAt: now - 30 * 24 * 60 * MIN };
    expect(isStale(activity, false, now, 15 * MIN)).toBe(false);
    expect(isStale(activity, false, now + 11 * MIN, 15 * MIN)).toBe(true);
  });

  it('never calls a retired sensor stale', () => {
    expect(isStale({ registeredAt: now - 60 * MIN, lastReadingAt: null }, true, now, 15 * MIN)).toBe(false);
  });

  it('is not stale for a reading from the future (clock skew within ingest.maxClockSkewSeconds)', () => {
    expect(isStale({ registeredAt: now - 60 * MIN, lastReadingAt: now + MIN }, false, now, MIN)).toBe(false);
  });
});

describe('assetStaleness', () => {
  const sensors = [
    { id: 'a.temp', retiredAt: null },
    { id: 'a.vib' },
    { id: 'a.old', retiredAt: '2026-01-01T00:00:00.000Z' },
    { id: 'a.unknown' },
  ];

  it('gives each sensor its latest reading and staleness, the asset the latest and any stale', () => {
    const activity = new Map([
      ['a.temp', { registeredAt: now - 60 * MIN, lastReadingAt: now - MIN + 0.5 }],
      ['a.vib', { registeredAt: now - 60 * MIN, lastReadingAt: now - 20 * MIN }],
      ['a.old', { registeredAt: now - 90 * MIN, lastReadingAt: now - 80 * MIN }],
    ]);
    const result = assetStaleness(sensors, activity, now, 15 * MIN);
    expect(result.lastReadingAt).toBe(new Date(now - MIN).toISOString());
    expect(result.stale).toBe(true);
    expect(Object.fromEntries(result.sensors)).toEqual({
      'a.temp': { lastReadingAt: '2026-01-10T11:59:00.000Z', stale: false },
      'a.vib': { lastReadingAt: '2026-01-10T11:40:00.000Z', stale: true },
      'a.old': { lastReadingAt: '2026-01-10T10:40:00.000Z', stale: false },
      'a.unknown': { lastReadingAt: null, stale: false },
    });
  });

  it('is not stale when only a retired sensor is silent, and has no time when nothing was read', () => {
    const activity = new Map([
      ['a.temp', { registeredAt: now - MIN, lastReadingAt: null }],
      ['a.vib', { registeredAt: now - MIN, lastReadingAt: null }],
      ['a.old', { registeredAt: now - 90 * MIN, lastReadingAt: null }],
    ]);
    expect(assetStaleness(sensors, activity, now, 15 * MIN)).toMatchObject({
      lastReadingAt: null,
      stale: false,
    });
  });

  it('is not stale without sensors', () => {
    const result = assetStaleness([], new Map(), now, MIN);
    expect(result).toEqual({ lastReadingAt: null, stale: false, sensors: new Map() });
  });
});

describe('latestReadingTimes', () => {
  it('keeps the greatest time per sensor, ordered by sensor id, whatever the order of arrival', () => {
    const readings = [
      { sensorId: 'b', ts: 5 },
      { sensorId: 'a', ts: 9.25 },
      { sensorId: 'b', ts: 7 },
      { sensorId: 'a', ts: 3 },
      { sensorId: 'B', ts: 1 },
    ];
    expect(latestReadingTimes(readings)).toEqual([
      { sensorId: 'B', ts: 1 },
      { sensorId: 'a', ts: 9.25 },
      { sensorId: 'b', ts: 7 },
    ]);
    expect(latestReadingTimes([])).toEqual([]);
  });
});
