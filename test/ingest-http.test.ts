import { request } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { type DeadLetter, decodeJson } from '../src/bus/codec.ts';
import { topics } from '../src/bus/port.ts';
import { bodyOf, type Client, client } from './helpers/app.ts';
import { engines } from './helpers/engines.ts';

const BODY_LIMIT = 1_000_000;
const deep = (depth: number) => `[${'['.repeat(depth)}${']'.repeat(depth)}]`;
/** No control characters and no U+FFFD (what binary becomes when read as UTF-8). */
const printable = (text: string) =>
  [...text].every((c) => c >= ' ' || '\t\n\r'.includes(c)) && !text.includes('\ufffd');

describe.each(engines)(
  'request bodies: nesting, encodings, timestamps, rates and U+0000, on $name',
  (engine) => {
    let app: MantisApp;
    let stop: () => Promise<void>;
    let api: Client;
    // A distinct second for each case, so that stored readings can be told apart.
    let second = 0;
    const nextTs = () => Date.now() - 600_000 + ++second * 1000;

    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(`${app.url}/v1/readings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json', ...headers },
        body,
      });

    /** The values stored for a sensor at ts, once the processor has written them (waits up to 15 s). */
    const storedAt = async (sensorId: string, ts: number, expectCount = 1) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const { readings } = await api.json<{ readings: { ts: number; value: number }[] }>(
          `/v1/sensors/${sensorId}/signal?from=${ts}&to=${ts + 1}`,
        );
        if (readings.length >= expectCount || Date.now() > deadline) return readings.map((r) => r.value);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const deadLetters = async () => {
      const consumer = app.services.bus?.subscribe(topics.deadLetters, `inspect-${second}`, 1000);
      const records = (await consumer?.poll(0)) ?? [];
      await consumer?.close();
      return records.map((r) => decodeJson<DeadLetter>(r.value));
    };

    beforeAll(async () => {
      ({ app, stop } = await engine.start({ 'http.bodyLimitBytes': BODY_LIMIT }));
      api = client(app);
      const registered = await api.request('PUT', '/v1/assets/press-1', {
        siteId: 'site-1',
        lineId: 'line-1',
        name: 'Press 1',
        kind: 'press',
        sensors: [
          {
            id: 'press-1.temp',
            kind: 'temperature',
            unit: 'degC',
            sampleRateHz: 1,
            validMin: -40,
            validMax: 200,
          },
          {
            id: 'press-1.vib',
            kind: 'vibration',
            unit: 'g',
            sampleRateHz: 12_000,
            validMin: -50,
            validMax: 50,
          },
          {
            id: 'press-1.probe',
            kind: 'vibration',
            unit: 'g',
            sampleRateHz: 25_600,
            rateVaries: true,
            validMin: -50,
            validMax: 50,
          },
        ],
      });
      expect(registered.status).toBe(200);
    });

    afterAll(async () => {
      await stop?.();
    });

    describe('nesting', () => {
      it('rejects an item nested 5000 deep on its own, with 422, and dead-letters a bounded copy', async () => {
        const response = await post(deep(5000));
        expect(response.status).toBe(422);
        expect(await bodyOf(response)).toEqual({
          accepted: 0,
          rejected: [{ index: 0, field: 'item', reason: 'must be an object' }],
        });
      });

      it('keeps the good reading of a batch that also holds a deeply nested item, and says 202', async () => {
        const ts = nextTs();
        const good = JSON.stringify({ sensorId: 'press-1.temp', ts, value: 61.5 });
        const nestedValue = `{"sensorId":"press-1.temp","ts":${ts + 1},"value":${deep(5000)}}`;
        const response = await post(`[${good},${deep(5000)},${nestedValue}]`);
        expect(response.status).toBe(202);
        expect(await bodyOf(response)).toEqual({
          accepted: 1,
          rejected: [
            { index: 1, field: 'item', reason: 'must be an object' },
            { index: 2, field: 'value', reason: 'must be a finite number' },
          ],
        });
        expect(await storedAt('press-1.temp', ts)).toEqual([61.5]);
        const letters = (await deadLetters()).filter((l) => l.reason === 'must be a finite number');
        expect(letters.at(-1)).toMatchObject({ field: 'value', truncated: true });
        expect(String(letters.at(-1)?.item)).toMatch(/^\{"sensorId":"press-1.temp","ts":\d+,"value":\[\[\[/);
      });

      it('takes nesting as deep as the body limit allows without a 5xx', async () => {
        const response = await post(deep(BODY_LIMIT / 2 - 2));
        expect(response.status).toBe(422);
      });

      it('rejects a deeply nested NDJSON line on its own', async () => {
        const ts = nextTs();
        const body = [JSON.stringify({ sensorId: 'press-1.temp', ts, value: 62 }), deep(5000)].join('\n');
        const response = await post(body, { 'content-type': 'application/x-ndjson' });
        expect(response.status).toBe(202);
        expect((await bodyOf(response)).rejected).toEqual([
          { index: 1, field: 'item', reason: 'must be an object' },
        ]);
        expect(await storedAt('press-1.temp', ts)).toEqual([62]);
      });
    });

    describe('byte-order mark', () => {
      it('accepts a JSON body that starts with a UTF-8 byte-order mark', async () => {
        const ts = nextTs();
        const response = await post(`\ufeff${JSON.stringify([{ sensorId: 'press-1.temp', ts, value: 63 }])}`);
        expect(response.status).toBe(202);
        expect(await bodyOf(response)).toEqual({ accepted: 1, rejected: [] });
        expect(await storedAt('press-1.temp', ts)).toEqual([63]);
      });

      it('accepts it on NDJSON and on the other JSON endpoints too', async () => {
        const ndjson = await post(
          `\ufeff${JSON.stringify({ sensorId: 'press-1.temp', ts: nextTs(), value: 64 })}\n`,
          {
            'content-type': 'application/x-ndjson',
          },
        );
        expect(ndjson.status).toBe(202);
        const site = await api.request(
          'POST',
          '/v1/sites',
          `\ufeff${JSON.stringify({ id: 'bom-site', name: 'B' })}`,
          {
            'content-type': 'application/json',
          },
        );
        expect(site.status).toBe(201);
      });

      it('answers malformed JSON with 400 naming the body and where, without quoting it', async () => {
        const response = await post('{"sensorId": 1 "ts": 2}');
        expect(response.status).toBe(400);
        expect(await bodyOf(response)).toEqual({
          error: 'invalid_request',
          field: 'body',
          message: 'body: not valid JSON at position 15',
        });
        const cut = await bodyOf(await post('[{"sensorId": '));
        expect(cut.message).toBe('body: not valid JSON: it ends too early');
      });
    });

    describe('content-encoding', () => {
      const readingsAt = (ts: number, value: number) =>
        Buffer.from(JSON.stringify([{ sensorId: 'press-1.temp', ts, value }]));

      it.each([
        ['gzip', gzipSync],
        ['x-gzip', gzipSync],
        ['deflate', deflateSync],
        ['br', brotliCompressSync],
        ['GZIP', gzipSync],
      ] as const)('decompresses a %s body', async (coding, compress) => {
        const ts = nextTs();
        const response = await post(compress(readingsAt(ts, 65)), { 'content-encoding': coding });
        expect(response.status).toBe(202);
        expect(await storedAt('press-1.temp', ts)).toEqual([65]);
      });

      it('decompresses NDJSON and the bodies of other endpoints', async () => {
        const ndjson = await post(
          gzipSync(`${JSON.stringify({ sensorId: 'press-1.temp', ts: nextTs(), value: 66 })}\n`),
          {
            'content-type': 'application/x-ndjson',
            'content-encoding': 'gzip',
          },
        );
        expect(ndjson.status).toBe(202);
        const site = await fetch(`${app.url}/v1/sites`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${app.token}`,
            'content-type': 'application/json',
            'content-encoding': 'gzip',
          },
          body: gzipSync(JSON.stringify({ id: 'gzip-site', name: 'G' })),
        });
        expect(site.status).toBe(201);
      });

      it('answers a plain body labelled gzip with 400 naming content-encoding', async () => {
        const response = await post(readingsAt(nextTs(), 1), { 'content-encoding': 'gzip' });
        expect(response.status).toBe(400);
        expect(await bodyOf(response)).toEqual({
          error: 'invalid_request',
          field: 'headers.content-encoding',
          message: 'headers.content-encoding: the body is not valid gzip data',
        });
      });

      it('answers a truncated gzip body with 400 naming content-encoding', async () => {
        const whole = gzipSync(readingsAt(nextTs(), 1));
        const response = await post(whole.subarray(0, whole.length - 8), { 'content-encoding': 'gzip' });
        expect(response.status).toBe(400);
        expect((await bodyOf(response)).field).toBe('headers.content-encoding');
      });

      it('answers a gzipped body sent without content-encoding with 400, never echoing the binary', async () => {
        const response = await post(gzipSync(readingsAt(nextTs(), 1)));
        const text = await response.text();
        expect(response.status).toBe(400);
        expect(printable(text)).toBe(true);
        expect(JSON.parse(text)).toMatchObject({
          field: 'body',
          message: expect.stringMatching(/^body: not valid JSON/),
        });
        const ndjson = await post(gzipSync(readingsAt(nextTs(), 1)), {
          'content-type': 'application/x-ndjson',
        });
        const ndjsonText = await ndjson.text();
        expect(ndjson.status).toBe(422);
        expect(printable(ndjsonText)).toBe(true);
      });

      it.each(['compress', 'zstd', 'gzip, br'])(
        'answers content-encoding %s with 415 naming it',
        async (coding) => {
          const response = await post(readingsAt(nextTs(), 1), { 'content-encoding': coding });
          expect(response.status).toBe(415);
          expect(await bodyOf(response)).toEqual({
            error: 'unsupported_media_type',
            field: 'headers.content-encoding',
            message: `headers.content-encoding: "${coding}" is not supported; send gzip, deflate, br or identity`,
          });
        },
      );

      it('accepts identity as no coding', async () => {
        const response = await post(readingsAt(nextTs(), 67), { 'content-encoding': 'identity' });
        expect(response.status).toBe(202);
      });

      it('answers a decompression bomb with 413, counting the limit on the decompressed size', async () => {
        // 200 MB of zeros is about 200 KB gzipped: under the 1 MB limit on the wire, far over it decompressed.
        const bomb = gzipSync(Buffer.alloc(200_000_000, 0x20), { level: 9 });
        expect(bomb.length).toBeLessThan(BODY_LIMIT);
        const before = process.memoryUsage().rss;
        const response = await post(bomb, { 'content-encoding': 'gzip' });
        expect(response.status).toBe(413);
        expect(await bodyOf(response)).toMatchObject({ error: 'payload_too_large' });
        // Stopped at the limit: nowhere near the 200 MB the body would inflate to.
        expect(process.memoryUsage().rss - before).toBeLessThan(100_000_000);
        // A body just over the limit once decompressed, and one just under it.
        const over = gzipSync(
          readingsAt(nextTs(), 1)
            .toString()
            .padEnd(BODY_LIMIT + 1, ' '),
        );
        expect((await post(over, { 'content-encoding': 'gzip' })).status).toBe(413);
        const under = gzipSync(
          readingsAt(nextTs(), 68)
            .toString()
            .padEnd(BODY_LIMIT - 1, ' '),
        );
        expect((await post(under, { 'content-encoding': 'gzip' })).status).toBe(202);
      });
    });

    describe('content-encoding when the client goes away', () => {
      it('survives a client that aborts a gzip body half way, and corrupt data behind a body over the limit', async () => {
        const { hostname, port } = new URL(app.url);
        const send = (chunks: Buffer[], then: 'abort' | 'end') =>
          new Promise<number | null>((resolve) => {
            const req = request({
              host: hostname,
              port,
              method: 'POST',
              path: '/v1/readings',
              headers: {
                authorization: `Bearer ${app.token}`,
                'content-type': 'application/json',
                'content-encoding': 'gzip',
                'transfer-encoding': 'chunked',
              },
            });
            req.on('response', (res) => {
              res.resume();
              resolve(res.statusCode ?? null);
            });
            req.on('error', () => resolve(null));
            for (const chunk of chunks) req.write(chunk);
            if (then === 'abort') setTimeout(() => req.destroy(), 200);
            else req.end();
          });
        // Half of a body under the limit: the server waits for the rest when the client leaves.
        const small = gzipSync(Buffer.alloc(BODY_LIMIT / 2, 0x20));
        expect(await send([small.subarray(0, small.length / 2)], 'abort')).toBeNull();
        const bomb = gzipSync(Buffer.alloc(5 * BODY_LIMIT, 0x20));
        // Corrupt data right behind the part that passes the limit: the decoder fails after the 413.
        const corrupt = Buffer.concat([bomb.subarray(0, bomb.length / 2), Buffer.alloc(4096, 0xff)]);
        const afterBomb = await send([corrupt], 'end');
        expect(afterBomb === 413 || afterBomb === null).toBe(true);
        await new Promise((r) => setTimeout(r, 200));
        expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
      });
    });

    describe('timestamps', () => {
      it.each([
        ['2026-02-30T10:00:00Z', '2026-02 has no day 30'],
        ['2026-04-31T10:00:00Z', '2026-04 has no day 31'],
        ['2025-02-29T10:00:00Z', '2025-02 has no day 29'],
        ['2026-01-01T24:00:00Z', 'hour 24 does not exist'],
        ['2026-01-01T10:60:00Z', 'minute 60 does not exist'],
        ['2026-01-01T10:00:60Z', 'second 60 (a leap second) cannot be represented'],
        ['2026-01-01T10:00:00+25:00', 'offset +25:00 does not exist'],
      ])('rejects ts %s with 422 naming ts', async (ts, reason) => {
        const response = await post(JSON.stringify([{ sensorId: 'press-1.temp', ts, value: 1 }]));
        expect(response.status).toBe(422);
        expect((await bodyOf(response)).rejected).toEqual([
          { index: 0, field: 'ts', reason: expect.stringContaining(reason) },
        ]);
      });

      it('accepts 29 February of a leap year', async () => {
        const response = await post(
          JSON.stringify([{ sensorId: 'press-1.temp', ts: '2024-02-29T10:00:00Z', value: 1 }]),
        );
        expect(response.status).toBe(202);
      });

      it('names the unit of a timestamp sent in seconds, microseconds or nanoseconds', async () => {
        const now = Date.now();
        const response = await post(
          JSON.stringify([
            { sensorId: 'press-1.temp', ts: Math.floor(now / 1000), value: 1 },
            { sensorId: 'press-1.temp', ts: now * 1000, value: 1 },
            { sensorId: 'press-1.temp', ts: now * 1e6, value: 1 },
          ]),
        );
        expect(response.status).toBe(422);
        expect((await bodyOf(response)).rejected.map((r: { reason: string }) => r.reason)).toEqual([
          expect.stringContaining('looks like epoch seconds; send epoch milliseconds'),
          expect.stringContaining('looks like epoch microseconds; send epoch milliseconds'),
          expect.stringContaining('looks like epoch nanoseconds; send epoch milliseconds'),
        ]);
      });

      it('parses timestamps the same way on every endpoint: fractional epoch ms, refused calendar dates', async () => {
        const ts = nextTs() + 0.5;
        const readings = await post(JSON.stringify([{ sensorId: 'press-1.temp', ts, value: 2 }]));
        expect(readings.status).toBe(202);
        const production = await api.request('POST', '/v1/production', [
          { assetId: 'press-1', ts, produced: 10, good: 9 },
        ]);
        expect(production.status).toBe(201);
        const impossible = await api.request('POST', '/v1/production', [
          { assetId: 'press-1', ts: '2026-02-30T10:00:00Z', produced: 10, good: 9 },
        ]);
        expect(await bodyOf(impossible)).toMatchObject({
          field: 'body.0.ts',
          message: expect.stringContaining('has no day 30'),
        });
        expect(impossible.status).toBe(400);
        const downtime = await api.request('POST', '/v1/downtime', {
          assetId: 'press-1',
          kind: 'planned',
          reason: 'cleaning',
          start: Math.floor(ts) * 1000,
        });
        expect([downtime.status, (await bodyOf(downtime)).message]).toEqual([
          400,
          expect.stringMatching(/^body.start: .* looks like epoch microseconds/),
        ]);
        const since = await api.request('GET', '/v1/downtime?from=2026-02-30T00:00:00Z');
        expect([since.status, (await bodyOf(since)).field]).toEqual([400, 'querystring.from']);
        const fractional = await api.request('GET', `/v1/production?from=${ts - 1000}&to=${ts + 1000}`);
        expect(fractional.status).toBe(200);
        const features = await api.request('GET', '/v1/assets/press-1/features?to=2026-01-01T24:00:00Z');
        expect([features.status, (await bodyOf(features)).field]).toEqual([400, 'querystring.to']);
      });
    });

    describe('sample rate', () => {
      const block = (sensorId: string, rateHz: number) =>
        post(JSON.stringify([{ sensorId, ts: nextTs(), rateHz, values: [0.1, -0.2, 0.3, -0.1] }]));

      it('refuses a block at 1e9 Hz for a sensor registered at 12 kHz, naming rateHz', async () => {
        const response = await block('press-1.vib', 1e9);
        expect(response.status).toBe(422);
        expect((await bodyOf(response)).rejected).toEqual([
          { index: 0, field: 'rateHz', reason: '1000000000 Hz is above 10000000 Hz' },
        ]);
        const half = await block('press-1.vib', 6000);
        expect((await bodyOf(half)).rejected).toEqual([
          {
            index: 0,
            field: 'rateHz',
            reason:
              "6000 Hz differs from the sensor's registered 12000 Hz by more than 1 %; register the sensor with rateVaries: true if its rate changes",
          },
        ]);
      });

      it('accepts a block at the registered rate, within its tolerance, and any sane rate when the rate varies', async () => {
        expect((await block('press-1.vib', 12_000)).status).toBe(202);
        expect((await block('press-1.vib', 12_050)).status).toBe(202);
        expect((await block('press-1.probe', 6400)).status).toBe(202);
        expect((await block('press-1.probe', 1e9)).status).toBe(422);
        const { sensors } = await api.json<{ sensors: { id: string; rateVaries: boolean }[] }>(
          '/v1/assets/press-1',
        );
        expect(sensors.map((s) => [s.id, s.rateVaries])).toEqual([
          ['press-1.probe', true],
          ['press-1.temp', false],
          ['press-1.vib', false],
        ]);
      });
    });

    describe('U+0000', () => {
      it('rejects a sensorId holding U+0000 on its own and keeps the good items', async () => {
        const ts = nextTs();
        const response = await post(
          JSON.stringify([
            { sensorId: 'press-1.temp\u0000', ts, value: 1 },
            { sensorId: 'press-1.temp', ts, value: 69 },
          ]),
        );
        expect(response.status).toBe(202);
        expect((await bodyOf(response)).rejected).toEqual([
          { index: 0, field: 'sensorId', reason: 'must not contain U+0000 (NUL)' },
        ]);
        expect(await storedAt('press-1.temp', ts)).toEqual([69]);
      });

      it('answers POST /v1/sites with a name holding U+0000 with 400 naming body.name', async () => {
        const response = await api.request('POST', '/v1/sites', { id: 's1', name: 'a\u0000b' });
        expect(response.status).toBe(400);
        expect(await bodyOf(response)).toEqual({
          error: 'invalid_request',
          field: 'body.name',
          message: 'body.name: must not contain U+0000 (NUL): it cannot be stored',
        });
      });
    });
  },
);
