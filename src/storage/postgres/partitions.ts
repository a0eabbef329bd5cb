import type { Database, Queryable } from '../ports/database.ts';

/** The time-partitioned tables (hypertables under TimescaleDB, daily range partitions otherwise). */
export type TimeTable = 'features' | 'raw_readings' | 'raw_blocks';

const DAY_MS = 86_400_000;

/** UTC days whose partition is known to exist, per database. */
const known = new WeakMap<Queryable, Set<string>>();

/**
 * Creates the daily partitions that rows with these timestamps need; every writer of the time tables calls it
 * before the transaction that writes them (the writes themselves do not create partitions), because
 * creating a partition locks its parent table, which must not be held for a whole write transaction.
 * Under TimescaleDB the function does nothing and chunks appear on insert.
 */
export async function ensurePartitions(
  db: Database,
  rows: Partial<Record<TimeTable, Iterable<number>>>,
): Promise<void> {
  const cache = known.get(db) ?? new Set<string>();
  known.set(db, cache);
  const tables: string[] = [];
  const days: number[] = [];
  for (const [table, timestamps] of Object.entries(rows)) {
    for (const ts of timestamps ?? []) {
      const day = Math.floor(ts / DAY_MS);
      const key = `${table}:${day}`;
      if (cache.has(key)) continue;
      cache.add(key);
      tables.push(table);
      days.push(day);
    }
  }
  if (tables.length === 0) return;
  try {
    await db.query(
      `SELECT mantis_ensure_partitions(t::regclass, to_timestamp(d * 86400), to_timestamp((d + 1) * 86400))
       FROM unnest($1::text[], $2::float8[]) AS u(t, d)`,
      [tables, days],
    );
  } catch (err) {
    for (let i = 0; i < tables.length; i++) cache.delete(`${tables[i]}:${days[i]}`);
    throw err;
  }
}

/** A write hit a day whose partition this process thought existed (another process's retention dropped it). */
export function isMissingPartition(err: unknown): boolean {
  return /no partition of relation/.test((err as Error)?.message ?? '');
}

/** Forget what is known to exist, so that the next ensurePartitions asks the database again. */
export function forgetPartitions(db: Database): void {
  known.delete(db);
}

/**
 * The hourly upkeep of native partitions: partitions for yesterday to two days ahead (so that midnight
 * never waits on a lock), then retention. Returns how many partitions retention dropped.
 */
export async function maintainPartitions(db: Database, now = Date.now()): Promise<number> {
  const ahead = [-1, 0, 1, 2].map((d) => now + d * DAY_MS);
  await ensurePartitions(db, { features: ahead, raw_readings: ahead, raw_blocks: ahead });
  const [{ dropped }] = await db.query<{ dropped: number }>(
    'SELECT mantis_apply_retention(to_timestamp($1 / 1000.0)) AS dropped',
    [now],
  );
  // Dropped partitions may be needed again by a late row.
  if (dropped > 0) forgetPartitions(db);
  return dropped;
}
