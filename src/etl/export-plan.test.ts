import { describe, expect, it } from 'vitest';
import {
  ExportFlagError,
  hiveValue,
  parseInstant,
  parsePrefix,
  parseRange,
  parseResolution,
  partitionKey,
  planPartitions,
  utcDays,
} from './export-plan.ts';

const T = (iso: string) => Date.parse(iso);

describe('export flags', () => {
  it('reads epoch ms, UTC dates and zoned ISO 8601 times', () => {
    expect(parseInstant('--from', '1764460800000')).toBe(1_764_460_800_000);
    expect(parseInstant('--from', '2025-11-30')).toBe(Date.UTC(2025, 10, 30));
    expect(parseInstant('--from', '2025-11-30T06:30:00Z')).toBe(Date.UTC(2025, 10, 30, 6, 30));
    expect(parseInstant('--from', '2025-11-30T06:30:00.250+01:00')).toBe(
      Date.UTC(2025, 10, 30, 5, 30, 0, 250),
    );
  });

  it('refuses times without a zone, impossible days and words, naming the flag', () => {
    for (const bad of ['2025-11-30T06:30:00', 'yesterday', '2025-02-30', '2025-13-01T00:00Z', '']) {
      expect(() => parseInstant('--to', bad)).toThrow(ExportFlagError);
      expect(() => parseInstant('--to', bad)).toThrow(/^--to: /);
    }
  });

  it('wants --from before --to', () => {
    expect(parseRange('2025-11-30', '2025-12-01')).toEqual({
      from: T('2025-11-30T00:00Z'),
      to: T('2025-12-01T00:00Z'),
    });
    expect(() => parseRange('2025-12-01', '2025-11-30')).toThrow(/^--from: must be before --to/);
    expect(() => parseRange('2025-12-01', '2025-12-01')).toThrow(/^--from: must be before --to/);
  });

  it('refuses epoch seconds given for epoch ms, naming the flag', () => {
    expect(() => parseInstant('--from', '1764460800')).toThrow(
      '--from: 1764460800 looks like epoch seconds (as ms it is 1970-01-21T10:07:40.800Z); give epoch milliseconds or an ISO 8601 time',
    );
    expect(() => parseInstant('--from', '0')).toThrow(/^--from: 0 looks like epoch seconds/);
  });

  it('refuses a range of more than ten years in one run, whatever its ends', () => {
    expect(() => parseRange('1764460800000', '99999999999999')).toThrow(
      /^--to: the range spans \d+ days, more than 3660 in one run; split it into several runs$/,
    );
    expect(() => parseRange('1900-01-01', '2200-01-01')).toThrow(/more than 3660 in one run/);
    expect(parseRange('2016-01-01', '2026-01-01').to).toBe(T('2026-01-01T00:00Z'));
  });

  it('knows the resolutions and refuses others', () => {
    expect(parseResolution('1h')).toBe('1h');
    expect(() => parseResolution('10s')).toThrow(
      '--resolution: expected one of window, 1m, 1h, 1d, got "10s"',
    );
  });

  it('refuses a prefix that cannot start a key', () => {
    expect(parsePrefix('lake/mantis')).toBe('lake/mantis');
    for (const bad of ['/abs', 'trailing/', 'a//b', '../up', ''])
      expect(() => parsePrefix(bad)).toThrow(/^--prefix: /);
  });
});

describe('partition plan', () => {
  it('cuts a range into UTC days clipped to it', () => {
    expect(utcDays(T('2025-11-30T22:00Z'), T('2025-12-02T01:00Z'))).toEqual([
      { date: '2025-11-30', from: T('2025-11-30T22:00Z'), to: T('2025-12-01T00:00Z') },
      { date: '2025-12-01', from: T('2025-12-01T00:00Z'), to: T('2025-12-02T00:00Z') },
      { date: '2025-12-02', from: T('2025-12-02T00:00Z'), to: T('2025-12-02T01:00Z') },
    ]);
    expect(utcDays(T('2025-12-01T00:00Z'), T('2025-12-02T00:00Z'))).toHaveLength(1);
  });

  it('escapes partition values as Hive does', () => {
    expect(hiveValue('pump-1.a_b')).toBe('pump-1.a_b');
    expect(hiveValue('line:1/é')).toBe('line%3A1%2F%C3%A9');
  });

  it('plans day × asset files under Hive-style keys, days first, assets sorted and once', () => {
    const folder = 'exports/features/resolution=window';
    const plan = planPartitions(folder, T('2025-11-30T12:00Z'), T('2025-12-01T12:00Z'), [
      'pump-2',
      'pump-1',
      'pump-2',
    ]);
    expect(plan.map((p) => p.key)).toEqual([
      'exports/features/resolution=window/date=2025-11-30/asset=pump-1/part-0.parquet',
      'exports/features/resolution=window/date=2025-11-30/asset=pump-2/part-0.parquet',
      'exports/features/resolution=window/date=2025-12-01/asset=pump-1/part-0.parquet',
      'exports/features/resolution=window/date=2025-12-01/asset=pump-2/part-0.parquet',
    ]);
    expect(plan[0]).toMatchObject({
      assetId: 'pump-1',
      from: T('2025-11-30T12:00Z'),
      to: T('2025-12-01T00:00Z'),
    });
    expect(partitionKey('x/readings', '2025-01-02', 'a:b', 3)).toBe(
      'x/readings/date=2025-01-02/asset=a%3Ab/part-3.parquet',
    );
  });
});
