/**
 * The columns of an asset import CSV (one row per sensor, the asset's columns repeated on each of its rows)
 * and where each lands in the asset document that `PUT /v1/assets/{id}` takes. docs/operations.md lists them.
 */

/** How a cell is read: text as it is (trimmed), a number, or true/false. */
export type CellType = 'text' | 'number' | 'boolean';

export interface Column {
  /** Document path: of the asset (`siteId`, `machine.speed.rpm`), or of its sensor under `sensors.<i>.`. */
  path: string;
  level: 'asset' | 'sensor';
  type: CellType;
  required: boolean;
}

const asset = (path: string, type: CellType = 'text', required = false): Column => ({
  path,
  level: 'asset',
  type,
  required,
});
const sensor = (path: string, type: CellType = 'text', required = false): Column => ({
  path,
  level: 'sensor',
  type,
  required,
});

export const COLUMNS: Readonly<Record<string, Column>> = {
  site: asset('siteId', 'text', true),
  siteName: asset('siteName'),
  line: asset('lineId', 'text', true),
  lineName: asset('lineName'),
  asset: asset('id', 'text', true),
  assetName: asset('name', 'text', true),
  kind: asset('kind', 'text', true),
  idealCycleSeconds: asset('idealCycleSeconds', 'number'),
  rpm: asset('machine.speed.rpm', 'number'),
  speedSensor: asset('machine.speed.sensorId'),
  isoGroup: asset('machine.severity.group', 'number'),
  foundation: asset('machine.severity.foundation'),
  sensor: sensor('id', 'text', true),
  sensorKind: sensor('kind', 'text', true),
  unit: sensor('unit', 'text', true),
  sampleRateHz: sensor('sampleRateHz', 'number', true),
  rateVaries: sensor('rateVaries', 'boolean'),
  validMin: sensor('validMin', 'number', true),
  validMax: sensor('validMax', 'number', true),
  axis: sensor('axis'),
  bearing: sensor('bearings.0.designation'),
  bearingLocation: sensor('bearings.0.location'),
  rollingElements: sensor('bearings.0.geometry.rollingElements', 'number'),
  ballDiameterMm: sensor('bearings.0.geometry.ballDiameterMm', 'number'),
  pitchDiameterMm: sensor('bearings.0.geometry.pitchDiameterMm', 'number'),
  contactAngleDeg: sensor('bearings.0.geometry.contactAngleDeg', 'number'),
};

const byPath = new Map(Object.entries(COLUMNS).map(([name, c]) => [`${c.level}:${c.path}`, name]));

/** Document paths with no column of their own, and the column that holds what they are made of. */
const NEAREST: Readonly<Record<string, string>> = {
  machine: 'rpm',
  'machine.speed': 'rpm',
  'machine.speed.source': 'rpm',
  'machine.severity': 'isoGroup',
  'machine.severity.boundaries': 'isoGroup',
  sensors: 'sensor',
};
const NEAREST_SENSOR: Readonly<Record<string, string>> = {
  '': 'sensor',
  bearings: 'bearing',
  'bearings.0': 'bearing',
  'bearings.0.geometry': 'bearing',
};

/**
 * The column of a document field: `sensors.2.unit` → { sensor: 2, column: 'unit' }, `machine.speed.rpm` →
 * { sensor: null, column: 'rpm' }. A field no column holds is named as it is.
 */
export function columnOf(field: string): { sensor: number | null; column: string } {
  const m = /^sensors\.(\d+)(?:\.(.*))?$/.exec(field);
  if (m) {
    const rest = m[2] ?? '';
    const column = byPath.get(`sensor:${rest}`) ?? NEAREST_SENSOR[rest] ?? rest;
    return { sensor: Number(m[1]), column };
  }
  return { sensor: null, column: byPath.get(`asset:${field}`) ?? NEAREST[field] ?? field };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A cell's value, or the reason it cannot be read as its column's type. Empty cells are undefined. */
export function readCell(type: CellType, raw: string): { value: unknown } | { reason: string } {
  if (raw === '') return { value: undefined };
  if (type === 'number') {
    const n = Number(raw);
    return NUMBER.test(raw) && Number.isFinite(n)
      ? { value: n }
      : { reason: `must be a number, got ${JSON.stringify(raw)}` };
  }
  if (type === 'boolean') {
    const v = raw.toLowerCase();
    if (v === 'true' || v === 'false') return { value: v === 'true' };
    return { reason: `must be true or false, got ${JSON.stringify(raw)}` };
  }
  return { value: raw };
}

/** Sets `value` at a dotted path of `doc`, creating objects, and arrays for numeric segments. */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: Record<string, unknown> = doc;
  keys.slice(0, -1).forEach((key, i) => {
    at[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
    at = at[key] as Record<string, unknown>;
  });
  at[keys[keys.length - 1]] = value;
}
