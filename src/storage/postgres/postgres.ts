import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database, Transaction } from '../ports/database.ts';

export interface PostgresOptions {
  /** Pool size per process. */
  maxConnections: number;
}

/**
 * PostgreSQL 15+ through a node-postgres pool. Connection errors surface to the caller, which retries:
 * the processor pauses on a database restart instead of losing its batch.
 */
export async function openPostgres(url: string, options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections,
    // A query on a connection that died silently fails instead of hanging the processor.
    query_timeout: 60_000,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'mantis',
  });
  // A client losing its connection (a server restart) must not crash the process: idle ones report to the
  // pool, checked-out ones to their own listener, between two statements of a transaction; the next statement
  // then fails and the transaction is retried.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const wrap = (client: pg.Pool | pg.PoolClient): Transaction => ({
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    // COPY needs one connection for its whole stream: only inside a transaction's client.
    ...(client instanceof pg.Pool
      ? {}
      : {
          async copyFrom(copySql: string, rows: string) {
            const pooled = client as pg.PoolClient;
            const stream = pooled.query(copyFrom(copySql));
            // A COPY stream on a connection the server dropped may never settle: fail on the connection's end.
            let onLost: (() => void) | undefined;
            const lost = new Promise<never>((_, reject) => {
              onLost = () => reject(new Error('connection lost during COPY'));
              pooled.once('error', onLost);
              pooled.once('end', onLost);
            });
            try {
              await Promise.race([
                pipeline(async function* () {
                  yield rows;
                }, stream),
                lost,
              ]);
            } finally {
              if (onLost) {
                pooled.off('error', onLost);
                pooled.off('end', onLost);
              }
            }
          },
        }),
  });
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        broken = err as Error;
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        // A client that saw any error is discarded: a server shutdown arrives as an SQL error too (57P01), and
        // a connection handed back in that state would fail every later batch.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
