import { NotFoundError } from '../../domain/errors.ts';
import { assetTotals, type KpiTotals, sumTotals, type TimeRange } from '../../domain/kpis.ts';
import type { Queryable } from '../ports/database.ts';
import type { KpiAsset, KpiScope } from '../ports/kpis.ts';
import { utcDay } from './instants.ts';
import { asKpiRollup, dayParams, INSERT_MISSING } from './kpi-daily.ts';
import { downtimeInputs, inServiceStarts, productionInputs } from './kpi-inputs.ts';

export type { KpiAsset, KpiScope };

const DAY_MS = 86_400_000;

/** KPI assets from rows of `assets`, with their in-service periods. */
export async function kpiAssets(
  db: Queryable,
  rows: { id: string; ideal_cycle_seconds: number | null; retired_at: Date | null }[],
): Promise<KpiAsset[]> {
  const starts = await inServiceStarts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    idealCycleMs: (r.ideal_cycle_seconds ?? 0) * 1000,
    inService: { from: starts.get(r.id) ?? 0, to: r.retired_at?.getTime() ?? Number.POSITIVE_INFINITY },
  }));
}

/** The assets of these ids as stored now (under the roll-up lock: what a stored day must be computed from). */
export async function currentKpiAssets(db: Queryable, ids: string[]): Promise<KpiAsset[]> {
  const rows = await db.query<{ id: string; ideal_cycle_seconds: number | null; retired_at: Date | null }>(
    'SELECT id, ideal_cycle_seconds, retired_at FROM assets WHERE id = ANY($1::text[]) ORDER BY id',
    [ids],
  );
  return kpiAssets(db, rows);
}

/** The assets a KPI scope sums, retired ones included: their past still counts. 404 for an unknown scope. */
export async function scopeAssets(db: Queryable, scope: KpiScope, id: string): Promise<KpiAsset[]> {
  const column = { asset: 'id', line: 'line_id', site: 'site_id' }[scope];
  const rows = await db.query<{ id: string; ideal_cycle_seconds: number | null; retired_at: Date | null }>(
    `SELECT id, ideal_cycle_seconds, retired_at FROM assets WHERE ${column} = $1 ORDER BY id`,
    [id],
  );
  if (rows.length === 0) {
    const table = { asset: 'assets', line: 'lines', site: 'sites' }[scope];
    if ((await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).length === 0) {
      throw new NotFoundError(`${scope} ${id} not found`);
    }
  }
  return kpiAssets(db, rows);
}

/** Each asset's totals over one range, from its events and counts (same order as `assets`). */
export async function directTotals(
  db: Queryable,
  assets: KpiAsset[],
  range: TimeRange,
  now: number,
): Promise<KpiTotals[]> {
  const ids = assets.map((a) => a.id);
  const [downtime, production] = await Promise.all([
    downtimeInputs(db, ids, range.from, range.to),
    productionInputs(db, ids, range.from, range.to),
  ]);
  return assets.map((a) =>
    assetTotals(
      range,
      downtime.get(a.id) ?? [],
      production.get(a.id) ?? [],
      a.idealCycleMs,
      now,
      a.inService,
    ),
  );
}

interface DailyRow {
  asset_id: string;
  day_ms: number;
  planned_busy_ms: number;
  unplanned_downtime_ms: number;
  actual_production_ms: number;
  failures: number;
  repairs: number;
  repair_ms: number;
  produced: string;
  good: string;
  ideal_run_ms: number;
}

const fromRow = (r: DailyRow): KpiTotals => ({
  plannedBusyMs: r.planned_busy_ms,
  unplannedDowntimeMs: r.unplanned_downtime_ms,
  actualProductionMs: r.actual_production_ms,
  failures: r.failures,
  repairs: r.repairs,
  repairMs: r.repair_ms,
  openRepairs: 0,
  produced: Number(r.produced),
  good: Number(r.good),
  idealRunMs: r.ideal_run_ms,
});

/**
 * Totals per whole past UTC day [firstDay, endDay), summed over the assets: read from kpi_daily, and the days
 * missing there computed once from the events and stored.
 */
async function storedDays(
  db: Queryable,
  assets: KpiAsset[],
  firstDay: number,
  endDay: number,
  now: number,
): Promise<Map<number, KpiTotals>> {
  // A day not yet over would be stored with a part of it unobserved and never recomputed.
  if (endDay > Math.floor(now / DAY_MS) * DAY_MS)
    throw new RangeError(
      `storedDays: ${utcDay(endDay - DAY_MS)} is not over at ${new Date(now).toISOString()}`,
    );
  const ids = assets.map((a) => a.id);
  const rows = await db.query<DailyRow>(
    `SELECT *, (day - DATE '1970-01-01')::float8 * 86400000 AS day_ms FROM kpi_daily
     WHERE asset_id = ANY($1::text[]) AND day >= $2::date AND day < $3::date`,
    [ids, utcDay(firstDay), utcDay(endDay)],
  );
  const perDay = new Map<number, KpiTotals[]>();
  const have = new Set(rows.map((r) => `${r.asset_id}@${r.day_ms}`));
  for (const r of rows) perDay.set(Number(r.day_ms), [...(perDay.get(Number(r.day_ms)) ?? []), fromRow(r)]);

  const missing: number[] = [];
  for (let day = firstDay; day < endDay; day += DAY_MS) {
    if (assets.some((a) => !have.has(`${a.id}@${day}`))) missing.push(day);
  }
  for (const day of missing) {
    const todo = assets.filter((a) => !have.has(`${a.id}@${day}`));
    const totals = await asKpiRollup(db, async (tx) => {
      // Read again under the lock: an input change since may have moved an asset's start of service.
      const current = await currentKpiAssets(
        tx,
        todo.map((a) => a.id),
      );
      const computed = await directTotals(tx, current, { from: day, to: day + DAY_MS }, now);
      await tx.query(
        INSERT_MISSING,
        dayParams(
          current.map((a) => a.id),
          day,
          computed,
        ),
      );
      return computed;
    });
    perDay.set(day, [...(perDay.get(day) ?? []), ...totals.map((t) => ({ ...t, openRepairs: 0 }))]);
  }
  return new Map([...perDay].map(([day, list]) => [day, sumTotals(list)]));
}

/** Whole UTC days inside the range that are over by now: the part stored roll-ups can answer. */
function fullDays(range: TimeRange, now: number): { first: number; end: number } {
  const first = Math.ceil(range.from / DAY_MS) * DAY_MS;
  const end = Math.min(Math.floor(range.to / DAY_MS), Math.floor(now / DAY_MS)) * DAY_MS;
  return { first, end: Math.max(first, end) };
}

/**
 * Totals of the assets over the range: whole past days from the daily roll-ups, the edges computed directly.
 * Sums are exact because every total is additive over disjoint sub-ranges, except openRepairs, taken at the
 * end (or now, if the range ends later). Time after `now` is not counted (see assetTotals).
 */
export async function kpiTotals(
  db: Queryable,
  assets: KpiAsset[],
  range: TimeRange,
  now: number,
): Promise<KpiTotals> {
  const { first, end } = fullDays(range, now);
  const parts: KpiTotals[] = [];
  if (end > first) {
    if (range.from < first)
      parts.push(...(await directTotals(db, assets, { from: range.from, to: first }, now)));
    parts.push(...(await storedDays(db, assets, first, end, now)).values());
    if (end < range.to) parts.push(...(await directTotals(db, assets, { from: end, to: range.to }, now)));
  } else {
    parts.push(...(await directTotals(db, assets, range, now)));
  }
  // Open at the range's end, or now if it ends later: the last moment observed.
  const last = Math.min(range.to, now);
  const atEnd = last > range.from ? await directTotals(db, assets, { from: last - 1, to: last }, now) : [];
  return { ...sumTotals(parts), openRepairs: atEnd.reduce((n, t) => n + t.openRepairs, 0) };
}

/**
 * Totals per UTC day of the range (the first and last day clipped to it), summed over the assets. Today
 * counts up to `now`; a day after it has no planned time (availability null).
 */
export async function dailyKpiTotals(
  db: Queryable,
  assets: KpiAsset[],
  range: TimeRange,
  now: number,
): Promise<{ day: string; totals: KpiTotals }[]> {
  const { first, end } = fullDays(range, now);
  const stored = end > first ? await storedDays(db, assets, first, end, now) : new Map<number, KpiTotals>();
  const out: { day: string; totals: KpiTotals }[] = [];
  for (let day = Math.floor(range.from / DAY_MS) * DAY_MS; day < range.to; day += DAY_MS) {
    const part = { from: Math.max(day, range.from), to: Math.min(day + DAY_MS, range.to) };
    const totals = stored.get(day) ?? sumTotals(await directTotals(db, assets, part, now));
    out.push({ day: new Date(day).toISOString().slice(0, 10), totals });
  }
  return out;
}
