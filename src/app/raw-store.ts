import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AdapterContext } from '../storage/adapters.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { Database } from '../storage/ports/database.ts';

/**
 * What a raw store outside the database needs from the rest of MANTIS: each sensor's asset from the
 * registry (the points' tags) and its writer's events turned into metrics and log lines.
 */
export function rawStoreContext(
  db: Database,
  registry: Pick<AssetRegistry, 'sensorOwners'>,
  metrics: Metrics,
  log: Logger,
): AdapterContext {
  return {
    db,
    assetOf: async (ids) => {
      // Retired sensors too: a replay may bring their last readings.
      const owners = await registry.sensorOwners();
      return new Map(
        ids.flatMap((id) => {
          const o = owners.get(id);
          return o ? [[id, o.assetId] as const] : [];
        }),
      );
    },
    rawEvents: {
      buffered: (points) => metrics.rawStoreBufferedPoints.set(points),
      bufferFull: (points, capacity) => {
        metrics.rawStoreBufferFull.inc();
        log.warn(
          { points, capacity },
          `InfluxDB raw store buffer full (${points} of ${capacity} points held): writes wait until InfluxDB takes them`,
        );
      },
      retry: (err, attempt, delayMs) => {
        metrics.rawStoreRetries.inc({ code: err.failure.code ?? 'unknown' });
        log.warn({ err, attempt, delayMs }, 'InfluxDB write failed; retrying');
      },
      written: (points) => metrics.rawStorePointsWritten.inc(points),
      rejected: (points, reason, message) => {
        metrics.rawStorePointsRejected.inc({ reason }, points);
        log.error({ points, reason }, `InfluxDB dropped points: ${message}`);
      },
    },
  };
}
