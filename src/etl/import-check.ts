/**
 * Checks of one asset document of an import, as `PUT /v1/assets/{id}` takes it plus its `id`: the limits of
 * the API's body schema (src/api/registry.ts, src/api/machine-model.ts) field by field, the API's own checks
 * (each sensor listed once, validMin below validMax), then the domain's rules for machine models and bearings
 * (`checkAssetModel`, domain/validate.ts), so that an import refuses what the API refuses, for the same reason.
 * Unlike the API, every field problem of the document is reported, not only the first.
 */
import { ValidationError } from '../domain/errors.ts';
import { type Asset, type SensorKind, sensorKinds } from '../domain/types.ts';
import { checkAssetModel, MAX_RATE_HZ } from '../domain/validate.ts';

/** A problem with a field of a document: a domain path (`sensors.1.unit`) and why it is refused. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** Ids of sites, lines, assets and sensors: the API's `id` pattern (src/api/routes.ts). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ID_RULE = 'must be 1 to 128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

const ASSET_FIELDS = new Set([
  'id',
  'siteId',
  'siteName',
  'lineId',
  'lineName',
  'name',
  'kind',
  'idealCycleSeconds',
  'machine',
  'sensors',
]);
const SENSOR_FIELDS = new Set([
  'id',
  'kind',
  'unit',
  'sampleRateHz',
  'rateVaries',
  'validMin',
  'validMax',
  'bearings',
  'axis',
]);
const BEARING_FIELDS = new Set(['designation', 'location', 'geometry']);
const GEOMETRY_FIELDS = ['rollingElements', 'ballDiameterMm', 'pitchDiameterMm', 'contactAngleDeg'];
const MACHINE_FIELDS = new Set(['speed', 'severity']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects the problems of one document; `skip` holds fields already reported (a CSV cell that was bad). */
class Checker {
  readonly problems: FieldProblem[] = [];
  private readonly skip: ReadonlySet<string>;
  constructor(skip: ReadonlySet<string>) {
    this.skip = skip;
  }

  /** Whether `field` or a field it is part of was already reported ('*': the whole document). */
  skipped(field: string): boolean {
    if (this.skip.has('*')) return true;
    for (let at = field; at !== ''; at = at.slice(0, Math.max(at.lastIndexOf('.'), 0))) {
      if (this.skip.has(at)) return true;
    }
    return false;
  }

  fail(field: string, reason: string): void {
    if (!this.skipped(field)) this.problems.push({ field, reason });
  }

  unknownKeys(doc: Record<string, unknown>, known: ReadonlySet<string>, path: string): void {
    for (const key of Object.keys(doc)) {
      if (!known.has(key)) this.fail(`${path}${key}`, 'is not a field here');
    }
  }

  /** A string of `min` to `max` characters, without U+0000 (PostgreSQL cannot store it). */
  text(value: unknown, field: string, min: number, max: number, optional = false): value is string {
    if (this.skipped(field)) return false;
    if (value === undefined || value === null) {
      if (!optional) this.fail(field, 'is required');
      return false;
    }
    if (typeof value !== 'string') return this.failed(field, 'must be a string');
    if (value.includes('\u0000')) return this.failed(field, 'must not contain U+0000 (NUL)');
    if (value.length < min) return this.failed(field, min === 1 ? 'must not be empty' : `too short`);
    if (value.length > max) return this.failed(field, `must be at most ${max} characters`);
    return true;
  }

  id(value: unknown, field: string): void {
    if (this.text(value, field, 1, 128) && !ID_PATTERN.test(value)) this.fail(field, ID_RULE);
  }

  /** A finite number; numeric strings are read as numbers, as the API reads its bodies. */
  number(value: unknown, field: string, optional = false): number | undefined {
    if (this.skipped(field)) return undefined;
    if (value === undefined || value === null) {
      if (!optional) this.fail(field, 'is required');
      return undefined;
    }
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      this.fail(field, `must be a number, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return n;
  }

  private failed(field: string, reason: string): false {
    this.fail(field, reason);
    return false;
  }
}

function checkBearings(c: Checker, bearings: unknown, path: string): void {
  if (bearings === undefined || bearings === null) return;
  if (!Array.isArray(bearings)) {
    c.fail(path, 'must be a list of bearings');
    return;
  }
  if (bearings.length > 16) c.fail(path, 'lists more than 16 bearings');
  bearings.forEach((b, i) => {
    const at = `${path}.${i}`;
    if (!isObject(b)) {
      c.fail(at, 'must be an object with a designation');
      return;
    }
    c.unknownKeys(b, BEARING_FIELDS, `${at}.`);
    c.text(b.designation, `${at}.designation`, 1, 64);
    c.text(b.location, `${at}.location`, 1, 100, true);
    if (b.geometry === undefined) return;
    if (!isObject(b.geometry)) {
      c.fail(`${at}.geometry`, 'must be an object');
      return;
    }
    c.unknownKeys(b.geometry, new Set(GEOMETRY_FIELDS), `${at}.geometry.`);
    for (const f of GEOMETRY_FIELDS) c.number(b.geometry[f], `${at}.geometry.${f}`);
  });
}

function checkSensor(c: Checker, s: unknown, path: string): void {
  if (!isObject(s)) {
    c.fail(path, 'must be an object');
    return;
  }
  c.unknownKeys(s, SENSOR_FIELDS, `${path}.`);
  c.id(s.id, `${path}.id`);
  if (c.text(s.kind, `${path}.kind`, 1, 64) && !sensorKinds.includes(s.kind as SensorKind)) {
    c.fail(`${path}.kind`, `must be one of ${sensorKinds.join(', ')}`);
  }
  c.text(s.unit, `${path}.unit`, 1, 32);
  const rate = c.number(s.sampleRateHz, `${path}.sampleRateHz`);
  if (rate !== undefined && !(rate > 0 && rate <= MAX_RATE_HZ)) {
    c.fail(`${path}.sampleRateHz`, `must be above 0 and at most ${MAX_RATE_HZ} Hz, got ${rate}`);
  }
  if (s.rateVaries !== undefined && typeof s.rateVaries !== 'boolean') {
    c.fail(`${path}.rateVaries`, 'must be true or false');
  }
  const min = c.number(s.validMin, `${path}.validMin`);
  const max = c.number(s.validMax, `${path}.validMax`);
  // The API's own check after its schema (PUT /v1/assets/{id}), with its words.
  if (min !== undefined && max !== undefined && min >= max) {
    c.fail(`${path}.validMax`, 'must be greater than validMin');
  }
  if (s.axis !== undefined && s.axis !== null && s.axis !== 'radial' && s.axis !== 'axial') {
    c.fail(`${path}.axis`, `must be 'radial' or 'axial', got ${JSON.stringify(s.axis)}`);
  }
  checkBearings(c, s.bearings, `${path}.bearings`);
}

/** Numeric strings as numbers, where the document is otherwise valid (the API coerces them likewise). */
function asNumber(v: unknown): unknown {
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

/**
 * Checks one asset document (`{id, siteId, lineId, name, kind, sensors, idealCycleSeconds?, machine?,
 * siteName?, lineName?}`) and returns the asset to register, or every problem found, each with a domain field
 * path (`sensors.1.validMax`, `machine.speed.rpm`). `skip`: fields already reported by the caller, with
 * what they hold (`sensors.2` skips every field of that sensor; `*` the whole document).
 * Never throws on bad input.
 */
export function checkAssetDocument(
  doc: unknown,
  skip: ReadonlySet<string> = new Set(),
): { asset: Asset; siteName?: string; lineName?: string } | { problems: FieldProblem[] } {
  const c = new Checker(skip);
  if (!isObject(doc)) return { problems: [{ field: '', reason: 'must be an object (an asset)' }] };
  c.unknownKeys(doc, ASSET_FIELDS, '');
  c.id(doc.id, 'id');
  c.id(doc.siteId, 'siteId');
  c.id(doc.lineId, 'lineId');
  c.text(doc.siteName, 'siteName', 1, 200, true);
  c.text(doc.lineName, 'lineName', 1, 200, true);
  c.text(doc.name, 'name', 1, 200);
  c.text(doc.kind, 'kind', 1, 64);
  const cycle = c.number(doc.idealCycleSeconds, 'idealCycleSeconds', true);
  if (cycle !== undefined && !(cycle > 0)) c.fail('idealCycleSeconds', `must be above 0, got ${cycle}`);
  if (doc.machine !== undefined && doc.machine !== null) {
    if (!isObject(doc.machine)) c.fail('machine', 'must be an object with a speed');
    else c.unknownKeys(doc.machine, MACHINE_FIELDS, 'machine.');
  }
  const sensors = doc.sensors;
  if (!Array.isArray(sensors)) {
    c.fail('sensors', sensors === undefined ? 'is required' : 'must be a list');
  } else {
    if (sensors.length > 1000) c.fail('sensors', 'lists more than 1000 sensors');
    const first = new Map<unknown, number>();
    sensors.forEach((s, i) => {
      checkSensor(c, s, `sensors.${i}`);
      // One document names each sensor once: a repeated id is a mistake, not a resend (as the API says).
      const id = isObject(s) ? s.id : undefined;
      if (typeof id !== 'string') return;
      const at = first.get(id);
      if (at !== undefined) c.fail(`sensors.${i}.id`, `repeats sensors.${at}.id (${id})`);
      else first.set(id, i);
    });
  }
  if (c.problems.length > 0 || skip.size > 0) return { problems: c.problems };

  const { siteName, lineName, ...body } = doc as Record<string, unknown> & Asset;
  const asset: Asset = {
    ...body,
    idealCycleSeconds: asNumber(body.idealCycleSeconds) as number | undefined,
    sensors: (sensors as Record<string, unknown>[]).map((s) => ({
      ...(s as unknown as Asset['sensors'][number]),
      assetId: body.id,
      sampleRateHz: asNumber(s.sampleRateHz) as number,
      validMin: asNumber(s.validMin) as number,
      validMax: asNumber(s.validMax) as number,
    })),
  };
  try {
    checkAssetModel(asset);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { problems: [{ field: err.field, reason: err.reason }] };
  }
  return { asset, siteName: siteName as string | undefined, lineName: lineName as string | undefined };
}
