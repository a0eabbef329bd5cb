import { catalogueBearing, checkGeometry } from '../diagnostics/bearings.ts';
import type { MachineBearing } from '../diagnostics/diagnosis.ts';
import { type AccelerationUnit, accelerationScale, zoneBoundaries } from '../diagnostics/severity.ts';
import { checkSpeedSetting } from '../diagnostics/speed.ts';
import { ValidationError } from './errors.ts';
import { parseTimestamp } from './timestamps.ts';
import type { Asset, AssetMachine, Reading, Sensor } from './types.ts';

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

/**
 * Runs a check of the diagnostics core, whose RangeError names a field relative to what it checks
 * (`rpm: …`, `boundaries.ab: …`), and throws it as a ValidationError naming the field under `path`.
 */
function under(path: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const named = /^([A-Za-z][\w.]*): ([\s\S]*)$/.exec(err.message);
    throw named
      ? new ValidationError(`${path}.${named[1]}`, named[2])
      : new ValidationError(path, err.message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether the diagnostics read samples in `unit` as acceleration (m/s², m/s2 or g). */
export function isAccelerationUnit(unit: string): unit is AccelerationUnit {
  try {
    accelerationScale(unit as AccelerationUnit);
    return true;
  } catch {
    return false;
  }
}

const ACCELERATION_UNITS = "'m/s²' (or 'm/s2') or 'g'";

/** Checks one bearing: a catalogue designation, or any designation with a physical geometry. */
function checkBearing(bearing: MachineBearing, path: string): void {
  if (!isObject(bearing)) throw new ValidationError(path, 'must be an object with a designation');
  if (typeof bearing.designation !== 'string' || bearing.designation.trim() === '') {
    throw new ValidationError(`${path}.designation`, 'must be a non-empty bearing designation');
  }
  if (bearing.location !== undefined && (typeof bearing.location !== 'string' || !bearing.location.trim())) {
    throw new ValidationError(`${path}.location`, 'must be a non-empty text, e.g. "drive end"');
  }
  const { geometry } = bearing;
  if (geometry === undefined) {
    under(path, () => catalogueBearing(bearing.designation));
    return;
  }
  if (!isObject(geometry)) throw new ValidationError(`${path}.geometry`, 'must be an object');
  under(`${path}.geometry`, () => checkGeometry(geometry));
}

/** Checks a sensor's bearings and axis: only a vibration sensor in an acceleration unit watches bearings. */
function checkSensorModel(sensor: Sensor, path: string): void {
  const bearings = sensor.bearings ?? [];
  if (!Array.isArray(bearings)) throw new ValidationError(`${path}.bearings`, 'must be a list of bearings');
  const watches = bearings.length > 0 || (sensor.axis ?? null) !== null;
  if (watches && sensor.kind !== 'vibration') {
    const field = bearings.length > 0 ? 'bearings' : 'axis';
    throw new ValidationError(
      `${path}.${field}`,
      `only a vibration sensor has ${field}; this one is of kind ${sensor.kind}`,
    );
  }
  if (sensor.axis != null && sensor.axis !== 'radial' && sensor.axis !== 'axial') {
    throw new ValidationError(
      `${path}.axis`,
      `must be 'radial' or 'axial', got ${JSON.stringify(sensor.axis)}`,
    );
  }
  if (bearings.length > 0 && !isAccelerationUnit(sensor.unit)) {
    throw new ValidationError(
      `${path}.unit`,
      `a vibration sensor with bearings measures acceleration in ${ACCELERATION_UNITS}, not ${JSON.stringify(sensor.unit)}`,
    );
  }
  bearings.forEach((b, i) => {
    checkBearing(b, `${path}.bearings.${i}`);
  });
}

/**
 * Checks a machine model against the asset's active sensors, `sensors` (each with the domain path it was given
 * at, or null for a sensor stored before and not in this request): a valid speed setting whose `sensor` source
 * names a `speed` sensor of the asset; an ISO 20816-3 class (group 1 or 2, rigid or flexible foundation,
 * boundaries increasing) whose asset's vibration sensors measure acceleration.
 * @throws ValidationError naming the field under `path` (`machine.speed.rpm`, `machine.severity.group`), or the
 * unit of a sensor of this request (`sensors.1.unit`).
 */
export function checkMachine(
  machine: AssetMachine,
  assetId: string,
  sensors: readonly { sensor: Sensor; path: string | null }[],
  path = 'machine',
): void {
  if (!isObject(machine)) throw new ValidationError(path, 'must be an object with a speed');
  if (!isObject(machine.speed)) throw new ValidationError(`${path}.speed`, 'is required: a speed setting');
  under(`${path}.speed`, () => checkSpeedSetting(machine.speed));
  if (machine.speed.source === 'sensor') {
    const id = machine.speed.sensorId;
    const found = sensors.find((s) => s.sensor.id === id)?.sensor;
    if (!found) {
      throw new ValidationError(
        `${path}.speed.sensorId`,
        `${id} is not an active sensor of asset ${assetId}`,
      );
    }
    if (found.kind !== 'speed') {
      throw new ValidationError(
        `${path}.speed.sensorId`,
        `sensor ${id} is of kind ${found.kind}; the running speed is read from a sensor of kind speed, in rpm`,
      );
    }
  }
  const severity = machine.severity;
  if (severity === undefined || severity === null) return;
  if (!isObject(severity)) throw new ValidationError(`${path}.severity`, 'must be an object');
  under(`${path}.severity`, () => zoneBoundaries(severity.group, severity.foundation, severity.boundaries));
  for (const { sensor, path: at } of sensors) {
    if (sensor.kind !== 'vibration' || isAccelerationUnit(sensor.unit)) continue;
    const why = `velocity severity is computed from acceleration in ${ACCELERATION_UNITS}`;
    if (at) throw new ValidationError(`${at}.unit`, `${why}, not ${JSON.stringify(sensor.unit)}`);
    throw new ValidationError(
      `${path}.severity`,
      `${why}; vibration sensor ${sensor.id} of this asset is in ${JSON.stringify(sensor.unit)}`,
    );
  }
}

/**
 * Checks an asset's machine model and its sensors' bearings and axis before it is stored. `kept` are the
 * asset's active sensors stored before and not listed in `asset.sensors` (they stay as they are).
 * @throws ValidationError naming the domain field: `machine.speed.rpm`, `machine.speed.sensorId`,
 * `machine.severity.group`, `sensors.1.unit`, `sensors.1.bearings.0.designation`,
 * `sensors.1.bearings.0.geometry.ballDiameterMm`, …
 */
export function checkAssetModel(asset: Asset, kept: readonly Sensor[] = []): void {
  asset.sensors.forEach((s, i) => {
    checkSensorModel(s, `sensors.${i}`);
  });
  if (asset.machine === undefined || asset.machine === null) return;
  const listed = new Set(asset.sensors.map((s) => s.id));
  const sensors = [
    ...asset.sensors.map((sensor, i) => ({ sensor, path: `sensors.${i}` })),
    ...kept.filter((s) => !listed.has(s.id)).map((sensor) => ({ sensor, path: null })),
  ];
  checkMachine(asset.machine, asset.id, sensors);
}
