import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import { type DeadLetter, decodeJson } from '../src/bus/codec.ts';
import { type BusConsumer, topics } from '../src/bus/port.ts';
import { databaseUrl } from '../src/config/load.ts';
import { counterTotal } from '../src/observability/metrics.ts';
import { UNDECODABLE_PREVIEW_BYTES } from '../src/pipeline/processor.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { alignedStart, bodyOf, type Client, client, startApp } from './helpers/app.ts';
import {
  createTestDatabase,
  kafkaAvailable,
  kafkaBroker,
  postgresAvailable,
  uniqueSuffix,
} from './helpers/infra.ts';
import { metric } from './helpers/mqtt.ts';

/**
 * Writes the database cannot do: a record it refuses (a CHECK constraint added here) must be dead-lettered
 * without stopping the others; an outage (a serialisation failure raised by a trigger here, connections
 * killed on PostgreSQL) must pause the pipeline and lose nothing. Readiness reports the stall while it lasts.
 */

const kafka = await kafkaAvailable();
const postgres = await postgresAvailable();
const TOKEN = 'pipeline-failures-token-0123456789';

/** Short thresholds, so that a stall shows within the test: 1 s; 7 attempts at a refused batch (≥ 3 s). */
const PIPELINE = { 'pipeline.stallSeconds': 1, 'pipeline.writeAttempts': 7 };

interface Setup {
  name: string;
  onPostgres: boolean;
  start(): Promise<{ app: MantisApp; stop: () => Promise<void> }>;
}

const setups: Setup[] = [
  {
    name: 'the memory bus and PGlite',
    onPostgres: false,
    async start() {
      const app = await startApp(PIPELINE);
      return { app, stop: () => app.stop() };
    },
  },
  ...(kafka.available && postgres.available
    ? [
        {
          name: 'Kafka and PostgreSQL',
          onPostgres: true,
          async start() {
            const database = await createTestDatabase();
            const app = await startApp({
              ...PIPELINE,
              'database.url': database.url,
              'bus.url': `kafka://${kafkaBroker}`,
              'bus.topicPrefix': `test-${uniqueSuffix()}.`,
              'ingest.token': TOKEN,
            });
            return {
              app,
              stop: async () => {
                await app.stop();
                await database.drop();
              },
            };
          },
        },
      ]
    : []),
];

const sensors = (assetId: string) => [
  {
    id: `${assetId}.temp`,
    kind: 'temperature',
    unit: 'degC',
    sampleRateHz: 1,
    validMin: -50,
    validMax: 1000,
  },
  { id: `${assetId}.load`, kind: 'pressure', unit: 'bar', sampleRateHz: 1, validMin: 0, validMax: 1000 },
];

/** 1 Hz readings of both sensors of an asset for `seconds` from `start`; `value` may single one out. */
function readings(assetId: string, start: number, seconds: number, value = (_s: string, _i: number) => 20) {
  return sensors(assetId).flatMap((s) =>
    Array.from({ length: seconds }, (_, i) => ({
      sensorId: s.id,
      ts: start + i * 1000,
      value: value(s.id, i),
    })),
  );
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Readiness {
  status: string;
  process: string;
}

/** Polls /health/ready every 50 ms; stop() returns the distinct states seen, in order. */
function watchReadiness(app: MantisApp) {
  const seen: Readiness[] = [];
  let watching = true;
  const sample = async () => {
    const report = await bodyOf(await fetch(`${app.url}/health/ready`));
    const state = { status: report.status, process: report.checks.process?.detail ?? '' };
    const last = seen.at(-1);
    if (!last || last.status !== state.status || last.process.split(':')[0] !== state.process.split(':')[0]) {
      seen.push(state);
    }
  };
  const loop = (async () => {
    while (watching) {
      await sample();
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    seen,
    /** Stops watching after one last sample. */
    async stop() {
      watching = false;
      await loop;
      await sample();
      return seen;
    },
  };
}

describe.each(setups)('the processor facing writes the database cannot do, on $name', (setup) => {
  let app: MantisApp;
  let stop: () => Promise<void>;
  let api: Client;
  let db: Database;
  let dlq: BusConsumer;
  const letters: DeadLetter[] = [];
  const rawCount = async (assetId: string) =>
    (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_readings WHERE sensor_id LIKE $1', [
        `${assetId}.%`,
      ])
    )[0].n;
  const ready = async () => (await fetch(`${app.url}/health/ready`)).status === 200;

  beforeAll(async () => {
    ({ app, stop } = await setup.start());
    api = client(app);
    db = app.services.db as Database;
    dlq = app.services.bus?.subscribe(topics.deadLetters, 'inspect', 100) as BusConsumer;
    for (const assetId of ['press-1', 'press-2', 'press-3', 'press-5']) {
      const body = {
        siteId: 'plant',
        lineId: 'line-1',
        name: assetId,
        kind: 'press',
        sensors: sensors(assetId),
      };
      const response = await api.request('PUT', `/v1/assets/${assetId}`, body);
      expect(response.status, await response.text()).toBeLessThan(300);
    }
    await until('the instance to be ready', ready);
  }, 120_000);

  afterAll(async () => {
    await dlq?.close();
    await stop?.();
  });

  /** Dead letters seen so far, polling the topic until there are at least `n`. */
  const deadLetters = (n: number) =>
    until(`${n} dead letters`, async () => {
      for (const r of await dlq.poll(500)) letters.push(decodeJson<DeadLetter>(r.value));
      return letters.length >= n && letters;
    });

  it('stores the rest of a batch the database partly refuses, dead-letters the refused reading and window, and is not ready while it stalls', async () => {
    // The database refuses a reading of 666 and a window whose maximum is 666.
    await db.exec(`ALTER TABLE raw_readings ADD CONSTRAINT reading_not_666 CHECK (value <> 666);
      ALTER TABLE features ADD CONSTRAINT window_max_not_666 CHECK (max <> 666)`);
    const T = alignedStart(300);
    const watch = watchReadiness(app);
    // 45 s of both sensors in one request (one bus message): windows up to T+30 s close at once.
    const sent = readings('press-1', T, 45, (s, i) =>
      s === 'press-1.temp' && i === 12 ? 666 : 20 + (i % 3),
    );
    expect((await api.request('POST', '/v1/readings', sent)).status).toBe(202);

    const [reading, window] = await deadLetters(2);
    // Rows go to the daily partition of their timestamp, which PostgreSQL names in its message.
    const day = new Date(T + 12_000).toISOString().slice(0, 10).replaceAll('-', '');
    const refusal = `new row for relation "raw_readings_p${day}" violates check constraint "reading_not_666"`;
    await until('readiness to recover', async () => (await rawCount('press-1')) === 89 && (await ready()));
    const seen = await watch.stop();

    expect(reading).toMatchObject({
      source: 'process',
      index: null,
      field: 'reading',
      reason: `the database refused this reading: ${refusal} (SQLSTATE 23514)`,
      item: { sensorId: 'press-1.temp', ts: T + 12_000, value: 666 },
      error: { code: '23514', constraint: 'reading_not_666' },
    });
    expect(window).toMatchObject({
      source: 'process',
      field: 'window',
      item: { assetId: 'press-1', sensorId: 'press-1.temp', windowStart: T + 10_000, max: 666, count: 10 },
      error: { code: '23514', constraint: 'window_max_not_666' },
    });
    expect(letters).toHaveLength(2);

    // Every other window of the closed range is stored.
    const windows = await until('the other windows', async () => {
      const rows = await db.query<{ sensor_id: string; window_start: Date }>(
        `SELECT sensor_id, window_start FROM features WHERE asset_id = 'press-1' AND window_start < $1
         ORDER BY sensor_id, window_start`,
        [new Date(T + 30_000)],
      );
      return rows.length === 5 && rows;
    });
    expect(windows.map((w) => [w.sensor_id, w.window_start.getTime() - T])).toEqual([
      ['press-1.load', 0],
      ['press-1.load', 10_000],
      ['press-1.load', 20_000],
      ['press-1.temp', 0],
      ['press-1.temp', 20_000],
    ]);

    // Readiness: not ready while the refused batch was retried, naming the error, then ready again.
    const stalled = seen.find((s) => s.status === 'not_ready');
    expect(stalled?.process).toMatch(/^not advancing: a batch write has been pending for \d+ s: /);
    expect(stalled?.process.split(' s: ')[1]).toBe(refusal);
    expect(seen.at(-1)?.status, JSON.stringify(seen)).toBe('ready');
    const { metrics } = app;
    expect(
      await counterTotal(metrics.pipelineDeadLettered, { reason: 'integrity_constraint_violation' }),
    ).toBe(2);
    expect(await counterTotal(metrics.pipelineWriteRetries, { class: 'record' })).toBe(6);

    // The pipeline goes on: later readings are stored.
    expect((await api.request('POST', '/v1/readings', readings('press-1', T + 45_000, 15))).status).toBe(202);
    await until('later readings', async () => (await rawCount('press-1')) === 89 + 30);
  }, 180_000);

  it('pauses through a transient failure, not ready while it lasts, then stores everything and dead-letters nothing', async () => {
    // Every insert into raw_readings fails with a serialisation failure (40001) while the switch is on.
    await db.exec(`CREATE TABLE fault_switch (failing boolean NOT NULL);
      INSERT INTO fault_switch VALUES (true);
      CREATE FUNCTION fail_while_switched() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT failing FROM fault_switch) THEN
          RAISE EXCEPTION 'could not serialize access due to concurrent update' USING ERRCODE = '40001';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER fail_while_switched BEFORE INSERT ON raw_readings
        FOR EACH STATEMENT EXECUTE FUNCTION fail_while_switched()`);
    const T = alignedStart(200);
    expect((await api.request('POST', '/v1/readings', readings('press-2', T, 30))).status).toBe(202);

    const stalled = await until('readiness to report the stall', async () => {
      const response = await fetch(`${app.url}/health/ready`);
      return response.status === 503 && (await bodyOf(response)).checks.process;
    });
    expect(stalled).toEqual({
      ok: false,
      detail: expect.stringMatching(
        /^not advancing: a batch write has been pending for \d+ s: could not serialize access due to concurrent update$/,
      ),
    });
    expect(await rawCount('press-2')).toBe(0);
    expect(await counterTotal(app.metrics.pipelineWriteRetries, { class: 'transient' })).toBeGreaterThan(0);

    await db.exec('UPDATE fault_switch SET failing = false');
    await until(
      'everything stored and ready',
      async () => (await rawCount('press-2')) === 60 && (await ready()),
    );
    await until('the windows of press-2', async () => {
      const [{ n }] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM features WHERE asset_id = 'press-2' AND window_start < $1`,
        [new Date(T + 20_000)],
      );
      return n === 4;
    });
    expect((await dlq.poll(1000)).length).toBe(0);
    expect(await counterTotal(app.metrics.pipelineDeadLettered)).toBe(2);
    await db.exec('DROP TRIGGER fail_while_switched ON raw_readings');
  }, 180_000);

  if (setup.onPostgres) {
    it('loses nothing and dead-letters nothing when the database connections are killed while writing', async () => {
      // Slow writes, so that connections are killed in the middle of them.
      await db.exec(`CREATE FUNCTION slow_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$;
        CREATE TRIGGER slow_write BEFORE INSERT ON raw_readings FOR EACH STATEMENT EXECUTE FUNCTION slow_write()`);
      const admin = new pg.Client({
        connectionString: databaseUrl(app.services.config),
        application_name: 'test',
      });
      await admin.connect();
      const before = await counterTotal(app.metrics.pipelineWriteRetries, { class: 'transient' });
      const T = alignedStart(200);
      let killed = 0;
      for (let second = 0; second < 30; second += 2) {
        expect(
          (await api.request('POST', '/v1/readings', readings('press-3', T + second * 1000, 2))).status,
        ).toBe(202);
        await new Promise((r) => setTimeout(r, 150));
        const rows = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'mantis' AND state = 'active'`,
        );
        killed += rows.rowCount ?? 0;
      }
      await admin.end();
      await until('every reading stored', async () => (await rawCount('press-3')) === 60);
      expect(killed).toBeGreaterThan(0);
      expect(await counterTotal(app.metrics.pipelineWriteRetries, { class: 'transient' })).toBeGreaterThan(
        before,
      );
      expect((await dlq.poll(1000)).length).toBe(0);
      expect(await counterTotal(app.metrics.pipelineDeadLettered)).toBe(2);
      await until('ready', ready);
      await db.exec('DROP TRIGGER slow_write ON raw_readings');
    }, 180_000);
  }

  if (setup.onPostgres) {
    it('reports a write held by a lock: the pending-write gauge grows while readiness is not ready, then returns to 0', async () => {
      const pending = () => metric(app, 'mantis_pipeline_write_pending_seconds');
      expect(await pending()).toBe(0);
      const admin = new pg.Client({
        connectionString: databaseUrl(app.services.config),
        application_name: 'test',
      });
      await admin.connect();
      // Held until the test rolls back: every write to raw_readings (and its partitions) waits on it.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE raw_readings IN ACCESS EXCLUSIVE MODE');
      const T = alignedStart(100);
      expect((await api.request('POST', '/v1/readings', readings('press-5', T, 5))).status).toBe(202);

      // Scraped as Prometheus does: the gauge grows while the write waits, not only when it ends.
      const first = await until('a write pending for 2 s', async () => {
        const seconds = await pending();
        return seconds >= 2 && seconds;
      });
      const stalled = await fetch(`${app.url}/health/ready`);
      expect(stalled.status).toBe(503);
      // Hung, not failing: no error follows the duration.
      expect((await bodyOf(stalled)).checks.process).toEqual({
        ok: false,
        detail: expect.stringMatching(/^not advancing: a batch write has been pending for \d+ s$/),
      });
      await new Promise((r) => setTimeout(r, 1500));
      const later = await pending();
      expect(later).toBeGreaterThanOrEqual(first + 1.4);

      await admin.query('ROLLBACK');
      await admin.end();
      await until('the readings stored', async () => (await rawCount('press-5')) === 10);
      await until('no write pending and ready', async () => (await pending()) === 0 && (await ready()));
      expect((await dlq.poll(1000)).length).toBe(0);
    }, 120_000);
  }

  it('dead-letters an undecodable message with a bounded copy of it, and goes on', async () => {
    const bus = app.services.bus as NonNullable<MantisApp['services']['bus']>;
    // 20 000 bytes that are not an envelope: its dead letter keeps the first UNDECODABLE_PREVIEW_BYTES.
    const garbage = new Uint8Array(20_000).fill(0x7b);
    await bus.send(topics.readings, [{ key: 'press-4', value: garbage }]);
    const T = alignedStart(100);
    expect((await api.request('POST', '/v1/readings', readings('press-1', T, 5))).status).toBe(202);
    const letter = await until('the dead letter of the undecodable message', async () => {
      for (const r of await dlq.poll(500)) letters.push(decodeJson<DeadLetter>(r.value));
      return letters.find((l) => l.field === 'message');
    });
    expect(letter).toMatchObject({ source: 'process', index: null, field: 'message', truncated: true });
    expect(Buffer.from(letter.item as string, 'base64')).toEqual(
      Buffer.from(garbage.subarray(0, UNDECODABLE_PREVIEW_BYTES)),
    );
    await until('later readings', async () => {
      const [{ n }] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM raw_readings WHERE sensor_id LIKE $1 AND ts >= $2',
        ['press-1.%', new Date(T)],
      );
      return n === 10;
    });
    expect(await counterTotal(app.metrics.pipelineDeadLettered, { reason: 'undecodable' })).toBe(1);
  }, 120_000);
});
