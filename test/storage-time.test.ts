import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowFeatures } from '../src/domain/types.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { storedMicros, storedTimestampText } from '../src/storage/postgres/instants.ts';
import { recordCounts } from '../src/storage/postgres/kpi-inputs.ts';
import { ensurePartitions } from '../src/storage/postgres/partitions.ts';
import { upsertAsset } from '../src/storage/postgres/registry.ts';
import { upsertFeatures, writeRawBlocks, writeRawReadings } from '../src/storage/postgres/timeseries.ts';
import { windowFeatures } from './helpers/features.ts';
import { createTestDatabase, postgresAvailable, TEST_TIME_ZONE } from './helpers/infra.ts';

const postgres = await postgresAvailable();
const DAY = 86_400_000;
// 2026-11-29T10:00:00Z, and the US daylight-saving changes of 2026 (8 March, 1 November).
const T = Date.UTC(2026, 10, 29, 10);
const SPRING = Date.UTC(2026, 2, 8);
const AUTUMN = Date.UTC(2026, 10, 1);

const window = (start: number, over: Partial<WindowFeatures> = {}) =>
  windowFeatures('press.temp', start, over);

// PGlite in its default UTC session and in TEST_TIME_ZONE; PostgreSQL in TEST_TIME_ZONE.
const engines: [string, boolean, () => Promise<{ url: string; drop: () => Promise<void>; zone?: string }>][] =
  [
    ['PGlite', true, async () => ({ url: 'pglite://memory', drop: async () => {} })],
    [
      `PGlite in ${TEST_TIME_ZONE}`,
      true,
      async () => ({ url: 'pglite://memory', drop: async () => {}, zone: TEST_TIME_ZONE }),
    ],
    [`PostgreSQL in ${TEST_TIME_ZONE}`, postgres.available, () => createTestDatabase()],
  ];

describe.each(engines)('instants and days in storage on %s', (_name, available, create) => {
  let database: Awaited<ReturnType<typeof create>>;
  let db: Database;

  beforeAll(async () => {
    if (!available) return;
    database = await create();
    db = await openDatabase(database.url);
    if (database.zone) await db.exec(`SET timezone TO '${database.zone}'`);
    await migrate(db);
    await db.transaction((tx) =>
      upsertAsset(tx, {
        id: 'press',
        siteId: 'works',
        lineId: 'presses',
        name: 'press',
        kind: 'press',
        sensors: [
          {
            id: 'press.temp',
            assetId: 'press',
            kind: 'temperature',
            unit: '°C',
            sampleRateHz: 1,
            validMin: -50,
            validMax: 500,
          },
        ],
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it.runIf(available)(
    'rounds epoch milliseconds to the stored microsecond as the database does',
    async () => {
      // Sub-microsecond fractions, values at and near half a microsecond, and plain ones.
      const values = [T, T + 0.0001, T + 0.0004, T + 0.0005, T + 0.0015, T + 0.0025, T + 0.4999, T + 0.9996];
      for (let i = 0; i < 200; i++) values.push(T + Math.floor(Math.random() * DAY) + Math.random());
      const rows = await db.query<{ us: string; same: boolean }>(
        `SELECT (extract(epoch FROM to_timestamp(t / 1000.0)) * 1000000)::bigint::text AS us,
              to_timestamp(t / 1000.0) = x::timestamptz AS same
       FROM unnest($1::float8[], $2::text[]) WITH ORDINALITY AS u(t, x, i) ORDER BY i`,
        [values, values.map(storedTimestampText)],
      );
      expect(rows.map((r) => Number(r.us))).toEqual(values.map(storedMicros));
      expect(rows.every((r) => r.same)).toBe(true);
    },
  );

  it.runIf(available)(
    'keeps the last of readings repeated in a batch, also when equal only once stored',
    async () => {
      // 1764400000000.0001 and .0004 ms are the same microsecond once stored.
      const base = 1_764_400_000_000;
      await ensurePartitions(db, { raw_readings: [base], raw_blocks: [base] });
      await db.transaction((tx) =>
        writeRawReadings(tx, [
          { sensorId: 'press.temp', ts: base, value: 1 },
          { sensorId: 'press.temp', ts: base, value: 2 },
          { sensorId: 'press.temp', ts: base + 1.0001, value: 3 },
          { sensorId: 'press.temp', ts: base + 1.0004, value: 4 },
          { sensorId: 'press.temp', ts: base + 2.001, value: 5 },
        ]),
      );
      const rows = await db.query<{ value: number }>(
        `SELECT value FROM raw_readings WHERE sensor_id = 'press.temp' AND ts < to_timestamp($1 / 1000.0) ORDER BY ts`,
        [base + 10],
      );
      expect(rows.map((r) => r.value)).toEqual([2, 4, 5]);

      await db.transaction((tx) =>
        writeRawBlocks(tx, [
          { sensorId: 'press.temp', ts: base + 0.0001, rateHz: 10, values: [1, 1] },
          { sensorId: 'press.temp', ts: base + 0.0004, rateHz: 20, values: [2, 2] },
        ]),
      );
      const blocks = await db.query<{ rate_hz: number }>(
        `SELECT rate_hz FROM raw_blocks WHERE sensor_id = 'press.temp' ORDER BY ts`,
      );
      expect(blocks.map((b) => b.rate_hz)).toEqual([20]);
    },
  );

  it.runIf(available)(
    'folds a large batch with repeats into one row per stored instant (COPY on PostgreSQL)',
    async () => {
      const base = 1_764_400_100_000;
      await ensurePartitions(db, { raw_readings: [base] });
      // 300 readings, each written twice a tenth of a microsecond apart (a double near 1.8e12 ms is exact to
      // 0.25 µs): one stored instant each, and the second wins.
      const readings = Array.from({ length: 300 }, (_, i) => [
        { sensorId: 'press.temp', ts: base + i + 0.25, value: i },
        { sensorId: 'press.temp', ts: base + i + 0.2501, value: i + 0.5 },
      ]).flat();
      expect(new Set(readings.map((r) => storedMicros(r.ts))).size).toBe(300);
      await db.transaction((tx) => writeRawReadings(tx, readings));
      // Again, as a replay: the rows are there already.
      await db.transaction((tx) => writeRawReadings(tx, readings));
      const rows = await db.query<{ value: number; us: string }>(
        `SELECT value, (extract(epoch FROM ts) * 1000000)::bigint::text AS us FROM raw_readings
       WHERE sensor_id = 'press.temp' AND ts >= to_timestamp($1 / 1000.0) AND ts < to_timestamp($2 / 1000.0)
       ORDER BY ts`,
        [base, base + 1000],
      );
      expect(rows).toHaveLength(300);
      expect(rows[7]).toEqual({ value: 7.5, us: String(storedMicros(base + 7.25)) });
    },
  );

  it.runIf(available)('keeps the last of windows repeated in a batch', async () => {
    await ensurePartitions(db, { features: [T] });
    await db.transaction((tx) =>
      upsertFeatures(tx, [
        window(T, { mean: 1 }),
        window(T, { mean: 2 }),
        window(T + 10_000.0001, { mean: 3 }),
        window(T + 10_000.0004, { mean: 4 }),
      ]),
    );
    const rows = await db.query<{ mean: number }>(
      `SELECT mean FROM features WHERE asset_id = 'press' AND window_start < to_timestamp($1 / 1000.0) ORDER BY window_start`,
      [T + 20_000],
    );
    expect(rows.map((r) => r.mean)).toEqual([2, 4]);
  });

  it.runIf(available)('keeps the last of production counts repeated in a batch', async () => {
    await db.transaction((tx) =>
      recordCounts(
        tx,
        [
          { assetId: 'press', ts: T, produced: 100, good: 90 },
          { assetId: 'press', ts: T, produced: 120, good: 110 },
          { assetId: 'press', ts: T + 60_000.0001, produced: 5, good: 5 },
          { assetId: 'press', ts: T + 60_000.0004, produced: 6, good: 6 },
        ],
        'test',
      ),
    );
    const rows = await db.query<{ produced: number; good: number }>(
      'SELECT produced, good FROM production_counts WHERE asset_id = $1 ORDER BY ts',
      ['press'],
    );
    expect(rows).toEqual([
      { produced: 120, good: 110 },
      { produced: 6, good: 6 },
    ]);
  });

  it.runIf(available)(
    'creates daily partitions on UTC midnights across daylight-saving changes',
    async () => {
      for (const change of [SPRING, AUTUMN]) {
        await ensurePartitions(db, { features: [-1, 0, 1, 2, 3].map((d) => change + d * DAY) });
      }
      const bounds = await db.query<{ name: string; bound: string }>(
        `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'features'::regclass`,
      );
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
      for (const change of [SPRING, AUTUMN]) {
        for (const d of [-1, 0, 1, 2, 3]) {
          const partition = bounds.find((b) => b.name === `features_p${day(change + d * DAY)}`);
          expect(partition, day(change + d * DAY)).toBeDefined();
          // Bounds print in the session's zone: compare the instants.
          const [from, to] = [...(partition?.bound.matchAll(/'([^']+)'/g) ?? [])].map((m) =>
            Date.parse(m[1]),
          );
          expect([from, to]).toEqual([change + d * DAY, change + (d + 1) * DAY]);
        }
      }
    },
  );

  it.runIf(available)(
    'rolls windows up into UTC days, a day of 24 hours across a daylight-saving change',
    async () => {
      // 23:30Z on the day the clocks go back, and 00:30Z the day after.
      await ensurePartitions(db, { features: [AUTUMN, AUTUMN + DAY] });
      await db.transaction((tx) =>
        upsertFeatures(tx, [
          window(AUTUMN + 23.5 * 3_600_000, { count: 3 }),
          window(AUTUMN + 24.5 * 3_600_000, { count: 4 }),
        ]),
      );
      const days = await db.query<{ day: string; count: number }>(
        `SELECT (bucket AT TIME ZONE 'UTC')::text AS day, count::int AS count FROM features_1d
       WHERE asset_id = 'press' AND bucket >= to_timestamp($1 / 1000.0) AND bucket < to_timestamp($2 / 1000.0)
       ORDER BY bucket`,
        [AUTUMN, AUTUMN + 2 * DAY],
      );
      expect(days).toEqual([
        { day: '2026-11-01 00:00:00', count: 3 },
        { day: '2026-11-02 00:00:00', count: 4 },
      ]);
    },
  );
});
