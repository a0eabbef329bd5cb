import { latestReadingTimes } from '../../domain/sensor-staleness.ts';
import type { Queryable } from '../ports/database.ts';
import type { RawRows } from '../ports/raw-store.ts';
import type { SensorActivity, SensorActivityRepository } from '../ports/sensor-activity.ts';

/**
 * Records each sensor's latest reading time in a batch: one multi-row upsert keyed by sensor, keeping the
 * greatest time, so that a replayed older batch leaves it where it is. Rows go in sensor id order, the same
 * lock order for every writer. Meant for the batch's own transaction.
 */
export async function recordLastReadings(tx: Queryable, rows: RawRows): Promise<void> {
  const latest = latestReadingTimes([...rows.scalars, ...rows.blocks]);
  if (latest.length === 0) return;
  // The WHERE leaves a row that is not older untouched: no new row version on a replay.
  await tx.query(
    `INSERT INTO sensor_last_readings AS l (sensor_id, last_reading_at)
     SELECT id, to_timestamp(ms / 1000.0) FROM unnest($1::text[], $2::float8[]) AS u(id, ms)
     ON CONFLICT (sensor_id) DO UPDATE
       SET last_reading_at = GREATEST(l.last_reading_at, EXCLUDED.last_reading_at)
       WHERE EXCLUDED.last_reading_at > l.last_reading_at`,
    [latest.map((r) => r.sensorId), latest.map((r) => r.ts)],
  );
}

/** Milliseconds since the epoch of a timestamptz column, fractions kept. */
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

async function activity(db: Queryable, sensorIds: readonly string[]): Promise<Map<string, SensorActivity>> {
  if (sensorIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; registered: number; last: number | null }>(
    `SELECT s.id, ${epochMs('s.registered_at')} AS registered, ${epochMs('l.last_reading_at')} AS last
     FROM sensors s LEFT JOIN sensor_last_readings l ON l.sensor_id = s.id
     WHERE s.id = ANY($1::text[])`,
    [sensorIds],
  );
  return new Map(rows.map((r) => [r.id, { registeredAt: r.registered, lastReadingAt: r.last }]));
}

async function staleCountsBySite(db: Queryable, now: number, periodMs: number): Promise<Map<string, number>> {
  // isStale in SQL: silent since the later of the last reading and the registration (GREATEST skips NULL).
  const rows = await db.query<{ site: string; stale: number }>(
    `SELECT si.id AS site,
            count(s.id) FILTER (WHERE GREATEST(l.last_reading_at, s.registered_at) < to_timestamp($1 / 1000.0))::int
              AS stale
     FROM sites si
     LEFT JOIN assets a ON a.site_id = si.id AND a.retired_at IS NULL
     LEFT JOIN sensors s ON s.asset_id = a.id AND s.retired_at IS NULL
     LEFT JOIN sensor_last_readings l ON l.sensor_id = s.id
     WHERE si.retired_at IS NULL
     GROUP BY si.id ORDER BY si.id`,
    [now - periodMs],
  );
  return new Map(rows.map((r) => [r.site, r.stale]));
}

/** Sensor activity in PostgreSQL (or PGlite): sensors.registered_at and sensor_last_readings (V022). */
export function postgresSensorActivity(db: Queryable): SensorActivityRepository {
  return {
    activity: (sensorIds) => activity(db, sensorIds),
    staleCountsBySite: (now, periodMs) => staleCountsBySite(db, now, periodMs),
  };
}
