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
import { kafkaPathRun } from './kafka-path.ts';
import { emit, env, median } from './lib.ts';

const run = promisify(execFile);
const repeats = env('BENCH_REPEAT', 3);
const seconds = env('BENCH_SECONDS', 10);
const processors = env('BENCH_PROCESSORS', 1);
const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** One run, open loop or paced at `rate` readings/s; the raw readings land in the database's table. */
const once = (rate?: number) =>
  kafkaPathRun({
    rate,
    seconds,
    processors,
    rawCount: async (db) =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_readings'))[0].n,
  });

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
