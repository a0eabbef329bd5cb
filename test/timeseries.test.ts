import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowFeatures } from '../src/domain/types.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { defaultPlaceholders, migrate, readMigrations } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import {
  ensurePartitions,
  forgetPartitions,
  isMissingPartition,
  maintainPartitions,
} from '../src/storage/postgres/partitions.ts';
import { upsertFeatures, writeRawReadings } from '../src/storage/postgres/timeseries.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';

const postgres = await postgresAvailable();
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 10, 8, 0, 0);

function window(start: number, over: Partial<WindowFeatures> = {}): WindowFeatures {
  return {
    assetId: 'pump-1',
    sensorId: 'pump-1.temp',
    windowStart: start,
    windowEnd: start + 10_000,
    count: 10,
    mean: 50,
    min: 40,
    max: 60,
    std: 1,
    rms: 50,
    peakToPeak: 20,
    crestFactor: null,
    skewness: null,
    kurtosis: null,
    dominantHz: null,
    bandEnergies: null,
    anomalyScore: 1,
    health: 90,
    ...over,
  };
}

async function store(db: Database, features: WindowFeatures[]) {
  await ensurePartitions(db, { features: features.map((f) => f.windowStart) });
  await db.transaction((tx) => upsertFeatures(tx, features));
}

const engines: [string, boolean, () => Promise<{ url: string; drop: () => Promise<void> }>][] = [
  ['PGlite', true, async () => ({ url: 'pglite://memory', drop: async () => {} })],
  ['PostgreSQL', postgres.available, createTestDatabase],
];

describe.each(engines)('time-series schema on %s (native partitioning)', (_engine, available, create) => {
  let database: Awaited<ReturnType<typeof create>>;
  let db: Database;

  beforeAll(async () => {
    if (!available) return;
    database = await create();
    db = await openDatabase(database.url);
    // Start from the first schema with rows in it: the partitioning migration must keep them.
    const all = readMigrations();
    await migrate(db, {
      migrations: all.filter((m) => m.version === 1),
      placeholders: defaultPlaceholders(),
    });
    await db.exec(`
      INSERT INTO features (asset_id, sensor_id, window_start, window_end, count, mean, min, max, std, rms, peak_to_peak)
        VALUES ('old', 'old.s', '2026-01-01T10:00:00Z', '2026-01-01T10:00:10Z', 1, 1, 1, 1, 0, 1, 0),
               ('old', 'old.s', '2026-01-03T10:00:00Z', '2026-01-03T10:00:10Z', 1, 2, 2, 2, 0, 2, 0);
      INSERT INTO raw_readings VALUES ('old.s', '2026-01-01T10:00:01Z', 1), ('old.s', '2026-01-03T10:00:01Z', 2);
    `);
    await migrate(db, { migrations: all, placeholders: defaultPlaceholders() });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it.runIf(available)('turns the time-series tables into daily partitions, keeping their rows', async () => {
    const partitioned = await db.query<{ name: string }>(
      'SELECT partrelid::regclass::text AS name FROM pg_partitioned_table ORDER BY 1',
    );
    expect(partitioned.map((p) => p.name)).toEqual(['features', 'raw_blocks', 'raw_readings']);
    const partitions = await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'features'::regclass ORDER BY 1`,
    );
    // Contiguous days from the oldest row to the newest.
    expect(partitions.map((p) => p.name)).toEqual([
      'features_p20260101',
      'features_p20260102',
      'features_p20260103',
    ]);
    const rows = await db.query<{ mean: number }>(
      `SELECT mean FROM features WHERE asset_id = 'old' ORDER BY 1`,
    );
    expect(rows.map((r) => r.mean)).toEqual([1, 2]);
    const raw = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM raw_readings_p20260103');
    expect(raw[0].n).toBe(1);
  });

  it.runIf(available)('keeps 1 min, 1 h and 1 day roll-ups that replays do not change', async () => {
    // Six windows in minute 08:00 and one in 08:01, with different counts so the weighting shows.
    const windows = [
      ...[0, 1, 2, 3, 4, 5].map((i) => window(T0 + i * 10_000, { count: i + 1, mean: 10 * i, rms: i + 1 })),
      window(T0 + 60_000, { count: 4, mean: 100, min: 1, max: 500, rms: 2, anomalyScore: 7, health: 30 }),
    ];
    await store(db, windows);
    await store(db, windows); // a replay
    const minutes = await db.query<Record<string, number | Date>>(
      `SELECT bucket, windows, count::int AS count, mean, min, max, rms, max_anomaly_score, min_health
       FROM features_1m WHERE asset_id = 'pump-1' ORDER BY bucket`,
    );
    // Count-weighted: mean = Σ mean·count / Σ count = 700 / 21; rms = √(Σ rms²·count / Σ count) = √(441 / 21).
    expect(minutes).toHaveLength(2);
    expect(minutes[0]).toMatchObject({ windows: 6, count: 21, min: 40, max: 60, max_anomaly_score: 1 });
    expect(minutes[0].mean).toBeCloseTo(700 / 21, 9);
    expect(minutes[0].rms).toBeCloseTo(Math.sqrt(441 / 21), 9);
    expect((minutes[0].bucket as Date).getTime()).toBe(T0);
    expect(minutes[1]).toMatchObject({ windows: 1, count: 4, mean: 100, min: 1, max: 500, min_health: 30 });

    const [hour] = await db.query<Record<string, number | Date>>(
      `SELECT bucket, windows, count::int AS count, mean, min, max, rms FROM features_1h WHERE asset_id = 'pump-1'`,
    );
    expect(hour).toMatchObject({ windows: 7, count: 25, min: 1, max: 500 });
    expect(hour.mean).toBeCloseTo((700 + 400) / 25, 9);
    expect(hour.rms).toBeCloseTo(Math.sqrt((441 + 16) / 25), 9);
    const [day] = await db.query<Record<string, number | Date>>(
      `SELECT bucket, windows, count::int AS count, mean FROM features_1d WHERE asset_id = 'pump-1'`,
    );
    expect(day).toMatchObject({ windows: 7, count: 25 });
    expect((day.bucket as Date).getTime()).toBe(Date.UTC(2026, 2, 10));

    // A window stored again with other values (a late correction) recomputes its buckets.
    await store(db, [window(T0 + 60_000, { count: 4, mean: 200, min: 1, max: 500, rms: 2 })]);
    const [corrected] = await db.query<{ mean: number }>(
      `SELECT mean FROM features_1h WHERE asset_id = 'pump-1'`,
    );
    expect(corrected.mean).toBeCloseTo((700 + 800) / 25, 9);
  });

  it.runIf(available)(
    'rolls up extreme values without overflow: 1e200, 1e-200, -1e200, 1.7e308',
    async () => {
      const t = Date.UTC(2026, 2, 11, 9, 0, 0);
      const cases: [string, number][] = [
        ['x-huge', 1e200],
        ['x-tiny', 1e-200],
        ['x-negative', -1e200],
        ['x-largest', 1.7e308],
      ];
      // Two windows of two readings each per asset, in one minute: rms = |x|, mean = x at every level.
      await store(
        db,
        cases.flatMap(([assetId, x]) =>
          [0, 10_000].map((dt) =>
            window(t + dt, {
              assetId,
              sensorId: `${assetId}.s`,
              count: 2,
              mean: x,
              min: x,
              max: x,
              rms: Math.abs(x),
            }),
          ),
        ),
      );
      for (const table of ['features_1m', 'features_1h', 'features_1d']) {
        const rows = await db.query<{ asset_id: string; count: number; mean: number; rms: number }>(
          `SELECT asset_id, count::int AS count, mean, rms FROM ${table} WHERE asset_id LIKE 'x-%' ORDER BY asset_id`,
        );
        const byAsset = new Map(rows.map((r) => [r.asset_id, r]));
        for (const [assetId, x] of cases) {
          const row = byAsset.get(assetId);
          expect(row?.count, `${table} ${assetId}`).toBe(4);
          expect(Math.abs((row?.mean as number) / x - 1), `${table} ${assetId} mean`).toBeLessThan(1e-14);
          expect(Math.abs((row?.rms as number) / Math.abs(x) - 1), `${table} ${assetId} rms`).toBeLessThan(
            1e-14,
          );
        }
      }
    },
  );

  it.runIf(available)('recovers when a partition it knew of was dropped by another process', async () => {
    const ts = Date.UTC(2026, 5, 1, 12);
    const other = { assetId: 'fan-1', sensorId: 'fan-1.temp' };
    await store(db, [window(ts, other)]);
    await db.exec('DROP TABLE features_p20260601');
    const failure = await store(db, [window(ts, other)]).catch((err: unknown) => err);
    expect(isMissingPartition(failure)).toBe(true);
    forgetPartitions(db);
    await store(db, [window(ts, other)]);
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM features_p20260601');
    expect(rows[0].n).toBe(1);
  });

  it.runIf(available)('creates partitions ahead and drops whole days past retention', async () => {
    await migrate(db, {
      placeholders: defaultPlaceholders({ rawRetentionDays: 2, featureRetentionDays: 5 }),
    });
    const now = T0 + 20 * DAY;
    const old = [now - 10 * DAY, now - 3 * DAY, now - 1 * DAY].map((ts) => ({
      sensorId: 'pump-1.temp',
      ts,
      value: 1,
    }));
    await ensurePartitions(db, { raw_readings: old.map((r) => r.ts) });
    await db.transaction((tx) => writeRawReadings(tx, old));
    await store(db, [window(now - 6 * DAY), window(now - 4 * DAY)]);

    const dropped = await maintainPartitions(db, now);
    expect(dropped).toBeGreaterThan(0);
    const raw = await db.query<{ ts: Date }>(`SELECT ts FROM raw_readings WHERE sensor_id = 'pump-1.temp'`);
    expect(raw.map((r) => r.ts.getTime())).toEqual([now - 1 * DAY]);
    const kept = await db.query<{ window_start: Date }>(
      `SELECT window_start FROM features WHERE asset_id = 'pump-1' ORDER BY 1`,
    );
    expect(kept.map((r) => r.window_start.getTime())).toEqual([now - 4 * DAY]);
    // The 1 min roll-up follows the features' retention; the 1 h one is kept (0 days = forever).
    const minutes = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM features_1m WHERE bucket < to_timestamp($1 / 1000.0)`,
      [now - 5 * DAY],
    );
    expect(minutes[0].n).toBe(0);
    const hours = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM features_1h WHERE asset_id = 'pump-1'`,
    );
    expect(hours[0].n).toBeGreaterThanOrEqual(3);
    // Today's and the next two days' partitions exist before any row needs them.
    const ahead = await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'raw_readings'::regclass AND c.relname >= 'raw_readings_p20260330' ORDER BY 1`,
    );
    expect(ahead.map((p) => p.name)).toEqual([
      'raw_readings_p20260330',
      'raw_readings_p20260331',
      'raw_readings_p20260401',
    ]);
  });
});
