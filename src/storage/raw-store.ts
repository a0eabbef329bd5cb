import type { SampleBlock, ScalarReading } from '../domain/types.ts';
import type { Database, Transaction } from './port.ts';
import { writeRawBlocks, writeRawReadings } from './timeseries.ts';

/** The raw store port: every accepted reading, as it arrived. */
export interface RawStore {
  /** When the raw store is the database, writes join the caller's transaction. */
  write(scalars: ScalarReading[], blocks: SampleBlock[], tx?: Transaction): Promise<void>;
  close(): Promise<void>;
}

/** Raw readings in the database's own tables (used when no InfluxDB is configured). */
export function databaseRawStore(db: Database): RawStore {
  return {
    async write(scalars, blocks, tx = db) {
      await writeRawReadings(tx, scalars);
      await writeRawBlocks(tx, blocks);
    },
    async close() {},
  };
}

export function createRawStore(url: string, db: Database): RawStore {
  if (url.startsWith('database:')) return databaseRawStore(db);
  throw new Error(`no raw store adapter for ${url}`);
}
