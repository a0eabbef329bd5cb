import type { Database, Transaction } from '../ports/database.ts';
import type { RawRows, RawStore } from '../ports/raw-store.ts';
import { classifyDatabaseError } from './errors.ts';
import { ensurePartitions } from './partitions.ts';
import { sensorSignal } from './signal.ts';
import { exportReadings, writeRawBlocks, writeRawReadings } from './timeseries.ts';

/**
 * Raw readings in the database's own tables (`database:`, when no InfluxDB is configured). Its writes join
 * the feature store's transaction (see RawStore.transactional), so a batch's raw rows and features commit
 * together.
 */
export function databaseRawStore(db: Database): RawStore {
  const inTransaction = async (tx: Transaction, rows: RawRows) => {
    await writeRawReadings(tx, rows.scalars);
    await writeRawBlocks(tx, rows.blocks);
  };
  return {
    kind: 'database',
    async write(rows) {
      await partitionsFor(db, rows);
      await db.transaction((tx) => inTransaction(tx, rows));
    },
    transactional: {
      database: db,
      async write(tx, rows) {
        await inTransaction(tx, rows);
      },
    },
    readSignal: (sensorId, from, to, limit) => sensorSignal(db, sensorId, from, to, limit),
    readReadings: (from, to, limit, sensorIds) => exportReadings(db, from, to, limit, sensorIds),
    classify: classifyDatabaseError,
    async ping() {
      await db.query('SELECT 1 FROM raw_readings LIMIT 1');
      return `the ${db.kind} database's raw tables`;
    },
    async close() {},
  };
}

/** Partitions the raw rows need (days without one are made first; see ensurePartitions). */
export function partitionsFor(db: Database, rows: RawRows): Promise<void> {
  return ensurePartitions(db, {
    raw_readings: rows.scalars.map((r) => r.ts),
    raw_blocks: rows.blocks.map((b) => b.ts),
  });
}
