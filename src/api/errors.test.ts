import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.ts';
import { classifyDatabaseError } from '../storage/postgres/errors.ts';
import { errorHandlerFor, UnsupportedMediaTypeError } from './errors.ts';

/** The api's error mapping with the database's judgement of its errors, as the server is built. */
const errorHandler = errorHandlerFor({ classify: classifyDatabaseError });

/** Errors as the drivers raise them: node-postgres and PGlite carry the SQLSTATE as `code`. */
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

async function answer(error: unknown) {
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  app.get('/', async () => {
    throw error;
  });
  const response = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  return { status: response.statusCode, retryAfter: response.headers['retry-after'], body: response.json() };
}

describe('HTTP answers to storage errors', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'ECONNREFUSED'],
    [
      'a server shutting down',
      withCode('terminating connection due to administrator command', '57P01'),
      '57P01',
    ],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly'), null],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect'), null],
    ['a serialisation failure', withCode('could not serialize access', '40001'), '40001'],
    ['too many connections', withCode('sorry, too many clients already', '53300'), '53300'],
    [
      'a wrapped driver error',
      new Error('query failed', { cause: withCode('connect ECONNRESET', 'ECONNRESET') }),
      'ECONNRESET',
    ],
  ])('answers %s with 503, Retry-After and the database named', async (_name, error, code) => {
    const { status, retryAfter, body } = await answer(error);
    expect([status, retryAfter]).toEqual([503, '5']);
    expect(body).toEqual({
      error: 'unavailable',
      dependency: 'database',
      message: `database unavailable${code ? ` (${code})` : ''}; retry later`,
    });
  });

  it.each([
    ['a missing table (an operator must act)', withCode('relation "x" does not exist', '42P01')],
    ['a constraint the data breaks', withCode('violates check constraint', '23514')],
    ['an error of no known kind', new Error('something else')],
  ])('answers %s with 500, as an internal error', async (_name, error) => {
    const { status, retryAfter, body } = await answer(error);
    expect([status, retryAfter, body]).toEqual([
      500,
      undefined,
      { error: 'internal', message: 'internal error' },
    ]);
  });
});

describe('HTTP locations of the fields that validation errors name', () => {
  let app: FastifyInstance;
  /** The error the next request's handler throws. */
  let thrown: Error;
  const fail = async () => {
    throw thrown;
  };
  const id = { type: 'string' };

  beforeAll(async () => {
    app = Fastify();
    app.setErrorHandler(errorHandler);
    app.patch(
      '/assets/:id',
      {
        schema: {
          params: { type: 'object', properties: { id } },
          querystring: { type: 'object', properties: { cursor: id, dryRun: { type: 'boolean' } } },
          body: {
            type: 'object',
            properties: {
              id,
              lineId: id,
              assignee: id,
              sensors: { type: 'array', items: { type: 'object', properties: { id } } },
            },
          },
        },
      },
      fail,
    );
    app.post('/counts', { schema: { body: { type: 'array', items: { type: 'object' } } } }, fail);
    app.post(
      '/either',
      { schema: { body: { anyOf: [{ type: 'object', properties: { end: id } }, { type: 'array' }] } } },
      fail,
    );
    app.post('/keys', { config: { errorFields: { siteId: 'body.site' } } }, fail);
    app.post('/bare', fail);
    await app.ready();
  });
  afterAll(() => app.close());

  async function fieldOf(error: Error, url: string, method: 'PATCH' | 'POST', payload: object = {}) {
    thrown = error;
    const response = await app.inject({ method, url, payload });
    return { status: response.statusCode, body: response.json() };
  }

  it.each([
    ['a path parameter', 'id', 'params.id'],
    ['a query parameter', 'cursor', 'querystring.cursor'],
    ['a body property', 'lineId', 'body.lineId'],
    ['a body property the request left out', 'assignee', 'body.assignee'],
    ['an item of a list in the body', 'sensors.1.id', 'body.sensors.1.id'],
  ])('places %s: %s → %s', async (_name, field, expected) => {
    const { status, body } = await fieldOf(
      new ValidationError(field, 'is wrong'),
      '/assets/a1?cursor=c',
      'PATCH',
      {
        lineId: 'l1',
        sensors: [{ id: 's0' }, { id: 's1' }],
      },
    );
    expect([status, body]).toEqual([
      400,
      { error: 'invalid_request', field: expected, message: `${expected}: is wrong` },
    ]);
  });

  it('places an index into an array body, and a property of a schema given as alternatives', async () => {
    const counts = await fieldOf(
      new ValidationError('1.good', 'must not exceed produced'),
      '/counts',
      'POST',
      [{}, {}],
    );
    expect(counts.body).toMatchObject({
      field: 'body.1.good',
      message: 'body.1.good: must not exceed produced',
    });
    const either = await fieldOf(new ValidationError('end', 'must be after start'), '/either', 'POST', {});
    expect(either.body).toMatchObject({ field: 'body.end', message: 'body.end: must be after start' });
  });

  it("uses the route's own name for a domain field it names otherwise", async () => {
    const { body } = await fieldOf(
      new ValidationError('siteId', 'site atlantis does not exist'),
      '/keys',
      'POST',
      {
        site: 'atlantis',
      },
    );
    expect(body).toMatchObject({ field: 'body.site', message: 'body.site: site atlantis does not exist' });
  });

  it('finds a field where the request holds it when the route has no schema', async () => {
    const inBody = await fieldOf(new ValidationError('name', 'is taken'), '/bare', 'POST', { name: 'x' });
    expect(inBody.body).toMatchObject({ field: 'body.name', message: 'body.name: is taken' });
    const inQuery = await fieldOf(new ValidationError('limit', 'is too high'), '/bare?limit=9', 'POST', {});
    expect(inQuery.body).toMatchObject({ field: 'querystring.limit' });
  });

  it('keeps a field found nowhere in the request as the domain named it', async () => {
    const { status, body } = await fieldOf(new ValidationError('unit', 'is unknown'), '/bare', 'POST', {});
    expect([status, body]).toEqual([
      400,
      { error: 'invalid_request', field: 'unit', message: 'unit: is unknown' },
    ]);
  });

  it.each([['headers.if-match'], ['querystring.from'], ['body.sensors.0.validMax'], ['params.id'], ['body']])(
    'keeps %s, which names a part of the request already',
    async (field) => {
      const { body } = await fieldOf(new ValidationError(field, 'is wrong'), '/assets/a1', 'PATCH', {
        id: 'x',
      });
      expect(body).toEqual({ error: 'invalid_request', field, message: `${field}: is wrong` });
    },
  );

  it('reads only whole segments: bodyTemp is a domain field, not a part of the request', async () => {
    const { body } = await fieldOf(new ValidationError('bodyTemp', 'is too hot'), '/bare', 'POST', {
      bodyTemp: 90,
    });
    expect(body).toMatchObject({ field: 'body.bodyTemp' });
  });

  it('answers an unsupported media type with 415, its field located the same way', async () => {
    const { status, body } = await fieldOf(
      new UnsupportedMediaTypeError('headers.content-encoding', '"zstd" is not supported'),
      '/bare',
      'POST',
      {},
    );
    expect([status, body]).toEqual([
      415,
      {
        error: 'unsupported_media_type',
        field: 'headers.content-encoding',
        message: 'headers.content-encoding: "zstd" is not supported',
      },
    ]);
  });
});
