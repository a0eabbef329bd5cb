import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowFeatures } from '../../test/helpers/features.ts';
import { type DeadLetter, decodeJson } from '../bus/codec.ts';
import { MemoryBus } from '../bus/memory.ts';
import { type BusConsumer, topics } from '../bus/port.ts';
import type { Alert, WorkOrder } from '../domain/types.ts';
import { retry } from '../lib/retry.ts';
import { createLogger } from '../observability/logger.ts';
import { counterTotal, createMetrics, type Metrics } from '../observability/metrics.ts';
import { openDatabase } from '../storage/adapters.ts';
import { MemoryOnlineStore } from '../storage/memory/online-store.ts';
import { defaultPlaceholders, migrate } from '../storage/migrate.ts';
import type { Database } from '../storage/ports/database.ts';
import { classifyDatabaseError } from '../storage/postgres/errors.ts';
import { databaseFeatureStore } from '../storage/postgres/feature-store.ts';
import { databaseRawStore } from '../storage/postgres/raw-store.ts';
import { type Batch, type WritePolicy, type WriterDeps, writeBatch } from './batch-writer.ts';
import { writeFailureJudge } from './poison.ts';

const T0 = Date.UTC(2026, 2, 10, 8, 0, 0);
const ATTEMPTS = 3;

const window = windowFeatures;

function raise(assetId: string, raisedAt: number): { kind: 'raise'; alert: Alert; workOrder: WorkOrder } {
  const alert: Alert = {
    id: `alr_${assetId}_${raisedAt}`,
    assetId,
    sensorId: `${assetId}.temp`,
    cause: 'temperature',
    severity: 'warning',
    status: 'active',
    health: 35,
    score: 4,
    message: 'temperature rising',
    raisedAt,
    resolvedAt: null,
  };
  const workOrder: WorkOrder = {
    id: `wo_${assetId}_${raisedAt}`,
    assetId,
    sensorId: alert.sensorId,
    cause: alert.cause,
    alertId: alert.id,
    title: 'Inspect',
    priority: 'high',
    status: 'open',
    createdAt: raisedAt,
  };
  return { kind: 'raise', alert, workOrder };
}

function batchOf(over: Partial<Batch>): Batch {
  return {
    scalars: [],
    blocks: [],
    features: [],
    actions: [],
    progress: new Map(),
    assetHealth: new Map(),
    ingestedAt: [],
    deadLetters: [],
    commitOffsets: new Map(),
    ...over,
  };
}

/** The processor's policy, with a signal the test may abort. */
function policyOf(metrics: Metrics, signal?: AbortSignal): WritePolicy {
  const classifyWriteFailure = writeFailureJudge([{ classify: classifyDatabaseError }]);
  return {
    classify: classifyWriteFailure,
    retry: (write, maxAttempts = ATTEMPTS) =>
      retry(write, {
        isTransient: (err) => classifyWriteFailure(err).kind !== 'record',
        maxAttempts,
        baseMs: 1,
        maxMs: 5,
        signal,
        onRetry: ({ err }) => metrics.pipelineWriteRetries.inc({ class: classifyWriteFailure(err).kind }),
      }),
  };
}

describe('the batch writer, when the database refuses part of a batch (PGlite)', () => {
  let db: Database;
  let bus: MemoryBus;
  let dlq: BusConsumer;
  let deps: WriterDeps;
  const count = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const letters = async () => (await dlq.poll(0)).map((r) => decodeJson<DeadLetter>(r.value));

  beforeAll(async () => {
    db = await openDatabase('pglite://memory');
    await migrate(db, { placeholders: defaultPlaceholders() });
    await db.exec(`INSERT INTO sites (id, name) VALUES ('s1', 'Site');
      INSERT INTO lines (id, site_id, name) VALUES ('l1', 's1', 'Line 1');
      INSERT INTO assets (id, site_id, line_id, name, kind) VALUES
        ('pump-1', 's1', 'l1', 'Pump 1', 'pump'), ('pump-2', 's1', 'l1', 'Pump 2', 'pump')`);
    bus = new MemoryBus(1000);
    dlq = bus.subscribe(topics.deadLetters, 'inspect', 100);
    deps = {
      bus,
      raw: databaseRawStore(db),
      features: databaseFeatureStore(db),
      online: new MemoryOnlineStore(),
      metrics: createMetrics(),
      log: createLogger('silent'),
    };
  });
  afterAll(async () => {
    await bus?.close();
    await db?.close();
  });

  it('stores every other row and dead-letters each refused reading, block, window and health alone', async () => {
    const longId = `pump-1.${randomBytes(6000).toString('hex')}`;
    const scalars = Array.from({ length: 20 }, (_, i) => ({
      sensorId: 'pump-1.temp',
      ts: T0 + i * 1000,
      value: 60,
    }));
    const batch = batchOf({
      // A timestamp PostgreSQL cannot hold, and a key too large for its index.
      scalars: [...scalars.slice(0, 7), { sensorId: 'pump-1.temp', ts: 1e16, value: 1 }, ...scalars.slice(7)],
      blocks: [
        { sensorId: 'pump-1.vib', ts: T0, rateHz: 100, values: [0.1, 0.2] },
        { sensorId: longId, ts: T0, rateHz: 100, values: [0.3] },
      ],
      // A count beyond integer.
      features: [
        window('pump-1.temp', T0),
        window('pump-1.temp', T0 + 10_000, { count: 3e9 }),
        window('pump-1.current', T0),
        window('pump-2.temp', T0 + 10_000),
      ],
      actions: [raise('pump-2', T0 + 20_000)],
      // Health must be within 0–100 (CHECK): NaN is not.
      assetHealth: new Map([
        ['pump-1', 80],
        ['pump-2', Number.NaN],
      ]),
    });
    await writeBatch(deps, batch, policyOf(deps.metrics));

    expect(await count('raw_readings')).toBe(20);
    expect(await count('raw_blocks')).toBe(1);
    const windows = await db.query<{ sensor_id: string; window_start: Date }>(
      'SELECT sensor_id, window_start FROM features ORDER BY sensor_id, window_start',
    );
    expect(windows.map((w) => [w.sensor_id, w.window_start.getTime()])).toEqual([
      ['pump-1.current', T0],
      ['pump-1.temp', T0],
      ['pump-2.temp', T0 + 10_000],
    ]);
    // A refused window is given up: its series' progress moves past it only with a later stored window.
    const progress = await db.query<{ sensor_id: string; closed_until: Date }>(
      'SELECT sensor_id, closed_until FROM window_progress ORDER BY sensor_id',
    );
    expect(progress.map((p) => [p.sensor_id, p.closed_until.getTime()])).toEqual([
      ['pump-1.current', T0 + 10_000],
      ['pump-1.temp', T0 + 10_000],
      ['pump-2.temp', T0 + 20_000],
    ]);
    expect(await count('alerts')).toBe(1);
    expect(await count('work_orders')).toBe(1);
    const health = await db.query<{ id: string; health: number | null }>(
      'SELECT id, health FROM assets ORDER BY id',
    );
    expect(health).toEqual([
      { id: 'pump-1', health: 80 },
      { id: 'pump-2', health: null },
    ]);

    const got = await letters();
    expect(got.map((l) => [l.source, l.field, l.error?.code])).toEqual([
      ['process', 'reading', '22008'],
      ['process', 'reading', '54000'],
      ['process', 'window', '22003'],
      ['process', 'health', '23514'],
    ]);
    expect(got[0]).toMatchObject({
      index: null,
      reason: expect.stringMatching(
        /^the database refused this reading: timestamp out of range.*\(SQLSTATE 22008\)$/,
      ),
      item: { sensorId: 'pump-1.temp', ts: 1e16, value: 1 },
      receivedAt: expect.any(String),
    });
    expect(got[2].item).toMatchObject({ sensorId: 'pump-1.temp', windowStart: T0 + 10_000, count: 3e9 });
    expect(got[2].reason).toBe(
      'the database refused this window: value "3000000000" is out of range for type integer (SQLSTATE 22003)',
    );
    expect(got[3]).toMatchObject({
      item: { assetId: 'pump-2', health: null },
      error: { code: '23514', constraint: 'assets_health_check', table: 'assets' },
    });

    const { metrics } = deps;
    expect(await counterTotal(metrics.pipelineDeadLettered, { reason: 'data_exception' })).toBe(2);
    expect(await counterTotal(metrics.pipelineDeadLettered, { reason: 'program_limit_exceeded' })).toBe(1);
    expect(
      await counterTotal(metrics.pipelineDeadLettered, { reason: 'integrity_constraint_violation' }),
    ).toBe(1);
    // The whole batch was tried ATTEMPTS times before it was split.
    expect(await counterTotal(metrics.pipelineWriteRetries, { class: 'record' })).toBe(ATTEMPTS - 1);
    expect(await counterTotal(metrics.storageRowsWritten, { kind: 'reading' })).toBe(20);
    expect(await counterTotal(metrics.storageRowsWritten, { kind: 'window' })).toBe(3);
    expect(await counterTotal(metrics.workOrdersOpened)).toBe(1);
  });

  it('dead-letters nothing when the store refuses every write (a missing table), and gives up only on stop', async () => {
    await db.exec('ALTER TABLE raw_readings RENAME TO raw_readings_moved');
    const stop = new AbortController();
    const metrics = createMetrics();
    const write = writeBatch(
      { ...deps, metrics },
      batchOf({ scalars: [{ sensorId: 'pump-1.temp', ts: T0 + 60_000, value: 1 }] }),
      policyOf(metrics, stop.signal),
    );
    // Retried while the store refuses; a record failure would have ended after ATTEMPTS attempts.
    while ((await counterTotal(metrics.pipelineWriteRetries, { class: 'store' })) < 3 * ATTEMPTS) {
      await new Promise((r) => setTimeout(r, 5));
    }
    stop.abort();
    await expect(write).rejects.toMatchObject({ code: '42P01' });
    await db.exec('ALTER TABLE raw_readings_moved RENAME TO raw_readings');
    expect(await letters()).toEqual([]);
    expect(await counterTotal(metrics.pipelineDeadLettered)).toBe(0);
  });

  it('sends undecodable messages to the dead-letter topic and counts them', async () => {
    const metrics = createMetrics();
    const letter = { key: 'process', value: new TextEncoder().encode('{"source":"process"}') };
    await writeBatch({ ...deps, metrics }, batchOf({ deadLetters: [letter] }), policyOf(metrics));
    expect(await letters()).toEqual([{ source: 'process' }]);
    expect(await counterTotal(metrics.pipelineDeadLettered, { reason: 'undecodable' })).toBe(1);
  });
});
