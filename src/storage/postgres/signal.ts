import type { Queryable } from '../ports/database.ts';
import type { SensorSignal } from '../ports/raw-store.ts';
import { EPOCH_MS } from './instants.ts';

/** A sensor's raw signal over a range: its scalar readings, and its latest sample block. */
export async function sensorSignal(
  db: Queryable,
  sensorId: string,
  from: number,
  to: number,
  limit: number,
): Promise<SensorSignal> {
  const [readings, blocks] = await Promise.all([
    // Times as float epoch ms: the stored microseconds, which a Date would cut to milliseconds.
    db.query<{ ms: number; value: number }>(
      `SELECT ${EPOCH_MS} AS ms, value FROM raw_readings
       WHERE sensor_id = $1 AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)
       ORDER BY ts DESC LIMIT $4`,
      [sensorId, from, to, limit],
    ),
    db.query<{ ms: number; rate_hz: number; samples: Uint8Array }>(
      `SELECT ${EPOCH_MS} AS ms, rate_hz, samples FROM raw_blocks
       WHERE sensor_id = $1 AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)
       ORDER BY ts DESC LIMIT 1`,
      [sensorId, from, to],
    ),
  ]);
  const [block] = blocks;
  let values: number[] = [];
  if (block) {
    // Stored as little-endian float32 (see writeRawBlocks); copied so that the view is aligned.
    const bytes = Buffer.from(block.samples);
    values = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
  }
  return {
    readings: readings.reverse().map((r) => ({ ts: r.ms, value: r.value })),
    block: block ? { ts: block.ms, rateHz: block.rate_hz, values } : null,
  };
}
