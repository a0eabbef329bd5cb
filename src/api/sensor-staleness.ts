import { assetStaleness, DEFAULT_SENSOR_STALE_SECONDS, type Staleness } from '../domain/sensor-staleness.ts';
import type { Asset, Sensor } from '../domain/types.ts';
import type { SensorActivityRepository } from '../storage/ports/sensor-activity.ts';

/** An asset as the asset routes answer it: each sensor's staleness, and the asset's. */
export type AssetWithStaleness<A extends Asset> = Omit<A, 'sensors'> &
  Staleness & { sensors: (Sensor & Staleness)[] };

/**
 * The assets with their sensors' latest reading time and staleness at `now` (epoch ms) for a stale period of
 * `staleSeconds` (pipeline.sensorStaleSeconds), read in one query for all of them.
 */
export async function withStaleness<A extends Asset>(
  activity: Pick<SensorActivityRepository, 'activity'>,
  assets: A[],
  staleSeconds = DEFAULT_SENSOR_STALE_SECONDS,
  now = Date.now(),
): Promise<AssetWithStaleness<A>[]> {
  const found = await activity.activity(assets.flatMap((a) => a.sensors.map((s) => s.id)));
  return assets.map((asset) => {
    const { sensors, ...staleness } = assetStaleness(asset.sensors, found, now, staleSeconds * 1000);
    return {
      ...asset,
      ...staleness,
      sensors: asset.sensors.map((s) => ({
        ...s,
        ...(sensors.get(s.id) ?? { lastReadingAt: null, stale: false }),
      })),
    };
  });
}

const lastReadingAt = (of: string) =>
  ({
    type: ['string', 'null'],
    format: 'date-time',
    description: `${of}, ISO 8601 in UTC (a sample block's time is its first sample's); null when none has been stored`,
  }) as const;

/** The response fields a sensor gains, for the routes' schemas. */
export const sensorStalenessProperties = {
  lastReadingAt: lastReadingAt("time of the sensor's latest reading stored"),
  stale: {
    type: 'boolean',
    description:
      'true when the sensor is not retired and has sent no reading for longer than the stale period ' +
      '(pipeline.sensorStaleSeconds, 900 s by default), counted from its latest reading, or from its ' +
      'registration (or registration again after retirement) when it has sent none since',
  },
} as const;

/** The response fields an asset gains (its `sensors` as well), for the routes' schemas. */
export const assetStalenessProperties = {
  lastReadingAt: lastReadingAt('time of the latest reading stored of any of its sensors'),
  stale: {
    type: 'boolean',
    description: 'true when any of its sensors is stale (see sensors[].stale)',
  },
  sensors: {
    type: 'array',
    description: 'its sensors, retired ones included (retiredAt set), by id',
    items: {
      type: 'object',
      additionalProperties: true,
      required: ['id', 'lastReadingAt', 'stale'],
      properties: { id: { type: 'string' }, ...sensorStalenessProperties },
    },
  },
} as const;
