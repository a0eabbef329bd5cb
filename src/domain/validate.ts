import { parseTimestamp } from './timestamps.ts';
import type { Reading, Sensor } from './types.ts';

export { checkAssetModel, checkMachine, isAccelerationUnit } from './machine-model.ts';
export { parseTimestamp } from './timestamps.ts';

export interface ValidationLimits {
  /** Readings further in the future than this are rejected (clock skew). */
  maxClockSkewMs: number;
  maxBlockSamples: number;
}

export interface Rejection {
  field: string;
  reason: string;
}

export type ItemResult<S extends Sensor = Sensor> =
  | { ok: true; reading: Reading; sensor: S }
  | ({ ok: false } & Rejection);

function reject(field: string, reason: string): { ok: false } & Rejection {
  return { ok: false, field, reason };
}

/** Block samples are stored as IEEE 754 binary32 (raw_blocks): the largest finite magnitude it holds. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * A sample block's rate may differ from the sensor's registered rate by this fraction: clock tolerance and
 * rates measured over a block by the sender, while a block sent at another rate setting is refused.
 */
export const RATE_TOLERANCE = 0.01;
/** The highest sample rate accepted even for a sensor whose rate varies: 10 MHz (acoustic emission). */
export const MAX_RATE_HZ = 10_000_000;
/** The latest instant a JavaScript Date holds (ECMA-262 §21.4.1.1): later ones have no ISO 8601 form. */
const MAX_DATE_MS = 8.64e15;

/** Why a block's rate is refused for this sensor, or undefined when it fits. */
function rateProblem(rateHz: number, sensor: Sensor): string | undefined {
  if (rateHz > MAX_RATE_HZ) return `${rateHz} Hz is above ${MAX_RATE_HZ} Hz`;
  if (sensor.rateVaries) return undefined;
  if (Math.abs(rateHz - sensor.sampleRateHz) <= RATE_TOLERANCE * sensor.sampleRateHz) return undefined;
  return (
    `${rateHz} Hz differs from the sensor's registered ${sensor.sampleRateHz} Hz by more than ` +
    `${RATE_TOLERANCE * 100} %; register the sensor with rateVaries: true if its rate changes`
  );
}

/**
 * Validates one ingested item on its own: a scalar `{sensorId, ts, value}` or a sample block
 * `{sensorId, ts, rateHz, values}`. The sensor must be registered, `ts` a timestamp `parseTimestamp` accepts
 * and not beyond `now` plus the allowed clock skew, a block's rate the sensor's (see RATE_TOLERANCE), and
 * values inside the sensor's valid range. `now` is epoch milliseconds.
 */
export function validateItem<S extends Sensor>(
  item: unknown,
  findSensor: (id: string) => S | undefined,
  now: number,
  limits: ValidationLimits,
): ItemResult<S> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return reject('item', 'must be an object');
  }
  const { sensorId, ts, value, rateHz, values } = item as Record<string, unknown>;
  if (typeof sensorId !== 'string' || sensorId.length === 0) {
    return reject('sensorId', sensorId === undefined ? 'is required' : 'must be a non-empty string');
  }
  if (sensorId.includes('\u0000')) return reject('sensorId', 'must not contain U+0000 (NUL)');
  const sensor = findSensor(sensorId);
  if (!sensor) return reject('sensorId', `unknown sensor ${JSON.stringify(sensorId.slice(0, 100))}`);

  const parsedTs = parseTimestamp(ts);
  if (typeof parsedTs === 'string') return reject('ts', parsedTs);
  const ahead = (ts: number) =>
    `${Math.round((ts - now) / 1000)} s in the future; at most ${limits.maxClockSkewMs / 1000} s of clock skew is allowed`;
  if (parsedTs > now + limits.maxClockSkewMs) return reject('ts', `is ${ahead(parsedTs)}`);
  const inRange = (v: number) => v >= sensor.validMin && v <= sensor.validMax;
  const range = `[${sensor.validMin}, ${sensor.validMax}] ${sensor.unit}`;

  if (values !== undefined || rateHz !== undefined) {
    if (value !== undefined) return reject('value', 'must not be given with values (a sample block)');
    if (typeof rateHz !== 'number' || !Number.isFinite(rateHz) || rateHz <= 0) {
      return reject('rateHz', rateHz === undefined ? 'is required with values' : 'must be a positive number');
    }
    const badRate = rateProblem(rateHz, sensor);
    if (badRate) return reject('rateHz', badRate);
    if (!Array.isArray(values) || values.length === 0) {
      return reject('values', 'must be a non-empty array of numbers');
    }
    if (values.length > limits.maxBlockSamples) {
      return reject('values', `has ${values.length} samples; at most ${limits.maxBlockSamples} per block`);
    }
    // The block's last sample must not be in the future either. With the registered rate, the block starts
    // too late for its length (ts); only a sensor whose rate varies can have a rate far too low stretch it.
    const lastTs = parsedTs + ((values.length - 1) * 1000) / rateHz;
    if (lastTs > now + limits.maxClockSkewMs) {
      const end = lastTs < MAX_DATE_MS ? ` at ${new Date(lastTs).toISOString()},` : '';
      return reject(
        sensor.rateVaries ? 'rateHz' : 'ts',
        `${values.length} values with rateHz ${rateHz} from ts end${end} ${ahead(lastTs)}`,
      );
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v))
        return reject(`values[${i}]`, 'must be a finite number');
      if (!inRange(v)) return reject(`values[${i}]`, `${v} is outside the sensor's valid range ${range}`);
      if (Math.abs(v) > FLOAT32_MAX)
        return reject(
          `values[${i}]`,
          `${v} does not fit a block sample (32-bit float, at most ±${FLOAT32_MAX})`,
        );
    }
    return { ok: true, sensor, reading: { sensorId, ts: parsedTs, rateHz, values: values as number[] } };
  }

  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return reject('value', value === undefined ? 'is required' : 'must be a finite number');
  }
  if (!inRange(value)) return reject('value', `${value} is outside the sensor's valid range ${range}`);
  return { ok: true, sensor, reading: { sensorId, ts: parsedTs, value } };
}
