import { describe, expect, it } from 'vitest';
import type { WindowFeatures } from '../../domain/types.ts';
import { decodeFeatures, defaultTtlSeconds, encodeFeatures, featuresKey, newestByAsset } from './features.ts';

const window = (assetId: string, sensorId: string, windowStart: number): WindowFeatures => ({
  assetId,
  sensorId,
  windowStart,
  windowEnd: windowStart + 10_000,
  count: 10,
  mean: 1.5,
  min: -0.25,
  max: 3,
  rms: 1.75,
  std: 0.5,
  peakToPeak: 3.25,
  crestFactor: 1.7142857142857142,
  kurtosis: 2.9,
  skewness: -0.1,
  dominantHz: null,
  bandEnergies: [0.5, 1e-12, 3],
  anomalyScore: 0.42,
  health: 87.5,
});

describe('online store layout in Redis', () => {
  it('names one hash per asset, ids used as they are', () => {
    expect(featuresKey('pump-1')).toBe('mantis:features:pump-1');
    expect(featuresKey('site:a/pump 1 é')).toBe('mantis:features:site:a/pump 1 é');
    expect(() => featuresKey('')).toThrow('assetId: must not be empty');
  });

  it('stores a window as its JSON and reads back the same window', () => {
    const f = window('pump-1', 'pump-1.vib', 1_767_225_600_000);
    const value = encodeFeatures(f);
    expect(JSON.parse(value)).toEqual(f);
    expect(decodeFeatures('mantis:features:pump-1', 'pump-1.vib', value)).toEqual(f);
  });

  it('refuses a stored value that is not a window of that asset and sensor, naming the field', () => {
    const key = 'mantis:features:pump-1';
    const f = window('pump-1', 'pump-1.vib', 1_000);
    expect(() => decodeFeatures(key, 'pump-1.vib', '{"sensorId":')).toThrow(`${key} pump-1.vib: not JSON`);
    expect(() => decodeFeatures(key, 'pump-1.vib', 'null')).toThrow(`${key} pump-1.vib: not an object`);
    expect(() => decodeFeatures(key, 'pump-1.temp', encodeFeatures(f))).toThrow(
      `${key} pump-1.temp: sensorId is pump-1.vib`,
    );
    expect(() => decodeFeatures('mantis:features:pump-2', 'pump-1.vib', encodeFeatures(f))).toThrow(
      'mantis:features:pump-2 pump-1.vib: assetId is pump-1',
    );
    expect(() =>
      decodeFeatures(key, 'pump-1.vib', JSON.stringify({ ...f, windowStart: '1970-01-01' })),
    ).toThrow(`${key} pump-1.vib: windowStart is not a number`);
  });

  it("keeps each series' newest window of a batch, grouped by asset", () => {
    const batch = [
      window('a', 'a.1', 20_000),
      window('a', 'a.1', 10_000),
      window('a', 'a.2', 10_000),
      window('b', 'b.1', 10_000),
      window('b', 'b.1', 30_000),
    ];
    const grouped = newestByAsset(batch);
    expect([...grouped.keys()]).toEqual(['a', 'b']);
    expect([...(grouped.get('a')?.values() ?? [])].map((f) => [f.sensorId, f.windowStart])).toEqual([
      ['a.1', 20_000],
      ['a.2', 10_000],
    ]);
    expect(grouped.get('b')?.get('b.1')?.windowStart).toBe(30_000);
  });

  it('lets an entry outlive six windows and the idle timeout, at least a minute', () => {
    expect(defaultTtlSeconds(10, 30)).toBe(90);
    expect(defaultTtlSeconds(1, 5)).toBe(60);
    expect(defaultTtlSeconds(3_600, 30)).toBe(21_630);
    expect(defaultTtlSeconds(15, 0.5)).toBe(91);
  });
});
