import { describe, expect, it } from 'vitest';
import { BusFullError, BusUnavailableError } from '../bus/port.ts';
import { TooManyRequestsError, UnauthorizedError } from '../domain/errors.ts';
import { itemsOfMessage, retryable } from './mqtt.ts';
import { connackCodeOf } from './mqtt-listener.ts';
import { MAX_JSON_DEPTH } from './payload.ts';
import { UnparsableItem } from './publish.ts';

const items = (payload: string | Buffer, maxItems = 100) =>
  itemsOfMessage('oven-1.temp', typeof payload === 'string' ? Buffer.from(payload) : payload, maxItems);

const refusal = (field: string, reason: string | RegExp) =>
  expect.objectContaining({
    field,
    reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
  });

describe('itemsOfMessage', () => {
  it('gives one reading or an array of them the sensor of the topic', () => {
    expect(items('{"ts":1,"value":2}')).toEqual([{ ts: 1, value: 2, sensorId: 'oven-1.temp' }]);
    expect(items('[{"ts":1,"value":2},{"ts":2,"value":3}]')).toHaveLength(2);
  });

  it('accepts a UTF-8 byte-order mark before the JSON', () => {
    const payload = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ts":1,"value":2}')]);
    expect(items(payload)).toEqual([{ ts: 1, value: 2, sensorId: 'oven-1.temp' }]);
  });

  it('refuses 10 000 nested arrays as one rejection of the payload, without parsing them', () => {
    const poison = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const [item] = items(poison);
    expect(item).toBeInstanceOf(UnparsableItem);
    expect(item).toEqual(refusal('payload', `nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`));
    expect((item as UnparsableItem).text).toHaveLength(200);
  });

  it('refuses an empty payload, an empty array, bytes that are not UTF-8, and more items than a batch', () => {
    expect(items('')).toEqual([refusal('payload', /^is empty/)]);
    expect(items('[]')).toEqual([refusal('payload', 'contains no readings')]);
    expect(items(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual([refusal('payload', 'is not valid UTF-8')]);
    expect(items('[{},{},{}]', 2)).toEqual([refusal('payload', 'holds 3 items; at most 2 per message')]);
    expect(items('{"ts":')).toEqual([refusal('payload', /^not valid JSON/)]);
  });

  it('refuses an item naming another sensor than its topic, keeping the others', () => {
    const result = items(
      '[{"sensorId":"oven-2.temp","ts":1,"value":2},{"sensorId":"oven-1.temp","ts":2,"value":3}]',
    );
    expect(result[0]).toEqual(
      refusal('sensorId', '"oven-2.temp" differs from the sensor of the topic, "oven-1.temp"'),
    );
    expect(result[1]).toEqual({ sensorId: 'oven-1.temp', ts: 2, value: 3 });
    expect(items('{"sensorId":7,"ts":1,"value":2}')).toEqual([
      refusal('sensorId', '7 differs from the sensor of the topic, "oven-1.temp"'),
    ]);
  });
});

describe('retryable', () => {
  it('waits out a full or unreachable bus, and nothing that comes with the message', () => {
    expect(retryable(new BusFullError('t'))).toBe(true);
    expect(retryable(new BusUnavailableError('down'))).toBe(true);
    expect(retryable(new TooManyRequestsError('later', 1))).toBe(true);
    expect(retryable(new RangeError('Maximum call stack size exceeded'))).toBe(false);
    expect(retryable(new TypeError('x is undefined'))).toBe(false);
    const tooLarge = Object.assign(new Error('too large'), { apiId: 'MESSAGE_TOO_LARGE' });
    expect(retryable(new BusUnavailableError('refused', 2, { cause: tooLarge }))).toBe(false);
  });
});

describe('connackCodeOf', () => {
  it('answers 4 to bad credentials, rate-limited or not, and 3 when they could not be checked', () => {
    expect(connackCodeOf(new UnauthorizedError())).toBe(4);
    expect(connackCodeOf(new TooManyRequestsError('too many', 10))).toBe(4);
    expect(connackCodeOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(3);
  });
});
