/** Time partitioning and retention of the time-series tables (features, raw readings and blocks). */
export interface PartitionMaintenance {
  /** Creates the partitions ahead of `now` (epoch ms) and drops those past retention; returns how many dropped. */
  maintain(now: number): Promise<number>;
  /** What retention at `now` (epoch ms) would remove, read only: what `maintain` then drops. */
  plan(now: number): Promise<RetentionPlan>;
}

/** What retention removes, and who removes it. */
export interface RetentionPlan {
  /** `native`: MANTIS drops daily partitions itself; `timescaledb`: TimescaleDB's retention policies do. */
  engine: 'native' | 'timescaledb';
  /** Native: daily partitions wholly past their table's retention (the day is YYYY-MM-DD, in UTC). */
  partitions: { relation: string; partition: string; day: string }[];
  /** Native: rows of unpartitioned tables (the roll-ups) older than `before` (epoch ms), deleted by a run. */
  rows: { relation: string; before: number; rows: number }[];
  /** TimescaleDB: each retention policy, its age limit (a PostgreSQL interval) and next start (epoch ms). */
  policies: { relation: string; dropAfter: string; nextStart: number | null }[];
}
