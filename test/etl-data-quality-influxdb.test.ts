/**
 * `mantis etl data-quality` as a process with an InfluxDB 1.8 raw store: the same readings written through
 * both raw store adapters (InfluxDB and the database's tables), with a known gap, a known flat line and
 * values at and past their limits; the InfluxDB report is the one computed here and equals the database's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleBlock, ScalarReading } from '../src/domain/types.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { influxRawStore } from '../src/storage/influxdb/raw-store.ts';
import { migrate } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { databaseRawStore } from '../src/storage/postgres/raw-store.ts';
import { postgresRepositories } from '../src/storage/postgres/repositories.ts';
import {
  at,
  EXPECTED,
  READINGS,
  registerQualityAssets,
  storeWindowRecord,
  T0,
} from './helpers/data-quality-fixture.ts';
import { type InfluxServer, influxdAvailable, startInfluxServer } from './helpers/influxdb.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { runMantis } from './helpers/process.ts';

/** One second, ms. */
const _S = 1000;

const pgReady = await postgresAvailable();
const influxReady = await influxdAvailable();
// Two days ago at UTC midnight: inside InfluxDB's default retention, long past every window's close.
const iso = (s: number) => at(s).toISOString();

const ASSET_OF: Record<string, string> = {
  't1.temp': 'a1',
  't2.temp': 'a1',
  'v1.vib': 'a1',
  'p1.pressure': 'a2',
};
const SCALARS: ScalarReading[] = Object.entries(READINGS).flatMap(([sensorId, rows]) =>
  rows.map(([s, value]) => ({ sensorId, ts: T0 + s * 1000, value })),
);
/** A vibration block: stored as samples, not readings, so the sensor is not assessed. */
const BLOCKS: SampleBlock[] = [{ sensorId: 'v1.vib', ts: T0, rateHz: 12_800, values: [0.5, -0.25, 0.125] }];

describe.runIf(pgReady.available && influxReady.available)('mantis etl data-quality on InfluxDB', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let influx: InfluxServer;
  const influxUrl = () => `influxdb://${new URL(influx.url).host}/mantis_quality`;
  const quality = (rawStoreUrl: string) =>
    runMantis(['etl', 'data-quality', '--from', iso(0), '--to', iso(120), '--json'], {
      MANTIS_DATABASE_URL: testDb.url,
      MANTIS_RAW_STORE_URL: rawStoreUrl,
      MANTIS_LOG_LEVEL: 'silent',
    });

  beforeAll(async () => {
    influx = await startInfluxServer();
    await influx.query('CREATE DATABASE mantis_quality');
    testDb = await createTestDatabase();
    db = await openDatabase(testDb.url);
    await migrate(db);
    const { registry } = postgresRepositories(db);
    await registerQualityAssets(registry);
    const influxRaw = influxRawStore(influxUrl(), {
      assetOf: async (ids) => new Map(ids.map((id) => [id, ASSET_OF[id]])),
    });
    await influxRaw.write({ scalars: SCALARS, blocks: BLOCKS });
    await influxRaw.close();
    await databaseRawStore(db).write({ scalars: SCALARS, blocks: BLOCKS });
    await db.query('SELECT mantis_ensure_partitions($1::regclass, $2, $3)', [
      'features',
      at(-86_400),
      at(86_400),
    ]);
    await storeWindowRecord(db);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
    await influx?.remove();
  });

  it('reports the gap, the flat line and the limits read from InfluxDB as from the database', async () => {
    const stored = await influx.query('SELECT count("value") FROM "readings"', 'mantis_quality');
    expect(stored.results[0].series?.[0].values[0][1]).toBe(SCALARS.length);
    const fromInflux = await quality(influxUrl());
    expect(fromInflux.stderr).toBe('');
    expect(fromInflux.code).toBe(0);
    expect(JSON.parse(fromInflux.stdout)).toEqual(EXPECTED);
    const fromDatabase = await quality('database:');
    expect(fromDatabase.code, fromDatabase.stderr).toBe(0);
    expect(JSON.parse(fromDatabase.stdout)).toEqual(JSON.parse(fromInflux.stdout));
  }, 60_000);
});
