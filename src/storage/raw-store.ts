import type { SampleBlock, ScalarReading } from '../domain/types.ts';
import { type AssetLookup, influxRawStore } from './influxdb/raw-store.ts';
import type { WriterEvents } from './influxdb/writer.ts';
import type { Database, Transaction } from './port.ts';
import { type SensorSignal, sensorSignal } from './signal.ts';
import { exportReadings, writeRawBlocks, writeRawReadings } from './timeseries.ts';

export type { SensorSignal };

/** One raw scalar reading as stored. Times are epoch milliseconds. */
export interface StoredReading {
  sensorId: string;
  ts: number;
  value: number;
}

/** The raw store port: every accepted reading, as it arrived, and the reads of raw data. */
export interface RawStore {
  readonly kind: 'database' | 'influxdb';
  /**
   * Stores the readings; resolves once they are durable. When the raw store is the database, writes join
   * the caller's transaction. Writing the same readings again overwrites them (a replay is harmless).
   */
  write(scalars: ScalarReading[], blocks: SampleBlock[], tx?: Transaction): Promise<void>;
  /** A sensor's last `limit` readings in [from, to) (epoch ms), oldest first, and its latest block there. */
  readSignal(sensorId: string, from: number, to: number, limit: number): Promise<SensorSignal>;
  /** Every sensor's readings in [from, to) (epoch ms), oldest first then by sensor, at most `limit`. */
  readReadings(from: number, to: number, limit: number): Promise<StoredReading[]>;
  close(): Promise<void>;
}

/** Raw readings in the database's own tables (used when no InfluxDB is configured). */
export function databaseRawStore(db: Database): RawStore {
  return {
    kind: 'database',
    async write(scalars, blocks, tx = db) {
      await writeRawReadings(tx, scalars);
      await writeRawBlocks(tx, blocks);
    },
    readSignal: (sensorId, from, to, limit) => sensorSignal(db, sensorId, from, to, limit),
    readReadings: (from, to, limit) => exportReadings(db, from, to, limit),
    async close() {},
  };
}

/** What an InfluxDB raw store needs besides its URL: the sensors' assets (tags) and its events. */
export interface RawStoreDeps {
  assetOf?: AssetLookup;
  events?: WriterEvents;
}

/** The raw store for a URL: `database:`, `influxdb://…` or `influxdb2://…` (see parseInfluxUrl). */
export function createRawStore(url: string, db: Database, deps: RawStoreDeps = {}): RawStore {
  if (url.startsWith('database:')) return databaseRawStore(db);
  if (url.startsWith('influxdb://') || url.startsWith('influxdb2://')) {
    return influxRawStore(url, { assetOf: deps.assetOf ?? (async () => new Map()), events: deps.events });
  }
  throw new Error(`no raw store adapter for ${url}`);
}
