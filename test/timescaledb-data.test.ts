import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowFeatures } from '../src/domain/types.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { defaultPlaceholders, migrate } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { ensurePartitions, maintainPartitions } from '../src/storage/postgres/partitions.ts';
import { sensorSignal } from '../src/storage/postgres/signal.ts';
import {
  exportReadings,
  latestFeatures,
  queryFeatures,
  queryRollups,
  type Resolution,
  upsertFeatures,
  writeRawBlocks,
  writeRawReadings,
} from '../src/storage/postgres/timeseries.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { jobs, openTimescalePglite, runJob } from './helpers/timescaledb.ts';

/**
 * The api's and the processor's time-series SQL on TimescaleDB 2.23 (PGlite, WebAssembly), compared with the
 * native-partition path (PGlite without TimescaleDB, and PostgreSQL 15 when reachable) fed the same windows.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The start of the current minute: the refresh policies' windows end a little before now. */
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;

function window(
  sensorId: string,
  start: number,
  i: number,
  over: Partial<WindowFeatures> = {},
): WindowFeatures {
  // Uneven values and counts, so that weighting by count shows.
  const mean = 20 + 10 * Math.sin(i);
  return {
    assetId: 'pump-1',
    sensorId,
    windowStart: start,
    windowEnd: start + 10_000,
    count: 5 + (i % 7),
    mean,
    min: mean - 3 - (i % 3),
    max: mean + 4 + (i % 5),
    std: 1 + (i % 4) / 10,
    rms: mean + 0.5 + (i % 3) / 7,
    peakToPeak: 7 + (i % 8),
    crestFactor: 1.4,
    skewness: (i % 5) / 10 - 0.2,
    kurtosis: 3 + (i % 2),
    dominantHz: 50 + i,
    bandEnergies: [i, i / 2, i / 3],
    anomalyScore: (i % 11) / 3,
    health: 100 - (i % 13),
    velocityRms: sensorId.endsWith('.vib') ? 1 + i / 8 : null,
    severityZone: sensorId.endsWith('.vib') ? (['A', 'B', 'C', 'D'] as const)[i % 4] : null,
    diagnostics: null,
    ...over,
  };
}

/** Windows of two sensors, 40 minutes of each, in the last hour, three days ago and twenty days ago. */
const AGES = [0, 3 * DAY, 20 * DAY];
const WINDOWS: WindowFeatures[] = AGES.flatMap((age) =>
  ['pump-1.vib', 'pump-1.temp'].flatMap((sensor) =>
    Array.from({ length: 24 }, (_, i) => window(sensor, NOW - age - 40 * MINUTE + i * 170_000, i)),
  ),
);

async function store(db: Database, features: WindowFeatures[]) {
  await ensurePartitions(db, { features: features.map((f) => f.windowStart) });
  await db.transaction((tx) => upsertFeatures(tx, features));
}

async function register(db: Database) {
  await db.exec(`INSERT INTO sites (id, name) VALUES ('plant-1', 'Plant 1');
    INSERT INTO lines (id, site_id, name) VALUES ('line-1', 'plant-1', 'Line 1');
    INSERT INTO assets (id, site_id, line_id, name, kind) VALUES ('pump-1', 'plant-1', 'line-1', 'Pump 1', 'pump');
    INSERT INTO sensors (id, asset_id, kind, unit, sample_rate_hz, valid_min, valid_max) VALUES
      ('pump-1.vib', 'pump-1', 'vibration', 'g', 5120, -50, 50), ('pump-1.temp', 'pump-1', 'temperature', 'C', 1, -40, 200)`);
}

const range = { assetId: 'pump-1', from: NOW - 30 * DAY, to: NOW + DAY, limit: 10_000 };
const rollups = (db: Database, resolution: Resolution) => queryRollups(db, { ...range, resolution });

/** What the api serves from the time-series tables, on one engine. */
async function served(db: Database) {
  return {
    features: await queryFeatures(db, range),
    latest: await latestFeatures(db, 'pump-1'),
    '1m': await rollups(db, '1m'),
    '1h': await rollups(db, '1h'),
    '1d': await rollups(db, '1d'),
  };
}

/** Rows in the materialization hypertable of a continuous aggregate. */
async function materializedRows(db: Database, view: string): Promise<number> {
  const [{ schema, name }] = await db.query<{ schema: string; name: string }>(
    `SELECT materialization_hypertable_schema AS schema, materialization_hypertable_name AS name
     FROM timescaledb_information.continuous_aggregates WHERE view_name = $1`,
    [view],
  );
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${name}"`);
  return n;
}

const postgres = await postgresAvailable();

describe('feature writes and roll-ups on TimescaleDB, against the native path', () => {
  let timescale: Database;
  const natives: { name: string; db: Database; drop: () => Promise<void> }[] = [];

  beforeAll(async () => {
    timescale = await openTimescalePglite();
    await migrate(timescale);
    await register(timescale);
    natives.push({ name: 'PGlite', db: await openDatabase('pglite://memory'), drop: async () => {} });
    if (postgres.available) {
      const database = await createTestDatabase();
      natives.push({ name: 'PostgreSQL', db: await openDatabase(database.url), drop: database.drop });
    }
    for (const { db } of natives) {
      await migrate(db);
      await register(db);
    }
    for (const db of [timescale, ...natives.map((n) => n.db)]) await store(db, WINDOWS);
  });
  afterAll(async () => {
    await timescale?.close();
    for (const { db, drop } of natives) {
      await db.close();
      await drop();
    }
  });

  async function expectSameAsNative() {
    const got = await served(timescale);
    for (const { db } of natives) expect(got).toEqual(await served(db));
    return got;
  }

  it('serves the same features and roll-ups in real time, before any refresh', async () => {
    const got = await expectSameAsNative();
    expect(got.features).toHaveLength(WINDOWS.length);
    expect(Object.keys(got.latest).sort()).toEqual(['pump-1.temp', 'pump-1.vib']);
    // Three ages × two sensors, 40 min of windows each: the buckets are spread over hours and days.
    expect(got['1d'].length).toBeGreaterThanOrEqual(6);
    expect(got['1h'].length).toBeGreaterThanOrEqual(6);
    expect(got['1m'].reduce((n, b) => n + b.windows, 0)).toBe(WINDOWS.length);
    // Vibration buckets carry a velocity and a zone; the temperature ones none.
    const vib = got['1h'].filter((b) => b.sensorId === 'pump-1.vib');
    expect(vib.every((b) => b.velocityRms !== null && b.maxSeverityZone !== null)).toBe(true);
    const temp = got['1h'].filter((b) => b.sensorId === 'pump-1.temp');
    expect(temp.map((b) => [b.velocityRms, b.maxVelocityRms, b.maxSeverityZone])).toEqual(
      temp.map(() => [null, null, null]),
    );
    expect(await materializedRows(timescale, 'features_1m')).toBe(0);
  });

  it('serves the same once the one-off materialisation and the refresh policies have run', async () => {
    // V017's job materialises every bucket once (the policies only refresh their recent window), then goes.
    await runJob(timescale, 'mantis_materialize_rollups', null);
    expect((await jobs(timescale)).filter((j) => j.proc_name === 'mantis_materialize_rollups')).toEqual([]);
    for (const view of ['features_1m', 'features_1h', 'features_1d']) {
      await runJob(timescale, 'policy_refresh_continuous_aggregate', view);
    }
    const got = await expectSameAsNative();
    // Every 1 day bucket that ends before the policy's end offset (a day ago) is materialized; the newer ones stay
    // real-time (V014). Just after midnight UTC, yesterday's bucket is among the newer.
    expect(await materializedRows(timescale, 'features_1d')).toBe(
      got['1d'].filter((b) => b.bucket + DAY <= NOW - DAY).length,
    );
  });

  it('rolls up a window written later than the 1 min policy window (3 h) only when refreshed over it', async () => {
    const late = [window('pump-1.vib', NOW - 5 * HOUR, 3)];
    for (const db of [timescale, ...natives.map((n) => n.db)]) await store(db, late);
    await runJob(timescale, 'policy_refresh_continuous_aggregate', 'features_1m');
    const minute = async (db: Database) =>
      (await rollups(db, '1m')).filter((b) => b.bucket === NOW - 5 * HOUR);
    // Below the materialization watermark and outside the policy's window: not rolled up yet.
    expect(await minute(timescale)).toEqual([]);
    expect(await minute(natives[0].db)).toHaveLength(1);
    await timescale.exec(
      `CALL refresh_continuous_aggregate('features_1m', now() - interval '6 hours', now() - interval '4 hours')`,
    );
    for (const view of ['features_1h', 'features_1d']) {
      await runJob(timescale, 'policy_refresh_continuous_aggregate', view);
    }
    await expectSameAsNative();
  });

  it('follows a replayed window with new values once the buckets are refreshed', async () => {
    const replay = WINDOWS.filter((_, i) => i % 9 === 0).map((w) => ({
      ...w,
      mean: w.mean + 100,
      health: 5,
    }));
    for (const db of [timescale, ...natives.map((n) => n.db)]) await store(db, replay);
    // A materialized bucket is stale until the refresh policy runs over it (native roll-ups update at once).
    for (const view of ['features_1m', 'features_1h', 'features_1d']) {
      await timescale.exec(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
    }
    const got = await expectSameAsNative();
    expect(got['1d'].some((b) => b.minHealth === 5)).toBe(true);
  });

  it('stores and reads raw readings and sample blocks as the native path does', async () => {
    const readings = Array.from({ length: 300 }, (_, i) => ({
      sensorId: 'pump-1.temp',
      ts: NOW - 3 * DAY + i * 1000.5,
      value: 40 + Math.cos(i),
    }));
    const blocks = [{ sensorId: 'pump-1.vib', ts: NOW - HOUR, rateHz: 5120, values: [0.5, -0.25, 1.5] }];
    const read = async (db: Database) => {
      await ensurePartitions(db, { raw_readings: readings.map((r) => r.ts), raw_blocks: [NOW - HOUR] });
      await db.transaction(async (tx) => {
        await writeRawReadings(tx, readings);
        await writeRawBlocks(tx, blocks);
      });
      return {
        signal: await sensorSignal(db, 'pump-1.temp', NOW - 4 * DAY, NOW, 1000),
        block: (await sensorSignal(db, 'pump-1.vib', NOW - DAY, NOW, 10)).block,
        export: await exportReadings(db, NOW - 4 * DAY, NOW, 1000),
      };
    };
    const got = await read(timescale);
    expect(got.signal.readings).toHaveLength(300);
    expect(got.block?.values).toEqual([0.5, -0.25, 1.5]);
    for (const { db } of natives) expect(got).toEqual(await read(db));
  });
});

describe('retention and compression on TimescaleDB', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTimescalePglite();
    await migrate(db, {
      placeholders: defaultPlaceholders({
        rawRetentionDays: 3,
        featureRetentionDays: 10,
        rollupRetentionDays: 400,
        compressAfterDays: 2,
        chunkHours: 6,
      }),
    });
    await register(db);
    await store(db, WINDOWS);
    for (const view of ['features_1m', 'features_1h', 'features_1d']) {
      await db.exec(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
    }
  });
  afterAll(() => db?.close());

  const chunks = (table: string) =>
    db.query<{ start: Date; end: Date; compressed: boolean }>(
      `SELECT range_start AS start, range_end AS "end", is_compressed AS compressed
       FROM timescaledb_information.chunks WHERE hypertable_name = $1 ORDER BY range_start`,
      [table],
    );

  it('cuts chunks of the configured 6 hours', async () => {
    const all = await chunks('features');
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const c of all) expect(c.end.getTime() - c.start.getTime()).toBe(6 * HOUR);
  });

  it('compresses chunks past compressAfterDays when its job runs, and reads and replays through them', async () => {
    const before = await served(db);
    await runJob(db, 'policy_compression', 'features');
    const compressed = (await chunks('features')).filter((c) => c.compressed);
    // The chunks of three and twenty days ago; not the current one.
    expect(compressed.length).toBeGreaterThanOrEqual(2);
    expect(compressed.every((c) => c.end.getTime() <= NOW - 2 * DAY)).toBe(true);
    expect(await served(db)).toEqual(before);
    const [stats] = await db.query<{ chunks: number; after: number }>(
      `SELECT number_compressed_chunks AS chunks, after_compression_total_bytes::int AS after
       FROM hypertable_compression_stats('features')`,
    );
    expect(stats.chunks).toBe(compressed.length);
    expect(stats.after).toBeGreaterThan(0);
    // A replay into a compressed chunk updates the row in place.
    const old = WINDOWS.find((w) => w.windowStart < NOW - 2 * DAY) as WindowFeatures;
    await store(db, [{ ...old, mean: -1 }]);
    const [row] = await queryFeatures(db, {
      ...range,
      sensorId: old.sensorId,
      from: old.windowStart,
      limit: 1,
    });
    expect(row).toEqual({ ...old, mean: -1 });
  });

  it('drops raw chunks past rawRetentionDays when the retention job runs', async () => {
    const readings = [NOW - 5 * DAY, NOW - HOUR].map((ts) => ({ sensorId: 'pump-1.temp', ts, value: 1 }));
    await writeRawReadings(db, readings);
    expect(await exportReadings(db, NOW - 6 * DAY, NOW, 10)).toHaveLength(2);
    await runJob(db, 'policy_retention', 'raw_readings');
    expect(await exportReadings(db, NOW - 6 * DAY, NOW, 10)).toEqual([readings[1]]);
    expect((await chunks('raw_readings')).every((c) => c.end.getTime() > NOW - 3 * DAY - 6 * HOUR)).toBe(
      true,
    );
    // The hourly native upkeep leaves hypertables to the policies.
    expect(await maintainPartitions(db)).toBe(0);
  });

  it('drops features past featureRetentionDays, and the 1 h and 1 day roll-ups keep their buckets', async () => {
    const oldDay = Math.floor((NOW - 20 * DAY) / DAY) * DAY;
    const before = (await rollups(db, '1d')).filter((b) => b.bucket === oldDay);
    // The windows of that day per sensor: all 24 of each, or fewer when they straddle midnight.
    const inDay = WINDOWS.filter((w) => w.windowStart >= oldDay && w.windowStart < oldDay + DAY);
    expect(inDay.length).toBeGreaterThan(0);
    expect(before.map((b) => b.windows)).toEqual([inDay.length / 2, inDay.length / 2]);
    await runJob(db, 'policy_retention', 'features');
    await runJob(db, 'policy_retention', 'features_1m');
    expect(await queryFeatures(db, { ...range, to: NOW - 10 * DAY })).toEqual([]);
    expect(await rollups(db, '1m').then((r) => r.filter((b) => b.bucket < NOW - 10 * DAY))).toEqual([]);
    // Their refresh windows (3 and 30 days) cover the dropped range: the buckets stay as materialized.
    await runJob(db, 'policy_refresh_continuous_aggregate', 'features_1h');
    await runJob(db, 'policy_refresh_continuous_aggregate', 'features_1d');
    expect((await rollups(db, '1d')).filter((b) => b.bucket === oldDay)).toEqual(before);
    // drop_chunks by hand does the same as the policy.
    await db.exec(`SELECT drop_chunks('features', older_than => now() - interval '1 day')`);
    expect(await queryFeatures(db, { ...range, to: NOW - DAY })).toEqual([]);
    expect((await rollups(db, '1d')).filter((b) => b.bucket === oldDay)).toEqual(before);
  });
});
