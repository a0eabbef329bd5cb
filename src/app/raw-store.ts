import { redactUrl } from '../config/load.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { ping } from '../storage/influxdb/query.ts';
import type { InfluxRawStore } from '../storage/influxdb/raw-store.ts';
import type { Database } from '../storage/port.ts';
import { createRawStore, type RawStore } from '../storage/raw-store.ts';
import { sensorOwners } from '../storage/registry.ts';

/**
 * The raw store of the configuration, wired to the registry (each point's asset tag), the metrics and the
 * log; `check` probes InfluxDB when it is the raw store.
 */
export function openRawStore(
  url: string,
  db: Database,
  metrics: Metrics,
  log: Logger,
): { store: RawStore; check: () => Promise<{ ok: boolean; detail?: string }> } {
  const store = createRawStore(url, db, {
    assetOf: async (ids) => {
      // Retired sensors too: a replay may bring their last readings.
      const owners = await sensorOwners(db);
      return new Map(
        ids.flatMap((id) => {
          const o = owners.get(id);
          return o ? [[id, o.assetId] as const] : [];
        }),
      );
    },
    events: {
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
  });
  if (store.kind !== 'influxdb') return { store, check: async () => ({ ok: true, detail: 'the database' }) };
  const { target } = store as InfluxRawStore;
  return {
    store,
    check: async () => {
      const version = await ping(target);
      const held = (store as InfluxRawStore).bufferedPoints();
      return { ok: true, detail: `InfluxDB ${version} at ${redactUrl(url)}, ${held} points buffered` };
    },
  };
}
