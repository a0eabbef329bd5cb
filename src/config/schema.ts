import { z } from 'zod';
import { DEFAULT_SENSOR_STALE_SECONDS } from '../domain/sensor-staleness.ts';
import { adapterSchemes, schemesOf } from '../storage/schemes.ts';
import { etlSchema } from './etl.ts';
import {
  objectStoreUrlProblem,
  onlineStoreUrlProblem,
  rawStoreUrlProblem,
  redisUrlProblem,
} from './store-urls.ts';

/** URL whose scheme picks the adapter; the message lists the schemes this build supports (storage/schemes.ts). */
function adapterUrl(port: string, schemes: string[], problem: (url: string) => string | null = () => null) {
  return z
    .string()
    .refine((value) => schemes.some((s) => value.startsWith(s)), {
      message: `unsupported ${port} URL; expected one of: ${schemes.join(', ')}`,
    })
    .superRefine((value, ctx) => {
      // The adapter's own parser: a URL it would refuse at start-up is refused here, naming the setting.
      const reason = problem(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    });
}

const httpUrl = adapterUrl('HTTP', ['http://', 'https://']);
const seconds = (max: number) => z.coerce.number().positive().max(max);
const days = z.coerce.number().int().min(0).max(36_500);

/**
 * Every MANTIS setting, with its default. Environment names are derived from the path:
 * pipeline.windowSeconds ↔ MANTIS_PIPELINE_WINDOW_SECONDS.
 */
export const configSchema = z.strictObject({
  dataDir: z.string().min(1).default('./data').describe('Folder for embedded data (database, token).'),
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1').describe('Address the HTTP server binds to.'),
      port: z.coerce
        .number()
        .int()
        .min(0)
        .max(65_535)
        .default(8080)
        .describe('HTTP port; 0 picks a free one.'),
      bodyLimitBytes: z.coerce
        .number()
        .int()
        .positive()
        .default(8 * 1024 * 1024)
        .describe(
          'Largest request body accepted, counted after decompressing a gzip, deflate or br body; larger ones get 413.',
        ),
      authFailuresPerMinute: z.coerce
        .number()
        .int()
        .positive()
        .default(30)
        .describe(
          'Failed authentications per client address, and per API key, in a minute before further failures get 429; valid credentials are always served.',
        ),
      trustProxy: z.coerce
        .string()
        .regex(
          /^\s*(true|false|\d+|[\w.:/-]+(\s*,\s*[\w.:/-]+)*)\s*$/,
          'true, false, a hop count, or comma-separated proxy addresses or CIDRs',
        )
        .default('false')
        .describe(
          'Behind a reverse proxy: the client address (failure limits, logs) comes from X-Forwarded-For set by trusted proxies: true (any), a hop count, or proxy addresses/CIDRs (10.0.0.0/8,127.0.0.1); false: the socket peer.',
        ),
      keyCacheSeconds: seconds(300)
        .default(5)
        .describe('How long an API key stays cached: a revocation reaches other processes within this.'),
      checkResponses: z
        .enum(['off', 'on'])
        .default('off')
        .describe(
          'on: every answer is checked against the response schema its operation documents in /openapi.json, and one that does not match becomes a 500 (logged) — for development and contract tests; it costs CPU.',
        ),
    })
    .prefault({}),
  ingest: z
    .strictObject({
      token: z
        .string()
        .min(16, 'must be at least 16 characters')
        .optional()
        .describe(
          'Bootstrap token with admin rights (secret): creates the first API keys, or serves single-token setups. Embedded mode generates one if unset.',
        ),
      maxBatchItems: z.coerce
        .number()
        .int()
        .positive()
        .default(10_000)
        .describe('Most items in one ingest batch (413 above).'),
      maxBlockSamples: z.coerce
        .number()
        .int()
        .positive()
        .default(65_536)
        .describe('Most samples in one sample block.'),
      maxClockSkewSeconds: seconds(86_400)
        .default(300)
        .describe('Readings further in the future are rejected.'),
      requestsPerMinute: z.coerce
        .number()
        .int()
        .positive()
        .default(60_000)
        .describe('Ingest requests one credential may make per minute (429 above, with Retry-After).'),
    })
    .prefault({}),
  bus: z
    .strictObject({
      url: adapterUrl('bus', schemesOf('bus'))
        .default('memory:')
        .describe('Message bus: memory: runs in-process; kafka://host:9092[,host2:9092] for Apache Kafka.'),
      capacity: z.coerce
        .number()
        .int()
        .positive()
        .default(20_000)
        .describe('memory: messages queued per topic.'),
      topicPrefix: z
        .string()
        .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only')
        .default('')
        .describe('Kafka: prefix of every topic and consumer group, to share a cluster.'),
      partitions: z.coerce
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(6)
        .describe('Kafka: partitions of new topics.'),
      replicationFactor: z.coerce
        .number()
        .int()
        .min(1)
        .max(7)
        .default(1)
        .describe('Kafka: replicas of new topics.'),
      retentionHours: z.coerce.number().positive().default(168).describe('Kafka: retention of new topics.'),
      compression: z
        .enum(['none', 'gzip', 'snappy', 'lz4', 'zstd'])
        .default('zstd')
        .describe('Kafka: producer compression.'),
      sendTimeoutMs: z.coerce
        .number()
        .int()
        .positive()
        .default(5_000)
        .describe('Kafka: how long a send retries before ingest answers 503.'),
    })
    .prefault({}),
  mqtt: z
    .strictObject({
      url: adapterUrl('mqtt', ['mqtt://', 'mqtts://'])
        .optional()
        .describe(
          "A site's MQTT broker to subscribe to (mqtt://host:1883 or mqtts://…); unset: the embedded listener.",
        ),
      listen: z
        .enum(['auto', 'on', 'off'])
        .default('auto')
        .describe(
          'Run the embedded MQTT listener: auto runs it when no mqtt.url is set and the bus is memory:.',
        ),
      port: z.coerce
        .number()
        .int()
        .min(0)
        .max(65_535)
        .default(1883)
        .describe('Port of the embedded listener (on http.host); 0 picks a free one.'),
      topic: z
        .string()
        .min(1)
        .default('mantis/+/+/+')
        .describe('Subscription filter; topics are mantis/{site}/{asset}/{sensor}.'),
      clientId: z
        .string()
        .min(1)
        .max(128)
        .default('mantis-ingest')
        .describe('MQTT client id: the broker keeps this persistent session, so QoS 1 messages wait for it.'),
      protocolVersion: z
        .enum(['3.1.1', '5'])
        .default('5')
        .describe(
          'MQTT version spoken to mqtt.url (5 lets a retained-message clear be told from an empty message); the embedded listener speaks 3.1.1.',
        ),
      username: z.string().optional().describe('User name on the broker.'),
      password: z.string().optional().describe('Password on the broker (secret).'),
      reconnectMinMs: z.coerce
        .number()
        .int()
        .positive()
        .default(500)
        .describe(
          'First reconnection delay; each wait is drawn between half the backoff and the backoff (equal jitter).',
        ),
      reconnectMaxMs: z.coerce
        .number()
        .int()
        .positive()
        .default(30_000)
        .describe('Reconnection delay doubles up to this.'),
      rejectionNoticesPerSecond: z.coerce
        .number()
        .int()
        .min(0)
        .max(10_000)
        .default(10)
        .describe(
          'Rejection notices published per mantis-rejected/{site}/{asset}/{sensor} topic and second at most; more are counted and dropped; 0 publishes none.',
        ),
    })
    .prefault({}),
  database: z
    .strictObject({
      url: adapterUrl('database', schemesOf('database'))
        .optional()
        .describe('Defaults to pglite://<dataDir>/pg (pglite://memory keeps it in memory).'),
      maxConnections: z.coerce
        .number()
        .int()
        .min(1)
        .max(500)
        .default(10)
        .describe('PostgreSQL pool size per process.'),
      rawRetentionDays: days
        .default(30)
        .describe('Raw readings and sample blocks are kept this long; 0 keeps them.'),
      featureRetentionDays: days
        .default(365)
        .describe('Windowed features and their 1 min roll-up are kept this long; 0 keeps them.'),
      rollupRetentionDays: days
        .default(0)
        .describe('1 h and 1 day roll-ups are kept this long; 0 keeps them.'),
      compressAfterDays: days
        .default(7)
        .describe('TimescaleDB: compress time-series chunks older than this; 0 never compresses.'),
      chunkHours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 28)
        .default(24)
        .describe(
          'TimescaleDB: chunk interval of the time-series hypertables (native partitions are daily).',
        ),
    })
    .prefault({}),
  rawStore: z
    .strictObject({
      url: adapterUrl('raw store', schemesOf('rawStore'), rawStoreUrlProblem)
        .default('database:')
        .describe(
          'Where raw readings go: database: uses the database; influxdb://host:8086/<db>?rp=<policy> (v1 API, INFLUX_USERNAME/INFLUX_PASSWORD) or influxdb2://host:8086?org=<org>&bucket=<bucket> (v2 API, INFLUX_TOKEN) for InfluxDB. See docs/storage.md.',
        ),
    })
    .prefault({}),
  onlineStore: z
    .strictObject({
      url: adapterUrl('online store', schemesOf('onlineStore'), onlineStoreUrlProblem)
        .default('memory:')
        .describe(
          'Latest features per sensor, for fast reads: memory: in-process; redis://[:password@]host:6379[/db] (rediss:// for TLS) shares them between processes.',
        ),
      ttlSeconds: z.coerce
        .number()
        .int()
        .min(1)
        .max(30 * 86_400)
        .optional()
        .describe(
          "redis: an asset's latest features expire this long after its last window. Defaults to 6 windows plus the idle timeout, at least 60 (90 with the defaults).",
        ),
      timeoutMs: z.coerce
        .number()
        .int()
        .min(1)
        .max(60_000)
        .default(250)
        .describe('redis: a read waits this long before the api reads the database instead.'),
    })
    .prefault({}),
  objectStore: z
    .strictObject({
      url: adapterUrl('object store', schemesOf('objectStore'), objectStoreUrlProblem)
        .optional()
        .describe(
          'Files (exports, backups): file://<folder>, or s3://bucket[/prefix]?endpoint=http://minio:9000&region=us-east-1 with keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Defaults to file://<dataDir>/objects.',
        ),
    })
    .prefault({}),
  ml: z
    .strictObject({
      trackingUrl: adapterUrl('model tracking', ['http://', 'https://', 'file://'])
        .optional()
        .describe(
          'Where training runs and registered models live: an MLflow tracking server (http://mlflow:5000; artifacts go through its proxy, so object-store keys stay in MLflow) or a local folder (file://<folder>). Defaults to file://<dataDir>/mlruns.',
        ),
      experiment: z
        .string()
        .regex(/^[\w.-]{1,100}$/, 'letters, digits, _, . or -, at most 100')
        .default('mantis-health')
        .describe('MLflow experiment that training runs are logged to.'),
      modelPrefix: z
        .string()
        .regex(/^[\w.-]{1,60}$/, 'letters, digits, _, . or -, at most 60')
        .default('mantis-health-')
        .describe('Registered model name of an asset type: this prefix and the type (mantis-health-pump).'),
      championAlias: z
        .string()
        .regex(/^[a-z][\w-]{0,62}$/, 'a lowercase letter, then letters, digits, _ or -')
        .default('champion')
        .describe('Model alias the processor serves; `mantis ml promote` moves it.'),
      pollSeconds: z.coerce
        .number()
        .min(1)
        .max(3_600)
        .default(60)
        .describe(
          'How often the processor checks where the champion alias points; a move is served within this.',
        ),
      rulLookbackHours: z.coerce
        .number()
        .gt(0)
        .max(2_160)
        .default(24)
        .describe(
          'History the remaining useful life of an asset is fitted on (docs/remaining-useful-life.md): the windows of its most recent span of at most 1 440 windows per sensor (4 h of 10 s windows); before it, for a sensor still below health 100 there, the lowest health of its 1-minute roll-up buckets (lookback up to 24 h) or hourly ones (longer).',
        ),
      labelHorizonHours: z.coerce
        .number()
        .min(0)
        .max(8_760)
        .default(168)
        .describe(
          "How far before its work order was raised a closing's finding labels the windows (docs/maintenance-labels.md): the part of the fault's P-F interval before the alert. A week by default.",
        ),
    })
    .prefault({}),
  pipeline: z
    .strictObject({
      windowSeconds: seconds(3_600).default(10).describe('Length of the tumbling feature windows.'),
      allowedLatenessSeconds: z.coerce
        .number()
        .min(0)
        .max(3_600)
        .default(5)
        .describe("How far a sensor's event time must pass a window's end before it closes."),
      idleTimeoutSeconds: seconds(3_600).default(30).describe('Close a window when its sensor is silent.'),
      sensorStaleSeconds: seconds(2_592_000)
        .default(DEFAULT_SENSOR_STALE_SECONDS)
        .describe(
          'A sensor not retired is stale once it has sent no reading for longer than this (since its registration when it has sent none): GET /v1/assets and the mantis_sensors_stale gauge.',
        ),
      maxBatchMessages: z.coerce
        .number()
        .int()
        .positive()
        .default(500)
        .describe('Bus messages the processor takes at once.'),
      writeAttempts: z.coerce
        .number()
        .int()
        .min(1)
        .max(20)
        .default(5)
        .describe(
          'Attempts at a batch the database refuses for its data (a constraint, a value) before the refused records are isolated and dead-lettered; outages are retried without limit.',
        ),
      stallSeconds: seconds(86_400)
        .default(60)
        .describe(
          'The process target is not ready while a batch write has been pending (failing or hung), or bus messages have waited unread, for this long.',
        ),
      bandEdgesHz: z
        .preprocess(
          (v) => (typeof v === 'string' ? v.split(',').map(Number) : v),
          z
            .array(z.number().nonnegative())
            .min(2)
            .refine((edges) => edges.every((e, i) => i === 0 || e > edges[i - 1]), 'must be ascending'),
        )
        .default([0, 50, 100, 200, 500, 1000, 2000, 5000])
        .describe('Spectral band edges for sample blocks, ascending.'),
    })
    .prefault({}),
  scoring: z
    .strictObject({
      baselineWindows: z.coerce
        .number()
        .int()
        .min(3)
        .default(6)
        .describe("A series' first windows, learned as its baseline."),
      alertBelow: z.coerce
        .number()
        .min(0)
        .max(100)
        .default(40)
        .describe('Health (0–100) under which an alert is raised.'),
      clearAbove: z.coerce
        .number()
        .min(0)
        .max(100)
        .default(60)
        .describe('Health over which an active alert clears.'),
      smoothing: z.coerce.number().gt(0).max(1).default(0.5).describe('EWMA weight of the newest window.'),
    })
    .prefault({})
    .refine((s) => s.clearAbove > s.alertBelow, {
      message: 'clearAbove must be greater than alertBelow',
      path: ['clearAbove'],
    }),
  diagnostics: z
    .strictObject({
      raiseAfterWindows: z.coerce
        .number()
        .int()
        .min(1)
        .max(100)
        .default(2)
        .describe(
          'Consecutive windows that must name a fault (bearing defect, imbalance…) before it is alerted.',
        ),
      clearAfterWindows: z.coerce
        .number()
        .int()
        .min(1)
        .max(100)
        .default(3)
        .describe('Consecutive diagnosed windows without a fault before its alert clears.'),
    })
    .prefault({}),
  etl: etlSchema,
  // The rest of the stack, which `mantis doctor` checks; unset means not part of this deployment.
  stack: z
    .strictObject({
      redisUrl: adapterUrl('Redis', [...adapterSchemes.onlineStore.redis], redisUrlProblem)
        .optional()
        .describe('Redis (redis://host:6379): doctor sends PING and reads its persistence settings.'),
      influxdbUrl: httpUrl.optional().describe('InfluxDB (http://influxdb:8086): doctor pings it.'),
      s3Url: adapterUrl('S3', [...adapterSchemes.objectStore.s3], objectStoreUrlProblem)
        .optional()
        .describe(
          'Object store bucket, s3://bucket?endpoint=http://minio:9000&region=us-east-1: doctor checks the bucket.',
        ),
      s3AccessKeyId: z.string().optional().describe('Access key id for the S3 bucket.'),
      s3SecretAccessKey: z.string().optional().describe('Secret access key for the S3 bucket (secret).'),
      mlflowUrl: httpUrl.optional().describe('MLflow tracking server (http://mlflow:5000).'),
      prometheusUrl: httpUrl.optional().describe('Prometheus (http://prometheus:9090).'),
      alertmanagerUrl: httpUrl.optional().describe('Alertmanager (http://alertmanager:9093).'),
      grafanaUrl: httpUrl.optional().describe('Grafana (http://grafana:3000).'),
      jaegerUrl: httpUrl.optional().describe('Jaeger query service (http://jaeger:16686).'),
      zookeeper: z
        .string()
        .regex(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, 'expected host:port[,host:port…]')
        .optional()
        .describe('ZooKeeper ensemble (zookeeper:2181), when Kafka runs with ZooKeeper.'),
    })
    .prefault({}),
  shutdown: z
    .strictObject({
      timeoutSeconds: seconds(3_600)
        .default(8)
        .describe(
          'On SIGTERM, how long the processor waits for the write in hand before giving it up uncommitted (the bus delivers it again after a restart). Keep it below the grace period before a kill (Docker: 10 s).',
        ),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info')
        .describe('Log level; mantis start shows warnings and above unless set.'),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

/** Paths whose values never leave the process in clear. */
export const secretPaths = ['ingest.token', 'mqtt.password', 'stack.s3SecretAccessKey'];
