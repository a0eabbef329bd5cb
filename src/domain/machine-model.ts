/**
 * Checks of the machine model an asset carries for vibration diagnosis (its speed setting and ISO 20816-3
 * class) and of its sensors' bearings and axis, run before the registry stores them.
 */
import {
  type BearingGeometry,
  type CatalogueBearing,
  catalogueBearing,
  checkGeometry,
} from '../diagnostics/bearings.ts';
import type { MachineBearing } from '../diagnostics/diagnosis.ts';
import { type AccelerationUnit, accelerationScale, zoneBoundaries } from '../diagnostics/severity.ts';
import { checkSpeedSetting } from '../diagnostics/speed.ts';
import { MissingReferenceError, RuleViolationError, ValidationError } from './errors.ts';
import type { Asset, AssetMachine, Sensor } from './types.ts';

/**
 * Units a speed sensor may report the shaft speed in, with the factor that turns a value into rpm: revolutions
 * per minute in its usual spellings, and revolutions per second, the shaft frequency, in Hz or r/s (× 60).
 */
export const SPEED_UNITS: Readonly<Record<string, number>> = {
  rpm: 1,
  RPM: 1,
  'r/min': 1,
  '1/min': 1,
  'min⁻¹': 1,
  'min-1': 1,
  Hz: 60,
  'r/s': 60,
};

/** Factor from a speed sensor's `unit` to rpm (see SPEED_UNITS); undefined for a unit that is not a speed. */
export function rpmPerUnit(unit: string): number | undefined {
  return Object.hasOwn(SPEED_UNITS, unit) ? SPEED_UNITS[unit] : undefined;
}

const SPEED_UNIT_LIST = Object.keys(SPEED_UNITS)
  .map((u) => JSON.stringify(u))
  .join(', ');

/**
 * Largest difference between a given geometry and the catalogue's that still counts as the same bearing: the
 * catalogue's lengths come from inches (0.3126 in = 7.94004 mm), so a data sheet rounded to 0.1 mm differs by
 * up to 0.05 mm; at d ≈ 8 mm, D ≈ 39 mm that moves BPFO by about 0.15 %, well inside the 2 % slip tolerance
 * of the envelope search. Angles rounded to the degree differ by up to 0.5°.
 */
const GEOMETRY_ROUNDING = { mm: 0.05, deg: 0.5 };

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
      ? new RuleViolationError(`${path}.${named[1]}`, named[2])
      : new RuleViolationError(path, err.message);
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

/** The catalogue bearing named `designation`, or undefined when it is not in the catalogue. */
function inCatalogue(designation: string): CatalogueBearing | undefined {
  try {
    return catalogueBearing(designation);
  } catch {
    return undefined;
  }
}

/** The first field in which `given` differs from the catalogue's `listed` by more than rounding, if any. */
function differingField(given: BearingGeometry, listed: BearingGeometry): keyof BearingGeometry | undefined {
  if (given.rollingElements !== listed.rollingElements) return 'rollingElements';
  for (const field of ['ballDiameterMm', 'pitchDiameterMm'] as const) {
    if (Math.abs(given[field] - listed[field]) > GEOMETRY_ROUNDING.mm) return field;
  }
  if (Math.abs(given.contactAngleDeg - listed.contactAngleDeg) > GEOMETRY_ROUNDING.deg)
    return 'contactAngleDeg';
  return undefined;
}

/**
 * Checks one bearing: a catalogue designation, or any designation with a physical geometry. A catalogue
 * designation given with a geometry must have the catalogue's (within GEOMETRY_ROUNDING): otherwise its
 * defect frequencies and its label would disagree.
 */
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
  const listed = inCatalogue(bearing.designation);
  const field = listed && differingField(geometry, listed);
  if (!listed || !field) return;
  throw new RuleViolationError(
    `${path}.geometry`,
    `differs from the catalogue's ${bearing.designation.trim()} (${field} ${geometry[field]}, catalogue ` +
      `${+listed[field].toFixed(3)}): leave the geometry out to use the catalogue's, or give this bearing ` +
      'another designation',
  );
}

/** Checks a sensor's bearings and axis: only a vibration sensor in an acceleration unit watches bearings. */
function checkSensorModel(sensor: Sensor, path: string): void {
  const bearings = sensor.bearings ?? [];
  if (!Array.isArray(bearings)) throw new ValidationError(`${path}.bearings`, 'must be a list of bearings');
  const watches = bearings.length > 0 || (sensor.axis ?? null) !== null;
  if (watches && sensor.kind !== 'vibration') {
    const field = bearings.length > 0 ? 'bearings' : 'axis';
    throw new RuleViolationError(
      `${path}.${field}`,
      `only a vibration sensor has ${field}; this one is of kind ${sensor.kind}`,
    );
  }
  if (sensor.axis != null && sensor.axis !== 'radial' && sensor.axis !== 'axial') {
    throw new RuleViolationError(
      `${path}.axis`,
      `must be 'radial' or 'axial', got ${JSON.stringify(sensor.axis)}`,
    );
  }
  if (bearings.length > 0 && !isAccelerationUnit(sensor.unit)) {
    throw new RuleViolationError(
      `${path}.unit`,
      `a vibration sensor with bearings measures acceleration in ${ACCELERATION_UNITS}, not ${JSON.stringify(sensor.unit)}`,
    );
  }
  // The same bearing listed twice would be diagnosed once, under one label: a slip in the list, refused.
  const seen = new Map<string, number>();
  bearings.forEach((b, i) => {
    checkBearing(b, `${path}.bearings.${i}`);
    const key = `${b.designation.trim().toUpperCase()}\u0000${b.location?.trim() ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const where = b.location ? ` at ${b.location.trim()}` : ' without a location';
      throw new RuleViolationError(
        `${path}.bearings.${i}`,
        `repeats ${path}.bearings.${first} (${b.designation.trim()}${where}); list each bearing once, or tell them apart by location`,
      );
    }
    seen.set(key, i);
  });
}

/** Checks that the speed sensor `sensor` is of kind speed and reports in a unit read as a shaft speed. */
function checkSpeedSensor(
  sensor: Sensor | undefined,
  id: string,
  assetId: string,
  field: string,
  at: string | null,
) {
  if (!sensor) throw new MissingReferenceError(field, `${id} is not an active sensor of asset ${assetId}`);
  if (sensor.kind !== 'speed') {
    throw new RuleViolationError(
      field,
      `sensor ${id} is of kind ${sensor.kind}; the running speed is read from a sensor of kind speed`,
    );
  }
  if (rpmPerUnit(sensor.unit) !== undefined) return;
  const why = `the running speed is read in ${SPEED_UNIT_LIST}, not ${JSON.stringify(sensor.unit)}`;
  if (at) throw new RuleViolationError(`${at}.unit`, `${why} (this sensor gives the machine's speed)`);
  throw new RuleViolationError(field, `speed sensor ${id} is in ${JSON.stringify(sensor.unit)}; ${why}`);
}

/**
 * Checks a machine model against the asset's active sensors, `sensors` (each with the domain path it was given
 * at, or null for a sensor stored before and not in this request): a valid speed setting whose `sensor` source
 * names a `speed` sensor of the asset in a unit of SPEED_UNITS; an ISO 20816-3 class (group 1 or 2, rigid or
 * flexible foundation, boundaries increasing) whose asset's vibration sensors measure acceleration.
 * @throws ValidationError naming the field under `path` (`machine.speed.rpm`, `machine.speed.sensorId`,
 * `machine.severity.group`), or the unit of a sensor of this request (`sensors.1.unit`).
 * A speed sensor that is not an active sensor of the asset is a MissingReferenceError (a ValidationError).
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
    const found = sensors.find((s) => s.sensor.id === id);
    checkSpeedSensor(found?.sensor, id, assetId, `${path}.speed.sensorId`, found?.path ?? null);
  }
  const severity = machine.severity;
  if (severity === undefined || severity === null) return;
  if (!isObject(severity)) throw new ValidationError(`${path}.severity`, 'must be an object');
  under(`${path}.severity`, () => zoneBoundaries(severity.group, severity.foundation, severity.boundaries));
  for (const { sensor, path: at } of sensors) {
    if (sensor.kind !== 'vibration' || isAccelerationUnit(sensor.unit)) continue;
    const why = `velocity severity is computed from acceleration in ${ACCELERATION_UNITS}`;
    if (at) throw new RuleViolationError(`${at}.unit`, `${why}, not ${JSON.stringify(sensor.unit)}`);
    throw new RuleViolationError(
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
 * `sensors.1.bearings.0.geometry.ballDiameterMm`, `sensors.1.bearings.0.geometry` (a catalogue designation
 * with another geometry), `sensors.1.bearings.2` (a bearing listed twice), …
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
