/**
 * Sensor staleness: a sensor is stale when it has been silent for longer than the stale period
 * (pipeline.sensorStaleSeconds). Pure: times are epoch milliseconds.
 */

/** The default stale period, seconds (pipeline.sensorStaleSeconds): 15 minutes. */
export const DEFAULT_SENSOR_STALE_SECONDS = 900;

/** When a sensor could last be heard from. */
export interface SensorActivity {
  /** When it was registered, or registered again after being retired (epoch ms). */
  registeredAt: number;
  /** Time of its latest reading stored (epoch ms); null when it has sent none. */
  lastReadingAt: number | null;
}

/** A sensor's or an asset's staleness as the API shows it. */
export interface Staleness {
  /** Time of the latest reading, ISO 8601; null when none. */
  lastReadingAt: string | null;
  stale: boolean;
}

/**
 * Whether a sensor is stale at `now`: not retired, and silent for longer than `periodMs` since its latest
 * reading — or, when it has sent none since it was registered, since its registration. A reading older than a
 * registration again after retirement does not make the sensor stale before the period has run from that
 * registration. `periodMs` > 0.
 */
export function isStale(activity: SensorActivity, retired: boolean, now: number, periodMs: number): boolean {
  if (retired) return false;
  const heardSince = Math.max(activity.lastReadingAt ?? Number.NEGATIVE_INFINITY, activity.registeredAt);
  return now - heardSince > periodMs;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The staleness of an asset's sensors (by sensor id) and of the asset: its latest reading over all its
 * sensors, and stale when any of its sensors not retired is. A sensor without activity (not yet stored) has no
 * reading and is not stale.
 */
export function assetStaleness(
  sensors: readonly { id: string; retiredAt?: string | null }[],
  activity: ReadonlyMap<string, SensorActivity>,
  now: number,
  periodMs: number,
): Staleness & { sensors: Map<string, Staleness> } {
  const bySensor = new Map<string, Staleness>();
  let latest: number | null = null;
  let stale = false;
  for (const sensor of sensors) {
    const a = activity.get(sensor.id);
    const last = a?.lastReadingAt ?? null;
    const sensorStale = a !== undefined && isStale(a, Boolean(sensor.retiredAt), now, periodMs);
    bySensor.set(sensor.id, { lastReadingAt: iso(last), stale: sensorStale });
    if (last !== null && (latest === null || last > latest)) latest = last;
    stale ||= sensorStale;
  }
  return { lastReadingAt: iso(latest), stale, sensors: bySensor };
}

/**
 * The latest reading time of each sensor in a batch of readings (`ts` epoch ms), ordered by sensor id: the
 * rows of one upsert, in one lock order for every writer.
 */
export function latestReadingTimes(
  readings: Iterable<{ sensorId: string; ts: number }>,
): { sensorId: string; ts: number }[] {
  const latest = new Map<string, number>();
  for (const { sensorId, ts } of readings) {
    const seen = latest.get(sensorId);
    if (seen === undefined || ts > seen) latest.set(sensorId, ts);
  }
  return [...latest]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sensorId, ts]) => ({ sensorId, ts }));
}
