import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaBus } from '../src/bus/kafka.ts';
import { type BusRecord, topics } from '../src/bus/port.ts';
import { configSchema } from '../src/config/schema.ts';
import { WindowSet } from '../src/pipeline/windows.ts';
import { runSimulator, type SimulatorOptions } from '../src/simulator/driver.ts';
import { Fleet } from '../src/simulator/fleet.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { readMigrations } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { alignedStart, bodyOf } from './helpers/app.ts';
import {
  createTestDatabase,
  kafkaAvailable,
  kafkaBroker,
  postgresAvailable,
  uniqueSuffix,
} from './helpers/infra.ts';
import { type MantisProcess, scaleOutEnv, spawnMantis } from './helpers/process.ts';

const kafka = await kafkaAvailable();
const postgres = await postgresAvailable();
const stack = (script: string, action: string) =>
  execFileSync(fileURLToPath(new URL(`../scripts/stack/${script}.sh`, import.meta.url)), [action], {
    stdio: 'ignore',
  });

const TOKEN = 'scale-out-test-token-0123456789';
const SECONDS = 90;
/**
 * Seconds sent after those compared: on a durable bus a window closes once its partition's event time has
 * moved past it, so the tail moves every partition past the compared windows.
 */
const TAIL = 20;
const bandEdgesHz = [0, 50, 100, 200, 500, 1000, 2000, 5000];

/** What one processor would store for the fleet's readings: the reference to compare with. */
function expectedWindows(startTs: number, seconds: number) {
  const fleet = new Fleet();
  const windows = new WindowSet({
    windowMs: 10_000,
    latenessMs: 5_000,
    idleMs: 1,
    idleNeedsPartitionProgress: false,
    bandEdgesHz,
  });
  for (let s = 0; s < seconds; s++) {
    for (const r of fleet.readings(s, startTs)) windows.add(r.sensorId.split('.')[0], r, null, 0);
  }
  return new Map(windows.drain().map((w) => [`${w.sensorId}@${w.start}`, w.features]));
}

/** Waits until the processors share every partition of the readings topic between them. */
async function groupSettled(processors: MantisProcess[], partitions = 6): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const owned = await Promise.all(
      processors.map(async (p) => {
        const report = await bodyOf(await fetch(`${p.url}/health/ready`));
        const match = /partitions ([\d,]+)/.exec(report.checks?.process?.detail ?? '');
        return match ? match[1].split(',').length : 0;
      }),
    );
    if (owned.every((n) => n > 0) && owned.reduce((a, b) => a + b, 0) === partitions) return;
    if (Date.now() > deadline)
      throw new Error(`consumer group did not settle: ${owned.join(' + ')} partitions`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Row {
  sensor_id: string;
  window_start: Date;
  count: number;
  mean: number;
  rms: number;
}

async function storedWindows(db: Database, before: number): Promise<Map<string, Row>> {
  const rows = await db.query<Row>(
    'SELECT sensor_id, window_start, count, mean, rms FROM features WHERE window_start < to_timestamp($1 / 1000.0)',
    [before],
  );
  return new Map(rows.map((r) => [`${r.sensor_id}@${r.window_start.getTime()}`, r]));
}

/**
 * Waits until every expected window and raw reading is stored (or the deadline passes), then compares them
 * exactly: fewer is a loss, more a duplicate.
 */
async function expectExactlyOnce(db: Database, startTs: number, timeoutMs = 90_000) {
  const expected = expectedWindows(startTs, SECONDS);
  const before = startTs + SECONDS * 1000;
  const deadline = Date.now() + timeoutMs;
  let stored = await storedWindows(db, before);
  while (stored.size < expected.size && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    stored = await storedWindows(db, before);
  }
  const missing = [...expected.keys()].filter((key) => !stored.has(key));
  expect(stored.size, `missing ${missing.length}: ${missing.slice(0, 40).join(' ')}`).toBe(expected.size);
  for (const [key, want] of expected) {
    const got = stored.get(key);
    expect(got?.count, key).toBe(want.count);
    expect(got?.mean, key).toBeCloseTo(want.mean, 9);
    expect(got?.rms, key).toBeCloseTo(want.rms, 9);
  }
  // The tail's last readings close no window checked above: their raw rows may still be on their way.
  const rawCount = async () =>
    (await db.query<{ raw: number }>('SELECT count(*)::int AS raw FROM raw_readings'))[0].raw;
  let raw = await rawCount();
  while (raw < (SECONDS + TAIL) * 16 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    raw = await rawCount();
  }
  expect(raw).toBe((SECONDS + TAIL) * 16);
}

describe.runIf(kafka.available && postgres.available)(
  'scale-out: ingest and process as separate services on Kafka and PostgreSQL',
  () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let db: Database;
    let env: Record<string, string>;
    const running: MantisProcess[] = [];
    const start = async (target: string) => {
      const p = await spawnMantis(target, env);
      running.push(p);
      return p;
    };

    beforeAll(async () => {
      stack('kafka', 'start');
      stack('postgres', 'start');
    });

    afterEach(async ({ task }) => {
      // A failed scenario shows what its services logged last.
      if (task.result?.state === 'fail') {
        for (const p of running) process.stderr.write(`--- ${p.target}\n${p.logs.slice(-40).join('\n')}\n`);
      }
      await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
      await db?.close();
      await database?.drop();
    });

    afterAll(() => {
      stack('kafka', 'start');
      stack('postgres', 'start');
    });

    async function setUp() {
      database = await createTestDatabase();
      env = scaleOutEnv(database.url, TOKEN, { MANTIS_PIPELINE_IDLE_TIMEOUT_SECONDS: '2' });
      db = await openDatabase(database.url);
      const api = await start('api');
      const ingest = await start('ingest');
      // The simulated plant, registered through the api service and sent to the ingest service.
      const send = (options: Omit<SimulatorOptions, 'url' | 'apiUrl' | 'token'>) =>
        runSimulator({ url: ingest.url, apiUrl: api.url, token: TOKEN, ...options });
      return { ingest, send };
    }

    it('creates the missing Kafka topics on mantis migrate, then finds them there', async () => {
      database = await createTestDatabase();
      const prefix = `test-${uniqueSuffix()}.`;
      const migrate = () =>
        execFileSync(
          process.execPath,
          [fileURLToPath(new URL('../bin/mantis.js', import.meta.url)), 'migrate'],
          {
            env: {
              PATH: process.env.PATH ?? '',
              MANTIS_BUS_URL: `kafka://${kafkaBroker}`,
              MANTIS_BUS_TOPIC_PREFIX: prefix,
              MANTIS_DATABASE_URL: database.url,
            },
          },
        ).toString();
      expect(migrate()).toMatch(
        new RegExp(`created topics ${prefix.replace('.', '\\.')}mantis\\.readings\\.v1, .*dlq.*alerts`),
      );
      const version = Math.max(...readMigrations().map((m) => m.version ?? 0));
      expect(migrate()).toMatch(new RegExp(`schema up to date at version ${version}\ntopics up to date`));
    });

    it('carries the W3C trace context of an ingest request into its Kafka messages', async () => {
      const { ingest, send } = await setUp();
      const startTs = alignedStart(60);
      await send({ startTs, speed: 0, durationSeconds: 1 }); // registers the plant
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      // Ingest reloads the registry at most once a second: the plant may be a moment away from being known.
      const post = () =>
        fetch(`${ingest.url}/v1/readings`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
            tracestate: 'vendor=abc',
          },
          body: JSON.stringify([
            { sensorId: 'pump-1.temp', ts: startTs + 5_000, value: 50.5 },
            { sensorId: 'pump-1.temp', ts: startTs + 5_000, value: 'hot' },
          ]),
        });
      let response = await post();
      for (let tries = 0; response.status === 422 && tries < 20; tries++) {
        await new Promise((r) => setTimeout(r, 250));
        response = await post();
      }
      expect(response.status).toBe(202);
      expect(response.headers.get('traceresponse')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      const bus = new KafkaBus({
        ...configSchema.parse({}).bus,
        url: `kafka://${kafkaBroker}`,
        topicPrefix: env.MANTIS_BUS_TOPIC_PREFIX,
        clientId: 'trace-test',
      });
      try {
        for (const [topic, what] of [
          [topics.readings, 'readings'],
          [topics.deadLetters, 'dead letter'],
        ]) {
          const consumer = bus.subscribe(topic, `trace-inspect-${uniqueSuffix()}`, 1000);
          const deadline = Date.now() + 20_000;
          let traced: BusRecord | undefined;
          while (!traced && Date.now() < deadline) {
            traced = (await consumer.poll(500)).find((r) => r.headers?.traceparent?.includes(traceId));
          }
          expect(traced, what).toBeDefined();
          expect(traced?.headers?.traceparent).not.toContain('00f067aa0ba902b7');
          expect(traced?.headers?.tracestate).toBe('vendor=abc');
          await consumer.close();
        }
      } finally {
        await bus.close();
      }
    });

    it('stores every window exactly once with two processors in one group, as one would', async () => {
      const { send } = await setUp();
      const processors = [await start('process'), await start('process')];
      await groupSettled(processors);
      const startTs = alignedStart(SECONDS + 60);
      await send({
        startTs,
        speed: 0,
        durationSeconds: SECONDS + TAIL,
      });
      await expectExactlyOnce(db, startTs);
      const orders = await db.query<{ asset_id: string }>('SELECT asset_id FROM work_orders');
      expect(orders.map((o) => o.asset_id)).toEqual(['pump-2']);
    }, 240_000);

    it('loses and duplicates nothing when a second processor joins the group mid-stream', async () => {
      const { send } = await setUp();
      const first = await start('process');
      const startTs = alignedStart(SECONDS + 60);
      const sending = send({ startTs, speed: 15, durationSeconds: SECONDS + TAIL });
      await new Promise((r) => setTimeout(r, 2000));
      const second = await start('process');
      await groupSettled([first, second]);
      await sending;
      await expectExactlyOnce(db, startTs);
    }, 240_000);

    it('loses and duplicates nothing when the processor is killed with SIGKILL mid-stream', async () => {
      const { send } = await setUp();
      const first = await start('process');
      const startTs = alignedStart(SECONDS + 60);
      await send({
        startTs,
        speed: 0,
        durationSeconds: 45,
      });
      await new Promise((r) => setTimeout(r, 1000));
      expect(await first.stop('SIGKILL')).toBeNull();
      await send({
        startTs,
        fromSecond: 45,
        speed: 0,
        durationSeconds: SECONDS + TAIL - 45,
      });
      await start('process');
      await expectExactlyOnce(db, startTs);
    }, 240_000);

    it('pauses on a PostgreSQL restart and resumes without loss', async () => {
      const { send } = await setUp();
      await start('process');
      const startTs = alignedStart(SECONDS + 60);
      const sending = send({
        startTs,
        speed: 30,
        durationSeconds: SECONDS + TAIL,
      });
      await new Promise((r) => setTimeout(r, 1000));
      await db.close();
      stack('postgres', 'restart');
      db = await openDatabase(database.url);
      await sending;
      await expectExactlyOnce(db, startTs);
    }, 240_000);

    it('answers 503 while the Kafka broker is down and loses nothing it acknowledged', async () => {
      const { ingest, send } = await setUp();
      await start('process');
      const startTs = alignedStart(SECONDS + 60);
      const progress = { retries: 0 };
      const sending = send({
        startTs,
        speed: 20,
        durationSeconds: SECONDS + TAIL,
        onProgress: (p) => {
          progress.retries = p.retries;
        },
      });
      await new Promise((r) => setTimeout(r, 1500));
      stack('kafka', 'stop');
      const down = await fetch(`${ingest.url}/v1/readings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ sensorId: 'pump-1.temp', ts: startTs + 1, value: 1 }]),
      });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBeTruthy();
      stack('kafka', 'start');
      await sending;
      expect(progress.retries).toBeGreaterThan(0);
      await expectExactlyOnce(db, startTs, 120_000);
      // A broker restart alone takes tens of seconds; the check after it may wait two minutes.
    }, 240_000);
  },
);
