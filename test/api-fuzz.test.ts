import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { bodyOf, type Client, client, startApp } from './helpers/app.ts';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
};
type Operation = {
  parameters?: { in: string; name: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};

const INJECTION = "x'); DROP TABLE assets; --";
const HUGE = 'x'.repeat(20_000);

/** Tables an API write could touch; none of them may change when every request is refused. */
const TABLES = [
  'sites',
  'lines',
  'assets',
  'sensors',
  'alerts',
  'work_orders',
  'work_order_events',
  'downtime_events',
  'production_counts',
  'api_keys',
];

/** A body with every string field set to `value` (arrays get one item), from the operation's schema. */
function filled(schema: Schema, value: unknown): unknown {
  if (schema.type === 'array' && schema.items) return [filled(schema.items, value)];
  if (schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, filled(s, value)]));
  }
  return value;
}

describe('every endpoint against malformed, oversized and injection input', () => {
  let app: MantisApp;
  let api: Client;
  let operations: { method: string; path: string; op: Operation }[];

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (t) => {
          const [row] =
            (await app.services.db?.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)) ?? [];
          return [t, row?.n];
        }),
      ),
    );

  beforeAll(async () => {
    app = await startApp({ 'http.bodyLimitBytes': 65_536 });
    api = client(app);
    await api.request('PUT', '/v1/assets/a-1', {
      siteId: 's-1',
      lineId: 'l-1',
      name: 'A',
      kind: 'pump',
      sensors: [
        { id: 'a-1.t', kind: 'temperature', unit: 'degC', sampleRateHz: 1, validMin: 0, validMax: 100 },
      ],
    });
    const doc = await bodyOf(await fetch(`${app.url}/openapi.json`));
    operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(
      ([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Sends one request and checks the answer: a 4xx with a message (naming the field on 400), never a 5xx. */
  const probe = async (
    what: string,
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ) => {
    const response = await api.request(
      method,
      path,
      body,
      body === undefined ? {} : { 'content-type': type },
    );
    const text = await response.text();
    expect(response.status, `${what}: ${text}`).toBeLessThan(500);
    if (response.status === 400) {
      const error = JSON.parse(text);
      expect(error.message, what).toMatch(/^[\w.\-[\]]+: /);
    }
    return response.status;
  };

  it('refuses every write with a bad body, naming the field, and changes nothing', async () => {
    const before = await counts();
    const writes = operations.filter((o) => o.op.requestBody);
    expect(writes.length).toBeGreaterThan(10);
    for (const { method, path, op } of writes) {
      const url = path.replace('{id}', 'a-1');
      const schema = op.requestBody?.content['application/json']?.schema ?? {};
      const what = `${method} ${path}`;
      // Wrong type for the whole body, every field of the wrong type, an unknown field, oversized text.
      expect(await probe(`${what} string body`, method, url, '"just a string"')).toBeGreaterThanOrEqual(400);
      expect(
        await probe(`${what} fields as objects`, method, url, filled(schema, { $gt: '' })),
      ).toBeGreaterThanOrEqual(400);
      expect(await probe(`${what} unknown field`, method, url, { unknownField: 1 })).toBeGreaterThanOrEqual(
        400,
      );
      expect(await probe(`${what} huge strings`, method, url, filled(schema, HUGE))).toBeGreaterThanOrEqual(
        400,
      );
      expect(await probe(`${what} injection`, method, url, filled(schema, INJECTION))).toBeGreaterThanOrEqual(
        400,
      );
      expect(await probe(`${what} not JSON`, method, url, '{"oops":')).toBe(400);
      expect(
        await probe(`${what} over the body limit`, method, url, JSON.stringify({ x: 'y'.repeat(70_000) })),
      ).toBe(413);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses injection and oversized values in every path and query parameter, never with a 5xx', async () => {
    const before = await counts();
    for (const { method, path, op } of operations) {
      const what = `${method} ${path}`;
      for (const bad of [INJECTION, HUGE, '../../etc/passwd', '%00']) {
        if (path.includes('{id}')) {
          const status = await probe(
            `${what} id=${bad.slice(0, 20)}`,
            method,
            path.replace('{id}', encodeURIComponent(bad)),
            method === 'GET' || method === 'DELETE' ? undefined : {},
          );
          // 431: the URL is longer than Node.js takes in a request head.
          expect([400, 404, 431]).toContain(status);
        }
        for (const param of op.parameters?.filter((p) => p.in === 'query') ?? []) {
          const url = `${path.replace('{id}', 'a-1')}?${param.name}=${encodeURIComponent(bad)}`;
          await probe(
            `${what} ?${param.name}=${bad.slice(0, 20)}`,
            method,
            url,
            method === 'GET' || method === 'DELETE' ? undefined : {},
          );
        }
      }
    }
    expect(await counts()).toEqual(before);
    // Still there, still whole.
    expect((await api.json<{ items: unknown[] }>('/v1/assets')).items).toHaveLength(1);
  });
});
