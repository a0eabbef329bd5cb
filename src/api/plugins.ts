import type { FastifyPluginAsync } from 'fastify';
import type { Asset } from '../domain/types.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { OnlineStore } from '../storage/ports/online-store.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import type { Repositories } from '../storage/ports/repositories.ts';
import { accessRoutes } from './access.ts';
import { alertRoutes } from './alerts.ts';
import { consoleRoutes } from './console.ts';
import { envelopeRoutes } from './envelope.ts';
import { exportRoutes } from './export.ts';
import { featureRoutes } from './features.ts';
import { kpiRoutes } from './kpis.ts';
import { modelRoutes, type ServedModels } from './models.ts';
import { registryRoutes } from './registry.ts';
import { apiRoutes } from './routes.ts';
import type { RulSettings } from './rul.ts';
import { signalRoutes } from './signal.ts';
import { spectrumRoutes } from './spectrum.ts';
import { workOrderRoutes } from './work-orders.ts';

/** What the api target's routes read and write: ports only, never an engine. */
export interface ApiDependencies {
  repositories: Omit<Repositories, 'partitions'>;
  /** Where raw readings are stored: the signal and export reads come from it. */
  raw: RawStore;
  /** Latest features, read first; the feature reader answers when it holds nothing or fails. */
  online: OnlineStore;
  metrics?: Metrics;
  /** The champion model of each asset type; absent: every type is scored by the baseline. */
  models?: ServedModels;
  /** Remaining-useful-life settings (ml.rulLookbackHours, scoring.alertBelow); absent: their defaults. */
  rul?: RulSettings;
  /** pipeline.sensorStaleSeconds, for the sensors' `stale` in the asset routes; absent: its default. */
  sensorStaleSeconds?: number;
  /** pipeline.bandEdgesHz, which the spectrum route reports beside the windows' band energies; absent: the default. */
  bandEdgesHz?: readonly number[];
  /** Called after a key is revoked, so that this process refuses it at once (Authenticator.forget). */
  onKeyRevoked?: (keyId: string) => void;
  /** Called after an asset is registered, so that ingest in this process sees its sensors at once. */
  onAssetRegistered?: (asset: Asset) => void;
  /** Called after sensors are retired, so that ingest in this process refuses them at once. */
  onSensorsRetired?: (sensorIds: string[]) => void;
}

/** The api target's route plugins, the web console last, for buildServer's `routes`. */
export function apiPlugins(deps: ApiDependencies): FastifyPluginAsync[] {
  const { registry, features, alerts, workOrders, kpis, access } = deps.repositories;
  return [
    registryRoutes({
      registry,
      features,
      online: deps.online,
      metrics: deps.metrics,
      onAssetRegistered: deps.onAssetRegistered,
      onSensorsRetired: deps.onSensorsRetired,
      rul: deps.rul,
      models: deps.models,
      sensorActivity: deps.repositories.sensorActivity,
      sensorStaleSeconds: deps.sensorStaleSeconds,
    }),
    apiRoutes({ alerts, workOrders }),
    featureRoutes(registry, features),
    exportRoutes(features, deps.raw),
    workOrderRoutes(workOrders),
    alertRoutes(alerts),
    accessRoutes(access, (keyId) => deps.onKeyRevoked?.(keyId)),
    kpiRoutes(kpis, workOrders),
    modelRoutes(registry, deps.models ?? { models: () => new Map() }),
    signalRoutes(registry, deps.raw),
    envelopeRoutes(registry, deps.raw),
    spectrumRoutes(registry, deps.raw, deps.bandEdgesHz),
    consoleRoutes(),
  ];
}
