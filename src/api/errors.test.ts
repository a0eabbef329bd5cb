import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { errorHandler } from './errors.ts';

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
