import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import {
  InvalidObjectKeyError,
  validateObjectKey,
  validateObjectPrefix,
  validateSha256,
} from './object-store.ts';

describe('object keys', () => {
  it.each([
    'a',
    'exports/2026/readings.parquet',
    'with space/and+plus%25/ünïcødé ✓.csv',
    'a/.hidden',
    'a/..b/c..',
    'x'.repeat(1024),
  ])('accepts %j', (key) => {
    expect(validateObjectKey(key)).toBe(key);
  });

  it.each([
    ['', 'is empty'],
    ['../etc/passwd', 'holds a .. segment'],
    ['a/../../b', 'holds a .. segment'],
    ['..', 'holds a .. segment'],
    ['a/./b', 'holds a . segment'],
    ['/etc/passwd', 'is absolute (starts with /)'],
    ['a//b', 'holds an empty segment (// or a trailing /)'],
    ['a/', 'holds an empty segment (// or a trailing /)'],
    ['a\u0000b', 'holds the control character U+0000'],
    ['a\nb', 'holds the control character U+000A'],
    ['a\\..\\b', 'holds a backslash'],
    ['é'.repeat(513), 'is longer than 1024 UTF-8 bytes'],
  ])('refuses %j naming the key and the reason', (key, reason) => {
    const err = (() => {
      try {
        validateObjectKey(key);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidObjectKeyError);
    expect((err as InvalidObjectKeyError).field).toBe('key');
    expect((err as Error).message).toBe(`key: ${JSON.stringify(key)} ${reason}`);
  });

  it('takes prefixes that end inside a segment and refuses those no key starts with', () => {
    for (const prefix of ['', 'a', 'a/', 'a/.', 'a/..', 'exports/2026-'])
      expect(validateObjectPrefix(prefix)).toBe(prefix);
    expect(() => validateObjectPrefix('../')).toThrow('prefix: "../" holds a .. segment');
    expect(() => validateObjectPrefix('/a')).toThrow('prefix: "/a" is absolute (starts with /)');
    expect(() => validateObjectPrefix('a//')).toThrow(ValidationError);
  });

  it('reads a SHA-256 as 64 hex digits, in lower case', () => {
    expect(validateSha256('AB'.repeat(32))).toBe('ab'.repeat(32));
    expect(() => validateSha256('abc')).toThrow('sha256: expected 64 hexadecimal digits, got "abc"');
  });
});
