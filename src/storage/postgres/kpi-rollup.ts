import type { Queryable } from '../ports/database.ts';
import type { RollupOptions, RollupResult } from '../ports/kpis.ts';
import { utcDay } from './instants.ts';
import { asKpiRollup, COLUMNS, dayParams, INPUT } from './kpi-daily.ts';
import { currentKpiAssets, directTotals, kpiAssets } from './kpis.ts';

const DAY_MS = 86_400_000;

const stored = (alias: string) => `(${COLUMNS.map((c) => `${alias}.${c}`).join(', ')})`;

/** Upserts one day; returns the asset days inserted or rewritten because their totals differ. */
const UPSERT = `INSERT INTO kpi_daily AS k (asset_id, day, ${COLUMNS.join(', ')})
  SELECT u.asset_id, $2::date, ${COLUMNS.map((c) => `u.${c}`).join(', ')} FROM ${INPUT}
  ON CONFLICT (asset_id, day) DO UPDATE SET ${COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')},
    computed_at = now()
  WHERE ${stored('k')} IS DISTINCT FROM ${stored('excluded')}
  RETURNING k.asset_id, (k.xmax = 0) AS inserted`;

/** What UPSERT would return, writing nothing. */
const COMPARE = `SELECT u.asset_id, k.asset_id IS NULL AS inserted FROM ${INPUT}
  LEFT JOIN kpi_daily k ON k.asset_id = u.asset_id AND k.day = $2::date
  WHERE k.asset_id IS NULL OR ${stored('k')} IS DISTINCT FROM ${stored('u')}`;

/**
 * Recomputes every asset's daily KPI totals over the whole UTC days [from, to) (epoch ms) from its downtime
 * events and production counts, and upserts them into kpi_daily: idempotent (a second run over the same
 * days changes nothing) and corrective (a day whose inputs changed is rewritten). Assets retired before a
 * day are skipped that day: they count nothing then (docs/kpis.md). Lines and sites are read back from
 * the kpi_daily_scopes view, which sums their assets. Throws RangeError for a range that is not whole UTC
 * days or holds a day not over at `now`: that day would be stored with a part of it unobserved.
 */
export async function rollupDays(
  db: Queryable,
  from: number,
  to: number,
  now: number,
  options: RollupOptions = {},
): Promise<RollupResult> {
  if (from % DAY_MS !== 0 || to % DAY_MS !== 0 || !(from < to)) {
    throw new RangeError(
      `rollupDays: [${new Date(from).toISOString()}, ${new Date(to).toISOString()}) is not whole UTC days`,
    );
  }
  if (to > Math.floor(now / DAY_MS) * DAY_MS) {
    throw new RangeError(`rollupDays: ${utcDay(to - DAY_MS)} is not over at ${new Date(now).toISOString()}`);
  }
  const rows = await db.query<{
    id: string;
    ideal_cycle_seconds: number | null;
    retired_at: Date | null;
    line_id: string;
    site_id: string;
  }>(
    `SELECT id, ideal_cycle_seconds, retired_at, line_id, site_id FROM assets
     WHERE retired_at IS NULL OR retired_at > $1 ORDER BY id`,
    [new Date(from)],
  );
  const assets = await kpiAssets(db, rows);
  const placeOf = new Map(rows.map((r) => [r.id, r]));
  const days = (to - from) / DAY_MS;
  const counts = { rows: 0, inserted: 0, changed: 0, unchanged: 0 };
  const affected = { lines: new Set<string>(), sites: new Set<string>() };
  for (let i = 0; i < days; i++) {
    const day = from + i * DAY_MS;
    const todo = assets.filter((a) => a.inService.to > day);
    if (todo.length > 0) {
      const touched = await asKpiRollup(db, async (tx) => {
        // Read again under the lock: an input change since may have moved an asset's start of service.
        const current = await currentKpiAssets(
          tx,
          todo.map((a) => a.id),
        );
        const totals = await directTotals(tx, current, { from: day, to: day + DAY_MS }, now);
        return tx.query<{ asset_id: string; inserted: boolean }>(
          options.dryRun ? COMPARE : UPSERT,
          dayParams(
            current.map((a) => a.id),
            day,
            totals,
          ),
        );
      });
      const inserted = touched.filter((t) => t.inserted).length;
      counts.rows += todo.length;
      counts.inserted += inserted;
      counts.changed += touched.length - inserted;
      counts.unchanged += todo.length - touched.length;
      for (const t of touched) {
        const place = placeOf.get(t.asset_id);
        if (place) {
          affected.lines.add(`${place.line_id}@${day}`);
          affected.sites.add(`${place.site_id}@${day}`);
        }
      }
    }
    options.onDay?.(i + 1, days);
  }
  const scopes = await db.query<{ scope: 'line' | 'site'; n: number }>(
    `SELECT scope, count(*)::int AS n FROM kpi_daily_scopes
     WHERE scope <> 'asset' AND day >= $1::date AND day < $2::date GROUP BY scope`,
    [utcDay(from), utcDay(to)],
  );
  const complete = (scope: string) => scopes.find((s) => s.scope === scope)?.n ?? 0;
  return {
    from: utcDay(from),
    to: utcDay(to),
    days,
    assets: counts,
    lines: { rows: complete('line'), affected: affected.lines.size },
    sites: { rows: complete('site'), affected: affected.sites.size },
  };
}

/**
 * The hourly job's roll-up: every asset over the last `days` whole UTC days before `now`. Returns the asset
 * days inserted or rewritten.
 */
export async function storeDailyRollups(db: Queryable, days: number, now: number): Promise<number> {
  const end = Math.floor(now / DAY_MS) * DAY_MS;
  const { assets } = await rollupDays(db, end - days * DAY_MS, end, now);
  return assets.inserted + assets.changed;
}
