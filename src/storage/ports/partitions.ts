/** Time partitioning and retention of the time-series tables (features, raw readings and blocks). */
export interface PartitionMaintenance {
  /** Creates the partitions ahead of `now` (epoch ms) and drops those past retention; returns how many dropped. */
  maintain(now: number): Promise<number>;
}
