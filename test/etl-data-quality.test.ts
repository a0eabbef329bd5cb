/**
 * `mantis etl data-quality` as a process against a real PostgreSQL (raw store in the database): readings
 * stored with a known gap, a flat line, values at and past their limits, late readings and a lagging clock;
 * the exact report, the table, the metrics file, --fail-on and bad flags.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import { postgresRepositories } from '../src/storage/postgres/repositories.ts';
import {
  at,
  EXPECTED,
  READINGS,
  registerQualityAssets,
  storeWindowRecord,
  T0,
} from './helpers/data-quality-fixture.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { runMantis } from './helpers/process.ts';

/** One second, ms. */
const S = 1000;

const pgReady = await postgresAvailable();
const iso = (s: number) => at(s).toISOString();

describe.runIf(pgReady.available)('mantis etl data-quality on PostgreSQL', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'mantis-quality-'));
  const quality = (...args: string[]) => runMantis(['etl', 'data-quality', ...args], env);
  const range = ['--from', iso(0), '--to', iso(120)];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = { MANTIS_DATABASE_URL: testDb.url, MANTIS_LOG_LEVEL: 'silent' };
    db = await openDatabase(testDb.url);
    await migrate(db);
    const { registry } = postgresRepositories(db);
    await registerQualityAssets(registry);
    // Days this far back have no time partitions yet (the processor's writes create theirs as it goes).
    for (const table of ['raw_readings', 'features']) {
      await db.query('SELECT mantis_ensure_partitions($1::regclass, $2, $3)', [
        table,
        at(-86_400),
        at(86_400),
      ]);
    }
    for (const [sensor, rows] of Object.entries(READINGS)) {
      await db.query(
        'INSERT INTO raw_readings (sensor_id, ts, value) SELECT $1, to_timestamp(t / 1000.0), v FROM unnest($2::float8[], $3::float8[]) AS u(t, v)',
        [sensor, rows.map(([s]) => T0 + s * 1000), rows.map(([, v]) => v)],
      );
    }
    await storeWindowRecord(db);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('reports each sensor’s gaps, flat lines, limits, late readings and clock lag, and writes the gauges', async () => {
    const metricsFile = join(dir, 'quality.prom');
    const run = await quality(...range, '--json', '--metrics-file', metricsFile);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(EXPECTED);

    const text = readFileSync(metricsFile, 'utf8');
    for (const line of [
      'mantis_data_quality_gaps{asset="a1"} 1',
      'mantis_data_quality_gaps{asset="a2"} 0',
      'mantis_data_quality_flat_lines{asset="a1"} 1',
      'mantis_data_quality_out_of_range_readings{asset="a2",bound="below"} 1',
      'mantis_data_quality_out_of_range_readings{asset="a2",bound="above"} 1',
      'mantis_data_quality_out_of_range_readings{asset="a2",bound="at_limit"} 2',
      'mantis_data_quality_late_readings{asset="a1"} 3',
      'mantis_data_quality_clock_skew_seconds{asset="a1"} 120',
      'mantis_data_quality_clock_skew_seconds{asset="a2"} 0',
      'mantis_data_quality_sensors_with_issues{asset="a1"} 2',
      `mantis_data_quality_range_end_timestamp_seconds ${(T0 + 120 * S) / 1000}`,
      'mantis_job_runs_total{etl_job="data-quality",outcome="success"} 1',
    ]) {
      expect(text).toContain(line);
    }
  });

  it('prints a table, and filters on an asset', async () => {
    const run = await quality(...range, '--asset', 'a2');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'sensor       asset  readings  gaps  longest gap  flat  out  at limit  late  lag  lead',
      'p1.pressure  a2     120/120   0     -            0     2    2         -     -    0.0s',
      `${iso(0)} to ${iso(120)}: 1 sensor(s), 1 with issues: 0 gap(s), 0 flat line(s), 2 out of range, 2 at a limit, 0 late, 0 skewed`,
      'thresholds: gap > 3 × period, flat ≥ 30 samples, skew > 60 s (windows 10 s, allowed lateness 5 s)',
      '',
    ]);
  });

  it('exits 3 with --fail-on when an issue of that kind is found, 0 otherwise', async () => {
    expect((await quality(...range, '--fail-on', 'gaps')).code).toBe(3);
    expect((await quality(...range, '--fail-on', 'clock-skew,late')).code).toBe(3);
    expect((await quality(...range, '--asset', 'a2', '--fail-on', 'gaps,clock-skew')).code).toBe(0);
    expect((await quality(...range, '--asset', 'a2', '--fail-on', 'any')).code).toBe(3);
    // A wider gap threshold: t1's 21 s silence is then no gap.
    expect((await quality(...range, '--gap-factor', '25', '--fail-on', 'gaps')).code).toBe(0);
  });

  it('refuses bad flags with exit code 2, naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--from', 'yesterday'], /--from: expected an ISO 8601 time with its zone/],
      // Epoch seconds for epoch ms, a range longer than a year, an asset that does not exist, an empty list.
      [['--from', String(Math.floor(T0 / 1000))], /--from: \d+ looks like epoch seconds/],
      [['--from', '2020-01-01', '--to', '2022-01-01'], /--to: the range spans 731 days, more than 366/],
      [[...range, '--asset', '../x'], /--asset: unknown asset "..\/x"/],
      [[...range, '--fail-on', ''], /--fail-on: expected any or a comma-separated list of kinds/],
      [['--from', iso(10), '--to', iso(0)], /--to: .* must be after --from/],
      [[...range, '--gap-factor', '0.5'], /--gap-factor: expected a number ≥ 1, got "0.5"/],
      [[...range, '--flat-samples', '2.5'], /--flat-samples: expected a whole number ≥ 2/],
      [[...range, '--fail-on', 'gaps,typos'], /--fail-on: unknown kind "typos"/],
    ];
    for (const [args, message] of cases) {
      const run = await quality(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
