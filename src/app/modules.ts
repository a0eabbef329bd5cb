import { hostname } from 'node:os';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Authenticator, trustProxyOf } from '../api/auth.ts';
import { apiPlugins } from '../api/plugins.ts';
import { buildServer, type ReadinessReport } from '../api/server.ts';
import type { Bus } from '../bus/port.ts';
import { databaseUrl, redactUrl } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { businessMetricsJob, kpiRollupsJob, partitionsJob } from '../etl/batch.ts';
import { startJobs } from '../etl/jobs.ts';
import { startScheduler } from '../etl/scheduler.ts';
import { httpIngestRoutes } from '../ingest/http.ts';
import { MqttIngest } from '../ingest/mqtt.ts';
import { MqttListener } from '../ingest/mqtt-listener.ts';
import { SensorDirectory } from '../ingest/sensors.ts';
import { ChampionModels } from '../ml/champions.ts';
import { trackingFor, trackingUrl } from '../ml/tracking/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { Processor } from '../pipeline/processor.ts';
import { adapterFor } from '../storage/adapters.ts';
import { migrate, timeseriesPlaceholders } from '../storage/migrate.ts';
import type { Database } from '../storage/ports/database.ts';
import type { OnlineStore } from '../storage/ports/online-store.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import type { Repositories } from '../storage/ports/repositories.ts';
import { databaseFeatureStore } from '../storage/postgres/feature-store.ts';
import { databaseJobRuns } from '../storage/postgres/job-runs.ts';
import { postgresRepositories } from '../storage/postgres/repositories.ts';
import { defaultTtlSeconds } from '../storage/redis/features.ts';
import { backupJob, dataQualityJob, exportFeaturesJob, refreshLastBackup } from './etl-jobs.ts';
import { rawStoreContext } from './raw-store.ts';

/** What every module gets: the process-wide settings, logger and metrics. */
export interface Context {
  config: Config;
  log: Logger;
  metrics: Metrics;
  token: string;
  version: string;
  target: Target;
  readiness: () => Promise<ReadinessReport>;
}

/** What each module hands to the modules that depend on it. */
export interface Provided {
  database: Database;
  /** The maintenance repositories (registry, alerts, work orders, KPIs, access) on the database. */
  repositories: Repositories;
  bus: Bus;
  rawStore: RawStore;
  onlineStore: OnlineStore;
  /** One authenticator per process, shared by HTTP and the embedded MQTT listener. */
  auth: Authenticator;
  ingest: { sensors: SensorDirectory; routes: FastifyPluginAsync[] };
  /** The embedded MQTT listener's port, when it runs. */
  mqtt: { port: number | undefined };
  /** The champion model of each asset type, polled from the model tracking server or folder. */
  models: ChampionModels;
  process: Processor;
  api: { routes: FastifyPluginAsync[] };
  etl: undefined;
  server: FastifyInstance;
}

export type ModuleName = keyof Provided;

export interface Check {
  ok: boolean;
  detail?: string;
}

/** A started module: what it provides, how to stop it, and its readiness probe. */
export interface Running<T = unknown> {
  value: T;
  stop(): Promise<void>;
  check?(): Promise<Check>;
}

/** A module as the start-up loop sees it: the dependencies it receives are typed by `define`. */
export interface ModuleDefinition<T> {
  /** Modules it needs; started first. */
  deps: readonly ModuleName[];
  /** Modules it uses when the target runs them too; started first when they run. */
  optional?: readonly ModuleName[];
  start(ctx: Context, deps: Partial<Provided>): Promise<Running<T>>;
}

/**
 * Declares a module: `start` receives exactly the values of `deps` (and of `optional`, possibly absent),
 * typed, so a module cannot reach a dependency it did not declare.
 */
function define<D extends ModuleName = never, O extends ModuleName = never, T = undefined>(definition: {
  deps: readonly D[];
  optional?: readonly O[];
  start(ctx: Context, deps: Pick<Provided, D> & Partial<Pick<Provided, O>>): Promise<Running<T>>;
}): ModuleDefinition<T> {
  return definition as ModuleDefinition<T>;
}

export type Target = 'all' | 'ingest' | 'process' | 'api' | 'etl';
export const targetNames: Target[] = ['all', 'ingest', 'process', 'api', 'etl'];

/** Modules each target runs; their dependencies come along. */
export const targets: Record<Target, ModuleName[]> = {
  all: ['ingest', 'mqtt', 'process', 'api', 'etl', 'server'],
  ingest: ['ingest', 'mqtt', 'server'],
  process: ['process', 'server'],
  api: ['api', 'server'],
  etl: ['etl', 'server'],
};

/**
 * Targets that keep serving through a database outage, so the database does not fail their readiness: ingest
 * validates against the sensors and keys it last loaded, and api answers 503 naming the database for what needs
 * it. process, etl and all cannot do their work without it.
 */
const SERVES_WITHOUT_DATABASE: readonly Target[] = ['ingest', 'api'];

/**
 * The readiness check of something that lives in the database: on a target that serves without the database,
 * an outage is reported in the detail and does not fail readiness (taken out of its Service, the target could
 * not even answer 503 naming the database).
 */
function databaseCheck(target: Target, probe: () => Promise<string>): () => Promise<Check> {
  return async () => {
    try {
      return { ok: true, detail: await probe() };
    } catch (err) {
      if (!SERVES_WITHOUT_DATABASE.includes(target)) throw err;
      return { ok: true, detail: `unreachable (${(err as Error).message}); answering 503 where needed` };
    }
  };
}

const ingestLimits = (config: Config) => ({
  maxClockSkewMs: config.ingest.maxClockSkewSeconds * 1000,
  maxBlockSamples: config.ingest.maxBlockSamples,
});

/** Opens the configured database and brings its schema up to date (start-up and `mantis migrate`). */
export async function openMigratedDatabase(
  config: Config,
): Promise<{ db: Database; report: Awaited<ReturnType<typeof migrate>> }> {
  const url = databaseUrl(config);
  const db = await adapterFor('database', url).create(url, {
    maxConnections: config.database.maxConnections,
  });
  try {
    return { db, report: await migrate(db, { placeholders: timeseriesPlaceholders(config.database) }) };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** The one dependency map: start order is a topological sort of it, stop order the reverse. */
export const modules = {
  database: define({
    deps: [],
    async start({ config, log, target }) {
      const { db, report } = await openMigratedDatabase(config);
      if (report.applied.length > 0) log.info({ applied: report.applied }, 'database migrated');
      return {
        value: db,
        stop: () => db.close(),
        check: databaseCheck(target, async () => {
          await db.query('SELECT 1');
          return `${db.kind}, schema version ${report.current}`;
        }),
      };
    },
  }),
  bus: define({
    deps: [],
    async start({ config, log, target }) {
      const adapter = adapterFor('bus', config.bus.url);
      const prepared =
        (await adapter.prepare?.(config.bus.url, { bus: config.bus, clientId: 'mantis' })) ?? [];
      if (prepared.length > 0) log.info({ topics: prepared }, 'bus topics created');
      const bus = await adapter.create(config.bus.url, { bus: config.bus, clientId: `mantis-${target}` });
      return {
        value: bus,
        stop: () => bus.close(),
        check: async () => ({ ok: true, detail: await bus.ping() }),
      };
    },
  }),
  rawStore: define({
    deps: ['database', 'repositories'],
    async start({ config, metrics, log, target }, { database, repositories }) {
      const { url } = config.rawStore;
      const adapter = adapterFor('rawStore', url);
      const store = await adapter.create(
        url,
        rawStoreContext(database, repositories.registry, metrics, log.child({ component: 'raw-store' })),
      );
      const ping = () => store.ping();
      return {
        value: store,
        stop: () => store.close(),
        check:
          adapter.name === 'database'
            ? databaseCheck(target, ping)
            : async () => ({ ok: true, detail: await ping() }),
      };
    },
  }),
  onlineStore: define({
    deps: [],
    async start({ config, log }) {
      const { onlineStore, pipeline } = config;
      const ttlSeconds =
        onlineStore.ttlSeconds ?? defaultTtlSeconds(pipeline.windowSeconds, pipeline.idleTimeoutSeconds);
      const store = await adapterFor('onlineStore', onlineStore.url).create(onlineStore.url, {
        online: { ttlSeconds, timeoutMs: onlineStore.timeoutMs },
        log: log.child({ component: 'online-store' }),
      });
      return {
        value: store,
        stop: () => store.close(),
        // Best effort: reads fall back to the database, so an unreachable store is reported, not failed.
        check: () =>
          store.ping().then(
            (detail) => ({ ok: true, detail }),
            (err: Error) => ({ ok: true, detail: `unreachable (${err.message}); reading the database` }),
          ),
      };
    },
  }),
  repositories: define({
    deps: ['database'],
    async start(_ctx, { database }) {
      return { value: postgresRepositories(database), stop: async () => {} };
    },
  }),
  auth: define({
    deps: ['repositories'],
    async start({ config, metrics, token }, { repositories }) {
      const auth = new Authenticator(repositories.access, metrics, {
        bootstrapToken: token,
        cacheMs: config.http.keyCacheSeconds * 1000,
        failuresPerMinute: config.http.authFailuresPerMinute,
      });
      return { value: auth, stop: async () => {} };
    },
  }),
  ingest: define({
    deps: ['bus', 'repositories'],
    async start({ config, metrics, log }, { bus, repositories }) {
      const sensors = new SensorDirectory(
        repositories.registry,
        repositories,
        log.child({ component: 'ingest' }),
      );
      await sensors.load();
      const { ingest } = config;
      const routes = [
        httpIngestRoutes({
          bus,
          sensors,
          metrics,
          maxBatchItems: ingest.maxBatchItems,
          requestsPerMinute: ingest.requestsPerMinute,
          limits: ingestLimits(config),
        }),
      ];
      return {
        value: { sensors, routes },
        stop: async () => {},
        check: async () => ({ ok: true, detail: `${sensors.size} sensors known` }),
      };
    },
  }),
  mqtt: define({
    deps: ['bus', 'ingest', 'auth'],
    async start({ config, metrics, log, token }, { bus, ingest, auth }) {
      const { mqtt, http } = config;
      const listen =
        mqtt.listen === 'on' || (mqtt.listen === 'auto' && !mqtt.url && config.bus.url === 'memory:');
      if (!mqtt.url && !listen) return { value: { port: undefined }, stop: async () => {} };
      const listener = listen ? new MqttListener(auth) : null;
      const port = listener ? await listener.listen(http.host, mqtt.port) : 0;
      // The embedded listener is subscribed to like any broker, with the admin token.
      const url = mqtt.url ?? `mqtt://${http.host.includes(':') ? `[${http.host}]` : http.host}:${port}`;
      const subscriber = new MqttIngest(
        {
          bus,
          sensors: ingest.sensors,
          metrics,
          limits: ingestLimits(config),
          maxItems: config.ingest.maxBatchItems,
          log: log.child({ component: 'mqtt' }),
        },
        {
          ...mqtt,
          url,
          ...(mqtt.url ? {} : { username: 'mantis', password: token, protocolVersion: '3.1.1' as const }),
        },
      );
      subscriber.start();
      return {
        value: { port: port || undefined },
        stop: async () => {
          await subscriber.stop();
          await listener?.close();
        },
        // A broker that is down does not stop HTTP ingest: reported, not failed (see mantis_mqtt_connected).
        check: async () => ({
          ok: true,
          detail: `${subscriber.connected ? 'connected to' : 'reconnecting to'} ${redactUrl(url)}${listener ? ' (embedded listener)' : ''}`,
        }),
      };
    },
  }),
  models: define({
    deps: ['repositories'],
    async start({ config, metrics, log }, { repositories }) {
      const { ml } = config;
      // No retries within a poll: the next poll is the retry, so an outage never stretches a poll past its interval.
      const tracking = trackingFor(trackingUrl(config), {
        retryBudgetMs: 0,
        timeoutMs: Math.min(10_000, ml.pollSeconds * 1000),
      });
      const models = new ChampionModels(
        tracking,
        async () => (await repositories.registry.assetTypes()).values(),
        { prefix: ml.modelPrefix, alias: ml.championAlias, pollMs: ml.pollSeconds * 1000 },
        {
          log: log.child({ component: 'models' }),
          onServed: (assetType, served, previous) => {
            if (previous) metrics.modelInfo.remove(assetType, previous.name, previous.version);
            if (served)
              metrics.modelInfo.set(
                { asset_type: assetType, model: served.name, version: served.version },
                1,
              );
          },
          onPollFailed: () => metrics.modelPollFailures.inc(),
        },
      );
      await models.start();
      return {
        value: models,
        stop: async () => {
          models.stop();
          await tracking.close();
        },
        // Scoring goes on with the models served (or the baseline) while tracking is away: ready, and saying so.
        check: async () => {
          const { served, lastError } = models.status();
          const probe = await tracking.probe();
          const reach = probe.ok ? probe.detail : `unreachable (${probe.detail}), serving what was loaded`;
          const detail = `${tracking.kind} ${tracking.location}: ${reach}; ${served} champion model(s) served`;
          return { ok: true, detail: lastError ? `${detail}; last poll failed: ${lastError}` : detail };
        },
      };
    },
  }),
  process: define({
    deps: ['bus', 'database', 'repositories', 'rawStore', 'onlineStore', 'models'],
    async start({ config, metrics, log }, { bus, database, repositories, rawStore, onlineStore, models }) {
      const { pipeline, scoring } = config;
      const durableBus = adapterFor('bus', config.bus.url).durable(config.bus.url);
      const processor = new Processor(
        {
          bus,
          raw: rawStore,
          features: databaseFeatureStore(database),
          catalog: repositories.registry,
          online: onlineStore,
          metrics,
          log: log.child({ component: 'process' }),
        },
        {
          windows: {
            windowMs: pipeline.windowSeconds * 1000,
            latenessMs: pipeline.allowedLatenessSeconds * 1000,
            idleMs: pipeline.idleTimeoutSeconds * 1000,
            idleNeedsPartitionProgress: durableBus,
            bandEdgesHz: pipeline.bandEdgesHz,
          },
          health: {
            ...scoring,
            bandEdgesHz: pipeline.bandEdgesHz,
            scorerFor: (assetType) => models.scorerFor(assetType),
          },
          maxBatchMessages: pipeline.maxBatchMessages,
          drainWindowsOnStop: !durableBus,
          writeAttempts: pipeline.writeAttempts,
          stallMs: pipeline.stallSeconds * 1000,
          stopTimeoutMs: config.shutdown.timeoutSeconds * 1000,
          diagnostics: {
            raiseAfter: config.diagnostics.raiseAfterWindows,
            clearAfter: config.diagnostics.clearAfterWindows,
          },
        },
      );
      await processor.start();
      return {
        value: processor,
        stop: () => processor.stop(),
        // Not ready while the consumer does not advance: a write failing or hung, or messages left unread.
        check: async () => {
          const stalled = processor.stalled();
          if (stalled) return { ok: false, detail: `not advancing: ${stalled}` };
          const owned = processor.ownedPartitions();
          const partitions = owned ? `, partitions ${owned.join(',') || 'none'}` : '';
          return { ok: true, detail: `${processor.openWindows()} open windows${partitions}` };
        },
      };
    },
  }),
  api: define({
    // The raw store: signal and export reads come from wherever raw readings are stored.
    deps: ['repositories', 'rawStore', 'onlineStore', 'auth', 'models'],
    // Assets registered here reach ingest's sensor directory at once when both run in this process.
    optional: ['ingest'],
    async start({ config, metrics, log }, { repositories, rawStore, onlineStore, auth, ingest, models }) {
      const routes = apiPlugins({
        repositories,
        raw: rawStore,
        online: onlineStore,
        metrics,
        models,
        rul: { lookbackHours: config.ml.rulLookbackHours, alertBelow: config.scoring.alertBelow },
        sensorStaleSeconds: config.pipeline.sensorStaleSeconds,
        bandEdgesHz: config.pipeline.bandEdgesHz,
        onKeyRevoked: (keyId) => auth.forget(keyId),
        onAssetRegistered: (asset) =>
          ingest?.sensors.put(
            asset.siteId,
            asset.sensors.filter((x) => !x.retiredAt),
          ),
        onSensorsRetired: (ids) => ingest?.sensors.remove(ids),
      });
      const jobs = startJobs(
        [businessMetricsJob(repositories, metrics, config.pipeline.sensorStaleSeconds)],
        metrics,
        log,
      );
      return { value: { routes }, stop: () => jobs.stop() };
    },
  }),
  etl: define({
    // Batch jobs on their cron schedules (etl.schedules), one run of a job at a time across etl instances.
    deps: ['database', 'repositories', 'rawStore'],
    async start({ config, metrics, log }, { database, repositories, rawStore }) {
      const { schedules, timezone } = config.etl;
      const url = databaseUrl(config);
      const server = /^postgres(ql)?:/.test(url);
      if (!server && schedules.backup !== 'off')
        log.info(
          'backup not scheduled: the embedded database is backed up by copying its folder while stopped',
        );
      if (server && schedules.backup !== 'off')
        // In the background: a store that is away delays the backup age metric, not the target's start.
        refreshLastBackup(config, metrics).catch((err: Error) =>
          log.warn({ err }, 'could not read the newest backup from the object store'),
        );
      const deps = { config, database, repositories, raw: rawStore, metrics };
      const jobs = startScheduler(
        [
          { ...partitionsJob(repositories.partitions), schedule: schedules.retention },
          { ...kpiRollupsJob(repositories.kpis), schedule: schedules.kpiRollup },
          { ...dataQualityJob(deps), schedule: schedules.dataQuality, firstRun: 'next' },
          {
            ...backupJob(config, url, metrics),
            schedule: server ? schedules.backup : 'off',
            firstRun: 'next',
          },
          {
            ...exportFeaturesJob(config, repositories, metrics),
            schedule: schedules.exportFeatures,
            firstRun: 'next',
          },
        ],
        {
          timezone,
          instance: `${hostname()}:${process.pid}`,
          runs: databaseJobRuns(database, url),
          metrics,
          log: log.child({ component: 'etl' }),
        },
      );
      return {
        value: undefined,
        stop: () => jobs.stop(),
        check: async () => {
          const states = jobs.states();
          const summary = states
            .map((j) => `${j.name} ${j.lastOutcome ?? (j.running ? 'running' : 'waiting')}`)
            .join(', ');
          const failed = states.find((j) => j.lastOutcome === 'failure');
          // A failed job is retried at its next run; the target stays ready and the metric tells.
          return { ok: true, detail: failed ? `${summary}; last error: ${failed.lastError}` : summary };
        },
      };
    },
  }),
  server: define({
    deps: ['repositories', 'auth'],
    // Listens last, once every route is registered; stops first, so no request arrives during shutdown.
    optional: ['ingest', 'process', 'api', 'etl'],
    async start(ctx, { repositories, auth, ingest, api }) {
      const { config } = ctx;
      const server = await buildServer({
        bodyLimitBytes: config.http.bodyLimitBytes,
        trustProxy: trustProxyOf(config.http.trustProxy),
        checkResponses: config.http.checkResponses === 'on',
        auth,
        audit: repositories.access,
        store: repositories,
        metrics: ctx.metrics,
        log: ctx.log,
        readiness: ctx.readiness,
        routes: [...(ingest?.routes ?? []), ...(api?.routes ?? [])],
        version: ctx.version,
      });
      await server.listen({ host: config.http.host, port: config.http.port });
      return { value: server, stop: () => server.close() };
    },
  }),
} satisfies { [N in ModuleName]: ModuleDefinition<Provided[N]> };

/**
 * Modules to run for a target, dependencies first. A module's optional dependencies come along only when the
 * target runs them itself.
 */
export function startOrder(target: Target): ModuleName[] {
  const wanted = new Set<ModuleName>();
  const visit = (name: ModuleName) => {
    if (wanted.has(name)) return;
    const definition: ModuleDefinition<unknown> = modules[name];
    for (const dep of definition.deps) visit(dep);
    for (const dep of definition.optional ?? []) if (targets[target].includes(dep)) visit(dep);
    wanted.add(name);
  };
  for (const name of targets[target]) visit(name);
  return [...wanted];
}
