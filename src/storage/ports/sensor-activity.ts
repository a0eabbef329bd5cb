import type { SensorActivity } from '../../domain/sensor-staleness.ts';

export type { SensorActivity };

/**
 * When sensors were registered and last sent a reading (the processor records the latest reading time with
 * each batch it stores), for their staleness.
 */
export interface SensorActivityRepository {
  /** The activity of the given sensors, by id; ids that name no sensor are absent. */
  activity(sensorIds: readonly string[]): Promise<Map<string, SensorActivity>>;
  /**
   * Per site not retired, how many sensors not retired, on assets not retired, are stale at `now` (epoch ms)
   * for a stale period of `periodMs` (see `isStale` in domain/sensor-staleness.ts); 0 for a site with none.
   */
  staleCountsBySite(now: number, periodMs: number): Promise<Map<string, number>>;
}
