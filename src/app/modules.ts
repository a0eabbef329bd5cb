import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { accessRoutes } from '../api/access.ts';
import { alertRoutes } from '../api/alerts.ts';
import { Authenticator, trustProxyOf } from '../api/auth.ts';
import { consoleRoutes } from '../api/console.ts';
import { exportRoutes } from '../api/export.ts';
import { kpiRoutes } from '../api/kpis.ts';
import { registryRoutes } from '../api/registry.ts';
import { apiRoutes } from '../api/routes.ts';
import { buildServer, type ReadinessReport } from '../api/server.ts';
import { signalRoutes } from '../api/signal.ts';
import { workOrderRoutes } from '../api/work-orders.ts';
import { isDurableBus } from '../bus/index.ts';
import { ensureTopics } from '../bus/kafka.ts';
import type { Bus } from '../bus/port.ts';
import { databaseUrl, redactUrl } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { businessMetricsJob, kpiRollupsJob, partitionsJob } from '../etl/batch.ts';
import { startJobs } from '../etl/jobs.ts';
import { httpIngestRoutes } from '../ingest/http.ts';
import { MqttIngest } from '../ingest/mqtt.ts';
import { MqttListener } from '../ingest/mqtt-listener.ts';
import { SensorDirectory } from '../ingest/sensors.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { Processor } from '../pipeline/processor.ts';
import { adapterFor } from '../storage/adapters.ts';
import { migrate, timeseriesPlaceholders } from '../storage/migrate.ts';
import type { Database } from '../storage/ports/database.ts';
import type { OnlineStore } from '../storage/ports/online-store.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import { databaseFeatureStore } from '../storage/postgres/feature-store.ts';
import { sensorCatalog } from '../storage/postgres/registry.ts';
import { defaultTtlSeconds } from '../storage/redis/features.ts';
import { rawStoreContext } from './raw-store.ts';

/** What modules hand to the modules that depend on them. Filled in start order. */
export interface Services {
  config: Config;
  log: Logger;
  metrics: Metrics;
  token: string;
  version: string;
  target: Target;
  readiness: () => Promise<ReadinessReport>;
  db?: Database;
  bus?: Bus;
  rawStore?: RawStore;
  online?: OnlineStore;
  sensors?: SensorDirectory;
  processor?: Processor;
  routes: FastifyPluginAsync[];
  server?: FastifyInstance;
  auth?: Authenticator;
  /** The embedded MQTT listener's port, when it runs. */
  mqttPort?: number;
}

export interface Running {
  stop(): Promise<void>;
  check?(): Promise<{ ok: boolean; detail?: string }>;
}

interface ModuleDefinition {
  deps: ModuleName[];
  start(s: Services): Promise<Running>;
}

export type ModuleName =
  | 'database'
  | 'bus'
  | 'rawStore'
  | 'onlineStore'
  | 'ingest'
  | 'mqtt'
  | 'process'
  | 'api'
  | 'etl'
  | 'server';
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

const ingestLimits = (config: Config) => ({
  maxClockSkewMs: config.ingest.maxClockSkewSeconds * 1000,
  maxBlockSamples: config.ingest.maxBlockSamples,
});

const need = <T>(value: T | undefined, name: string): T => {
  if (value === undefined) throw new Error(`module dependency ${name} is not running`);
  return value;
};

/** One authenticator per process, shared by HTTP and the embedded MQTT listener. */
function authenticator(s: Services): Authenticator {
  s.auth ??= new Authenticator(need(s.db, 'database'), s.metrics, {
    bootstrapToken: s.token,
    cacheMs: s.config.http.keyCacheSeconds * 1000,
    failuresPerMinute: s.config.http.authFailuresPerMinute,
  });
  return s.auth;
}

/** The one dependency map: start order is a topological sort of it, stop order the reverse. */
export const modules: Record<ModuleName, ModuleDefinition> = {
  database: {
    deps: [],
    async start(s) {
      const url = databaseUrl(s.config);
      const db = await adapterFor('database', url).create(url, {
        maxConnections: s.config.database.maxConnections,
      });
      const report = await migrate(db, { placeholders: timeseriesPlaceholders(s.config.database) });
      if (report.applied.length > 0) s.log.info({ applied: report.applied }, 'database migrated');
      s.db = db;
      return {
        stop: () => db.close(),
        check: async () => {
          await db.query('SELECT 1');
          return { ok: true, detail: `${db.kind}, schema version ${report.current}` };
        },
      };
    },
  },
  bus: {
    deps: [],
    async start(s) {
      if (s.config.bus.url.startsWith('kafka://')) {
        const created = await ensureTopics({ ...s.config.bus, clientId: 'mantis' });
        if (created.length > 0) s.log.info({ topics: created }, 'bus topics created');
      }
      const bus = await adapterFor('bus', s.config.bus.url).create(s.config.bus.url, {
        bus: s.config.bus,
        clientId: `mantis-${s.target}`,
      });
      s.bus = bus;
      return {
        stop: () => bus.close(),
        check: async () => ({ ok: true, detail: redactUrl(s.config.bus.url) }),
      };
    },
  },
  rawStore: {
    deps: ['database'],
    async start(s) {
      const { url } = s.config.rawStore;
      const log = s.log.child({ component: 'raw-store' });
      const store = await adapterFor('rawStore', url).create(
        url,
        rawStoreContext(need(s.db, 'database'), s.metrics, log),
      );
      s.rawStore = store;
      return { stop: () => store.close(), check: async () => ({ ok: true, detail: await store.ping() }) };
    },
  },
  onlineStore: {
    deps: [],
    async start(s) {
      const { onlineStore, pipeline } = s.config;
      const ttlSeconds =
        onlineStore.ttlSeconds ?? defaultTtlSeconds(pipeline.windowSeconds, pipeline.idleTimeoutSeconds);
      const log = s.log.child({ component: 'online-store' });
      const store = await adapterFor('onlineStore', onlineStore.url).create(onlineStore.url, {
        online: { ttlSeconds, timeoutMs: onlineStore.timeoutMs },
        log,
      });
      s.online = store;
      return {
        stop: () => store.close(),
        // Best effort: reads fall back to the database, so an unreachable store is reported, not failed.
        check: () =>
          store.ping().then(
            (detail) => ({ ok: true, detail }),
            (err: Error) => ({ ok: true, detail: `unreachable (${err.message}); reading the database` }),
          ),
      };
    },
  },
  ingest: {
    deps: ['bus', 'database'],
    async start(s) {
      const sensors = new SensorDirectory(need(s.db, 'database'), s.log.child({ component: 'ingest' }));
      await sensors.load();
      s.sensors = sensors;
      const { ingest } = s.config;
      s.routes.push(
        httpIngestRoutes({
          bus: need(s.bus, 'bus'),
          sensors,
          metrics: s.metrics,
          maxBatchItems: ingest.maxBatchItems,
          requestsPerMinute: ingest.requestsPerMinute,
          limits: ingestLimits(s.config),
        }),
      );
      return {
        stop: async () => {},
        check: async () => ({ ok: true, detail: `${sensors.size} sensors known` }),
      };
    },
  },
  mqtt: {
    deps: ['ingest'],
    async start(s) {
      const { mqtt, http } = s.config;
      const listen =
        mqtt.listen === 'on' || (mqtt.listen === 'auto' && !mqtt.url && s.config.bus.url === 'memory:');
      if (!mqtt.url && !listen) return { stop: async () => {} };
      const log = s.log.child({ component: 'mqtt' });
      const listener = listen ? new MqttListener(authenticator(s)) : null;
      const port = listener ? await listener.listen(http.host, mqtt.port) : 0;
      s.mqttPort = port || undefined;
      // The embedded listener is subscribed to like any broker, with the admin token.
      const url = mqtt.url ?? `mqtt://${http.host.includes(':') ? `[${http.host}]` : http.host}:${port}`;
      const ingest = new MqttIngest(
        {
          bus: need(s.bus, 'bus'),
          sensors: need(s.sensors, 'ingest'),
          metrics: s.metrics,
          limits: ingestLimits(s.config),
          maxItems: s.config.ingest.maxBatchItems,
          log,
        },
        {
          ...mqtt,
          url,
          ...(mqtt.url ? {} : { username: 'mantis', password: s.token, protocolVersion: '3.1.1' as const }),
        },
      );
      ingest.start();
      return {
        stop: async () => {
          await ingest.stop();
          await listener?.close();
        },
        // A broker that is down does not stop HTTP ingest: reported, not failed (see mantis_mqtt_connected).
        check: async () => ({
          ok: true,
          detail: `${ingest.connected ? 'connected to' : 'reconnecting to'} ${redactUrl(url)}${listener ? ' (embedded listener)' : ''}`,
        }),
      };
    },
  },
  process: {
    deps: ['bus', 'database', 'rawStore', 'onlineStore'],
    async start(s) {
      const { pipeline, scoring } = s.config;
      const processor = new Processor(
        {
          bus: need(s.bus, 'bus'),
          raw: need(s.rawStore, 'rawStore'),
          features: databaseFeatureStore(need(s.db, 'database')),
          catalog: sensorCatalog(need(s.db, 'database')),
          online: need(s.online, 'onlineStore'),
          metrics: s.metrics,
          log: s.log.child({ component: 'process' }),
        },
        {
          windows: {
            windowMs: pipeline.windowSeconds * 1000,
            latenessMs: pipeline.allowedLatenessSeconds * 1000,
            idleMs: pipeline.idleTimeoutSeconds * 1000,
            idleNeedsPartitionProgress: isDurableBus(s.config.bus.url),
            bandEdgesHz: pipeline.bandEdgesHz,
          },
          health: { ...scoring, bandEdgesHz: pipeline.bandEdgesHz },
          maxBatchMessages: pipeline.maxBatchMessages,
          drainWindowsOnStop: !isDurableBus(s.config.bus.url),
          writeAttempts: pipeline.writeAttempts,
          stallMs: pipeline.stallSeconds * 1000,
        },
      );
      await processor.start();
      s.processor = processor;
      return {
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
  },
  api: {
    // The raw store: signal and export reads come from wherever raw readings are stored.
    deps: ['database', 'rawStore', 'onlineStore'],
    async start(s) {
      s.routes.push(
        registryRoutes({
          db: need(s.db, 'database'),
          online: need(s.online, 'onlineStore'),
          metrics: s.metrics,
          onAssetRegistered: (asset) =>
            s.sensors?.put(
              asset.siteId,
              asset.sensors.filter((x) => !x.retiredAt),
            ),
          onSensorsRetired: (ids) => s.sensors?.remove(ids),
        }),
        apiRoutes(need(s.db, 'database')),
        exportRoutes(need(s.db, 'database'), need(s.rawStore, 'rawStore')),
        workOrderRoutes(need(s.db, 'database')),
        alertRoutes(need(s.db, 'database')),
        accessRoutes(need(s.db, 'database'), (keyId) => s.auth?.forget(keyId)),
        kpiRoutes(need(s.db, 'database')),
        signalRoutes(need(s.db, 'database'), need(s.rawStore, 'rawStore')),
        consoleRoutes(),
      );
      const jobs = startJobs([businessMetricsJob(need(s.db, 'database'), s.metrics)], s.metrics, s.log);
      return { stop: () => jobs.stop() };
    },
  },
  etl: {
    // Batch jobs on a schedule: retention and partitions, daily KPI roll-ups.
    deps: ['database'],
    async start(s) {
      const db = need(s.db, 'database');
      const jobs = startJobs(
        [partitionsJob(db), kpiRollupsJob(db)],
        s.metrics,
        s.log.child({ component: 'etl' }),
      );
      return {
        stop: () => jobs.stop(),
        check: async () => {
          const states = jobs.states();
          const summary = states.map((j) => `${j.name} ${j.lastOutcome ?? 'running'}`).join(', ');
          const failed = states.find((j) => j.lastOutcome === 'failure');
          // A failed job is retried at its next run; the target stays ready and the metric tells.
          return { ok: true, detail: failed ? `${summary}; last error: ${failed.lastError}` : summary };
        },
      };
    },
  },
  server: {
    // Listens last, once every route is registered; stops first, so no request arrives during shutdown.
    deps: ['ingest', 'process', 'api', 'etl'],
    async start(s) {
      const server = await buildServer({
        bodyLimitBytes: s.config.http.bodyLimitBytes,
        trustProxy: trustProxyOf(s.config.http.trustProxy),
        auth: authenticator(s),
        db: need(s.db, 'database'),
        metrics: s.metrics,
        log: s.log,
        readiness: s.readiness,
        routes: s.routes,
        version: s.version,
      });
      await server.listen({ host: s.config.http.host, port: s.config.http.port });
      s.server = server;
      return { stop: () => server.close() };
    },
  },
};

/** Modules to run for a target, dependencies first. Dependencies outside the target's needs are skipped. */
export function startOrder(target: Target): ModuleName[] {
  const wanted = new Set<ModuleName>();
  const visit = (name: ModuleName) => {
    if (wanted.has(name)) return;
    for (const dep of modules[name].deps) if (name !== 'server' || targets[target].includes(dep)) visit(dep);
    wanted.add(name);
  };
  for (const name of targets[target]) visit(name);
  return [...wanted];
}
