import { describe, expect, it } from 'vitest';
import { encodeJson } from '../bus/codec.ts';
import {
  DEAD_LETTER_ITEM_CHARS,
  deadLetterItem,
  MAX_JSON_DEPTH,
  nestedDeeperThan,
  parseJson,
  textPrefix,
  utf8Text,
} from './payload.ts';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('parseJson', () => {
  it('refuses 10 000 nested arrays before parsing them', () => {
    expect(parseJson(nested(10_000))).toEqual({
      ok: false,
      reason: `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
    });
  });

  it('accepts nesting up to the bound and refuses one level more, objects and arrays alike', () => {
    expect(parseJson(nested(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parseJson(nested(MAX_JSON_DEPTH + 1)).ok).toBe(false);
    const objects = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
    expect(parseJson(objects(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parseJson(objects(MAX_JSON_DEPTH + 1)).ok).toBe(false);
  });

  it('counts no brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ note: `${'['.repeat(100)}\\"{{{`, values: [1] });
    expect(nestedDeeperThan(text, 2)).toBe(false);
    expect(parseJson(text, 2)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('accepts a UTF-8 byte-order mark before the text', () => {
    expect(parseJson('\uFEFF{"ts":1,"value":2}')).toEqual({ ok: true, value: { ts: 1, value: 2 } });
  });

  it('names what is wrong with text that is not JSON, and never throws', () => {
    for (const text of ['', 'not json', '{"a":', '\uFEFF', ']]]]']) {
      const parsed = parseJson(text);
      expect(parsed.ok).toBe(false);
      expect(parsed.ok === false && parsed.reason).toMatch(/^not valid JSON/);
    }
  });
});

describe('utf8Text', () => {
  it('drops a byte-order mark and refuses bytes that are not UTF-8', () => {
    expect(utf8Text(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('{}');
    expect(utf8Text(Buffer.from([0x7b, 0xff, 0x7d]))).toBeNull();
    expect(utf8Text(Buffer.from('température', 'utf8'))).toBe('température');
  });
});

describe('deadLetterItem', () => {
  it('keeps a small item as it is', () => {
    const item = { sensorId: 's', ts: 1, value: 2 };
    expect(deadLetterItem(item)).toEqual({ item });
  });

  it('cuts an item nested 10 000 deep to the start of its JSON, which encodes without overflow', () => {
    const item = JSON.parse(nested(10_000));
    const kept = deadLetterItem(item);
    expect(kept).toEqual({
      item: `${'['.repeat(MAX_JSON_DEPTH)}"…"${']'.repeat(MAX_JSON_DEPTH)}`,
      truncated: true,
    });
    expect(() => encodeJson({ reason: 'x', ...kept })).not.toThrow();
  });

  it('cuts a huge item to the bound, marked truncated', () => {
    const item = { sensorId: 's', ts: 1, rateHz: 1, values: Array.from({ length: 100_000 }, (_, i) => i) };
    const kept = deadLetterItem(item);
    expect(kept.truncated).toBe(true);
    expect(kept.item).toBe(JSON.stringify(item).slice(0, DEAD_LETTER_ITEM_CHARS));
  });

  it('keeps a text as it was received, cut as text (no quote, no escapes) past the bound', () => {
    expect(deadLetterItem('{"ts": oops')).toEqual({ item: '{"ts": oops' });
    const line = `"${'a\\'.repeat(10_000)}`;
    expect(deadLetterItem(line)).toEqual({ item: line.slice(0, DEAD_LETTER_ITEM_CHARS), truncated: true });
    expect(deadLetterItem('x'.repeat(DEAD_LETTER_ITEM_CHARS))).toEqual({
      item: 'x'.repeat(DEAD_LETTER_ITEM_CHARS),
    });
  });

  it('never cuts a surrogate pair in two', () => {
    expect(textPrefix('ab😀c', 3)).toBe('ab');
    expect(textPrefix('ab😀c', 4)).toBe('ab😀');
    expect(deadLetterItem(`${'x'.repeat(DEAD_LETTER_ITEM_CHARS - 1)}😀`)).toEqual({
      item: 'x'.repeat(DEAD_LETTER_ITEM_CHARS - 1),
      truncated: true,
    });
  });

  it('describes what JSON cannot hold instead of throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(deadLetterItem(cyclic)).toEqual({
      item: expect.stringMatching(/^not serialisable: Converting circular structure/),
      truncated: true,
    });
    expect(deadLetterItem(10n)).toEqual({
      item: expect.stringMatching(/^not serialisable: /),
      truncated: true,
    });
    expect(deadLetterItem(undefined)).toEqual({ item: null, truncated: true });
  });
});
