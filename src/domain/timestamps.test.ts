import { describe, expect, it } from 'vitest';
import {
  EPOCH_MS_TEXT_PATTERN,
  ISO_TIMESTAMP_PATTERN,
  MAX_TS,
  MIN_TS,
  parseTimestamp,
  parseTimestampParam,
} from './timestamps.ts';

const T = Date.UTC(2026, 10, 29, 10); // 2026-11-29T10:00:00Z

describe('parseTimestamp', () => {
  it.each([
    ['2026-11-29T10:00:00Z', T],
    ['2026-11-29T10:00Z', T],
    ['2026-11-29t10:00:00z', T],
    ['2026-11-29T12:00:00+02:00', T],
    ['2026-11-29T12:00:00+0200', T],
    ['2026-11-29T05:30:00-04:30', T],
    ['2026-11-29T10:00:00-00:00', T],
    ['2026-11-29T10:00:00.250Z', T + 250],
    ['2026-11-29T10:00:00.0005Z', T + 0.5],
    ['2024-02-29T10:00:00Z', Date.UTC(2024, 1, 29, 10)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['2026-12-31T23:59:59.999Z', Date.UTC(2026, 11, 31, 23, 59, 59, 999)],
    ['2026-01-01T00:30:00+14:00', Date.UTC(2025, 11, 31, 10, 30)],
  ])('reads %s', (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  it('takes epoch milliseconds, fractions kept', () => {
    expect(parseTimestamp(T)).toBe(T);
    expect(parseTimestamp(T + 0.5)).toBe(T + 0.5);
  });

  it.each([
    ['2026-02-30T10:00:00Z', '2026-02 has no day 30'],
    ['2026-04-31T10:00:00Z', '2026-04 has no day 31'],
    ['2025-02-29T10:00:00Z', '2025-02 has no day 29'],
    ['2100-02-29T10:00:00Z', '2100-02 has no day 29'],
    ['2026-01-00T10:00:00Z', '2026-01 has no day 00'],
    ['2026-13-01T10:00:00Z', 'month 13 does not exist'],
    ['2026-00-01T10:00:00Z', 'month 00 does not exist'],
    ['2026-01-01T24:00:00Z', 'hour 24 does not exist'],
    ['2026-01-01T10:60:00Z', 'minute 60 does not exist'],
    ['2026-01-01T10:00:61Z', 'second 61 does not exist'],
    ['2026-12-31T23:59:60Z', 'second 60 (a leap second) cannot be represented'],
    ['2026-01-01T10:00:00+25:00', 'offset +25:00 does not exist'],
    ['2026-01-01T10:00:00-03:60', 'offset -03:60 does not exist'],
    ['2026-01-01T10:00:00', 'expected ISO 8601 with a time zone'],
    ['2026-01-01 10:00:00Z', 'expected ISO 8601 with a time zone'],
    ['1764410400000', 'expected ISO 8601 with a time zone'],
    ['yesterday', 'expected ISO 8601'],
    ['1999-12-31T23:59:59Z', 'is before 2000-01-01'],
    ['2100-01-01T00:00:00Z', 'is after 2100-01-01'],
  ])('refuses %s: %s', (text, reason) => {
    expect(parseTimestamp(text)).toContain(reason);
  });

  it.each([
    [T / 1000, 'looks like epoch seconds'],
    [Math.floor(T / 1000), 'looks like epoch seconds'],
    [T * 1000, 'looks like epoch microseconds'],
    [T * 1_000_000, 'looks like epoch nanoseconds'],
  ])('names the unit %d was probably sent in', (value, reason) => {
    const result = parseTimestamp(value);
    expect(result).toContain(reason);
    expect(result).toContain('send epoch milliseconds');
  });

  it.each([
    [1, 'is before 2000-01-01'],
    [-T, 'is before 2000-01-01'],
    [1e13, 'is after 2100-01-01'],
    [1e20, 'is after 2100-01-01'],
    [Number.NaN, 'must be a finite number'],
    [Number.POSITIVE_INFINITY, 'must be a finite number'],
    [undefined, 'is required'],
    [null, 'must be a number (epoch ms) or an ISO 8601 string'],
    [true, 'must be a number (epoch ms) or an ISO 8601 string'],
  ])('refuses %s', (value, reason) => {
    expect(parseTimestamp(value)).toContain(reason);
  });
});

describe('parseTimestampParam', () => {
  it('reads a numeral as epoch milliseconds, fractions too, and anything else as ISO 8601', () => {
    expect(parseTimestampParam(String(T))).toBe(T);
    expect(parseTimestampParam(`${T}.5`)).toBe(T + 0.5);
    expect(parseTimestampParam('2026-11-29T10:00:00Z')).toBe(T);
    expect(parseTimestampParam('2026-02-30T10:00:00Z')).toContain('has no day 30');
    expect(parseTimestampParam(String(T * 1000))).toContain('epoch microseconds');
    expect(parseTimestampParam('-5')).toContain('expected ISO 8601');
  });
});

describe('the document patterns and the parsers agree', () => {
  const iso = new RegExp(ISO_TIMESTAMP_PATTERN);
  const epoch = new RegExp(EPOCH_MS_TEXT_PATTERN);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  // A fixed pseudo-random sequence (a linear congruential generator) keeps failures reproducible.
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };

  it('takes an ISO date-time exactly when the pattern matches it', () => {
    for (let i = 0; i < 20_000; i++) {
      const zone = ['Z', 'z', `+${pad(rand(26))}:${pad(rand(62))}`, `-${pad(rand(26))}${pad(rand(62))}`][
        rand(4)
      ];
      const seconds = rand(3) === 0 ? '' : `:${pad(rand(62))}${rand(2) ? `.${rand(1000)}` : ''}`;
      const text = `${1995 + rand(110)}-${pad(rand(14))}-${pad(rand(33))}${rand(8) ? 'T' : 't'}${pad(rand(26))}:${pad(rand(62))}${seconds}${zone}`;
      expect([text, iso.test(text)]).toEqual([text, typeof parseTimestamp(text) === 'number']);
    }
    for (const text of ['2000-01-01T00:30+01:00', '2099-12-31T23:59:59-23:59', '2024-02-29T00:00Z']) {
      expect([text, iso.test(text)]).toEqual([text, true]);
      expect(typeof parseTimestamp(text)).toBe('number');
    }
    for (const text of ['2100-01-01T00:00Z', '1999-12-31T23:59Z', '2100-02-29T00:00Z', '2023-02-29T00:00Z']) {
      expect([text, iso.test(text)]).toEqual([text, false]);
      expect(typeof parseTimestamp(text)).toBe('string');
    }
  });

  it('takes decimal epoch milliseconds exactly when the pattern matches them', () => {
    const edges = [MIN_TS, MAX_TS, 1e12, 4e12, 9.5e11];
    for (let i = 0; i < 20_000; i++) {
      const base = edges[rand(edges.length)] + (rand(2) ? 1 : -1) * rand(10 ** (1 + rand(12)));
      const text = `${rand(5) === 0 ? '00' : ''}${Math.max(0, base)}${rand(4) === 0 ? `.${rand(100)}` : ''}`;
      expect([text, epoch.test(text)]).toEqual([text, typeof parseTimestampParam(text) === 'number']);
    }
  });
});
