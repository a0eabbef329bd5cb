import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Transaction } from '../ports/database.ts';
import { lockEmbeddedDatabase } from './pglite-lock.ts';

/**
 * PostgreSQL in WebAssembly: the embedded database for one machine, one process at a time (see pglite-lock.ts).
 * `pglite://memory` keeps no files.
 */
export async function openPglite(url: string): Promise<Database> {
  const location = url.slice('pglite://'.length);
  const inMemory = location === 'memory' || location === '';
  if (!inMemory) mkdirSync(location, { recursive: true });
  const release = inMemory ? () => {} : lockEmbeddedDatabase(location);
  let db: PGlite;
  try {
    db = inMemory ? new PGlite() : new PGlite(location);
    await db.waitReady;
  } catch (err) {
    release();
    throw err;
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Transaction => ({
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: async () => {
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}
