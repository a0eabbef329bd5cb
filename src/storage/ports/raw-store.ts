import type { SampleBlock, ScalarReading } from '../../domain/types.ts';
import type { Database, Transaction } from './database.ts';
import type { FailureJudge } from './failures.ts';

/** Raw rows of one batch: scalar readings and sample blocks, as they arrived. */
export interface RawRows {
  scalars: ScalarReading[];
  blocks: SampleBlock[];
}

/** A sensor's raw signal over a range (timestamps epoch ms). */
export interface SensorSignal {
  /** Scalar readings in the range, oldest first. */
  readings: { ts: number; value: number }[];
  /** The latest sample block in the range, samples as numbers. */
  block: { ts: number; rateHz: number; values: number[] } | null;
}

/** One raw scalar reading as stored (ts epoch ms). */
export interface StoredReading {
  sensorId: string;
  ts: number;
  value: number;
}

/** The raw store port: every accepted reading, as it arrived. */
export interface RawStore extends FailureJudge {
  /** Adapter name, for metrics and spans (`database`, `influxdb`, `memory`). */
  readonly kind: 'database' | 'influxdb' | 'memory';
  /**
   * Stores the rows; resolves once they are durable. Writing the same rows again overwrites them (a replay
   * stores nothing twice).
   */
  write(rows: RawRows): Promise<void>;
  /**
   * Set when the raw rows live in `database` itself: the caller writes them with `write` inside its own
   * transaction on that database, so that a batch's raw rows and features commit together.
   */
  readonly transactional?: {
    database: Database;
    write(tx: Transaction, rows: RawRows): Promise<void>;
  };
  /** A sensor's last `limit` readings in [from, to) (epoch ms), oldest first, and its latest block there. */
  readSignal(sensorId: string, from: number, to: number, limit: number): Promise<SensorSignal>;
  /**
   * Every sensor's readings in [from, to) (epoch ms), oldest first then by sensor, at most `limit`; with
   * `sensorIds`, only those sensors' (an asset's, for a partitioned export).
   */
  readReadings(
    from: number,
    to: number,
    limit: number,
    sensorIds?: readonly string[],
  ): Promise<StoredReading[]>;
  /** Asks the store whether it is reachable and writable now; resolves with a one-line detail, throws saying why not. */
  ping(): Promise<string>;
  close(): Promise<void>;
}
