import type { Database, Queryable } from '../ports/database.ts';

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
