/** What the stored feature windows of one sensor tell about its data over a range (epoch ms). */
export interface SensorWindows {
  /** Up to where the processor has closed the sensor's windows (null: none closed yet). */
  closedUntil: number | null;
  /** Readings counted by its stored windows lying wholly in [alignedFrom, min(alignedTo, closedUntil)). */
  counted: number;
  /** Windows starting in the range. */
  windows: number;
  /** Median of (stored at − window end) over those windows, ms; null with none. */
  medianCloseDelayMs: number | null;
}

/**
 * The windows the processor stored (features, window progress), read for data quality: each sensor's
 * closed frontier, the readings its windows counted and when they were stored. `alignedFrom` and
 * `alignedTo` are window boundaries.
 */
export interface WindowLedger {
  sensorWindows(alignedFrom: number, alignedTo: number): Promise<Map<string, SensorWindows>>;
}
