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
import { windowFeatures } from './helpers/features.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { openTimescalePglite } from './helpers/timescaledb.ts';

const postgres = await postgresAvailable();
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 10, 8, 0, 0);

const window = (start: number, over: Partial<WindowFeatures> = {}) =>
  windowFeatures('pump-1.temp', start, over);

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

const MAX = Number.MAX_VALUE; // 1.7976931348623157e308
const SUBNORMAL = Number.MIN_VALUE; // 5e-324
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Window starts of every series: three in one minute, one in the next, one in the next hour (same day). */
const STARTS = [0, 10_000, 20_000, MINUTE, HOUR].map((dt) => Date.UTC(2026, 2, 12, 8, 0, 0) + dt);

interface Weighted {
  count: number;
  mean: number;
  rms: number;
}

/** A series' windows: counts, means and RMS values, one each per start in STARTS. */
type Series = { assetId: string; count: number[]; mean: number[]; rms?: number[] };

const clamp = (x: number, values: number[]) =>
  Math.min(Math.max(x, Math.min(...values)), Math.max(...values));

/**
 * The roll-up of rows in float64, summed in time order: Σ c·x / Σ c and √(Σ c·x² / Σ c), each within the
 * range of its inputs. With `scaled`, every value is first divided by the group's largest magnitude m and the
 * result multiplied by m, which keeps the sums in range.
 */
function reference(rows: Weighted[], scaled: boolean): Weighted {
  const combine = (xs: number[], square: boolean) => {
    const m = scaled ? Math.max(...xs.map(Math.abs)) : 1;
    if (m === 0) return 0;
    let sum = 0;
    let count = 0;
    rows.forEach((r, i) => {
      const x = xs[i] / m;
      sum += r.count * (square ? x * x : x);
      count += r.count;
    });
    const v = square ? Math.sqrt(sum / count) : sum / count;
    return clamp(v * m, xs.map(square ? Math.abs : (x) => x));
  };
  return {
    count: rows.reduce((n, r) => n + r.count, 0),
    mean: combine(
      rows.map((r) => r.mean),
      false,
    ),
    rms: combine(
      rows.map((r) => r.rms),
      true,
    ),
  };
}

const bits = new DataView(new ArrayBuffer(8));
/** How many doubles lie between a and b (0 when equal): the distance in units in the last place. */
function ulps(a: number, b: number): number {
  const ordinal = (x: number) => {
    bits.setFloat64(0, x);
    const i = bits.getBigInt64(0);
    return i < 0n ? -(i & 0x7fff_ffff_ffff_ffffn) : i;
  };
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** Values whose sums, or sums of squares, leave the double range, and values at its ends. */
const EXTREMES: Series[] = [
  // +max, −max, +max in one minute: the sums of the values and of their squares exceed the double range.
  { assetId: 'max-mix', count: [1, 1, 1, 2, 1], mean: [MAX, -MAX, MAX, -MAX, MAX] },
  {
    assetId: 'max-weighted',
    count: [3, 5, 7, 1, 2],
    mean: [MAX, 1e308, -SUBNORMAL, -MAX, 1],
    rms: [MAX, 1e308, SUBNORMAL, MAX, 1],
  },
  { assetId: 'e308', count: [2, 3, 1, 4, 5], mean: [1e308, 1e308, -1e308, 1e308, 1e308] },
  {
    assetId: 'subnormal',
    count: [2, 3, 1, 1, 1],
    mean: [SUBNORMAL, SUBNORMAL, -SUBNORMAL, SUBNORMAL, 1e-323],
  },
  // rms² · count overflows, and underflows, in double precision.
  { assetId: 'e200', count: [1, 2, 3, 4, 5], mean: [1e200, 3e200, -1e200, 2e200, 1e200] },
  { assetId: 'e-200', count: [1, 2, 3, 4, 5], mean: [1e-200, 3e-200, -1e-200, 2e-200, 1e-200] },
];

/** Ordinary values that need all 17 significant digits. */
const ORDINARY: Series[] = [
  { assetId: 'e16', count: [10, 3, 1, 7, 2], mean: Array(5).fill(10000000000000002) },
  { assetId: 'point-three', count: [1, 2, 4, 1, 1], mean: Array(5).fill(0.1 + 0.2) },
  {
    assetId: 'digits',
    count: [3, 5, 7, 11, 13],
    mean: [1.2345678901234567, -9.876543210987654, Math.E, Math.PI, 0.1 + 0.2],
    rms: [1.2345678901234567, 9.876543210987654, Math.E, 10 / 3, 0.7000000000000001],
  },
];

const rollupEngines: [string, boolean, () => Promise<{ db: Database; drop: () => Promise<void> }>][] = [
  ['PGlite', true, async () => ({ db: await openDatabase('pglite://memory'), drop: async () => {} })],
  [
    'PostgreSQL',
    postgres.available,
    async () => {
      const database = await createTestDatabase();
      return { db: await openDatabase(database.url), drop: database.drop };
    },
  ],
  [
    'TimescaleDB 2.23 (WebAssembly)',
    true,
    async () => ({ db: await openTimescalePglite(), drop: async () => {} }),
  ],
];

describe.each(rollupEngines)('roll-ups in double precision on %s', (engine, available, open) => {
  let opened: Awaited<ReturnType<typeof open>>;
  let db: Database;
  const timescale = engine.startsWith('TimescaleDB');

  beforeAll(async () => {
    if (!available) return;
    opened = await open();
    db = opened.db;
    await migrate(db);
    await storeSeries([...EXTREMES, ...ORDINARY]);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await opened?.drop();
  });

  async function storeSeries(series: Series[]) {
    await store(
      db,
      series.flatMap(({ assetId, count, mean, rms }) =>
        count.map((c, i) =>
          window(STARTS[i], {
            assetId,
            sensorId: `${assetId}.s`,
            count: c,
            mean: mean[i],
            min: mean[i],
            max: mean[i],
            rms: (rms ?? mean.map(Math.abs))[i],
          }),
        ),
      ),
    );
  }

  type Row = Weighted & { bucket: number; windows: number };

  async function levels(assetId: string): Promise<Row[][]> {
    const read = (table: string) =>
      db.query<{ bucket: Date; windows: number; count: number; mean: number; rms: number }>(
        `SELECT bucket, windows, count::float8 AS count, mean, rms FROM ${table} WHERE asset_id = $1 ORDER BY bucket`,
        [assetId],
      );
    const out: Row[][] = [];
    for (const table of ['features_1m', 'features_1h', 'features_1d']) {
      out.push((await read(table)).map((r) => ({ ...r, bucket: r.bucket.getTime() })));
    }
    return out;
  }

  /**
   * Each level of a series against the reference over the level below it as stored (the windows for 1 min),
   * within `tolerance` ulps. Returns every value checked.
   */
  async function expectRollups(s: Series, scaled: boolean, tolerance: number): Promise<number[]> {
    const windows: Row[] = s.count.map((count, i) => ({
      bucket: STARTS[i],
      windows: 1,
      count,
      mean: s.mean[i],
      rms: (s.rms ?? s.mean.map(Math.abs))[i],
    }));
    const stored = await levels(s.assetId);
    const checked: number[] = [];
    let below = windows;
    for (const [level, size] of [MINUTE, HOUR, 86_400_000].entries()) {
      const groups = Map.groupBy(below, (r) => Math.floor(r.bucket / size) * size);
      expect(
        stored[level].map((r) => r.bucket),
        `${s.assetId} level ${level}`,
      ).toEqual([...groups.keys()]);
      for (const got of stored[level]) {
        const rows = groups.get(got.bucket) as Row[];
        const want = reference(rows, scaled);
        const what = `${s.assetId} ${size / MINUTE} min bucket ${new Date(got.bucket).toISOString()}`;
        expect(got.count, what).toBe(want.count);
        expect(got.windows, what).toBe(rows.reduce((n, r) => n + r.windows, 0));
        for (const key of ['mean', 'rms'] as const) {
          expect(Number.isFinite(got[key]), `${what} ${key} = ${got[key]}`).toBe(true);
          expect(
            ulps(got[key], want[key]),
            `${what} ${key}: ${got[key]}, expected ${want[key]}`,
          ).toBeLessThanOrEqual(tolerance);
          checked.push(got[key]);
        }
      }
      below = stored[level];
    }
    return checked;
  }

  async function expectExtremes() {
    // The reference divides by the largest magnitude, which rounds, where the roll-up multiplies by a power of
    // two, which does not: one rounding apart per value, so 1 ulp is allowed.
    for (const s of EXTREMES) await expectRollups(s, true, 1);
    const [minutes] = await levels('max-mix');
    // (max − max + max) / 3 and √(3·max² / 3), exactly.
    expect(minutes[0]).toMatchObject({ count: 3, mean: MAX / 3, rms: MAX });
  }

  async function expectOrdinary() {
    // Scaling by a power of two is exact and the sums run in time order, as in the reference: no tolerance.
    for (const s of ORDINARY) await expectRollups(s, false, 0);
    // Equal values give themselves back at every level, where 15 digits would give 1e16 and 0.3.
    for (const [assetId, value] of [
      ['e16', 10000000000000002],
      ['point-three', 0.30000000000000004],
    ] as const) {
      for (const level of await levels(assetId)) {
        for (const row of level) expect([row.mean, row.rms], assetId).toEqual([value, value]);
      }
    }
    const digits = await expectRollups(ORDINARY[2], false, 0);
    for (const v of digits) expect(Number(v.toPrecision(15)), `${v} needs 17 digits`).not.toBe(v);
  }

  it.runIf(available)(
    'rolls up ±1.7976931348623157e308, 1e308, 5e-324 and 1e±200 without overflow, within 1 ulp of float64',
    expectExtremes,
  );

  it.runIf(available)(
    'keeps all 17 significant digits of ordinary values: the float64 result, bit for bit',
    expectOrdinary,
  );

  it.runIf(available)(
    'gives the same bits after a replay, and once materialized under TimescaleDB',
    async () => {
      const assets = [...EXTREMES, ...ORDINARY].map((s) => s.assetId);
      const before = await Promise.all(assets.map(levels));
      // Stored again in the reverse order: each roll-up still sums in time order.
      await storeSeries([...EXTREMES, ...ORDINARY].reverse());
      if (timescale) await materialize();
      expect(await Promise.all(assets.map(levels))).toEqual(before);
      await expectExtremes();
      await expectOrdinary();
    },
  );

  /** Materializes every continuous aggregate, as the refresh policies and the one-off job do. */
  async function materialize() {
    for (const view of ['features_1m', 'features_1h', 'features_1d']) {
      await db.exec(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
    }
    const views = await db.query<{ schema: string; name: string }>(
      `SELECT materialization_hypertable_schema AS schema, materialization_hypertable_name AS name
       FROM timescaledb_information.continuous_aggregates`,
    );
    expect(views).toHaveLength(3);
    for (const { schema, name } of views) {
      const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${name}"`);
      expect(n, `rows materialized in ${name}`).toBeGreaterThan(0);
    }
  }
});
