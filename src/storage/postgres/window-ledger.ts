import type { Queryable } from '../ports/database.ts';
import type { SensorWindows, WindowLedger } from '../ports/window-ledger.ts';

/**
 * The window ledger in the database: features (one row per closed window, `computed_at` when it was
 * written) and window_progress (each series' closed frontier). A sensor moved between assets has its
 * series summed.
 */
export function postgresWindowLedger(db: Queryable): WindowLedger {
  return {
    async sensorWindows(alignedFrom, alignedTo) {
      const rows = await db.query<{
        sensor_id: string;
        closed_until_ms: number | null;
        counted: number | null;
        windows: number | null;
        median_delay_ms: number | null;
      }>(
        `WITH progress AS (
           SELECT sensor_id, max(closed_until) AS closed_until FROM window_progress GROUP BY sensor_id
         ), windows AS (
           SELECT f.sensor_id,
             sum(f.count) FILTER (WHERE f.window_start >= $1
               AND f.window_end <= LEAST($2::timestamptz, p.closed_until))::float8 AS counted,
             count(*)::int AS windows,
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.computed_at - f.window_end))
               * 1000)::float8 AS median_delay_ms
           FROM features f LEFT JOIN progress p USING (sensor_id)
           WHERE f.window_start >= $1 AND f.window_start < $2
           GROUP BY f.sensor_id
         )
         SELECT coalesce(w.sensor_id, p.sensor_id) AS sensor_id,
           (extract(epoch FROM p.closed_until) * 1000)::float8 AS closed_until_ms,
           w.counted, w.windows, w.median_delay_ms
         FROM windows w FULL JOIN progress p USING (sensor_id)`,
        [new Date(alignedFrom), new Date(alignedTo)],
      );
      return new Map<string, SensorWindows>(
        rows.map((r) => [
          r.sensor_id,
          {
            closedUntil: r.closed_until_ms,
            counted: r.counted ?? 0,
            windows: r.windows ?? 0,
            medianCloseDelayMs: r.median_delay_ms,
          },
        ]),
      );
    },
  };
}
