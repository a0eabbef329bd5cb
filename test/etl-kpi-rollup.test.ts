/**
 * `mantis etl kpi-rollup` as a process against a real PostgreSQL: a back-fill of every asset, line and site
 * over past days checked against hand-worked totals and against the KPI readers; a second run that changes
 * nothing; a downtime recorded late that corrects its days; a dry run; the metrics file; bad flags.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiTotals } from '../src/domain/kpis.ts';
import { openDatabase } from '../src/storage/adapters.ts';
import { migrate } from '../src/storage/migrate.ts';
import type { Database } from '../src/storage/ports/database.ts';
import type { Repositories } from '../src/storage/ports/repositories.ts';
import { postgresRepositories } from '../src/storage/postgres/repositories.ts';
import { createTestDatabase, postgresAvailable } from './helpers/infra.ts';
import { runMantis } from './helpers/process.ts';

const pgReady = await postgresAvailable();
const H = 3_600_000;
const DAY = 24 * H;
const today = Math.floor(Date.now() / DAY) * DAY;
const D0 = today - 10 * DAY;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Row = Omit<KpiTotals, 'openRepairs'>;
const idle: Row = {
  plannedBusyMs: DAY,
  unplannedDowntimeMs: 0,
  actualProductionMs: DAY,
  failures: 0,
  repairs: 0,
  repairMs: 0,
  produced: 0,
  good: 0,
  idealRunMs: 0,
};
const sum = (rows: Row[]): Row =>
  Object.fromEntries(
    Object.keys(idle).map((k) => [k, rows.reduce((n, r) => n + r[k as keyof Row], 0)]),
  ) as Row;

/** Worked by hand from the inputs stored in beforeAll (docs/kpis.md): asset → its three days. */
const EXPECTED: Record<string, Row[]> = {
  // Unplanned 01:00–03:00 on day 0 (one failure, one repair of 2 h); 50 items of 30 s, all good.
  p1: [
    {
      ...idle,
      unplannedDowntimeMs: 2 * H,
      actualProductionMs: DAY - 2 * H,
      failures: 1,
      repairs: 1,
      repairMs: 2 * H,
      produced: 50,
      good: 50,
      idealRunMs: 50 * 30_000,
    },
    idle,
    idle,
  ],
  // Planned 00:00–04:00 on day 1: out of the planned busy time.
  p2: [idle, { ...idle, plannedBusyMs: DAY - 4 * H, actualProductionMs: DAY - 4 * H }, idle],
  // 100 items of 60 s, 95 good, on day 2.
  p3: [idle, idle, { ...idle, produced: 100, good: 95, idealRunMs: 100 * 60_000 }],
  // Unplanned from 22:00 on day 2 to 02:00 the day after the range: a failure, no repair yet.
  p4: [idle, idle, { ...idle, unplannedDowntimeMs: 2 * H, actualProductionMs: DAY - 2 * H, failures: 1 }],
};
const PLACES = { p1: ['L1', 'S1'], p2: ['L1', 'S1'], p3: ['L2', 'S1'], p4: ['L3', 'S2'] } as const;

function expectedScopes(expected: Record<string, Row[]>) {
  const rows: { scope: string; scopeId: string; day: string; totals: Row }[] = [];
  const ids = Object.keys(expected) as (keyof typeof PLACES)[];
  for (let d = 0; d < 3; d++) {
    for (const id of ids)
      rows.push({ scope: 'asset', scopeId: id, day: iso(D0 + d * DAY), totals: expected[id][d] });
    for (const [scope, at] of [
      ['line', 0],
      ['site', 1],
    ] as const) {
      for (const place of [...new Set(ids.map((id) => PLACES[id][at]))]) {
        const members = ids.filter((id) => PLACES[id][at] === place);
        rows.push({
          scope,
          scopeId: place,
          day: iso(D0 + d * DAY),
          totals: sum(members.map((id) => expected[id][d])),
        });
      }
    }
  }
  return rows.sort((a, b) =>
    `${a.scope}/${a.scopeId}/${a.day}`.localeCompare(`${b.scope}/${b.scopeId}/${b.day}`),
  );
}

describe.runIf(pgReady.available)('mantis etl kpi-rollup on PostgreSQL', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let repos: Repositories;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'mantis-kpi-rollup-'));
  const rollup = async (...args: string[]) => {
    const run = await runMantis(['etl', 'kpi-rollup', ...args], env);
    return { ...run, summary: run.code === 0 && args.includes('--json') ? JSON.parse(run.stdout) : null };
  };
  const range = ['--from', iso(D0), '--to', iso(D0 + 3 * DAY)];

  /** The view's rows over the range, totals as the readers name them. */
  const scopes = async () =>
    (
      await db.query<Record<string, string | number>>(
        `SELECT scope, scope_id, to_char(day, 'YYYY-MM-DD') AS day, planned_busy_ms, unplanned_downtime_ms,
           actual_production_ms, failures::int, repairs::int, repair_ms, produced::int, good::int, ideal_run_ms
         FROM kpi_daily_scopes WHERE day >= $1::date AND day < $2::date`,
        [iso(D0), iso(D0 + 3 * DAY)],
      )
    )
      .map((r) => ({
        scope: r.scope,
        scopeId: r.scope_id,
        day: r.day,
        totals: {
          plannedBusyMs: r.planned_busy_ms,
          unplannedDowntimeMs: r.unplanned_downtime_ms,
          actualProductionMs: r.actual_production_ms,
          failures: r.failures,
          repairs: r.repairs,
          repairMs: r.repair_ms,
          produced: r.produced,
          good: r.good,
          idealRunMs: r.ideal_run_ms,
        },
      }))
      .sort((a, b) => `${a.scope}/${a.scopeId}/${a.day}`.localeCompare(`${b.scope}/${b.scopeId}/${b.day}`));
  const snapshot = () => db.query('SELECT * FROM kpi_daily ORDER BY asset_id, day');

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = { MANTIS_DATABASE_URL: testDb.url, MANTIS_LOG_LEVEL: 'silent' };
    db = await openDatabase(testDb.url);
    await migrate(db);
    repos = postgresRepositories(db);
    for (const [id, [lineId, siteId]] of Object.entries(PLACES)) {
      const idealCycleSeconds = { p1: 30, p2: 30, p3: 60, p4: null }[id];
      await repos.registry.registerAsset({
        id,
        siteId,
        lineId,
        name: id,
        kind: 'press',
        sensors: [],
        idealCycleSeconds,
      });
    }
    // In service well before the range.
    await db.query('UPDATE assets SET created_at = $1', [new Date(D0 - 5 * DAY)]);
    const down = (assetId: string, kind: 'planned' | 'unplanned', start: number, end: number) =>
      repos.kpis.createDowntime({ assetId, kind, reason: 'test', start, end, actor: 'test' });
    await down('p1', 'unplanned', D0 + H, D0 + 3 * H);
    await down('p2', 'planned', D0 + DAY, D0 + DAY + 4 * H);
    await down('p4', 'unplanned', D0 + 2 * DAY + 22 * H, D0 + 3 * DAY + 2 * H);
    await repos.kpis.recordCounts(
      [
        { assetId: 'p1', ts: D0 + 12 * H, produced: 50, good: 50 },
        { assetId: 'p3', ts: D0 + 2 * DAY + 6 * H, produced: 100, good: 95 },
      ],
      'test',
    );
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('back-fills every asset, line and site over the range, equal to the hand-worked totals and the KPI readers', async () => {
    const metricsFile = join(dir, 'rollup.prom');
    const run = await rollup(...range, '--json', '--metrics-file', metricsFile);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({
      from: iso(D0),
      to: iso(D0 + 3 * DAY),
      days: 3,
      dryRun: false,
      assets: { rows: 12, inserted: 12, changed: 0, unchanged: 0 },
      lines: { rows: 9, affected: 9 },
      sites: { rows: 6, affected: 6 },
    });
    expect(await scopes()).toEqual(expectedScopes(EXPECTED));

    // The readers sum the same stored days for a line or a site.
    for (const [scope, id] of [
      ['line', 'L1'],
      ['site', 'S1'],
      ['site', 'S2'],
    ] as const) {
      const assets = await repos.kpis.scopeAssets(scope, id);
      const daily = await repos.kpis.dailyTotals(assets, { from: D0, to: D0 + 3 * DAY }, Date.now());
      const view = (await scopes()).filter((r) => r.scope === scope && r.scopeId === id);
      expect(daily.map(({ day, totals: { openRepairs, ...t } }) => ({ day, t }))).toEqual(
        view.map((r) => ({ day: r.day, t: r.totals })),
      );
    }

    const text = readFileSync(metricsFile, 'utf8');
    expect(text).toContain('mantis_job_rows_total{etl_job="kpi-rollup",outcome="stored"} 12');
    expect(text).toContain('mantis_job_rows_total{etl_job="kpi-rollup",outcome="unchanged"} 0');
    expect(text).toContain('mantis_job_runs_total{etl_job="kpi-rollup",outcome="success"} 1');
  });

  it('changes nothing when run again over the same days', async () => {
    const before = await snapshot();
    const run = await rollup(...range, '--json');
    expect(run.code).toBe(0);
    expect(run.summary.assets).toEqual({ rows: 12, inserted: 0, changed: 0, unchanged: 12 });
    expect(run.summary.lines).toEqual({ rows: 9, affected: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('corrects the days of a downtime recorded late, whichever way it was stored', async () => {
    // Through the repository: the asset's stored days are forgotten, so its line and site days are hidden.
    await repos.kpis.createDowntime({
      assetId: 'p3',
      kind: 'unplanned',
      reason: 'late report',
      start: D0 + DAY + 10 * H,
      end: D0 + DAY + 11 * H,
      actor: 'test',
    });
    expect((await scopes()).filter((r) => r.scopeId === 'L2' || r.scopeId === 'S1')).toEqual([]);
    const refill = await rollup(...range, '--json');
    expect(refill.summary.assets).toEqual({ rows: 12, inserted: 3, changed: 0, unchanged: 9 });
    const p3Day1 = {
      ...idle,
      unplannedDowntimeMs: H,
      actualProductionMs: DAY - H,
      failures: 1,
      repairs: 1,
      repairMs: H,
    };
    let expected: Record<string, Row[]> = { ...EXPECTED, p3: [idle, p3Day1, EXPECTED.p3[2]] };
    expect(await scopes()).toEqual(expectedScopes(expected));

    // Loaded with SQL, around the repository: the stored day stays stale until the job recomputes it.
    await db.query(
      `INSERT INTO downtime_events (id, asset_id, kind, reason, started_at, ended_at, created_by)
       VALUES ('late-sql', 'p4', 'planned', 'loaded', $1, $2, 'test')`,
      [new Date(D0 + 6 * H), new Date(D0 + 8 * H)],
    );
    const dry = await rollup(...range, '--json', '--dry-run');
    expect(dry.summary).toMatchObject({
      dryRun: true,
      assets: { rows: 12, inserted: 0, changed: 1, unchanged: 11 },
      lines: { rows: 9, affected: 1 },
      sites: { rows: 6, affected: 1 },
    });
    expect(await scopes()).toEqual(expectedScopes(expected));
    const fixed = await rollup(...range, '--json');
    expect(fixed.summary.assets).toEqual({ rows: 12, inserted: 0, changed: 1, unchanged: 11 });
    expected = {
      ...expected,
      p4: [{ ...idle, plannedBusyMs: DAY - 2 * H, actualProductionMs: DAY - 2 * H }, idle, EXPECTED.p4[2]],
    };
    expect(await scopes()).toEqual(expectedScopes(expected));
    const text = await rollup(...range);
    expect(text.stdout).toContain(`${iso(D0)} to ${iso(D0 + 3 * DAY)} (excluded), 3 day(s): 12 asset day(s)`);
    expect(text.stdout).toContain(
      'inserted 0, changed 0, left 12 unchanged; 9 line day(s) and 6 site day(s)',
    );
  });

  it('refuses bad flags with exit code 2, naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--from', '2025-02-30'], /--from: expected a day as YYYY-MM-DD \(UTC\), got "2025-02-30"/],
      [['--from', iso(D0), '--to', 'tomorrow'], /--to: expected a day as YYYY-MM-DD/],
      [['--from', iso(D0), '--to', iso(D0)], /--to: .* must be after --from/],
      [['--from', iso(D0), '--to', iso(today + DAY)], /--to: .* is after today/],
      [[], /required option '--from <day>' not specified/],
    ];
    for (const [args, message] of cases) {
      const run = await rollup(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
