import { describe, expect, it } from 'vitest';
import {
  encodePoint,
  escapeKey,
  escapeMeasurement,
  LineProtocolError,
  msToNs,
  nsToMs,
  quoteString,
  sampleTimeNs,
} from './line-protocol.ts';
import { nsToRfc3339, parseCsv, rfc3339ToNs } from './query.ts';

describe('line protocol', () => {
  it('escapes as the reference says: measurement , and space; keys and tag values , = and space', () => {
    expect(escapeMeasurement('a b,c=d')).toBe('a\\ b\\,c=d');
    expect(escapeKey('tag value', 'a b,c=d')).toBe('a\\ b\\,c\\=d');
    expect(escapeKey('field key', 'x=y')).toBe('x\\=y');
    expect(quoteString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
  });

  it('keeps a lone backslash and unicode as they are', () => {
    expect(escapeKey('tag value', 'C:\\temp é 漢 🙂')).toBe('C:\\temp\\ é\\ 漢\\ 🙂');
  });

  it.each([
    ['a line break', 'a\nb', 'must not contain a line break'],
    ['a carriage return', 'a\rb', 'must not contain a line break'],
    ['a trailing backslash', 'a\\', 'must not end with a backslash'],
    ['a backslash before a comma', 'a\\,b', 'must not have a backslash before ","'],
    ['an empty name', '', 'must not be empty'],
  ])('refuses %s, naming the part', (_, name, reason) => {
    expect(() => escapeKey('tag value', name)).toThrow(new LineProtocolError('tag value', name, reason));
  });

  it('refuses a measurement that would make the line a comment, and reserved keys', () => {
    expect(() => escapeMeasurement('#m')).toThrow(/must not start with "#"/);
    expect(() => escapeKey('tag key', 'time')).toThrow(/reserved/);
  });

  it('writes one point: tags sorted, floats without a suffix, integers with i, nanoseconds', () => {
    const line = encodePoint({
      measurement: 'readings',
      tags: { sensor: 's 1', asset: 'a1' },
      fields: { value: 3, n: 4n, ok: true, note: 'x' },
      timeNs: 1_700_000_000_123_456_789n,
    });
    expect(line).toBe('readings,asset=a1,sensor=s\\ 1 value=3,n=4i,ok=t,note="x" 1700000000123456789');
  });

  it('refuses non-finite values and points without fields', () => {
    const base = { measurement: 'm', tags: {}, timeNs: 1n };
    expect(() => encodePoint({ ...base, fields: { value: Number.NaN } })).toThrow(/must be finite/);
    expect(() => encodePoint({ ...base, fields: {} })).toThrow(/needs a field/);
  });

  it('property: every name either is refused with a reason or splits back into itself', () => {
    // A seeded generator of awkward names; the encoded form is split on unescaped separators and unescaped.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ['a', 'Z', '0', ' ', ',', '=', '"', '\\', '\n', 'é', '漢', '🙂', '\t', '#', "'"];
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const length = 1 + Math.floor(random() * 8);
      const name = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      let encoded: string;
      try {
        encoded = escapeKey('tag value', name);
      } catch (err) {
        expect(err).toBeInstanceOf(LineProtocolError);
        expect(/\n|\\$|\\[,= "]/.test(name) || name === '').toBe(true);
        continue;
      }
      accepted++;
      // No unescaped separator is left, and unescaping gives the name back.
      expect(/(^|[^\\])[,= ]/.test(encoded.replace(/\\[,= ]/g, 'x'))).toBe(false);
      expect(encoded.replace(/\\([,= ])/g, '$1')).toBe(name);
    }
    expect(accepted).toBeGreaterThan(500);
  });
});

describe('times', () => {
  it('epoch milliseconds to nanoseconds, microseconds kept', () => {
    expect(msToNs(1_700_000_000_000)).toBe(1_700_000_000_000_000_000n);
    expect(msToNs(1_700_000_000_000.123)).toBe(1_700_000_000_000_123_000n);
    expect(nsToMs(1_700_000_000_000_123_000n)).toBe(1_700_000_000_000.123);
  });

  it('samples at ts + i/rate, to the nanosecond', () => {
    expect(sampleTimeNs(0n, 1, 12_800)).toBe(78_125n);
    expect(sampleTimeNs(10n, 4095, 12_800)).toBe(10n + 319_921_875n);
    expect(sampleTimeNs(0n, 1, 3)).toBe(333_333_333n);
  });

  it('RFC 3339 with nanoseconds, both ways', () => {
    expect(rfc3339ToNs('2023-11-14T22:13:20.000000123Z')).toBe(1_700_000_000_000_000_123n);
    expect(rfc3339ToNs('2023-11-14T22:13:20Z')).toBe(1_700_000_000_000_000_000n);
    expect(nsToRfc3339(1_700_000_000_000_000_123n)).toBe('2023-11-14T22:13:20.000000123Z');
  });

  it('CSV with quoted fields', () => {
    expect(parseCsv('a,b\r\n"x,1","say ""hi"""\r\n')).toEqual([
      ['a', 'b'],
      ['x,1', 'say "hi"'],
    ]);
  });
});
