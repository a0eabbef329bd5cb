import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { alignedStart, client, startApp } from './helpers/app.ts';
import { INFLUXD, type InfluxServer, influxdAvailable, startInfluxServer } from './helpers/influxdb.ts';
import {
  createTestDatabase,
  kafkaAvailable,
  kafkaBroker,
  postgresAvailable,
  uniqueSuffix,
} from './helpers/infra.ts';

/**
 * A stop while InfluxDB hangs (influxd paused with SIGSTOP, so requests are accepted and never answered):
 * MANTIS on Kafka and PostgreSQL stops within shutdown.timeoutSeconds without committing the readings
 * InfluxDB has not acknowledged, and the next run on the same topics stores every one of them once.
 */

const influxd = await influxdAvailable();
const kafka = await kafkaAvailable();
const postgres = await postgresAvailable();
const TIMEOUT_SECONDS = 3;
const SENSORS = Array.from({ length: 5 }, (_, i) => `press-1.s${i}`);
const READINGS_PER_SENSOR = 100;

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The value of sensor `s`'s reading `i`: distinct per reading, so that each stored value is traceable. */
const readingValue = (s: number, i: number) => s * 1000 + i + 0.25;

describe.runIf(influxd.available && kafka.available && postgres.available)(
  'stopping while InfluxDB hangs',
  () => {
    let influx: InfluxServer;
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    const apps: MantisApp[] = [];
    /** influxd's pid: a child of this test's process, the only influxd it started. */
    let pid: number;
    const signal = (name: 'SIGSTOP' | 'SIGCONT') => process.kill(pid, name);

    beforeAll(async () => {
      influx = await startInfluxServer();
      pid = Number(execFileSync('pgrep', ['-P', String(process.pid), '-f', INFLUXD], { encoding: 'utf8' }));
      await influx.query('CREATE DATABASE "deadline"');
      database = await createTestDatabase();
    }, 120_000);

    afterEach(async () => {
      signal('SIGCONT');
      await Promise.all(apps.splice(0).map((app) => app.stop()));
    });

    afterAll(async () => {
      await influx?.remove();
      await database?.drop();
    });

    const settings = (prefix: string) => ({
      'bus.url': `kafka://${kafkaBroker}`,
      'bus.topicPrefix': prefix,
      'database.url': database.url,
      'rawStore.url': `${influx.url.replace('http', 'influxdb')}/deadline?flushMs=20`,
      'ingest.token': 'shutdown-deadline-token-0123456789',
      'shutdown.timeoutSeconds': TIMEOUT_SECONDS,
    });

    /** Readings stored per sensor, and every value stored, from InfluxDB itself. */
    async function stored(): Promise<{ counts: Record<string, number>; values: number[] }> {
      const counts = await influx.query(
        'SELECT count("value") FROM "readings" GROUP BY "sensor"',
        'deadline',
      );
      const values = await influx.query('SELECT "value" FROM "readings"', 'deadline');
      return {
        counts: Object.fromEntries(
          (counts.results[0].series ?? []).map((s) => [s.tags?.sensor, Number(s.values[0][1])]),
        ),
        values: (values.results[0].series?.[0].values ?? []).map((v) => Number(v[1])).sort((a, b) => a - b),
      };
    }

    it('returns within the deadline, commits nothing unwritten, and the next run stores each reading once', async () => {
      const prefix = `test-${uniqueSuffix()}.`;
      const first = await startApp(settings(prefix));
      apps.push(first);
      const api = client(first);
      const registered = await api.request('PUT', '/v1/assets/press-1', {
        siteId: 'plant-1',
        lineId: 'line-1',
        name: 'press 1',
        kind: 'press',
        sensors: SENSORS.map((id) => ({
          id,
          kind: 'pressure',
          unit: 'bar',
          sampleRateHz: 1,
          validMin: -100,
          validMax: 10_000,
        })),
      });
      expect(registered.status, await registered.text()).toBeLessThan(300);
      const t0 = alignedStart(READINGS_PER_SENSOR + 60);
      const batch = (from: number, to: number) =>
        SENSORS.flatMap((sensorId, s) =>
          Array.from({ length: to - from }, (_, k) => ({
            sensorId,
            ts: t0 + (from + k) * 1000,
            value: readingValue(s, from + k),
          })),
        );

      // The pipeline works end to end before InfluxDB hangs.
      expect((await api.request('POST', '/v1/readings', batch(0, 10))).status).toBe(202);
      await until('the first readings in InfluxDB', async () => (await stored()).values.length === 50);

      signal('SIGSTOP');
      const posted = await api.request('POST', '/v1/readings', batch(10, READINGS_PER_SENSOR));
      expect(posted.status).toBe(202);
      // The processor has handed them to the writer: a request to the paused influxd is pending.
      await until('the readings to wait in the InfluxDB writer', async () => {
        const gauge = await first.metrics.rawStoreBufferedPoints.get();
        return (gauge.values[0]?.value ?? 0) > 0;
      });

      const started = performance.now();
      await first.stop();
      const elapsed = performance.now() - started;
      // It waited for the pending write until the deadline, then gave it up; a second of slack for the rest.
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_SECONDS * 1000 + 1000);

      signal('SIGCONT');
      const second = await startApp(settings(prefix));
      apps.push(second);
      // The readings given up on were not committed: the next run receives them from Kafka again.
      await until('the next run to consume the readings given up on', async () => {
        const counter = await second.metrics.pipelineReadings.get();
        const consumed = counter.values.reduce((sum, v) => sum + v.value, 0);
        return consumed >= SENSORS.length * (READINGS_PER_SENSOR - 10);
      });
      const expected = SENSORS.flatMap((_, s) =>
        Array.from({ length: READINGS_PER_SENSOR }, (_, i) => readingValue(s, i)),
      ).sort((a, b) => a - b);
      const result = await until('every reading in InfluxDB', async () => {
        const now = await stored();
        return now.values.length >= expected.length && now;
      });
      expect(result.values).toEqual(expected);
      expect(result.counts).toEqual(Object.fromEntries(SENSORS.map((id) => [id, READINGS_PER_SENSOR])));
    }, 120_000);
  },
);
