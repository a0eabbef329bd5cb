/**
 * JSON schemas of the registry's routes (sites, lines, assets, sensors): what each takes and answers, and the
 * cursors of their listings, whose forms the schemas state exactly.
 */

import { NotFoundError, RuleViolationError } from '../domain/errors.ts';
import { sensorKinds } from '../domain/types.ts';
import { MAX_RATE_HZ, RATE_TOLERANCE } from '../domain/validate.ts';
import type { AssetCursor, AssetSort } from '../storage/ports/asset-registry.ts';
import { featureWindowSchema } from './feature-schemas.ts';
import { machineSchema, sensorModelProperties } from './machine-model.ts';
import { modelRef } from './models.ts';
import { rulResponseSchema } from './rul.ts';
import { ID_PATTERN, id, isoTime } from './schemas.ts';
import { assetStalenessProperties, sensorStalenessProperties } from './sensor-staleness.ts';

export const name = { type: 'string', minLength: 1, maxLength: 200, description: 'display name' } as const;
const kind = { type: 'string', minLength: 1, maxLength: 64, description: 'asset type, e.g. pump' } as const;

export const status = {
  type: 'string',
  enum: ['active', 'retired', 'all'],
  default: 'active',
  description: 'active: only those not retired; retired: only retired ones; all: both',
} as const;

/** `?retired=true` on the reads of one resource. */
export const retiredQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    retired: {
      type: 'boolean',
      default: false,
      description: 'true: answer it even when it is retired; false: a retired one answers 404 saying when',
    },
  },
} as const;

/** What a read of one resource says of retired ones, for its operation's description. */
export const RETIRED_READ =
  'A retired one answers 404 saying when it was retired, unless asked with `retired=true`.';

/**
 * The resource a read found, unless there is none or it is retired and the caller did not ask for retired
 * ones (`?retired=true`, see retiredQuery). `what` names it in the message: `sensor pump-1.vib`.
 * @throws NotFoundError `<what> not found`, or `<what> was retired at <ISO time>; ask with retired=true to read it`.
 */
export function readable<T extends { retiredAt?: string | null }>(
  what: string,
  found: T | null,
  retired: boolean,
): T {
  if (!found) throw new NotFoundError(`${what} not found`);
  if (found.retiredAt && !retired) {
    throw new NotFoundError(`${what} was retired at ${found.retiredAt}; ask with retired=true to read it`);
  }
  return found;
}

const retiredAt = (of: string) =>
  ({
    type: ['string', 'null'],
    format: 'date-time',
    description: `when the ${of} was retired (ISO 8601, UTC); null while it is active`,
  }) as const;
const version = {
  type: 'integer',
  minimum: 1,
  description: 'version, raised by every change: the ETag (`"3"`) that If-Match names',
} as const;

// ---- sites and lines ----

const placeProperties = (of: string) =>
  ({
    id,
    name,
    createdAt: isoTime(`when the ${of} was created`),
    updatedAt: isoTime(`when the ${of} last changed`),
    retiredAt: retiredAt(of),
    version,
  }) as const;

export const siteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'createdAt', 'updatedAt', 'retiredAt', 'version'],
  properties: placeProperties('site'),
} as const;

export const lineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'siteId', 'createdAt', 'updatedAt', 'retiredAt', 'version'],
  properties: { ...placeProperties('line'), siteId: { ...id, description: 'the site the line is in' } },
} as const;

export const siteBody = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name'],
  properties: { id, name },
  examples: [{ id: 'plant-a', name: 'Plant A' }],
} as const;

export const lineBody = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'siteId'],
  properties: { id, name, siteId: { ...id, description: 'an existing site, not retired' } },
  examples: [{ id: 'line-1', siteId: 'plant-a', name: 'Line 1' }],
} as const;

/** Cursor of the sites and lines: the last id listed; any id is a position. */
export const placeCursor = {
  type: 'string',
  pattern: ID_PATTERN,
  description: 'the `next` of the previous page: the last id listed (any id starts after it)',
} as const;

// ---- sensors ----

const sensorRequestProperties = {
  id,
  kind: { type: 'string', enum: sensorKinds },
  unit: {
    type: 'string',
    minLength: 1,
    maxLength: 32,
    description:
      'unit of its values. Vibration sensors with bearings or on a machine with an ISO class: m/s², m/s2 or g. ' +
      "A speed sensor a machine model reads: rpm, RPM, r/min, 1/min, min⁻¹, min-1, or Hz or r/s (the shaft's revolutions per second)",
  },
  sampleRateHz: {
    type: 'number',
    exclusiveMinimum: 0,
    maximum: MAX_RATE_HZ,
    description: 'registered sample rate, Hz',
  },
  rateVaries: {
    type: 'boolean',
    default: false,
    description: `true: sample blocks may come at any rate up to ${MAX_RATE_HZ} Hz; false: within ±${RATE_TOLERANCE * 100} % of sampleRateHz`,
  },
  validMin: { type: 'number', description: 'lowest plausible value, in unit; below validMax' },
  validMax: { type: 'number', description: 'highest plausible value, in unit; above validMin' },
  ...sensorModelProperties,
} as const;

export const sensorBody = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'unit', 'sampleRateHz', 'validMin', 'validMax'],
  properties: sensorRequestProperties,
} as const;

const sensorProperties = {
  ...sensorRequestProperties,
  assetId: { ...id, description: 'the asset it is on' },
  rateVaries: { type: 'boolean', description: sensorRequestProperties.rateVaries.description },
  retiredAt: retiredAt('sensor'),
} as const;
const sensorRequired = [
  'id',
  'assetId',
  'kind',
  'unit',
  'sampleRateHz',
  'rateVaries',
  'validMin',
  'validMax',
  'retiredAt',
  'bearings',
  'axis',
] as const;

/** A sensor as stored (GET /v1/sensors/{id}, and in the asset writes' answers). */
export const sensorSchema = {
  type: 'object',
  additionalProperties: false,
  required: sensorRequired,
  properties: sensorProperties,
} as const;

/** A sensor with its staleness, in the asset reads' answers. */
const sensorWithStaleness = {
  type: 'object',
  additionalProperties: false,
  required: [...sensorRequired, 'lastReadingAt', 'stale'],
  properties: { ...sensorProperties, ...sensorStalenessProperties },
} as const;

// ---- assets ----

const idealCycleSeconds = {
  type: ['number', 'null'],
  exclusiveMinimum: 0,
  description: 'ISO 22400 planned run time per item in seconds, for OEE; null: the asset produces no items',
} as const;

export const assetBody = {
  type: 'object',
  additionalProperties: false,
  required: ['siteId', 'lineId', 'name', 'kind', 'sensors'],
  properties: {
    siteId: { ...id, description: 'its site; created on first use' },
    lineId: { ...id, description: 'its line, of that site; created on first use' },
    name,
    kind,
    idealCycleSeconds,
    machine: machineSchema,
    sensors: {
      type: 'array',
      maxItems: 1000,
      items: sensorBody,
      description: 'sensors to add or replace, each id once; sensors not listed stay as they are',
    },
  },
  examples: [
    {
      siteId: 'plant-a',
      lineId: 'line-1',
      name: 'Feed pump 1',
      kind: 'pump',
      idealCycleSeconds: null,
      machine: { speed: { source: 'fixed', rpm: 1797 }, severity: { group: 2, foundation: 'rigid' } },
      sensors: [
        {
          id: 'pump-1.vib',
          kind: 'vibration',
          unit: 'm/s²',
          sampleRateHz: 12800,
          validMin: -500,
          validMax: 500,
          axis: 'radial',
          bearings: [{ designation: '6205', location: 'drive end' }],
        },
        {
          id: 'pump-1.temp',
          kind: 'temperature',
          unit: 'degC',
          sampleRateHz: 1,
          validMin: -40,
          validMax: 150,
        },
      ],
    },
  ],
} as const;

export const assetPatchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name,
    kind,
    lineId: { ...id, description: 'an existing line of the asset’s site, not retired' },
    idealCycleSeconds,
    machine: machineSchema,
  },
} as const;

const assetProperties = {
  id,
  siteId: id,
  lineId: id,
  name,
  kind,
  health: {
    type: ['number', 'null'],
    minimum: 0,
    maximum: 100,
    description: 'latest health score, 0–100 (100 healthy); null until a window is scored',
  },
  healthUpdatedAt: {
    type: ['string', 'null'],
    format: 'date-time',
    description: 'when health was last set; null until then',
  },
  idealCycleSeconds,
  retiredAt: retiredAt('asset'),
  machine: machineSchema,
  version,
  sensors: {
    type: 'array',
    items: sensorSchema,
    description: 'its sensors, retired ones included (retiredAt set), by id',
  },
} as const;
const assetRequired = [
  'id',
  'siteId',
  'lineId',
  'name',
  'kind',
  'health',
  'healthUpdatedAt',
  'idealCycleSeconds',
  'retiredAt',
  'machine',
  'version',
  'sensors',
] as const;

/** An asset as stored: the answer of PUT, PATCH and DELETE /v1/assets/{id}. */
export const assetSchema = {
  type: 'object',
  additionalProperties: false,
  required: assetRequired,
  properties: assetProperties,
} as const;

const withStalenessProperties = {
  ...assetProperties,
  lastReadingAt: assetStalenessProperties.lastReadingAt,
  stale: assetStalenessProperties.stale,
  sensors: { ...assetStalenessProperties.sensors, items: sensorWithStaleness },
} as const;

const severity = {
  type: ['object', 'null'],
  additionalProperties: false,
  description:
    'the worst ISO 20816-3 zone among the latest windows of its vibration sensors that have one; ' +
    'null when none has (no vibration sensor, no machine class, or no window yet)',
  required: ['zone', 'velocityRms', 'sensorId', 'windowStart'],
  properties: {
    zone: {
      type: 'string',
      enum: ['A', 'B', 'C', 'D'],
      description: 'A newly commissioned, B long-term operation, C restricted, D damage likely',
    },
    velocityRms: { type: 'number', description: 'r.m.s. velocity over 10–1000 Hz, mm/s' },
    sensorId: { type: 'string', description: 'the vibration sensor of that window' },
    windowStart: { type: 'number', description: 'start of that window, epoch ms' },
  },
} as const;

/** GET /v1/assets: a page of assets as registered, with their staleness and vibration severity. */
export const assetListSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'next'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [...assetRequired, 'lastReadingAt', 'stale', 'severity'],
        properties: { ...withStalenessProperties, severity },
      },
    },
    next: { type: ['string', 'null'], description: 'cursor of the next page; null on the last' },
  },
} as const;

/** GET /v1/assets/{id}: the asset with its staleness, latest features, remaining useful life and model. */
export const assetDetailSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    ...assetRequired,
    'lastReadingAt',
    'stale',
    'latestFeatures',
    'remainingUsefulLife',
    'healthModel',
    'alertBelow',
  ],
  properties: {
    ...withStalenessProperties,
    latestFeatures: {
      type: 'object',
      description: "each sensor's latest window, by sensor id (from the online store, else the database)",
      propertyNames: { pattern: ID_PATTERN },
      additionalProperties: featureWindowSchema,
    },
    remainingUsefulLife: rulResponseSchema,
    healthModel: modelRef,
    alertBelow: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description:
        'health (0–100) under which an alert is raised (scoring.alertBelow): the threshold to draw beside health',
    },
  },
} as const;

// ---- asset cursors ----

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ID = ID_PATTERN.slice(1, -1);
const SNAPSHOT_CURSOR = new RegExp(`^(${UUID})~(\\d{1,9})(?:~(${ID}))?$`);

/** Cursor of GET /v1/assets: the last id (sort=id), or `<listing>~<offset>[~<lastId>]` (sort=name, health). */
export const assetCursor = {
  type: 'string',
  pattern: `^(?:${ID}|${UUID}~\\d{1,9}(?:~${ID})?)$`,
  description:
    'the `next` of the previous page. sort=id: the last id listed (any id starts after it). sort=name or ' +
    'health: `<listing>~<offset>` or `<listing>~<offset>~<lastId>`: the listing (a UUID) whose order the ' +
    'first page took, the position in it, and the last asset listed after it. A cursor of the other form ' +
    'than the sort asked gets 422; a listing that does not exist or has expired 404',
} as const;

/** The cursor a page's `next` gives. */
export function encodeAssetCursor(next: AssetCursor): string {
  if (!('snapshot' in next)) return next.after;
  return [next.snapshot, next.offset, ...(next.after === undefined ? [] : [next.after])].join('~');
}

/**
 * The position a cursor names, for a listing sorted by `sort`. The schema has checked its form already.
 * @throws ValidationError (querystring.cursor) for a cursor of the form of another sort.
 */
export function decodeAssetCursor(raw: string | undefined, sort: AssetSort): AssetCursor | undefined {
  if (raw === undefined) return undefined;
  const snapshot = SNAPSHOT_CURSOR.exec(raw);
  if (sort === 'id') {
    if (!snapshot) return { after: raw };
    throw new RuleViolationError(
      'querystring.cursor',
      'is the cursor of a listing sorted by name or health; a listing sorted by id takes the last id listed',
    );
  }
  if (!snapshot) {
    throw new RuleViolationError(
      'querystring.cursor',
      `is the cursor of a listing sorted by id; a listing sorted by ${sort} takes the \`next\` of its own pages (<listing>~<offset>[~<lastId>])`,
    );
  }
  const [, listing, offset, after] = snapshot;
  return { snapshot: listing, offset: Number(offset), ...(after === undefined ? {} : { after }) };
}
