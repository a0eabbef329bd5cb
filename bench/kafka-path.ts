/**
 * One run of the scale-out path, W1: HTTP → ingest service → Kafka → process service(s) → the raw store and
 * PostgreSQL, each service its own process, the load from another. Used by pipeline-kafka.ts (raw store: the
 * database) and influxdb.ts (raw store: InfluxDB).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../src/storage/adapters.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { createTestDatabase, kafkaBroker, uniqueSuffix } from '../test/helpers/infra.ts';
import { type MantisProcess, spawnMantis } from '../test/helpers/process.ts';
import { env, histogramQuantile, median, registerW1Fleet } from './lib.ts';

const run = promisify(execFile);
const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const TOKEN = 'bench-token-0123456789abcdef';

/** BENCH_PROFILE=<dir> writes a V8 CPU profile of each service into <dir>/<target>. */
const profile = (target: string): Record<string, string> =>
  process.env.BENCH_PROFILE
    ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${join(process.env.BENCH_PROFILE, target)}` }
    : {};

export interface KafkaRunOptions {
  /** Paced at this many readings/s; open loop (as fast as ingest answers) without. */
  rate?: number;
  seconds?: number;
  concurrency?: number;
  processors?: number;
  /** More settings of the services (e.g. MANTIS_RAW_STORE_URL). */
  env?: Record<string, string>;
  /** Raw readings the raw store holds once the run is stored (checked against those accepted). */
  rawCount(db: Database): Promise<number>;
}

export interface KafkaRunResult {
  ingestPerSecond: number;
  pipelinePerSecond: number;
  p50: number;
  p99: number;
  writes: { batches: number; seconds: number };
  elapsed: number;
}

/** One run on a fresh database and topic prefix; throws unless every accepted reading is stored once. */
export async function kafkaPathRun(options: KafkaRunOptions): Promise<KafkaRunResult> {
  const seconds = options.seconds ?? env('BENCH_SECONDS', 10);
  const concurrency = options.concurrency ?? env('BENCH_CONCURRENCY', 8);
  const processors = options.processors ?? env('BENCH_PROCESSORS', 1);
  const database = await createTestDatabase();
  const settings = {
    MANTIS_BUS_URL: `kafka://${kafkaBroker}`,
    MANTIS_BUS_TOPIC_PREFIX: `bench-${uniqueSuffix()}.`,
    MANTIS_DATABASE_URL: database.url,
    MANTIS_INGEST_TOKEN: TOKEN,
    MANTIS_LOG_LEVEL: 'warn',
    // Other MANTIS_* settings of the bench's environment apply to the services (e.g. batch size).
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('MANTIS_PIPELINE_'))),
    ...options.env,
  };
  const services: MantisProcess[] = [];
  try {
    const api = await spawnMantis('api', { ...settings, MANTIS_LOG_LEVEL: 'info' });
    services.push(api);
    const ingest = await spawnMantis('ingest', {
      ...settings,
      MANTIS_LOG_LEVEL: 'info',
      ...profile('ingest'),
    });
    services.push(ingest);
    const workers: MantisProcess[] = [];
    for (let i = 0; i < processors; i++)
      workers.push(
        await spawnMantis('process', {
          ...settings,
          MANTIS_LOG_LEVEL: 'info',
          ...profile('process'),
        }),
      );
    services.push(...workers);
    await registerW1Fleet(api.url, TOKEN);
    const db = await openDatabase(database.url);
    const started = Date.now();
    const { stdout } = await run(process.execPath, [
      script('./load.ts'),
      ingest.url,
      TOKEN,
      'json',
      String(seconds),
      String(concurrency),
      String(Date.now() - 3_600_000),
      ...(options.rate ? [String(options.rate)] : []),
    ]);
    const load = JSON.parse(stdout) as { accepted: number; seconds: number };
    process.stderr.write(`accepted ${load.accepted} readings in ${load.seconds} s; waiting until stored\n`);
    // Progress from the process services' own counters: a count on the raw store would compete for CPU.
    const storedReadings = async () => {
      const texts = await Promise.all(workers.map(async (w) => (await fetch(`${w.url}/metrics`)).text()));
      return texts.reduce(
        (n, t) => n + Number(/^mantis_storage_rows_written_total\{kind="reading"\} (\d+)/m.exec(t)?.[1] ?? 0),
        0,
      );
    };
    for (let polls = 0; ; polls++) {
      const n = await storedReadings();
      if (n >= load.accepted) break;
      if (Date.now() - started > 120_000)
        throw new Error(`only ${n} of ${load.accepted} readings stored after 120 s`);
      if (polls % 25 === 0)
        process.stderr.write(
          `  stored ${n}/${load.accepted} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
    const elapsed = (Date.now() - started) / 1000;
    const rows = await options.rawCount(db);
    if (rows !== load.accepted)
      throw new Error(`the raw store holds ${rows} readings, ${load.accepted} were accepted`);
    const metrics = await Promise.all(workers.map(async (w) => (await fetch(`${w.url}/metrics`)).text()));
    // Where the process services spent the run: storage writes (count and total seconds).
    const sum = (name: string) =>
      metrics.reduce(
        (n, m) => n + Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(m)?.[1] ?? 0),
        0,
      );
    const writes = {
      batches: sum('mantis_storage_write_duration_seconds_count'),
      seconds: sum('mantis_storage_write_duration_seconds_sum'),
    };
    await db.close();
    return {
      ingestPerSecond: load.accepted / load.seconds,
      pipelinePerSecond: load.accepted / elapsed,
      p50: median(metrics.map((m) => histogramQuantile(m, 'mantis_pipeline_ingest_to_stored_seconds', 0.5))),
      p99: median(metrics.map((m) => histogramQuantile(m, 'mantis_pipeline_ingest_to_stored_seconds', 0.99))),
      writes,
      elapsed,
    };
  } finally {
    await Promise.all(services.map((s) => s.stop('SIGTERM')));
    await database.drop();
  }
}
