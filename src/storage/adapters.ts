import type { BusSettings } from '../bus/index.ts';
import { ensureTopics, KafkaBus } from '../bus/kafka.ts';
import { MemoryBus } from '../bus/memory.ts';
import type { Bus } from '../bus/port.ts';
import { kafkaProbe } from '../bus/probe.ts';
import type { Probe } from '../lib/probe.ts';
import type { Logger } from '../observability/logger.ts';
import { ping } from './influxdb/query.ts';
import { type AssetLookup, influxRawStore } from './influxdb/raw-store.ts';
import { parseInfluxUrl } from './influxdb/url.ts';
import type { WriterEvents } from './influxdb/writer.ts';
import { MemoryOnlineStore } from './memory/online-store.ts';
import { createObjectStore } from './object-stores.ts';
import type { Database } from './ports/database.ts';
import type { ObjectStore } from './ports/object-store.ts';
import type { OnlineStore } from './ports/online-store.ts';
import type { RawStore } from './ports/raw-store.ts';
import { openPglite } from './postgres/pglite.ts';
import { openPostgres } from './postgres/postgres.ts';
import { postgresProbe } from './postgres/probe.ts';
import { databaseRawStore } from './postgres/raw-store.ts';
import { RedisOnlineStore } from './redis/online-store.ts';
import { redisProbe } from './redis/probe.ts';
import type { S3ObjectStoreOptions } from './s3/object-store.ts';
import { adapterSchemes, type StoreKind } from './schemes.ts';

/**
 * The one adapter registry: for each kind of store (and the bus), the adapters by URL scheme — how to
 * create one, whether what it holds survives a restart of MANTIS, and how `mantis doctor` probes its server
 * before anything runs. The composition root, readiness and the doctor all look schemes up here.
 */

export type { Probe };

/** What creating an adapter may need besides its URL. */
export interface AdapterContext {
  /** The database, for stores that live in it. */
  db?: Database;
  /** Pool size per process (database). */
  maxConnections?: number;
  /** Bus settings (capacity, topics…); the URL is the entry's. */
  bus?: BusSettings;
  /** Client id for the bus. */
  clientId?: string;
  /** Kafka topic prefix, for the doctor's probe. */
  topicPrefix?: string;
  /** Raw stores outside the database (InfluxDB): each sensor's asset, for the points' tags. */
  assetOf?: AssetLookup;
  /** InfluxDB raw store: what its writer reports (buffer, retries, refused points), for metrics and logs. */
  rawEvents?: WriterEvents;
  /** Online stores on a server (Redis): entry life in seconds and read timeout in milliseconds. */
  online?: { ttlSeconds: number; timeoutMs: number };
  log?: Logger;
  /** Object stores (S3): credentials and multipart settings. */
  objects?: S3ObjectStoreOptions;
}

export interface Adapter<T> {
  /** Short name, used in logs, metrics and the doctor's report (`postgres`, `kafka`…). */
  name: string;
  /** URL prefixes this adapter serves. */
  schemes: readonly string[];
  /** Whether what it holds survives a restart of MANTIS (`pglite://memory` does not). */
  durable(url: string): boolean;
  create(url: string, ctx: AdapterContext): Promise<T>;
  /** Creates what the server must hold before use (Kafka's topics); resolves with what it created. */
  prepare?(url: string, ctx: AdapterContext): Promise<string[]>;
  /** A probe of the server behind `url`, for the doctor; null for an in-process adapter (nothing to probe). */
  probe(url: string, timeoutMs: number, ctx: AdapterContext): Probe | null;
}

export type { StoreKind };

interface Adapters {
  database: Adapter<Database>[];
  bus: Adapter<Bus>[];
  rawStore: Adapter<RawStore>[];
  onlineStore: Adapter<OnlineStore>[];
  objectStore: Adapter<ObjectStore>[];
}

/** Redis defaults when the configuration gives none: ten minutes of life, a quarter second per read. */
const ONLINE_DEFAULTS = { ttlSeconds: 600, timeoutMs: 250 };

const needDb = (ctx: AdapterContext): Database => {
  if (!ctx.db) throw new Error('this store lives in the database: open the database first');
  return ctx.db;
};

export const adapters: Adapters = {
  database: [
    {
      name: 'pglite',
      schemes: adapterSchemes.database.pglite,
      durable: (url) => url !== 'pglite://memory' && url !== 'pglite://',
      create: (url) => openPglite(url),
      probe: () => null,
    },
    {
      name: 'postgres',
      schemes: adapterSchemes.database.postgres,
      durable: () => true,
      create: (url, ctx) => openPostgres(url, { maxConnections: ctx.maxConnections ?? 10 }),
      probe: (url, timeoutMs) => postgresProbe(url, timeoutMs),
    },
  ],
  bus: [
    {
      name: 'memory',
      schemes: adapterSchemes.bus.memory,
      durable: () => false,
      create: async (_url, ctx) => new MemoryBus(busSettings(ctx).capacity),
      probe: () => null,
    },
    {
      name: 'kafka',
      schemes: adapterSchemes.bus.kafka,
      durable: () => true,
      create: async (url, ctx) =>
        new KafkaBus({ ...busSettings(ctx), url, clientId: ctx.clientId ?? 'mantis' }),
      prepare: (url, ctx) => ensureTopics({ ...busSettings(ctx), url, clientId: ctx.clientId ?? 'mantis' }),
      probe: (url, timeoutMs, ctx) => kafkaProbe(url, ctx.topicPrefix ?? '', timeoutMs),
    },
  ],
  rawStore: [
    {
      name: 'database',
      schemes: adapterSchemes.rawStore.database,
      // As durable as the database it lives in; the database's own entry says.
      durable: () => true,
      create: async (_url, ctx) => databaseRawStore(needDb(ctx)),
      probe: () => null,
    },
    {
      name: 'influxdb',
      schemes: adapterSchemes.rawStore.influxdb,
      durable: () => true,
      // Points are tagged with their sensor's asset; without a lookup they carry the sensor tag alone.
      create: async (url, ctx) =>
        influxRawStore(url, { assetOf: ctx.assetOf ?? (async () => new Map()), events: ctx.rawEvents }),
      probe: (url, timeoutMs) => async () => {
        const version = await ping({ ...parseInfluxUrl(url), timeoutMs });
        return `InfluxDB ${version}`;
      },
    },
  ],
  onlineStore: [
    {
      name: 'memory',
      schemes: adapterSchemes.onlineStore.memory,
      durable: () => false,
      create: async () => new MemoryOnlineStore(),
      probe: () => null,
    },
    {
      name: 'redis',
      schemes: adapterSchemes.onlineStore.redis,
      // Snapshots and an append-only file keep the features across a restart (deploy/redis/redis.conf).
      durable: () => true,
      create: async (url, ctx) => {
        const { ttlSeconds, timeoutMs } = ctx.online ?? ONLINE_DEFAULTS;
        return new RedisOnlineStore(url, { ttlSeconds, readTimeoutMs: timeoutMs, log: ctx.log });
      },
      probe: (url, timeoutMs) => redisProbe(url, timeoutMs),
    },
  ],
  objectStore: [
    {
      name: 'file',
      schemes: adapterSchemes.objectStore.file,
      durable: () => true,
      create: async (url) => createObjectStore(url),
      // The folder must exist or be creatable, and take a file: a put would fail there otherwise.
      probe: (url) => () => createObjectStore(url).probe(),
    },
    {
      name: 's3',
      schemes: adapterSchemes.objectStore.s3,
      durable: () => true,
      create: async (url, ctx) => createObjectStore(url, ctx.objects),
      probe: (url, _timeoutMs, ctx) => async (signal) => {
        const store = createObjectStore(url, ctx.objects);
        try {
          return await store.probe(signal);
        } finally {
          await store.close();
        }
      },
    },
  ],
};

function busSettings(ctx: AdapterContext): BusSettings {
  if (!ctx.bus) throw new Error('bus settings are required to create a bus');
  return ctx.bus;
}

/** The adapter serving `url` for a kind of store; throws naming the schemes there are. */
export function adapterFor<K extends StoreKind>(kind: K, url: string): Adapters[K][number] {
  const found = (adapters[kind] as Adapter<unknown>[]).find((a) => a.schemes.some((s) => url.startsWith(s)));
  if (!found) {
    const schemes = (adapters[kind] as Adapter<unknown>[]).flatMap((a) => a.schemes).join(', ');
    throw new Error(`no ${kind} adapter for ${url}; expected one of: ${schemes}`);
  }
  return found as Adapters[K][number];
}

/** Opens the database `url` names. */
export function openDatabase(url: string, maxConnections = 10): Promise<Database> {
  return adapterFor('database', url).create(url, { maxConnections });
}
