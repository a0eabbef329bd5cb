import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { influxSetup } from '../src/cli/influx.ts';
import type { Reading } from '../src/domain/types.ts';
import { WindowSet } from '../src/pipeline/windows.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { alignedStart, bodyOf } from './helpers/app.ts';
import { type InfluxServer, influxdAvailable, startInfluxServer } from './helpers/influxdb.ts';
import { createTestDatabase, kafkaAvailable, postgresAvailable } from './helpers/infra.ts';
import { type MantisProcess, scaleOutEnv, spawnMantis } from './helpers/process.ts';

/**
 * MANTIS on Kafka and PostgreSQL with InfluxDB 1.8.3 as the raw store, each its own process: readings sent
 * over HTTP while influxd is killed and started again, and the raw reads over HTTP compared with an instance
 * whose raw store is the database.
 */

const influxd = await influxdAvailable();
const kafka = await kafkaAvailable();
const postgres = await postgresAvailable();
const TOKEN = 'influxdb-e2e-token-0123456789';
const ASSETS = ['pump-1', 'pump-2', 'fan-1'];
const VIBRATION = { rateHz: 64, samples: 32 };

/** Two scalar sensors and one vibration sensor per asset. */
const sensorsOf = (assetId: string) => [
  { id: `${assetId}.temp`, kind: 'temperature', unit: 'degC', sampleRateHz: 1, validMin: -50, validMax: 500 },
  { id: `${assetId}.load`, kind: 'pressure', unit: 'bar', sampleRateHz: 1, validMin: -100, validMax: 100 },
  {
    id: `${assetId}.vib`,
    kind: 'vibration',
    unit: 'g',
    sampleRateHz: VIBRATION.rateHz,
    validMin: -50,
    validMax: 50,
  },
];

/**
 * Second `s` of the plant from `t0`: a reading per scalar sensor (values with fractions, negatives, a time
 * with microseconds) and a block per vibration sensor.
 */
function second(t0: number, s: number): { assetId: string; reading: Reading }[] {
  return ASSETS.flatMap((assetId, a) => [
    { assetId, reading: { sensorId: `${assetId}.temp`, ts: t0 + s * 1000, value: 40 + a + (s % 7) * 0.125 } },
    {
      assetId,
      reading: { sensorId: `${assetId}.load`, ts: t0 + s * 1000 + 0.375, value: -3.5 + ((s * 13 + a) % 11) },
    },
    {
      assetId,
      reading: {
        sensorId: `${assetId}.vib`,
        ts: t0 + s * 1000 + 250,
        rateHz: VIBRATION.rateHz,
        // Multiples of 1/1024: the database keeps block samples as float32, InfluxDB as float64.
        values: Array.from(
          { length: VIBRATION.samples },
          (_, i) => Math.round(Math.sin((i + s + a) / 3) * 512) / 1024,
        ),
      },
    },
  ]);
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function registerPlant(base: string): Promise<void> {
  for (const assetId of ASSETS) {
    const response = await call(base, 'PUT', `/v1/assets/${assetId}`, {
      siteId: 'plant-1',
      lineId: 'line-1',
      name: assetId,
      kind: 'pump',
      sensors: sensorsOf(assetId),
    });
    expect(response.status, await response.text()).toBeLessThan(300);
  }
}

/** Posts seconds [from, to) of the plant, one request per second; retried while ingest has not loaded the plant. */
async function sendSeconds(base: string, t0: number, from: number, to: number, pauseMs = 0): Promise<void> {
  for (let s = from; s < to; s++) {
    const body = second(t0, s).map((x) => x.reading);
    for (let tries = 0; ; tries++) {
      const response = await call(base, 'POST', '/v1/readings', body);
      if (response.status === 202) break;
      if (tries > 40) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Points per series of a measurement, keyed `asset/sensor`. */
async function countsPerSeries(influx: InfluxServer, db: string, measurement: string, field = 'value') {
  const result = await influx.query(`SELECT count("${field}") FROM "${measurement}" GROUP BY *`, db);
  return Object.fromEntries(
    (result.results[0].series ?? []).map((s) => [
      `${s.tags?.asset}/${s.tags?.sensor}`,
      Number(s.values[0][1]),
    ]),
  );
}

describe.runIf(influxd.available && kafka.available && postgres.available)(
  'InfluxDB as the raw store of MANTIS on Kafka and PostgreSQL',
  () => {
    let influx: InfluxServer;
    const running: MantisProcess[] = [];
    const databases: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
    const open: Database[] = [];

    beforeAll(async () => {
      influx = await startInfluxServer({ auth: true });
      vi.stubEnv('INFLUX_USERNAME', influx.admin?.user);
      vi.stubEnv('INFLUX_PASSWORD', influx.admin?.password);
    }, 120_000);

    afterEach(async ({ task }) => {
      if (task.result?.state === 'fail') {
        for (const p of running) process.stderr.write(`--- ${p.target}\n${p.logs.slice(-40).join('\n')}\n`);
      }
      await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
      await Promise.all(open.splice(0).map((db) => db.close()));
      await Promise.all(databases.splice(0).map((d) => d.drop()));
    });

    afterAll(async () => {
      vi.unstubAllEnvs();
      await influx?.remove();
    });

    /** A MANTIS of its own (all targets in one process) on a fresh database and topic prefix. */
    async function mantis(rawStoreUrl: string, extra: Record<string, string> = {}) {
      const database = await createTestDatabase();
      databases.push(database);
      const db = await openDatabase(database.url);
      open.push(db);
      const env = scaleOutEnv(database.url, TOKEN, {
        MANTIS_RAW_STORE_URL: rawStoreUrl,
        MANTIS_PIPELINE_IDLE_TIMEOUT_SECONDS: '2',
        ...extra,
      });
      const app = await spawnMantis('all', env);
      running.push(app);
      await registerPlant(app.url);
      return { app, db };
    }

    const influxUrl = (path: string) => `${influx.url.replace('http', 'influxdb')}${path}`;
    const credentials = () => ({
      INFLUX_USERNAME: influx.admin?.user ?? '',
      INFLUX_PASSWORD: influx.admin?.password ?? '',
    });

    it('InfluxDB killed mid-stream: not ready while it is down, then every point once and every window', async () => {
      const url = influxUrl('/outage?rp=raw&flushMs=20&retryMs=2000');
      expect(await influxSetup(url, { rawDays: 0, longTermDays: 0 }, () => {})).toBe(5);
      const { app, db } = await mantis(url, { ...credentials(), MANTIS_PIPELINE_STALL_SECONDS: '1' });
      const SECONDS = 60;
      const TAIL = 20;
      const t0 = alignedStart(SECONDS + TAIL + 120);

      const ready = async () => bodyOf(await fetch(`${app.url}/health/ready`));
      // The version influxd reports (a build from the module proxy reports "unknown").
      const version = (await fetch(`${influx.url}/ping`)).headers.get('x-influxdb-version');
      expect((await ready()).checks.rawStore).toEqual({
        ok: true,
        detail: `InfluxDB ${version} at ${url}, 0 points buffered`,
      });
      await sendSeconds(app.url, t0, 0, 15, 100);
      await influx.kill();
      const sending = sendSeconds(app.url, t0, 15, SECONDS + TAIL, 100);
      const down = await until('readiness to report the raw store down', async () => {
        const report = await ready();
        return report.checks.rawStore.ok === false && report;
      });
      expect(down.status).toBe('not_ready');
      expect(down.checks.rawStore.detail).toMatch(/fetch failed|ECONNREFUSED/);
      // Held while it is down: the process stalls instead of committing what InfluxDB has not taken.
      await until('the process check to report the stall', async () => {
        const report = await ready();
        return report.checks.process.ok === false;
      });
      await new Promise((r) => setTimeout(r, 4000));
      await influx.start();
      await sending;
      const up = await until('readiness after the restart', async () => {
        const report = await ready();
        return report.status === 'ready' && report;
      });
      expect(up.checks.rawStore.ok).toBe(true);

      // Every reading and sample once per series, with its asset tag.
      const readings: Record<string, number> = {};
      const samples: Record<string, number> = {};
      for (let s = 0; s < SECONDS + TAIL; s++) {
        for (const { assetId, reading } of second(t0, s)) {
          const key = `${assetId}/${reading.sensorId}`;
          if ('values' in reading) samples[key] = (samples[key] ?? 0) + reading.values.length;
          else readings[key] = (readings[key] ?? 0) + 1;
        }
      }
      await until('every reading in InfluxDB', async () => {
        const counts = await countsPerSeries(influx, 'outage', 'readings');
        return Object.values(counts).reduce((a, b) => a + b, 0) >= (SECONDS + TAIL) * 6 && counts;
      });
      expect(await countsPerSeries(influx, 'outage', 'readings')).toEqual(readings);
      await until('every sample in InfluxDB', async () => {
        const counts = await countsPerSeries(influx, 'outage', 'samples');
        return Object.values(counts).reduce((a, b) => a + b, 0) >= (SECONDS + TAIL) * 3 * VIBRATION.samples;
      });
      expect(await countsPerSeries(influx, 'outage', 'samples')).toEqual(samples);
      expect(await countsPerSeries(influx, 'outage', 'blocks', 'samples')).toEqual(
        Object.fromEntries(Object.keys(samples).map((key) => [key, SECONDS + TAIL])),
      );

      // Every window of the compared seconds in PostgreSQL, as one processor folds the readings.
      const windows = new WindowSet({
        windowMs: 10_000,
        latenessMs: 5_000,
        idleMs: 1,
        idleNeedsPartitionProgress: false,
        bandEdgesHz: [0, 50, 100, 200, 500, 1000, 2000, 5000],
      });
      for (let s = 0; s < SECONDS; s++)
        for (const x of second(t0, s)) windows.add(x.assetId, x.reading, null, 0);
      const expected = new Map(windows.drain().map((w) => [`${w.sensorId}@${w.start}`, w.features]));
      const stored = await until('every window in PostgreSQL', async () => {
        const rows = await db.query<{
          sensor_id: string;
          window_start: Date;
          count: number;
          mean: number;
          rms: number;
        }>(
          'SELECT sensor_id, window_start, count, mean, rms FROM features WHERE window_start < to_timestamp($1 / 1000.0)',
          [t0 + SECONDS * 1000],
        );
        return rows.length >= expected.size && rows;
      });
      expect(stored.length).toBe(expected.size);
      expect(expected.size).toBe((SECONDS / 10) * 9);
      for (const row of stored) {
        const want = expected.get(`${row.sensor_id}@${row.window_start.getTime()}`);
        expect(row.count, row.sensor_id).toBe(want?.count);
        expect(row.mean, row.sensor_id).toBeCloseTo(want?.mean ?? Number.NaN, 9);
        expect(row.rms, row.sensor_id).toBeCloseTo(want?.rms ?? Number.NaN, 9);
      }
      // Nothing raw in the database: InfluxDB is the raw store.
      const [{ raw }] = await db.query<{ raw: number }>('SELECT count(*)::int AS raw FROM raw_readings');
      expect(raw).toBe(0);
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      const retries = /^mantis_raw_store_write_retries_total\{code="ECONNREFUSED"\} (\d+)$/m.exec(metrics);
      expect(Number(retries?.[1])).toBeGreaterThan(0);
      expect(metrics).toMatch(/^mantis_raw_store_buffered_points 0$/m);
    }, 300_000);

    it('signal and export over HTTP answer the same from InfluxDB (InfluxQL and Flux) as from the database', async () => {
      await influx.query('CREATE DATABASE "compare2"');
      await influx.query('CREATE RETENTION POLICY "raw" ON "compare2" DURATION 0s REPLICATION 1 DEFAULT');
      const v1Url = influxUrl('/compare1?flushMs=20');
      expect(await influxSetup(v1Url, { rawDays: 0, longTermDays: 0 }, () => {})).toBe(5);
      const v2Url = `${influx.url.replace('http', 'influxdb2')}?org=plant&bucket=compare2/raw&flushMs=20`;
      const token = `${influx.admin?.user}:${influx.admin?.password}`;
      const instances = {
        database: (await mantis('database:')).app,
        v1: (await mantis(v1Url, credentials())).app,
        v2: (await mantis(v2Url, { INFLUX_TOKEN: token })).app,
      };
      const SECONDS = 30;
      const t0 = alignedStart(600);
      await Promise.all(Object.values(instances).map((app) => sendSeconds(app.url, t0, 0, SECONDS)));
      const from = t0;
      const to = t0 + SECONDS * 1000;
      const get = async (app: MantisProcess, path: string) => {
        const response = await call(app.url, 'GET', path);
        expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
        return response.json();
      };
      // Stored everywhere: every scalar reading exported, the last block in every vibration signal.
      for (const app of Object.values(instances)) {
        await until('every reading stored', async () => {
          const { items } = await get(app, `/v1/export/readings?from=${from}&to=${to}`);
          return items.length === SECONDS * 6;
        });
        await until('the last blocks stored', async () => {
          const signals = await Promise.all(
            ASSETS.map((a) => get(app, `/v1/sensors/${a}.vib/signal?from=${from}&to=${to}`)),
          );
          return signals.every((x) => x.block?.ts === t0 + (SECONDS - 1) * 1000 + 250);
        });
      }
      const paths = [
        `/v1/export/readings?from=${from}&to=${to}`,
        // A page that ends between two readings of the same instant.
        `/v1/export/readings?from=${from}&to=${to}&limit=45`,
        `/v1/export/readings?from=${from + 5000}&to=${from + 9000.375}`,
        ...ASSETS.flatMap((a) => [
          `/v1/sensors/${a}.temp/signal?from=${from}&to=${to}`,
          `/v1/sensors/${a}.load/signal?from=${from}&to=${to}&limit=7`,
          `/v1/sensors/${a}.vib/signal?from=${from}&to=${to}`,
          `/v1/sensors/${a}.vib/signal?from=${from}&to=${from + 10_000}`,
        ]),
        `/v1/sensors/pump-1.temp/signal?from=${to}&to=${to + 60_000}`,
      ];
      for (const path of paths) {
        const reference = await get(instances.database, path);
        expect(await get(instances.v1, path), `v1 ${path}`).toEqual(reference);
        expect(await get(instances.v2, path), `v2 ${path}`).toEqual(reference);
      }
      // The answers hold real data, not two empty lists that agree.
      const all = await get(instances.database, paths[0]);
      expect(all.items[0]).toEqual({ sensorId: 'fan-1.temp', ts: t0, value: 42 });
      expect(all.items[1]).toEqual({ sensorId: 'pump-1.temp', ts: t0, value: 40 });
      expect(all.items[3]).toEqual({ sensorId: 'fan-1.load', ts: t0 + 0.375, value: -1.5 });
      const vib = await get(
        instances.database,
        `/v1/sensors/pump-2.vib/signal?from=${from}&to=${from + 10_000}`,
      );
      expect(vib.block).toEqual({
        ts: t0 + 9250,
        rateHz: VIBRATION.rateHz,
        values: Array.from(
          { length: VIBRATION.samples },
          (_, i) => Math.round(Math.sin((i + 9 + 1) / 3) * 512) / 1024,
        ),
      });
      const limited = await get(
        instances.database,
        `/v1/sensors/pump-1.load/signal?from=${from}&to=${to}&limit=7`,
      );
      expect(limited.readings.map((r: { ts: number }) => r.ts)).toEqual(
        Array.from({ length: 7 }, (_, i) => t0 + (SECONDS - 7 + i) * 1000 + 0.375),
      );
    }, 300_000);
  },
);
