/**
 * The scale-out path, W1: HTTP → ingest service → Kafka → process service → PostgreSQL, each service its own
 * process, the load from another. Beside it, in the same run: Kafka's own kafka-producer-perf-test at the
 * same record size and producer settings, and psql \copy of the same raw rows. Needs scripts/stack/up.sh.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { openDatabase } from '../src/storage/adapters.ts';
import { ensurePartitions } from '../src/storage/postgres/partitions.ts';
import { createTestDatabase, kafkaBroker, uniqueSuffix } from '../test/helpers/infra.ts';
import { type MantisProcess, spawnMantis } from '../test/helpers/process.ts';
import { emit, env, histogramQuantile, median, registerW1Fleet } from './lib.ts';

const run = promisify(execFile);
const repeats = env('BENCH_REPEAT', 3);
const seconds = env('BENCH_SECONDS', 10);
const concurrency = env('BENCH_CONCURRENCY', 8);
const processors = env('BENCH_PROCESSORS', 1);
const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef';

/** BENCH_PROFILE=<dir> writes a V8 CPU profile of each service into <dir>/<target>. */
const profile = (target: string): Record<string, string> =>
  process.env.BENCH_PROFILE
    ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${join(process.env.BENCH_PROFILE, target)}` }
    : {};

/** One run: open loop at ingest's pace, or paced at `rate` readings/s. */
async function once(rate?: number) {
  const database = await createTestDatabase();
  const settings = {
    MANTIS_BUS_URL: `kafka://${kafkaBroker}`,
    MANTIS_BUS_TOPIC_PREFIX: `bench-${uniqueSuffix()}.`,
    MANTIS_DATABASE_URL: database.url,
    MANTIS_INGEST_TOKEN: TOKEN,
    MANTIS_LOG_LEVEL: 'warn',
    // Other MANTIS_* settings of the bench's environment apply to the services (e.g. batch size).
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('MANTIS_PIPELINE_'))),
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
      ...(rate ? [String(rate)] : []),
    ]);
    const load = JSON.parse(stdout) as { accepted: number; seconds: number };
    process.stderr.write(`accepted ${load.accepted} readings in ${load.seconds} s; waiting until stored\n`);
    // Progress from the process services' own counters: a count(*) on the raw table would compete for CPU.
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
    const [{ n: rows }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_readings');
    if (rows !== load.accepted)
      throw new Error(`raw table holds ${rows} rows, ${load.accepted} were accepted`);
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

/** kafka-producer-perf-test with MANTIS's record size and producer settings; records/s. */
async function producerCeiling(recordSize: number, records: number): Promise<number> {
  const topic = `bench-perf-${uniqueSuffix()}`;
  // The stack's broker does not create topics on first use, as in production.
  const admin = new Admin({ clientId: 'mantis-bench', bootstrapBrokers: [kafkaBroker] });
  await admin.createTopics({ topics: [topic], partitions: 6, replicas: 1 });
  await admin.close();
  const { stdout } = await run(
    script('../scripts/stack/kafka.sh'),
    [
      'perf',
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(recordSize),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${kafkaBroker}`,
      'acks=all',
      'enable.idempotence=true',
      'compression.type=zstd',
      'linger.ms=5',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const match = /(\d+) records sent, ([\d.]+) records\/sec/.exec(stdout.trim().split('\n').at(-1) ?? '');
  if (!match) throw new Error(`unexpected perf output: ${stdout.slice(-500)}`);
  return Number(match[2]);
}

/** psql \copy of W1 raw rows into the raw table; rows/s. */
async function copyCeiling(rows: number): Promise<number> {
  const database = await createTestDatabase();
  try {
    const db = await openDatabase(database.url);
    const { migrate } = await import('../src/storage/migrate.ts');
    await migrate(db);
    const t0 = Date.now() - 3_600_000;
    // The partitions the rows need, as the processor creates them before it writes.
    await ensurePartitions(db, { raw_readings: [t0, t0 + rows / 10] });
    await db.close();
    const file = join(mkdtempSync(join(tmpdir(), 'mantis-copy-')), 'raw.csv');
    const lines: string[] = [];
    for (let n = 0; n < rows; n++) {
      const s = n % 10_000;
      const ts = new Date(t0 + Math.floor(n / 10_000) * 1000).toISOString();
      lines.push(`a${Math.floor(s / 10)}.s${s % 10},${ts},${(Math.sin(s) * 10).toFixed(2)}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const started = performance.now();
    execFileSync('psql', [
      database.url,
      '-qc',
      `\\copy raw_readings (sensor_id, ts, value) FROM '${file}' CSV`,
    ]);
    return rows / ((performance.now() - started) / 1000);
  } finally {
    await database.drop();
  }
}

const runs = [];
for (let r = 0; r < repeats; r++) runs.push(await once());
// One W1 message is one asset's share of a 500-item batch: about 10 readings, 600 bytes of JSON.
const readingsPerRecord = 10;
const producer = [];
const copy = [];
for (let r = 0; r < repeats; r++) {
  producer.push(await producerCeiling(600, 200_000));
  copy.push(await copyCeiling(500_000));
}
const ingestRate = median(runs.map((r) => r.ingestPerSecond));
const pipelineRate = median(runs.map((r) => r.pipelinePerSecond));
// Latency means something only below saturation: the same path paced at a rate it sustains.
const sustainedRate = env('BENCH_SUSTAINED_RATE', Math.floor((pipelineRate * 0.7) / 1000) * 1000);
const sustained = [];
for (let r = 0; r < repeats; r++) sustained.push(await once(sustainedRate));
const producerReadings = median(producer) * readingsPerRecord;
const copyRows = median(copy);
emit({
  bench: 'pipeline-kafka',
  workload: `W1 scalar fleet, HTTP JSON batches of 500 → ingest → Kafka → ${processors} process service(s) → PostgreSQL`,
  repeats,
  secondsPerRun: seconds,
  ingestReadingsPerSecond: Math.round(ingestRate),
  pipelineReadingsPerSecond: Math.round(pipelineRate),
  saturatedIngestToStoredSeconds: {
    p50: Number(median(runs.map((r) => r.p50)).toFixed(3)),
    p99: Number(median(runs.map((r) => r.p99)).toFixed(3)),
  },
  sustained: {
    offeredReadingsPerSecond: sustainedRate,
    storedReadingsPerSecond: Math.round(median(sustained.map((r) => r.pipelinePerSecond))),
    secondsToStoredAfterLoad: Number(median(sustained.map((r) => r.elapsed - seconds)).toFixed(1)),
    ingestToStoredSeconds: {
      p50: Number(median(sustained.map((r) => r.p50)).toFixed(3)),
      p99: Number(median(sustained.map((r) => r.p99)).toFixed(3)),
    },
  },
  ceilings: {
    kafkaProducerPerfTest: {
      settings: '600-byte records, acks=all, idempotence, zstd, linger.ms=5',
      recordsPerSecond: Math.round(median(producer)),
      readingsPerSecond: Math.round(producerReadings),
    },
    psqlCopy: { rows: 500_000, rowsPerSecond: Math.round(copyRows) },
  },
  ratios: {
    ingestToProducerCeiling: Number((ingestRate / producerReadings).toFixed(3)),
    pipelineToCopyCeiling: Number((pipelineRate / copyRows).toFixed(3)),
  },
  runs: runs.map((r) => ({
    ingest: Math.round(r.ingestPerSecond),
    pipeline: Math.round(r.pipelinePerSecond),
    secondsToStored: Number(r.elapsed.toFixed(1)),
    storageWrites: { batches: r.writes.batches, seconds: Number(r.writes.seconds.toFixed(1)) },
  })),
});
