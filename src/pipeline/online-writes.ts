import type { WindowFeatures } from '../domain/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { OnlineStore } from '../storage/ports/online-store.ts';

/** Stores whose last write failed: a failing store is logged once, when it starts and stops failing. */
const failing = new WeakSet<OnlineStore>();

/**
 * Writes a stored batch's windows to the online store, best effort: the database already holds them and
 * the api reads it when the online store has nothing, so a failure (store down, slow, or full: OOM) is
 * counted and logged, never thrown, and never holds the batch's offsets back.
 */
export async function putOnline(
  deps: { online: OnlineStore; metrics: Metrics; log: Logger },
  features: WindowFeatures[],
): Promise<void> {
  if (features.length === 0) return;
  const { online, metrics, log } = deps;
  try {
    await online.put(features);
    metrics.onlineStoreWrites.inc({ result: 'ok' });
    if (failing.delete(online)) log.info('online store writes succeed again');
  } catch (err) {
    metrics.onlineStoreWrites.inc({ result: 'error' });
    if (failing.has(online)) return;
    failing.add(online);
    log.warn(
      { err },
      'online store write failed; skipped until it succeeds again (the database has the windows)',
    );
  }
}
