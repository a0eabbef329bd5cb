import type { WindowFeatures } from '../../domain/types.ts';

/**
 * How the online store lays out features in Redis: one hash per asset, `mantis:features:<assetId>`, with one
 * field per sensor id holding that sensor's latest window as JSON. A hash per asset lets the api read an
 * asset's sensors in one HGETALL and lets one TTL retire an asset that stopped reporting.
 */
export const keyPrefix = 'mantis:features:';

/** The hash of an asset. Redis keys are binary-safe: the id is used as it is, no escaping needed. */
export function featuresKey(assetId: string): string {
  if (assetId.length === 0) throw new Error('assetId: must not be empty');
  return `${keyPrefix}${assetId}`;
}

/** A window as stored: its JSON, with the fields of WindowFeatures only. */
export function encodeFeatures(f: WindowFeatures): string {
  return JSON.stringify(f);
}

/**
 * A stored value back as a window. Throws, naming the key, field and reason, when the value is not the
 * JSON of a window of that asset and sensor (written by something else, or corrupted).
 */
export function decodeFeatures(key: string, sensorId: string, value: string): WindowFeatures {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`${key} ${sensorId}: not JSON`);
  }
  const f = parsed as Partial<WindowFeatures> | null;
  if (typeof f !== 'object' || f === null) throw new Error(`${key} ${sensorId}: not an object`);
  if (f.sensorId !== sensorId) throw new Error(`${key} ${sensorId}: sensorId is ${String(f.sensorId)}`);
  if (key !== featuresKey(String(f.assetId))) {
    throw new Error(`${key} ${sensorId}: assetId is ${String(f.assetId)}`);
  }
  for (const field of ['windowStart', 'windowEnd'] as const) {
    if (!Number.isFinite(f[field])) throw new Error(`${key} ${sensorId}: ${field} is not a number`);
  }
  return f as WindowFeatures;
}

/**
 * The newest window of each (asset, sensor) in a batch, grouped by asset: what one write sends. A batch
 * may hold several windows of a series (a backlog); only the newest can be the latest.
 */
export function newestByAsset(features: WindowFeatures[]): Map<string, Map<string, WindowFeatures>> {
  const byAsset = new Map<string, Map<string, WindowFeatures>>();
  for (const f of features) {
    let sensors = byAsset.get(f.assetId);
    if (!sensors) {
      sensors = new Map();
      byAsset.set(f.assetId, sensors);
    }
    const current = sensors.get(f.sensorId);
    if (!current || current.windowStart <= f.windowStart) sensors.set(f.sensorId, f);
  }
  return byAsset;
}

/**
 * The TTL of an asset's hash when none is configured: six windows plus the idle timeout, at least a minute.
 * A live sensor rewrites its entry every window; the TTL must outlast a few missed windows (a late window,
 * a processor restart or a consumer rebalance) so that steady reads stay hits, yet retire an asset that
 * stopped reporting soon after. Past it, reads fall back to the database, which holds the same window.
 */
export function defaultTtlSeconds(windowSeconds: number, idleTimeoutSeconds: number): number {
  return Math.max(60, Math.ceil(6 * windowSeconds + idleTimeoutSeconds));
}
