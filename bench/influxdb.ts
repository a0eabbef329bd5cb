/**
 * W1 into InfluxDB, against an influxd of its own (InfluxDB 1.8.3, scripts/stack/influxdb.sh):
 * - the raw path: W1 scalar readings written through MANTIS's InfluxDB raw store (line protocol encoded, gzip,
 *   batched, each write acknowledged before the next, as the processor writes), and beside it in the same run
 *   the ceiling: a plain line-protocol POST of the same points, encoded beforehand, in requests of the same
 *   size, one at a time;
 * - the Kafka path with InfluxDB as the raw store: HTTP → ingest → Kafka → process → InfluxDB + PostgreSQL,
 *   open loop and paced at 70 % of the open-loop stored rate (for latency below saturation).
 * Prints one JSON object per measure. Needs scripts/stack/up.sh (Kafka, PostgreSQL) and influxdb.sh build.
 */
import { encodePoint, msToNs } from '../src/storage/influxdb/line-protocol.ts';
import { influxRawStore } from '../src/storage/influxdb/raw-store.ts';
import { startInfluxServer } from '../test/helpers/influxdb.ts';
import { type KafkaRunResult, kafkaPathRun } from './kafka-path.ts';
import { emit, env, median } from './lib.ts';

const repeats = env('BENCH_REPEAT', 3);
const seconds = env('BENCH_SECONDS', 10);
/** W1 ticks written on the raw path: 10 000 readings each. */
const ticks = env('BENCH_INFLUX_TICKS', 20);
/** Points per request (the raw store's default `batch`) and per write call. */
const BATCH = 5000;

const influx = await startInfluxServer();
const influxUrl = (db: string, query = '') => `${influx.url.replace('http', 'influxdb')}/${db}${query}`;

/** W1 readings of tick `t`: 1 000 assets × 10 sensors `a<n>.s<m>`, as bench/load.ts sends them. */
function w1Tick(t0: number, t: number) {
  return Array.from({ length: 10_000 }, (_, s) => ({
    sensorId: `a${Math.floor(s / 10)}.s${s % 10}`,
    ts: t0 + t * 1000,
    value: Math.round(Math.sin(s + t) * 1000) / 100,
  }));
}
const assetOf = async (ids: string[]) => new Map(ids.map((id) => [id, id.split('.')[0]]));

async function pointsIn(db: string): Promise<number> {
  const result = await influx.query('SELECT count("value") FROM "readings"', db);
  return Number(result.results[0].series?.[0].values[0][1] ?? 0);
}

/** Through MANTIS's raw store; readings/s from the first write until InfluxDB acknowledged the last. */
async function rawStoreRun(r: number): Promise<number> {
  const db = `bench_store_${r}`;
  await influx.query(`CREATE DATABASE "${db}"`);
  const store = influxRawStore(influxUrl(db), { assetOf });
  const t0 = Date.now() - 3_600_000;
  const readings = Array.from({ length: ticks }, (_, t) => w1Tick(t0, t)).flat();
  const started = performance.now();
  for (let i = 0; i < readings.length; i += BATCH)
    await store.write({ scalars: readings.slice(i, i + BATCH), blocks: [] });
  const rate = readings.length / ((performance.now() - started) / 1000);
  await store.close();
  if ((await pointsIn(db)) !== readings.length) throw new Error(`${db}: points missing`);
  return rate;
}

/** The ceiling: the same points, encoded beforehand, POSTed as plain line protocol (no gzip), one at a time. */
async function ceilingRun(r: number): Promise<number> {
  const db = `bench_plain_${r}`;
  await influx.query(`CREATE DATABASE "${db}"`);
  const t0 = Date.now() - 3_600_000;
  const lines = Array.from({ length: ticks }, (_, t) => w1Tick(t0, t))
    .flat()
    .map((x) =>
      encodePoint({
        measurement: 'readings',
        tags: { asset: x.sensorId.split('.')[0], sensor: x.sensorId },
        fields: { value: x.value },
        timeNs: msToNs(x.ts),
      }),
    );
  const bodies: string[] = [];
  for (let i = 0; i < lines.length; i += BATCH) bodies.push(lines.slice(i, i + BATCH).join('\n'));
  const started = performance.now();
  for (const body of bodies) {
    const response = await fetch(`${influx.url}/write?db=${db}&precision=ns`, { method: 'POST', body });
    if (response.status !== 204) throw new Error(`write: ${response.status} ${await response.text()}`);
  }
  const rate = lines.length / ((performance.now() - started) / 1000);
  if ((await pointsIn(db)) !== lines.length) throw new Error(`${db}: points missing`);
  return rate;
}

try {
  const store: number[] = [];
  const plain: number[] = [];
  // Alternated, so that neither side always runs on a warmer or busier machine.
  for (let r = 0; r < repeats; r++) {
    plain.push(await ceilingRun(r));
    store.push(await rawStoreRun(r));
  }
  const storeRate = median(store);
  const ceiling = median(plain);
  emit({
    bench: 'influxdb-raw-path',
    workload: `W1 scalar readings, ${ticks * 10_000} per run (10 000 series), written to InfluxDB 1.8.3 in writes of ${BATCH}`,
    repeats,
    rawStoreReadingsPerSecond: Math.round(storeRate),
    ceiling: {
      what: `plain line-protocol POST /write of the same points, encoded beforehand, ${BATCH} per request, uncompressed, one request at a time`,
      pointsPerSecond: Math.round(ceiling),
    },
    ratio: Number((storeRate / ceiling).toFixed(3)),
    runs: store.map((s, i) => ({ rawStore: Math.round(s), plain: Math.round(plain[i]) })),
  });

  // The Kafka path with InfluxDB as the raw store: a database per run in the same influxd.
  let runIndex = 0;
  const once = async (rate?: number) => {
    const db = `bench_kafka_${runIndex++}`;
    await influx.query(`CREATE DATABASE "${db}"`);
    return kafkaPathRun({
      rate,
      seconds,
      env: { MANTIS_RAW_STORE_URL: influxUrl(db) },
      rawCount: () => pointsIn(db),
    });
  };
  const runs: KafkaRunResult[] = [];
  for (let r = 0; r < repeats; r++) runs.push(await once());
  const pipelineRate = median(runs.map((r) => r.pipelinePerSecond));
  const sustainedRate = env('BENCH_SUSTAINED_RATE', Math.floor((pipelineRate * 0.7) / 1000) * 1000);
  const sustained: KafkaRunResult[] = [];
  for (let r = 0; r < repeats; r++) sustained.push(await once(sustainedRate));
  const p = (rs: KafkaRunResult[], key: 'p50' | 'p99') => Number(median(rs.map((r) => r[key])).toFixed(3));
  emit({
    bench: 'influxdb-kafka-path',
    workload:
      'W1 scalar fleet, HTTP JSON batches of 500 → ingest → Kafka → 1 process service → InfluxDB 1.8.3 (raw) + PostgreSQL (features)',
    repeats,
    secondsPerRun: seconds,
    ingestReadingsPerSecond: Math.round(median(runs.map((r) => r.ingestPerSecond))),
    storedReadingsPerSecond: Math.round(pipelineRate),
    saturatedIngestToStoredSeconds: { p50: p(runs, 'p50'), p99: p(runs, 'p99') },
    sustained: {
      offeredReadingsPerSecond: sustainedRate,
      storedReadingsPerSecond: Math.round(median(sustained.map((r) => r.pipelinePerSecond))),
      ingestToStoredSeconds: { p50: p(sustained, 'p50'), p99: p(sustained, 'p99') },
    },
    ceiling: { what: 'the plain line-protocol POST above, same run', pointsPerSecond: Math.round(ceiling) },
    ratio: Number((pipelineRate / ceiling).toFixed(3)),
    runs: runs.map((r) => ({
      ingest: Math.round(r.ingestPerSecond),
      stored: Math.round(r.pipelinePerSecond),
      secondsToStored: Number(r.elapsed.toFixed(1)),
      storageWrites: { batches: r.writes.batches, seconds: Number(r.writes.seconds.toFixed(1)) },
    })),
  });
} finally {
  await influx.remove();
}
