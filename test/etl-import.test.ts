/**
 * `mantis etl import-assets` as a process against a real PostgreSQL: a file full of bad rows (each reported
 * with its line, column and reason, the good assets stored), a second import that changes nothing, a dry run
 * that writes nothing, JSON input, the job's metrics file, and the exit codes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { runMantis as mantis } from './helpers/process.ts';

const _bin = fileURLToPath(new URL('../bin/mantis.js', import.meta.url));
const PROMTOOL = '/usr/bin/promtool';
const pgReady = await postgresAvailable();

const HEADER =
  'site,siteName,line,lineName,asset,assetName,kind,sensor,sensorKind,unit,sampleRateHz,validMin,validMax,rpm,bearing,bearingLocation';

/** Assets that hold a sensor id and a line the bad file then tries to take. */
const SEED = [
  HEADER,
  'plant-b,Plant B,line-b,Line B,mixer-1,Mixer 1,mixer,mixer-1.temp,temperature,degC,1,-50,200,,,',
].join('\n');

/** Two good assets, seven bad rows: four refused by their cells, two by the registry, one naming no asset. */
const BAD_FILE = [
  HEADER,
  'plant-a,Plant A,line-1,Line 1,pump-1,Feed pump 1,pump,pump-1.vib,vibration,m/s²,12800,-500,500,1797,6205,drive end', // 2
  'plant-a,Plant A,line-1,Line 1,fan-1,Fan 1,fan,fan-1.temp,temperature,degC,abc,-50,200,,,', // 3
  'plant-a,Plant A,line-1,Line 1,pump-1,Feed pump 1,pump,pump-1.temp,temperature,degC,1,-50,200,1797,,', // 4
  'plant-a,Plant A,line-1,Line 1,fan-2,Fan 2,fan,fan-2.temp,temperature,degC,1,80,20,,,', // 5
  'plant-a,Plant A,line-1,Line 1,fan-3,Fan 3,fan,fan-3.temp,humidity,%,1,0,100,,,', // 6
  'plant-a,Plant A,line-1,Line 1,fan-4,Fan 4,fan,fan-4.temp,temperature,degC,1,0,100,,6205,', // 7
  'plant-a,Plant A,line-1,Line 1,fan-5,Fan 5,fan,mixer-1.temp,temperature,degC,1,0,100,,,', // 8
  'plant-a,Plant A,line-b,,fan-6,Fan 6,fan,fan-6.temp,temperature,degC,1,0,100,,,', // 9
  'plant-a,Plant A,line-1,Line 1,,No asset,fan,x.temp,temperature,degC,1,0,100,,,', // 10
  'plant-a,Plant A,line-1,Line 1,motor-1,"Motor 1, east",motor,motor-1.current,current,A,10,0,50,,,', // 11
].join('\r\n');

const BAD_PROBLEMS = [
  [3, 'sampleRateHz', 'fan-1', 'must be a number, got "abc"'],
  [5, 'validMax', 'fan-2', 'must be greater than validMin'],
  [6, 'sensorKind', 'fan-3', 'must be one of vibration, temperature, current, pressure, speed, other'],
  [7, 'bearing', 'fan-4', 'only a vibration sensor has bearings; this one is of kind temperature'],
  [10, 'asset', null, 'is required'],
  [8, 'sensor', 'fan-5', 'sensor mixer-1.temp belongs to another asset'],
  [9, 'line', 'fan-6', 'line line-b belongs to site plant-b'],
];

describe.runIf(pgReady.available)('mantis etl import-assets on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'mantis-etl-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const importJson = async (...args: string[]) => {
    const run = await mantis(['etl', 'import-assets', ...args, '--json'], env);
    return { ...run, summary: run.stdout ? JSON.parse(run.stdout) : null };
  };
  /** Everything an import may write, with versions and update times. */
  const snapshot = async () => ({
    sites: (await client.query('SELECT * FROM sites ORDER BY id')).rows,
    lines: (await client.query('SELECT * FROM lines ORDER BY id')).rows,
    assets: (await client.query('SELECT * FROM assets ORDER BY id')).rows,
    sensors: (await client.query('SELECT * FROM sensors ORDER BY id')).rows,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      MANTIS_DATABASE_URL: db.url,
      MANTIS_INGEST_TOKEN: 'etl-import-test-token-0123456789',
      MANTIS_LOG_LEVEL: 'silent',
    };
    const seeded = await importJson(file('seed.csv', SEED));
    expect(seeded.code).toBe(0);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('reports each bad row with its line, column and reason, stores the good assets, and exits 2', async () => {
    const run = await importJson(file('bad.csv', BAD_FILE));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    const s = run.summary;
    expect(s.problems.map((p: Record<string, unknown>) => [p.line, p.column, p.assetId, p.reason])).toEqual(
      BAD_PROBLEMS,
    );
    expect(s.assets).toEqual({ created: 2, updated: 0, unchanged: 0, refused: 6 });
    expect(s.rows).toEqual({ total: 10, stored: 3, unchanged: 0, refused: 7 });
    // Those refused by their rows first (rows naming no asset before all), then those the registry refused.
    expect(s.refusedAssets).toEqual([null, 'fan-1', 'fan-2', 'fan-3', 'fan-4', 'fan-5', 'fan-6']);

    const assets = await client.query(
      'SELECT id, site_id, line_id, name, kind, machine FROM assets WHERE id <> $1 ORDER BY id',
      ['mixer-1'],
    );
    expect(assets.rows).toEqual([
      {
        id: 'motor-1',
        site_id: 'plant-a',
        line_id: 'line-1',
        name: 'Motor 1, east',
        kind: 'motor',
        machine: null,
      },
      {
        id: 'pump-1',
        site_id: 'plant-a',
        line_id: 'line-1',
        name: 'Feed pump 1',
        kind: 'pump',
        machine: { speed: { source: 'fixed', rpm: 1797 } },
      },
    ]);
    const sensors = await client.query(
      `SELECT id, asset_id, kind, unit, sample_rate_hz, valid_min, valid_max, bearings FROM sensors
       WHERE asset_id <> 'mixer-1' ORDER BY id`,
    );
    expect(sensors.rows).toEqual([
      {
        id: 'motor-1.current',
        asset_id: 'motor-1',
        kind: 'current',
        unit: 'A',
        sample_rate_hz: 10,
        valid_min: 0,
        valid_max: 50,
        bearings: null,
      },
      {
        id: 'pump-1.temp',
        asset_id: 'pump-1',
        kind: 'temperature',
        unit: 'degC',
        sample_rate_hz: 1,
        valid_min: -50,
        valid_max: 200,
        bearings: null,
      },
      {
        id: 'pump-1.vib',
        asset_id: 'pump-1',
        kind: 'vibration',
        unit: 'm/s²',
        sample_rate_hz: 12800,
        valid_min: -500,
        valid_max: 500,
        bearings: [{ designation: '6205', location: 'drive end' }],
      },
    ]);
    const places = await client.query(
      `SELECT 'site' AS kind, id, name FROM sites UNION ALL SELECT 'line', id, name FROM lines ORDER BY 1, 2`,
    );
    expect(places.rows).toEqual([
      { kind: 'line', id: 'line-1', name: 'Line 1' },
      { kind: 'line', id: 'line-b', name: 'Line B' },
      { kind: 'site', id: 'plant-a', name: 'Plant A' },
      { kind: 'site', id: 'plant-b', name: 'Plant B' },
    ]);
    // Nothing of a refused asset, and the sensor and line they tried to take are as they were.
    const refused = await client.query("SELECT id FROM assets WHERE id LIKE 'fan-%'");
    expect(refused.rows).toEqual([]);
    const taken = await client.query("SELECT asset_id FROM sensors WHERE id = 'mixer-1.temp'");
    expect(taken.rows).toEqual([{ asset_id: 'mixer-1' }]);
  });

  it('prints each problem as a line of text without --json', async () => {
    const run = await mantis(['etl', 'import-assets', join(dir, 'bad.csv')], env);
    expect(run.code).toBe(2);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('line 3, column sampleRateHz (asset fan-1): must be a number, got "abc"');
    expect(lines).toContain('line 9, column line (asset fan-6): line line-b belongs to site plant-b');
    expect(lines).toContain('asset fan-6 not imported (see above)');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await snapshot();
    const run = await importJson(join(dir, 'bad.csv'), '--batch-size', '1');
    expect(run.code).toBe(2);
    expect(run.summary.assets).toEqual({ created: 0, updated: 0, unchanged: 2, refused: 6 });
    expect(run.summary.rows).toEqual({ total: 10, stored: 0, unchanged: 3, refused: 7 });
    // One batch per asset that passed the file's checks: pump-1, fan-5, fan-6, motor-1.
    expect(run.summary.batches).toBe(4);
    expect(await snapshot()).toEqual(before);
  });

  it('with --dry-run reports what it would do and writes nothing', async () => {
    const changed = BAD_FILE.replace(
      'Feed pump 1,pump,pump-1.temp,temperature,degC,1,-50,200',
      'Feed pump 1,pump,pump-1.temp,temperature,degC,1,-50,250',
    )
      .replace('"Motor 1, east"', 'Motor 1')
      .concat('\r\nplant-c,Plant C,line-c,Line C,pump-9,Pump 9,pump,pump-9.temp,temperature,degC,1,0,90,,,');
    const before = await snapshot();
    const run = await importJson(file('changed.csv', changed), '--dry-run');
    expect(run.code).toBe(2);
    expect(run.summary.dryRun).toBe(true);
    expect(run.summary.assets).toEqual({ created: 1, updated: 2, unchanged: 0, refused: 6 });
    expect(run.summary.problems).toHaveLength(BAD_PROBLEMS.length);
    expect(await snapshot()).toEqual(before);
  });

  it('imports a JSON array of assets, refusing a bad item by its index and field', async () => {
    const good = {
      id: 'press-1',
      siteId: 'plant-a',
      lineId: 'line-1',
      name: 'Press 1',
      kind: 'press',
      idealCycleSeconds: 4,
      machine: { speed: { source: 'sensor', sensorId: 'press-1.speed' } },
      sensors: [
        { id: 'press-1.speed', kind: 'speed', unit: 'rpm', sampleRateHz: 1, validMin: 0, validMax: 6000 },
        { id: 'press-1.vib', kind: 'vibration', unit: 'g', sampleRateHz: 5120, validMin: -50, validMax: 50 },
      ],
    };
    const bad = {
      ...good,
      id: 'press-2',
      machine: { speed: { source: 'sensor', sensorId: 'press-2.nope' } },
    };
    const run = await importJson(file('assets.json', JSON.stringify([good, bad])));
    expect(run.code).toBe(2);
    expect(run.summary.problems).toEqual([
      {
        line: null,
        item: 1,
        column: 'machine.speed.sensorId',
        reason: 'press-2.nope is not an active sensor of asset press-2',
        assetId: 'press-2',
      },
    ]);
    expect(run.summary.assets).toEqual({ created: 1, updated: 0, unchanged: 0, refused: 1 });
    const stored = await client.query("SELECT ideal_cycle_seconds, machine FROM assets WHERE id = 'press-1'");
    expect(stored.rows).toEqual([{ ideal_cycle_seconds: 4, machine: good.machine }]);
    const count = await client.query("SELECT count(*)::int AS n FROM sensors WHERE asset_id = 'press-1'");
    expect(count.rows).toEqual([{ n: 2 }]);
  });

  it('exits 0 when every row is imported and writes the job metrics for the textfile collector', async () => {
    const metricsFile = join(dir, 'import.prom');
    const good = `${HEADER}\nplant-a,Plant A,line-1,Line 1,valve-1,Valve 1,valve,valve-1.p,pressure,bar,1,0,16,,,`;
    const run = await importJson(file('good.csv', good), '--metrics-file', metricsFile);
    expect(run.code).toBe(0);
    expect(run.summary.problems).toEqual([]);
    expect(run.summary.assets).toEqual({ created: 1, updated: 0, unchanged: 0, refused: 0 });
    const text = readFileSync(metricsFile, 'utf8');
    expect(text).toContain('mantis_job_runs_total{etl_job="import-assets",outcome="success"} 1');
    expect(text).toContain('mantis_job_rows_total{etl_job="import-assets",outcome="stored"} 1');
    expect(text).toContain('mantis_job_rows_total{etl_job="import-assets",outcome="refused"} 0');
    expect(text).toContain('mantis_job_duration_seconds_count{etl_job="import-assets"} 1');
    if (existsSync(PROMTOOL)) {
      const check = await new Promise<number | null>((resolve) => {
        const child = spawn(PROMTOOL, ['check', 'metrics']);
        child.stdin.end(text);
        child.on('close', resolve);
      });
      expect(check).toBe(0);
    }
  });

  it('exits 1 when the database cannot be reached, counting a failed run', async () => {
    const metricsFile = join(dir, 'failed.prom');
    const run = await mantis(['etl', 'import-assets', join(dir, 'good.csv'), '--metrics-file', metricsFile], {
      ...env,
      MANTIS_DATABASE_URL: 'postgres://mantis:mantis@127.0.0.1:1/none',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^mantis etl import-assets: /);
    expect(readFileSync(metricsFile, 'utf8')).toContain(
      'mantis_job_runs_total{etl_job="import-assets",outcome="failure"} 1',
    );
  });

  it('exits 2 on bad flags and on a file it cannot read', async () => {
    const zero = await mantis(['etl', 'import-assets', join(dir, 'good.csv'), '--batch-size', '0'], env);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--batch-size: expected a whole number from 1 to 10000, got "0"');
    const unknown = await mantis(['etl', 'import-assets', join(dir, 'good.csv'), '--dry'], env);
    expect(unknown.code).toBe(2);
    const missing = await mantis(['etl', 'import-assets', join(dir, 'missing.csv')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.csv: cannot read it (ENOENT)');
    const xlsx = await mantis(['etl', 'import-assets', file('a.xlsx', 'x')], env);
    expect(xlsx.code).toBe(2);
    expect(xlsx.stderr).toContain('expected a .csv or .json file');
    const help = await mantis(['etl', 'import-assets', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit code: 0 every row imported');
  });
});
