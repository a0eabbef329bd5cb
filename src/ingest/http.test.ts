import { describe, expect, it } from 'vitest';
import { parseJsonBody, parseNdjson } from './http.ts';
import { deadLetterItem } from './payload.ts';
import { UnparsableItem } from './publish.ts';

describe('parseNdjson', () => {
  it('parses each line on its own and keeps a line that is not JSON as received, for its dead letter', () => {
    const bad = `{"sensorId":"a","ts":1,"value":${'9'.repeat(300)}`;
    const items = parseNdjson(`{"sensorId":"a","ts":1,"value":2}\n\n  ${bad}  \r\n[1]\n`);
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ sensorId: 'a', ts: 1, value: 2 });
    expect(items[1]).toBeInstanceOf(UnparsableItem);
    const unparsable = items[1] as UnparsableItem;
    expect(unparsable.received).toBe(bad);
    expect(unparsable.reason).not.toContain('999');
    expect(deadLetterItem(unparsable.received)).toEqual({ item: bad });
    expect(items[2]).toEqual([1]);
  });

  it('bounds the dead letter of a very long line and marks it truncated', () => {
    const bad = `{${'x'.repeat(20_000)}`;
    const [item] = parseNdjson(bad);
    const letter = deadLetterItem((item as UnparsableItem).received);
    expect(letter.truncated).toBe(true);
    expect(letter.item).toBe(bad.slice(0, 8192));
  });
});

describe('parseJsonBody', () => {
  it('drops a leading byte-order mark and never quotes the body in its refusal', () => {
    expect(parseJsonBody('\ufeff[{"a":1}]')).toEqual([{ a: 1 }]);
    expect(() => parseJsonBody('{"secret": nope')).toThrow(/^(?!.*secret)/);
  });
});
