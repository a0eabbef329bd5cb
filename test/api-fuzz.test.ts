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

/** Paths of the body's leaves, as errors name them (body.sensors.0.unit); arrays get one item. */
function leaves(schema: Schema, path = 'body'): string[] {
  if (schema.type === 'array' && schema.items) return leaves(schema.items, `${path}.0`);
  if (schema.properties) {
    return Object.entries(schema.properties).flatMap(([k, s]) => leaves(s, `${path}.${k}`));
  }
  return [path];
}

/** A copy of body with the leaf at path (body.a.0.b) set to value. */
function withLeaf(body: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(body);
  const keys = path.split('.').slice(1);
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return copy;
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

  it('refuses U+0000 in every string of every write body with 400 naming the field, and changes nothing', async () => {
    const before = await counts();
    const writes = operations.filter((o) => o.op.requestBody && o.path !== '/v1/readings');
    for (const { method, path, op } of writes) {
      const url = path.replace('{id}', 'a-1');
      const schema = op.requestBody?.content['application/json']?.schema ?? {};
      for (const leaf of leaves(schema)) {
        const body = withLeaf(filled(schema, 1), leaf, 'a\u0000b');
        const response = await api.request(method, url, body);
        expect([`${method} ${path} ${leaf}`, response.status, await bodyOf(response)]).toEqual([
          `${method} ${path} ${leaf}`,
          400,
          {
            error: 'invalid_request',
            field: leaf,
            message: `${leaf}: must not contain U+0000 (NUL): it cannot be stored`,
          },
        ]);
      }
    }
    // A field name holding U+0000 names the object it is in.
    const key = await api.request('POST', '/v1/sites', { id: 's1', 'na\u0000me': 'x' });
    expect([key.status, (await bodyOf(key)).field]).toEqual([400, 'body']);
    expect(await counts()).toEqual(before);
  });

  it('refuses U+0000 in every query parameter with 400 naming it', async () => {
    for (const { method, path, op } of operations) {
      for (const param of op.parameters?.filter((p) => p.in === 'query') ?? []) {
        const url = `${path.replace('{id}', 'a-1')}?${param.name}=a%00b`;
        const response = await api.request(
          method,
          url,
          method === 'GET' || method === 'DELETE' ? undefined : {},
        );
        expect([`${method} ${url}`, response.status, (await bodyOf(response)).field]).toEqual([
          `${method} ${url}`,
          400,
          `querystring.${param.name}`,
        ]);
      }
    }
  });

  it('names a bad time range querystring.from or querystring.to on every endpoint that takes one', async () => {
    const ranged = operations.filter(({ op }) =>
      op.parameters?.some((p) => p.in === 'query' && p.name === 'from'),
    );
    expect(ranged.length).toBeGreaterThanOrEqual(6);
    const now = Date.now();
    for (const { method, path, op } of ranged) {
      const scope = op.parameters?.some((p) => p.name === 'asset') ? 'asset=a-1&' : '';
      const url = (range: string) => `${path.replace('{id}', 'a-1')}?${scope}${range}`;
      // A value invalid on its own is a 400; valid values breaking the rule from < to a 422.
      for (const [range, field, status] of [
        [`from=yesterday&to=${now}`, 'querystring.from', 400],
        [`from=${now - 1000}&to=tomorrow`, 'querystring.to', 400],
        [`from=${now}&to=${now - 1000}`, 'querystring.from', 422],
      ] as const) {
        const response = await api.request(method, url(range));
        const body = await bodyOf(response);
        expect([url(range), response.status, body.field, body.message.startsWith(`${field}: `)]).toEqual([
          url(range),
          status,
          field,
          true,
        ]);
      }
    }
  });

  it('answers every write with a body nested 5000 deep with a 4xx, and changes nothing', async () => {
    const before = await counts();
    const nested = `[${'['.repeat(5000)}${']'.repeat(5000)}]`;
    const object = `{"id":${nested}}`;
    for (const { method, path } of operations.filter((o) => o.op.requestBody)) {
      const url = path.replace('{id}', 'a-1');
      for (const body of [nested, object]) {
        const status = await probe(`${method} ${path} nested`, method, url, body);
        expect(status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      }
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
