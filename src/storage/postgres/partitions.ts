import type { Database, Queryable } from '../ports/database.ts';

/** The time-partitioned tables (hypertables under TimescaleDB, daily range partitions otherwise). */
export type TimeTable = 'features' | 'raw_readings' | 'raw_blocks';

const DAY_MS = 86_400_000;

/**
 * UTC days whose partition exists or is being created, per database: a creation in flight is awaited by every
 * writer that needs the same day, so that none writes before the partition is there.
 */
const known = new WeakMap<Queryable, Map<string, Promise<void>>>();

/**
 * Creates the daily partitions that rows with these timestamps need; every writer of the time tables calls it
 * before the transaction that writes them (the writes themselves do not create partitions), because
 * creating a partition locks its parent table, which must not be held for a whole write transaction.
 * Resolves once every needed partition exists, including those another caller of this process is creating.
 * Under TimescaleDB the function does nothing and chunks appear on insert. Throws the database's error.
 */
export async function ensurePartitions(
  db: Database,
  rows: Partial<Record<TimeTable, Iterable<number>>>,
): Promise<void> {
  const cache = known.get(db) ?? new Map<string, Promise<void>>();
  known.set(db, cache);
  const waits = new Set<Promise<void>>();
  const keys: string[] = [];
  const tables: string[] = [];
  const days: number[] = [];
  for (const [table, timestamps] of Object.entries(rows)) {
    for (const ts of timestamps ?? []) {
      const day = Math.floor(ts / DAY_MS);
      const key = `${table}:${day}`;
      const pending = cache.get(key);
      if (pending) waits.add(pending);
      else if (!keys.includes(key)) {
        keys.push(key);
        tables.push(table);
        days.push(day);
      }
    }
  }
  if (keys.length > 0) {
    const created = db
      .query(
        `SELECT mantis_ensure_partitions(t::regclass, to_timestamp(d * 86400), to_timestamp((d + 1) * 86400))
         FROM unnest($1::text[], $2::float8[]) AS u(t, d)`,
        [tables, days],
      )
      .then(
        () => undefined,
        (err) => {
          for (const key of keys) if (cache.get(key) === created) cache.delete(key);
          throw err;
        },
      );
    for (const key of keys) cache.set(key, created);
    waits.add(created);
  }
  await Promise.all(waits);
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
