import type { Reading, Sensor } from './types.ts';

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

const MIN_TS = Date.UTC(2000, 0, 1);

function reject(field: string, reason: string): { ok: false } & Rejection {
  return { ok: false, field, reason };
}

/** Epoch milliseconds from a number or an ISO 8601 string with a zone, or a reason. */
export function parseTimestamp(ts: unknown): number | string {
  if (typeof ts === 'number') {
    if (!Number.isFinite(ts)) return 'must be a finite number';
    if (ts < MIN_TS) return `${ts} is before 2000-01-01; expected epoch milliseconds or ISO 8601`;
    return ts;
  }
  if (typeof ts === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(ts)) {
      return 'expected ISO 8601 with a time zone (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds';
    }
    const ms = Date.parse(ts);
    if (Number.isNaN(ms)) return `${JSON.stringify(ts)} is not a valid date`;
    if (ms < MIN_TS) return `${ts} is before 2000-01-01`;
    return ms;
  }
  return ts === undefined ? 'is required' : 'must be a number (epoch ms) or an ISO 8601 string';
}

/**
 * Validates one ingested item on its own: a scalar `{sensorId, ts, value}` or a sample block
 * `{sensorId, ts, rateHz, values}`. The sensor must be registered and values inside its valid range.
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
  const sensor = findSensor(sensorId);
  if (!sensor) return reject('sensorId', `unknown sensor ${JSON.stringify(sensorId.slice(0, 100))}`);

  const parsedTs = parseTimestamp(ts);
  if (typeof parsedTs === 'string') return reject('ts', parsedTs);
  if (parsedTs > now + limits.maxClockSkewMs) {
    return reject('ts', `is ${Math.round((parsedTs - now) / 1000)} s in the future`);
  }
  const inRange = (v: number) => v >= sensor.validMin && v <= sensor.validMax;
  const range = `[${sensor.validMin}, ${sensor.validMax}] ${sensor.unit}`;

  if (values !== undefined || rateHz !== undefined) {
    if (value !== undefined) return reject('value', 'must not be given with values (a sample block)');
    if (typeof rateHz !== 'number' || !Number.isFinite(rateHz) || rateHz <= 0) {
      return reject('rateHz', rateHz === undefined ? 'is required with values' : 'must be a positive number');
    }
    if (!Array.isArray(values) || values.length === 0) {
      return reject('values', 'must be a non-empty array of numbers');
    }
    if (values.length > limits.maxBlockSamples) {
      return reject('values', `has ${values.length} samples; at most ${limits.maxBlockSamples} per block`);
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v))
        return reject(`values[${i}]`, 'must be a finite number');
      if (!inRange(v)) return reject(`values[${i}]`, `${v} is outside the sensor's valid range ${range}`);
    }
    return { ok: true, sensor, reading: { sensorId, ts: parsedTs, rateHz, values: values as number[] } };
  }

  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return reject('value', value === undefined ? 'is required' : 'must be a finite number');
  }
  if (!inRange(value)) return reject('value', `${value} is outside the sensor's valid range ${range}`);
  return { ok: true, sensor, reading: { sensorId, ts: parsedTs, value } };
}
