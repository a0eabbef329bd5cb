/**
 * JSON schemas of the machine model on assets and sensors (see domain/types.ts `AssetMachine`, `Sensor.bearings`)
 * and the bearing catalogue route. The schemas check shape and ranges; what they cannot say (d < D, a catalogue
 * designation, the speed sensor of the same asset) is checked by `checkAssetModel` (domain/validate.ts).
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import { bearingCatalogue, defectFrequencies } from '../diagnostics/bearings.ts';
import { secured } from './routes.ts';

const mm = (description: string) =>
  ({ type: 'number', exclusiveMinimum: 0, maximum: 10_000, description }) as const;

const geometryProperties = {
  rollingElements: {
    type: 'integer',
    minimum: 3,
    maximum: 200,
    description: 'number of rolling elements (of one row)',
  },
  ballDiameterMm: mm('rolling-element diameter d, mm'),
  pitchDiameterMm: mm('pitch diameter D (circle through the elements’ centres), mm; larger than d'),
  contactAngleDeg: {
    type: 'number',
    minimum: 0,
    exclusiveMaximum: 90,
    description: 'contact angle φ, degrees (0 for a deep-groove ball bearing under radial load)',
  },
} as const;

export const bearingGeometrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rollingElements', 'ballDiameterMm', 'pitchDiameterMm', 'contactAngleDeg'],
  properties: geometryProperties,
} as const;

const bearingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['designation'],
  properties: {
    designation: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description:
        'a designation of GET /v1/bearings, or any other name given with its geometry; a sensor lists each ' +
        '(designation, location) once',
    },
    location: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'where it sits, e.g. "drive end"',
    },
    geometry: {
      ...bearingGeometrySchema,
      description:
        'required for a designation not in the catalogue; with a catalogue designation it must be the ' +
        'catalogue’s (lengths within 0.05 mm, angle within 0.5°) or be left out',
    },
  },
} as const;

/** Properties a sensor may carry for vibration diagnosis. */
export const sensorModelProperties = {
  bearings: {
    type: ['array', 'null'],
    maxItems: 16,
    items: bearingSchema,
    description:
      'vibration sensors in m/s² or g: the bearings this accelerometer watches, for envelope diagnosis',
  },
  axis: {
    type: ['string', 'null'],
    enum: ['radial', 'axial', null],
    description: 'vibration sensors: the direction it measures (an axial one helps tell misalignment)',
  },
} as const;

const branch = (source: string, required: string[], properties: Record<string, unknown>) => ({
  if: { properties: { source: { const: source } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited.
  then: {
    required,
    additionalProperties: false,
    properties: { source: { const: source }, ...properties },
  },
});

const rpm = {
  type: 'number',
  exclusiveMinimum: 0,
  // As checkSpeedSetting (diagnostics/speed.ts) bounds it.
  maximum: 1_000_000,
  description: 'shaft speed, rpm',
} as const;
const hz = (description: string) => ({
  type: 'number',
  exclusiveMinimum: 0,
  maximum: 1_000_000,
  description,
});

// if/then per source rather than oneOf, so that a 400 names the field of the source given, not of another.
const speedSchema = {
  type: 'object',
  required: ['source'],
  description:
    'how the running speed is known: fixed rpm; the latest value of a `speed` sensor of the same asset, in ' +
    'rpm (RPM, r/min, 1/min, min⁻¹, min-1) or in Hz (r/s, converted × 60); or estimated per block as the ' +
    'strongest spectral peak in [minHz, maxHz] (the 1×); minHz must be below maxHz (422 naming maxHz)',
  properties: { source: { type: 'string', enum: ['fixed', 'sensor', 'estimated'] } },
  allOf: [
    branch('fixed', ['rpm'], { rpm }),
    branch('sensor', ['sensorId'], {
      sensorId: {
        type: 'string',
        minLength: 1,
        maxLength: 128,
        description: 'an active sensor of kind speed of this asset, in rpm, r/min, 1/min, Hz or r/s',
      },
    }),
    branch('estimated', ['minHz', 'maxHz'], {
      minHz: hz('lowest shaft frequency, Hz'),
      maxHz: hz('highest shaft frequency, Hz; above minHz'),
      minProminenceDb: {
        type: 'number',
        minimum: 0,
        maximum: 100,
        default: 10,
        description: 'how far the peak must stand above the range’s median power, dB',
      },
    }),
  ],
} as const;

const mmPerS = (description: string) =>
  ({ type: 'number', exclusiveMinimum: 0, maximum: 1000, description }) as const;

const severitySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['group', 'foundation'],
  description:
    'ISO 20816-3 class: velocity severity zones A–D are computed for the asset’s vibration sensors',
  properties: {
    group: { type: 'integer', enum: [1, 2], description: '1: rated power above 300 kW; 2: 15–300 kW' },
    foundation: { type: 'string', enum: ['rigid', 'flexible'] },
    boundaries: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description: 'zone boundaries replacing the standard’s defaults, r.m.s. velocity in mm/s, increasing',
      properties: { ab: mmPerS('A/B'), bc: mmPerS('B/C'), cd: mmPerS('C/D') },
    },
  },
} as const;

/** An asset's machine model; null: not diagnosed. */
export const machineSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['speed'],
  description: 'the machine model vibration diagnosis reads; null or absent: not diagnosed',
  properties: { speed: speedSchema, severity: severitySchema },
} as const;

const orders = (description: string) => ({ type: 'number', exclusiveMinimum: 0, description }) as const;

/** GET /v1/bearings: one catalogue bearing. */
const catalogueItem = {
  type: 'object',
  additionalProperties: false,
  required: ['designation', 'description', 'source', 'geometry', 'orders'],
  properties: {
    designation: { type: 'string', description: 'the name a sensor’s bearings give (`6205`)' },
    description: { type: 'string', description: 'kind and maker of the bearing' },
    source: { type: 'string', description: 'publication the geometry comes from' },
    geometry: bearingGeometrySchema,
    orders: {
      type: 'object',
      additionalProperties: false,
      required: ['bpfo', 'bpfi', 'bsf', 'ftf'],
      description: 'defect frequencies per unit shaft frequency (multiply by the shaft Hz)',
      properties: {
        bpfo: orders('ball pass frequency, outer race'),
        bpfi: orders('ball pass frequency, inner race'),
        bsf: orders('ball spin frequency; a rolling-element defect strikes at 2 × BSF'),
        ftf: orders('fundamental train (cage) frequency'),
      },
    },
  },
} as const;

/** GET /v1/bearings: the catalogue, with each bearing's defect frequencies in orders of the shaft speed. */
export const bearingRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<JsonSchemaToTsProvider>();
  // By designation: a catalogue keyed by numbers ("6205") would otherwise list in JavaScript's key order.
  const entries = Object.entries(bearingCatalogue).sort(([a], [b]) => a.localeCompare(b));
  const items = entries.map(([designation, b]) => {
    const { rollingElements, ballDiameterMm, pitchDiameterMm, contactAngleDeg } = b;
    const geometry = { rollingElements, ballDiameterMm, pitchDiameterMm, contactAngleDeg };
    const { bpfo, bpfi, bsf, ftf } = defectFrequencies(geometry, 1);
    return {
      designation,
      description: b.description,
      source: b.source,
      geometry,
      orders: { bpfo, bpfi, bsf, ftf },
    };
  });
  app.get(
    '/v1/bearings',
    {
      schema: {
        summary: 'The bearing catalogue: geometry, its source, and defect frequencies in orders',
        description:
          'A sensor’s bearing named by one of these designations takes its geometry from here; any other ' +
          'designation needs its geometry in the asset’s body.',
        tags: ['assets'],
        ...secured,
        querystring: { type: 'object', additionalProperties: false, properties: {} },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['items'],
            properties: { items: { type: 'array', items: catalogueItem, description: 'by designation' } },
          },
        },
      },
    },
    async () => ({ items }),
  );
};
