import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MantisApp } from '../src/app/app.ts';
import type { WindowFeatures } from '../src/domain/types.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate, readMigrations } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import type { Resolution, RollupPoint } from '../src/storage/ports/feature-reader.ts';
import { ensurePartitions } from '../src/storage/postgres/partitions.ts';
import { queryRollups, upsertFeatures } from '../src/storage/postgres/timeseries.ts';
import { client, startApp } from './helpers/app.ts';
import { windowFeatures } from './helpers/features.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { jobs, openTimescalePglite, runJob } from './helpers/timescaledb.ts';

/**
 * The vibration severity in the 1 min / 1 h / 1 day roll-ups (V017): r.m.s. velocity, its maximum and the worst
 * ISO 20816-3 zone, on PGlite, PostgreSQL and TimescaleDB 2.23 (WebAssembly), for windows stored after the
 * migration and for windows stored before it.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** 08:00 UTC three days ago: old enough for every level to be materialized under TimescaleDB. */
const T0 = Math.floor(Date.now() / DAY) * DAY - 3 * DAY + 8 * HOUR;

type Zone = WindowFeatures['severityZone'];
/** [start offset, sample count, r.m.s. velocity in mm/s, zone] of each vibration window. */
const VIBRATION: [number, number, number | null, Zone][] = [
  [0, 1, 2, 'A'],
  [10_000, 3, 4, 'B'],
  // A window without a velocity: its samples must not weigh on the bucket's velocity.
  [20_000, 5, null, null],
  [MINUTE, 2, 6, 'C'],
  [HOUR, 4, 12, 'D'],
];

/** A diagnosis as windows of diagnosed sensors carry it (nested objects and arrays). */
const DIAGNOSTICS: WindowFeatures['diagnostics'] = {
  blocks: 2,
  speed: { source: 'fixed', hz: 29.95, rpm: 1797 },
  band: { lowHz: 2000, highHz: 4000 },
  envelope: [],
  diagnoses: [],
};

function windowsOf(assetId: string): WindowFeatures[] {
  const vibration = VIBRATION.map(([dt, count, velocityRms, severityZone]) =>
    windowFeatures(`${assetId}.vib`, T0 + dt, {
      assetId,
      count,
      velocityRms,
      severityZone,
      bandEnergies: [0.5, 0.25],
      diagnostics: velocityRms === null ? null : DIAGNOSTICS,
    }),
  );
  const scalar = [0, MINUTE, HOUR].map((dt) => windowFeatures(`${assetId}.temp`, T0 + dt, { assetId }));
  return [...vibration, ...scalar];
}

interface Severity {
  bucket: number;
  velocityRms: number | null;
  maxVelocityRms: number | null;
  maxSeverityZone: Zone;
}

/**
 * What each bucket of `size` ms should hold, from the windows themselves: √(Σ n·v² / Σ n) over the windows with
 * a velocity v (n their sample counts), the largest v, and the last zone in A–D order.
 */
function expected(size: number): Severity[] {
  const groups = Map.groupBy(VIBRATION, ([dt]) => Math.floor((T0 + dt) / size) * size);
  return [...groups].map(([bucket, rows]) => {
    const withVelocity = rows.filter(([, , v]) => v !== null) as [number, number, number, Zone][];
    const n = withVelocity.reduce((s, [, c]) => s + c, 0);
    const squares = withVelocity.reduce((s, [, c, v]) => s + c * v * v, 0);
    return {
      bucket,
      velocityRms: Math.sqrt(squares / n),
      maxVelocityRms: Math.max(...withVelocity.map(([, , v]) => v)),
      maxSeverityZone: withVelocity
        .map(([, , , z]) => z)
        .sort()
        .at(-1) as Zone,
    };
  });
}

const LEVELS: [Resolution, number][] = [
  ['1m', MINUTE],
  ['1h', HOUR],
  ['1d', DAY],
];

function expectSeverity(got: Severity[], want: Severity[], what: string) {
  expect(
    got.map((b) => b.bucket),
    what,
  ).toEqual(want.map((b) => b.bucket));
  got.forEach((b, i) => {
    expect(b.velocityRms, `${what} ${new Date(b.bucket).toISOString()}`).toBeCloseTo(
      want[i].velocityRms as number,
      12,
    );
    expect([b.maxVelocityRms, b.maxSeverityZone]).toEqual([want[i].maxVelocityRms, want[i].maxSeverityZone]);
  });
}

async function store(db: Database, features: WindowFeatures[]) {
  await ensurePartitions(db, { features: features.map((f) => f.windowStart) });
  await db.transaction((tx) => upsertFeatures(tx, features));
}

const rollups = (db: Database, assetId: string, sensorId: string, resolution: Resolution) =>
  queryRollups(db, { assetId, sensorId, from: T0 - DAY, to: T0 + DAY, limit: 100, resolution });

/** The velocity columns as materialized under TimescaleDB, read from the aggregate's own hypertable. */
async function materialized(db: Database, view: string, sensorId: string): Promise<Severity[]> {
  const [{ schema, name }] = await db.query<{ schema: string; name: string }>(
    `SELECT materialization_hypertable_schema AS schema, materialization_hypertable_name AS name
     FROM timescaledb_information.continuous_aggregates WHERE view_name = $1`,
    [view],
  );
  const rows = await db.query<{ bucket: Date; v: number; max: number; zone: Zone }>(
    `SELECT bucket, velocity_rms AS v, max_velocity_rms AS max, max_severity_zone AS zone
     FROM "${schema}"."${name}" WHERE sensor_id = $1 ORDER BY bucket`,
    [sensorId],
  );
  return rows.map((r) => ({
    bucket: r.bucket.getTime(),
    velocityRms: r.v,
    maxVelocityRms: r.max,
    maxSeverityZone: r.zone,
  }));
}

const postgres = await postgresAvailable();
const engines: [string, boolean, () => Promise<{ db: Database; drop: () => Promise<void> }>][] = [
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

describe.each(engines)('vibration severity in the roll-ups on %s', (engine, available, open) => {
  let opened: Awaited<ReturnType<typeof open>>;
  let db: Database;
  const timescale = engine.startsWith('TimescaleDB');

  beforeAll(async () => {
    if (!available) return;
    opened = await open();
    db = opened.db;
    // pump-1's windows are stored on the schema before V017, and materialized under TimescaleDB; fan-1's after.
    const all = readMigrations();
    await migrate(db, { migrations: all.filter((m) => m.version !== null && m.version <= 16) });
    await store(db, windowsOf('pump-1'));
    if (timescale) {
      for (const view of ['features_1m', 'features_1h', 'features_1d']) {
        await db.exec(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
      }
    }
    await migrate(db, { migrations: all });
    await store(db, windowsOf('fan-1'));
  }, 180_000);

  afterAll(async () => {
    await db?.close();
    await opened?.drop();
  });

  it.runIf(available)(
    'rolls up r.m.s. velocity as √(Σ n·v² / Σ n) over the windows with one, with the largest and the worst zone',
    async () => {
      for (const [resolution, size] of LEVELS) {
        expectSeverity(await rollups(db, 'fan-1', 'fan-1.vib', resolution), expected(size), resolution);
      }
      // The first minute: windows of 2 and 4 mm/s over 1 and 3 samples, the 5 samples without velocity aside.
      const [minute] = await rollups(db, 'fan-1', 'fan-1.vib', '1m');
      expect(minute).toMatchObject({ windows: 3, count: 9, maxVelocityRms: 4, maxSeverityZone: 'B' });
      expect(minute.velocityRms).toBeCloseTo(Math.sqrt((1 * 2 ** 2 + 3 * 4 ** 2) / 4), 12);
    },
  );

  it.runIf(available)('keeps velocity, its maximum and the zone null for a scalar sensor', async () => {
    for (const [resolution] of LEVELS) {
      const buckets: RollupPoint[] = await rollups(db, 'fan-1', 'fan-1.temp', resolution);
      expect(buckets.length).toBeGreaterThan(0);
      expect(buckets.map((b) => [b.velocityRms, b.maxVelocityRms, b.maxSeverityZone])).toEqual(
        buckets.map(() => [null, null, null]),
      );
    }
  });

  it.runIf(available)('fills the buckets of windows stored before the migration', async () => {
    for (const [resolution, size] of LEVELS) {
      expectSeverity(await rollups(db, 'pump-1', 'pump-1.vib', resolution), expected(size), resolution);
    }
  });

  // Continuous aggregates only: the native roll-ups are written with the windows.
  if (timescale)
    it('materializes them under TimescaleDB by one job that replaces the pending one', async () => {
      const pending = (await jobs(db)).filter((j) => j.proc_name === 'mantis_materialize_rollups');
      expect(pending).toHaveLength(1);
      await runJob(db, 'mantis_materialize_rollups', null);
      expect((await jobs(db)).filter((j) => j.proc_name === 'mantis_materialize_rollups')).toEqual([]);
      for (const [[resolution, size], view] of LEVELS.map((l, i) => [l, `features_1${'mhd'[i]}`] as const)) {
        for (const sensorId of ['pump-1.vib', 'fan-1.vib']) {
          expectSeverity(await materialized(db, view, sensorId), expected(size), `${view} ${sensorId}`);
        }
        expect(await materialized(db, view, 'pump-1.temp')).toEqual(
          (await rollups(db, 'pump-1', 'pump-1.temp', resolution)).map((b) => ({
            bucket: b.bucket,
            velocityRms: null,
            maxVelocityRms: null,
            maxSeverityZone: null,
          })),
        );
      }
    });
});

describe('GET /v1/assets/{id}/features with the vibration severity', () => {
  let app: MantisApp;

  beforeAll(async () => {
    app = await startApp();
    const put = await client(app).request('PUT', '/v1/assets/fan-1', {
      siteId: 'plant-1',
      lineId: 'line-1',
      name: 'Fan 1',
      kind: 'fan',
      sensors: [
        { id: 'fan-1.vib', kind: 'vibration', unit: 'g', sampleRateHz: 5120, validMin: -50, validMax: 50 },
        {
          id: 'fan-1.temp',
          kind: 'temperature',
          unit: 'degC',
          sampleRateHz: 1,
          validMin: -40,
          validMax: 200,
        },
      ],
    });
    expect(put.status).toBeLessThan(300);
    await store(app.services.db as Database, windowsOf('fan-1'));
  }, 60_000);

  afterAll(() => app?.stop());

  const get = (query: string) =>
    client(app).json<{ resolution: string; items: Record<string, unknown>[] }>(
      `/v1/assets/fan-1/features?from=${T0 - DAY}&to=${T0 + DAY}&${query}`,
    );

  it('serves each roll-up with velocityRms, maxVelocityRms and maxSeverityZone, null for a scalar sensor', async () => {
    for (const [resolution, size] of LEVELS) {
      const vib = await get(`sensor=fan-1.vib&resolution=${resolution}`);
      expect(vib.resolution).toBe(resolution);
      expectSeverity(vib.items as unknown as Severity[], expected(size), `api ${resolution}`);
      const temp = await get(`sensor=fan-1.temp&resolution=${resolution}`);
      expect(temp.items.length).toBeGreaterThan(0);
      for (const item of temp.items) {
        expect([item.velocityRms, item.maxVelocityRms, item.maxSeverityZone]).toEqual([null, null, null]);
      }
    }
  });

  it('serves the stored windows whole at resolution window', async () => {
    const windows = await get('sensor=fan-1.vib');
    expect(windows.items).toEqual(windowsOf('fan-1').filter((w) => w.sensorId === 'fan-1.vib'));
  });
});
