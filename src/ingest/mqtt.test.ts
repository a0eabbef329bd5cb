import { describe, expect, it } from 'vitest';
import { BusFullError, BusUnavailableError } from '../bus/port.ts';
import type { Principal } from '../domain/access.ts';
import { TooManyRequestsError, UnauthorizedError } from '../domain/errors.ts';
import { itemsOfMessage, receivedPayload, retryable } from './mqtt.ts';
import { connackCodeOf, mayPublish, maySubscribe } from './mqtt-listener.ts';
import { NoticeBudget, rejectionNotice, rejectionTopic } from './mqtt-rejections.ts';
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
    // The payload as received, for its dead letter to bound.
    expect((item as UnparsableItem).received).toBe(poison);
  });

  it('keeps what was received with each refusal: the text, the parsed value, or base64 of bytes', () => {
    const received = (payload: string | Buffer, maxItems?: number) =>
      (items(payload, maxItems)[0] as UnparsableItem).received;
    expect(received('{"ts":')).toBe('{"ts":');
    expect(received('[]')).toEqual([]);
    expect(received('[{"a":1},{"b":2},{"c":3}]', 2)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(received(Buffer.from([0x7b, 0xff, 0x7d]))).toBe('e/99');
    // Past what a dead letter keeps: one more group of 3 bytes, so that the cut is marked truncated.
    expect(received(Buffer.alloc(100_000, 0xff))).toHaveLength(8196);
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
    // The item as received, an object like every other rejected reading's.
    expect((result[0] as UnparsableItem).received).toEqual({ sensorId: 'oven-2.temp', ts: 1, value: 2 });
    expect(items('{"sensorId":7,"ts":1,"value":2}')).toEqual([
      refusal('sensorId', '7 differs from the sensor of the topic, "oven-1.temp"'),
    ]);
  });

  it('quotes at most 64 characters of a conflicting sensorId in the reason', () => {
    const [item] = items(JSON.stringify({ sensorId: 'x'.repeat(10_000), ts: 1, value: 2 }));
    expect(item).toEqual(
      refusal('sensorId', `"${'x'.repeat(62)}… differs from the sensor of the topic, "oven-1.temp"`),
    );
  });
});

describe('receivedPayload', () => {
  it('is the JSON value when the payload parses, else its text, else base64 of its bytes', () => {
    expect(receivedPayload(Buffer.from('{"ts":1}'))).toEqual({ ts: 1 });
    expect(receivedPayload(Buffer.from('{"ts":'))).toBe('{"ts":');
    expect(receivedPayload(Buffer.from([0xff]))).toBe('/w==');
  });
});

describe('rejection notices', () => {
  it('go to the topic of the message with mantis-rejected as first level', () => {
    expect(rejectionTopic('mantis/plant/press/press.temp')).toBe('mantis-rejected/plant/press/press.temp');
    expect(rejectionTopic('mantis/plant')).toBe('mantis-rejected/plant');
    expect(rejectionTopic('mantis')).toBe('mantis-rejected');
  });

  it('carry the topic, index, field, reason (at most 300 characters) and reception time, nothing of the payload', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    expect(
      rejectionNotice('mantis/p/a/s', { index: 2, field: 'value', reason: 'is not a number' }, at),
    ).toEqual({
      topic: 'mantis/p/a/s',
      index: 2,
      field: 'value',
      reason: 'is not a number',
      receivedAt: '2026-03-01T10:00:00.000Z',
    });
    const long = rejectionNotice('t', { index: null, field: 'payload', reason: 'r'.repeat(1000) }, at);
    expect(long.reason).toBe(`${'r'.repeat(299)}…`);
  });

  it('are limited per topic and second, each topic on its own budget', () => {
    const budget = new NoticeBudget(3);
    const taken = (topic: string, now: number) =>
      Array.from({ length: 5 }, () => budget.take(topic, now)).filter(Boolean).length;
    expect(taken('a', 1000)).toBe(3);
    expect(taken('b', 1500)).toBe(3);
    expect(taken('a', 1999)).toBe(0);
    expect(taken('a', 2000)).toBe(3);
    expect(taken('a', 2500)).toBe(0);
    expect(new NoticeBudget(0).take('a', 0)).toBe(false);
  });
});

describe('MQTT permissions on the embedded listener', () => {
  const device: Principal = { actor: 'gw', role: 'device', siteId: 'plant', keyId: 'k' };
  const admin: Principal = { actor: 'mantis', role: 'admin', siteId: null, keyId: null };

  it('lets a device publish readings to its own site only, and never notices', () => {
    expect(mayPublish(device, 'mantis/plant/press/press.temp')).toBe(true);
    expect(mayPublish(device, 'mantis/other/press/press.temp')).toBe(false);
    expect(mayPublish(device, 'mantis-rejected/plant/press/press.temp')).toBe(false);
    expect(mayPublish(admin, 'mantis-rejected/plant/press/press.temp')).toBe(true);
    expect(mayPublish(admin, 'mantis/other/press/press.temp')).toBe(true);
    expect(mayPublish(undefined, 'mantis/plant/press/press.temp')).toBe(false);
  });

  it("lets a device subscribe to its own site's rejection notices and to nothing else", () => {
    for (const filter of [
      'mantis-rejected/plant/#',
      'mantis-rejected/plant/+/+',
      'mantis-rejected/plant/press/press.temp',
    ])
      expect([filter, maySubscribe(device, filter)]).toEqual([filter, true]);
    for (const filter of [
      'mantis-rejected/#',
      'mantis-rejected/+/#',
      'mantis-rejected/plant',
      'mantis-rejected/plant2/#',
      'mantis-rejected/other/#',
      'mantis/#',
      'mantis/plant/#',
      '#',
      '$SYS/#',
      '$share/g/mantis-rejected/plant/#',
    ])
      expect([filter, maySubscribe(device, filter)]).toEqual([filter, false]);
    expect(maySubscribe({ ...device, siteId: null }, 'mantis-rejected/null/#')).toBe(false);
    expect(maySubscribe(admin, 'mantis/+/+/+')).toBe(true);
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
