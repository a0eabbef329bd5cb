import type { SampleBlock, ScalarReading } from '../../domain/types.ts';
import type { RawRows, RawStore, SensorSignal, StoredReading } from '../ports/raw-store.ts';
import { classifyMemoryError, MemoryOutage } from './failures.ts';

/**
 * A raw store in process memory: the same contract as the database's (a replay stores nothing twice: the
 * key is sensor and timestamp), unbounded, so for tests and one-off runs only.
 */
export class MemoryRawStore implements RawStore {
  readonly kind = 'memory';
  /** Fails writes on demand (see MemoryOutage). */
  readonly outage = new MemoryOutage();
  private readonly readings = new Map<string, ScalarReading>();
  private readonly blocks = new Map<string, SampleBlock>();
  /** How many write calls succeeded (a replay counts again, its rows do not). */
  writes = 0;

  async write(rows: RawRows): Promise<void> {
    this.outage.check();
    for (const r of rows.scalars) this.readings.set(`${r.sensorId}\u0000${r.ts}`, r);
    for (const b of rows.blocks) this.blocks.set(`${b.sensorId}\u0000${b.ts}`, b);
    this.writes++;
  }

  /** Every stored scalar reading, oldest first. */
  storedReadings(): ScalarReading[] {
    return [...this.readings.values()].sort((a, b) => a.ts - b.ts || a.sensorId.localeCompare(b.sensorId));
  }

  /** Every stored sample block, oldest first. */
  storedBlocks(): SampleBlock[] {
    return [...this.blocks.values()].sort((a, b) => a.ts - b.ts || a.sensorId.localeCompare(b.sensorId));
  }

  async readSignal(sensorId: string, from: number, to: number, limit: number): Promise<SensorSignal> {
    const inRange = (ts: number) => ts >= from && ts < to;
    const readings = this.storedReadings()
      .filter((r) => r.sensorId === sensorId && inRange(r.ts))
      .slice(-limit)
      .map((r) => ({ ts: r.ts, value: r.value }));
    const block = this.storedBlocks()
      .filter((b) => b.sensorId === sensorId && inRange(b.ts))
      .at(-1);
    return {
      readings,
      block: block ? { ts: block.ts, rateHz: block.rateHz, values: [...block.values] } : null,
    };
  }

  async readReadings(
    from: number,
    to: number,
    limit: number,
    sensorIds?: readonly string[],
  ): Promise<StoredReading[]> {
    const only = sensorIds ? new Set(sensorIds) : null;
    return this.storedReadings()
      .filter((r) => r.ts >= from && r.ts < to && (!only || only.has(r.sensorId)))
      .slice(0, limit)
      .map((r) => ({ sensorId: r.sensorId, ts: r.ts, value: r.value }));
  }

  classify = classifyMemoryError;

  async ping(): Promise<string> {
    return `in process, ${this.readings.size} readings`;
  }

  async close(): Promise<void> {}
}
