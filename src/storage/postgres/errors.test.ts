import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyStorageError, errorDetails, recordReason } from './errors.ts';

/** Errors raised by a real PostgreSQL engine (PGlite), so codes and fields are the server's own. */
let db: PGlite;
async function errorOf(sql: string, params: unknown[] = []): Promise<unknown> {
  try {
    await db.query(sql, params);
  } catch (err) {
    return err;
  }
  throw new Error(`no error from ${sql}`);
}
const raise = (sqlstate: string) =>
  errorOf(`DO $$BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '${sqlstate}'; END$$`);

beforeAll(async () => {
  db = new PGlite();
  await db.exec(`
    CREATE TABLE parent (id text PRIMARY KEY);
    CREATE TABLE t (
      id text PRIMARY KEY,
      n integer NOT NULL,
      v double precision CHECK (v <> 666),
      ts timestamptz,
      parent text REFERENCES parent (id)
    );
    CREATE TABLE p (ts timestamptz NOT NULL) PARTITION BY RANGE (ts);
    INSERT INTO t (id, n) VALUES ('taken', 1);`);
});

describe('errors about the data: refused records', () => {
  it.each([
    [
      'a CHECK constraint',
      "INSERT INTO t (id, n, v) VALUES ('a', 1, 666)",
      [],
      '23514',
      'integrity_constraint_violation',
    ],
    [
      'a duplicate key',
      "INSERT INTO t (id, n) VALUES ('taken', 1)",
      [],
      '23505',
      'integrity_constraint_violation',
    ],
    [
      'a NOT NULL column',
      "INSERT INTO t (id, n) VALUES ('b', NULL)",
      [],
      '23502',
      'integrity_constraint_violation',
    ],
    [
      'a foreign key',
      "INSERT INTO t (id, n, parent) VALUES ('c', 1, 'none')",
      [],
      '23503',
      'integrity_constraint_violation',
    ],
    ['a row for no partition', 'INSERT INTO p VALUES (now())', [], '23514', 'integrity_constraint_violation'],
    [
      'an integer out of range',
      'INSERT INTO t (id, n) VALUES ($1, $2)',
      ['d', 3e9],
      '22003',
      'data_exception',
    ],
    [
      'a timestamp out of range',
      'INSERT INTO t (id, n, ts) VALUES ($1, 1, to_timestamp($2))',
      ['e', 1e16],
      '22008',
      'data_exception',
    ],
    [
      'text that is not a number',
      'INSERT INTO t (id, n) VALUES ($1, $2)',
      ['f', 'twelve'],
      '22P02',
      'data_exception',
    ],
    [
      'a key too large for its index',
      'INSERT INTO t (id, n) VALUES ($1, 1)',
      [randomBytes(6000).toString('hex')],
      '54000',
      'program_limit_exceeded',
    ],
  ])('%s is a record failure (%s)', async (_, sql, params, code, reason) => {
    const failure = classifyStorageError(await errorOf(sql, params as unknown[]));
    expect(failure).toEqual({ kind: 'record', code, message: expect.any(String) });
    expect(recordReason(failure)).toBe(reason);
  });

  it('keeps what names the fault in a dead letter, never the query parameters', async () => {
    const details = errorDetails(
      await errorOf("INSERT INTO t (id, n, v) VALUES ('secret-param', 1, $1)", [666]),
    );
    expect(details).toEqual({
      message: 'new row for relation "t" violates check constraint "t_v_check"',
      code: '23514',
      detail: expect.stringContaining('Failing row contains'),
      constraint: 't_v_check',
      table: 't',
    });
    expect(Object.keys(details)).not.toContain('params');
  });

  it('takes an error without SQLSTATE or known message as the data’s (a defect handling one record)', () => {
    expect(classifyStorageError(new TypeError("Cannot read properties of undefined (reading 'ts')"))).toEqual(
      {
        kind: 'record',
        code: null,
        message: "Cannot read properties of undefined (reading 'ts')",
      },
    );
    expect(recordReason(classifyStorageError(new TypeError('x')))).toBe('other');
  });
});

describe('errors about the store', () => {
  it.each([
    ['08006', 'connection failure'],
    ['08001', 'client unable to establish a connection'],
    ['57P01', 'admin shutdown'],
    ['57P02', 'crash shutdown'],
    ['57P03', 'cannot connect now (starting up)'],
    ['57014', 'statement timeout'],
    ['53100', 'disk full'],
    ['53200', 'out of memory'],
    ['53300', 'too many connections'],
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock'],
    ['55P03', 'lock timeout'],
    ['25006', 'read-only transaction on a standby'],
    ['58030', 'I/O error'],
  ])('SQLSTATE %s (%s) is transient', async (code) => {
    expect(classifyStorageError(await raise(code))).toEqual({ kind: 'transient', code, message: 'raised' });
  });

  it.each([
    ['a missing table', 'SELECT * FROM no_such_table', '42P01'],
    ['a missing column', 'SELECT no_such_column FROM t', '42703'],
    ['a syntax error', 'SELEC 1', '42601'],
  ])('%s waits for an operator: no record is at fault (%s)', async (_, sql, code) => {
    expect(classifyStorageError(await errorOf(sql))).toEqual({
      kind: 'store',
      code,
      message: expect.any(String),
    });
  });

  it.each([
    ['42501', 'permission revoked'],
    ['28P01', 'password changed'],
    ['3D000', 'database missing'],
    ['57P04', 'database dropped'],
    ['XX001', 'data corrupted'],
  ])('SQLSTATE %s (%s) waits for an operator', async (code) => {
    expect(classifyStorageError(await raise(code)).kind).toBe('store');
  });

  it('takes a refused TCP connection as transient (node-postgres to a port nobody listens on)', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    const client = new pg.Client({ host: '127.0.0.1', port, connectionTimeoutMillis: 2000 });
    const err = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(classifyStorageError(err)).toEqual({
      kind: 'transient',
      code: 'ECONNREFUSED',
      message: expect.any(String),
    });
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Query read timeout',
    'Client has encountered a connection error and is not queryable',
    'connection lost during COPY',
  ])('takes the driver message "%s" as transient', (message) => {
    expect(classifyStorageError(new Error(message)).kind).toBe('transient');
  });

  it.each(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])(
    'takes the socket error %s as transient, also when wrapped',
    (code) => {
      const socket = Object.assign(new Error(`socket ${code}`), { code });
      expect(classifyStorageError(socket).kind).toBe('transient');
      expect(classifyStorageError(new Error('write failed', { cause: socket })).kind).toBe('transient');
    },
  );
});

describe('a closed database', () => {
  it('is transient: a store that comes back, never a reason to dead-letter', async () => {
    await db.close();
    const err = await db.query('SELECT 1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(classifyStorageError(err).kind).toBe('transient');
  });
});
