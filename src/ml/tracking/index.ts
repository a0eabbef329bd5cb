import type { Config } from '../../config/schema.ts';
import { ValidationError } from '../../domain/errors.ts';
import { LocalTracking } from './local.ts';
import { MlflowTracking, type MlflowTrackingOptions } from './mlflow.ts';
import type { ModelTracking } from './port.ts';

export type { ModelTracking, ModelVersion, ParamValue, RunStatus, TrackingRun } from './port.ts';

/** Options of the MLflow adapter (timeouts, retry budget); the local folder takes none. */
export type TrackingOptions = MlflowTrackingOptions;

/**
 * The model tracking adapter of `url`, by scheme: `http(s)://[user:password@]host:port` an MLflow tracking
 * server (its artifact proxy on), `file://<folder>` a local folder. Nothing is contacted until first use.
 * @throws ValidationError on `ml.trackingUrl` for another scheme or a malformed URL.
 */
export function trackingFor(url: string, options: TrackingOptions = {}): ModelTracking {
  if (/^https?:\/\//i.test(url)) return new MlflowTracking(url, options);
  if (url.startsWith('file://')) return new LocalTracking(url);
  throw new ValidationError(
    'ml.trackingUrl',
    `expected http(s)://… (MLflow) or file://<folder>, got ${url.split(':')[0]}:`,
  );
}

/** The configured tracking URL: `ml.trackingUrl`, else the folder `<dataDir>/mlruns`. */
export function trackingUrl(config: Pick<Config, 'dataDir' | 'ml'>): string {
  // %, ? and # would be read as an escape, a query or a fragment of the URL.
  const folder = config.dataDir.replace(/\/+$/, '').replace(/[%?#]/g, encodeURIComponent);
  return config.ml.trackingUrl ?? `file://${folder}/mlruns`;
}
