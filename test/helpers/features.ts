import type { WindowFeatures } from '../../src/domain/types.ts';

/**
 * A stored 10 s window of a scalar sensor with plain values (count 10, mean 50, health 90), for storage tests;
 * `over` replaces any field. The asset is the sensor id's first part.
 */
export function windowFeatures(
  sensorId: string,
  start: number,
  over: Partial<WindowFeatures> = {},
): WindowFeatures {
  return {
    assetId: sensorId.split('.')[0],
    sensorId,
    windowStart: start,
    windowEnd: start + 10_000,
    count: 10,
    mean: 50,
    min: 40,
    max: 60,
    std: 1,
    rms: 50,
    peakToPeak: 20,
    crestFactor: null,
    skewness: null,
    kurtosis: null,
    dominantHz: null,
    bandEnergies: null,
    anomalyScore: 1,
    health: 90,
    velocityRms: null,
    severityZone: null,
    diagnostics: null,
    ...over,
  };
}
