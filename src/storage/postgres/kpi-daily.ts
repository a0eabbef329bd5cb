import type { KpiTotals } from '../../domain/kpis.ts';
import type { Database, Queryable } from '../ports/database.ts';
import { utcDay } from './instants.ts';

/** Stored KPI days (kpi_daily): the lock that keeps them consistent with their inputs, and their rows. */

/**
 * Stored KPI days (kpi_daily) are computed from the inputs (downtime, production counts, the asset's ideal
 * cycle), and a change of an input deletes the days it touches. A roll-up reading the inputs just before a
 * change commits would store its stale result after the change's delete; so the roll-up holds this lock
 * exclusively from its read to its write, and every input change takes it shared before its delete: either
 * the change commits before the roll-up reads, or it deletes what the roll-up stored. An advisory lock of two
 * keys, which cannot collide with the one-key locks of partition maintenance.
 */
const KEY = "hashtext('mantis.kpi_daily'), 0";

/** Runs `fn` in a transaction (or the one given) holding the roll-up lock exclusively. */
export async function asKpiRollup<T>(db: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const run = async (tx: Queryable) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${KEY})`);
    return fn(tx);
  };
  return 'transaction' in db ? (db as Database).transaction(run) : run(db);
}

/** Called in an input change's transaction before it deletes stored KPI days; held until it commits. */
export async function lockAsKpiInputChange(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock_shared(${KEY})`);
}

/** The stored totals of a KPI day, in the order of kpi_daily's columns. */
export const COLUMNS = [
  'planned_busy_ms',
  'unplanned_downtime_ms',
  'actual_production_ms',
  'failures',
  'repairs',
  'repair_ms',
  'produced',
  'good',
  'ideal_run_ms',
] as const;

/** One day's totals as unnest() input, in COLUMNS order ($1 asset ids, $2 day, $3… the columns). */
export const INPUT = `unnest($1::text[], $3::float8[], $4::float8[], $5::float8[], $6::int[], $7::int[], $8::float8[],
  $9::bigint[], $10::bigint[], $11::float8[]) AS u(asset_id, ${COLUMNS.join(', ')})`;

/** The parameters of INPUT for one day: the assets' ids, the day (epoch ms), their totals in the same order. */
export const dayParams = (ids: string[], day: number, totals: KpiTotals[]) => [
  ids,
  utcDay(day),
  totals.map((t) => t.plannedBusyMs),
  totals.map((t) => t.unplannedDowntimeMs),
  totals.map((t) => t.actualProductionMs),
  totals.map((t) => t.failures),
  totals.map((t) => t.repairs),
  totals.map((t) => t.repairMs),
  totals.map((t) => t.produced),
  totals.map((t) => t.good),
  totals.map((t) => t.idealRunMs),
];

/** Stores one day's totals for the assets that have none yet ($1 ids, $2 day, $3… dayParams). */
export const INSERT_MISSING = `INSERT INTO kpi_daily (asset_id, day, ${COLUMNS.join(', ')})
  SELECT u.asset_id, $2::date, ${COLUMNS.map((c) => `u.${c}`).join(', ')} FROM ${INPUT}
  ON CONFLICT (asset_id, day) DO NOTHING`;
