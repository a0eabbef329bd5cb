import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import { RuleViolationError } from '../domain/errors.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { FeatureReader } from '../storage/ports/feature-reader.ts';
import { errorResponses } from './contract.ts';
import { featureWindowSchema } from './feature-schemas.ts';
import { RETIRED_READ, readable, retiredQuery } from './registry-schemas.ts';
import { secured, timeParam } from './routes.ts';
import { epochMs, id, idParams, isoTime, limit, nullableNumber, time } from './schemas.ts';

/** A roll-up bucket (RollupPoint) as the features route serves it at resolution 1m, 1h or 1d. */
const rollupBucket = {
  type: 'object',
  description: 'one roll-up bucket of one sensor (resolution 1m, 1h or 1d); values in the sensor unit',
  additionalProperties: false,
  required: [
    'assetId',
    'sensorId',
    'bucket',
    'windows',
    'count',
    'mean',
    'min',
    'max',
    'rms',
    'maxAnomalyScore',
    'minHealth',
    'velocityRms',
    'maxVelocityRms',
    'maxSeverityZone',
  ],
  properties: {
    assetId: { type: 'string' },
    sensorId: { type: 'string' },
    bucket: epochMs('start of the bucket, epoch ms'),
    windows: { type: 'integer', minimum: 0, description: 'windows rolled up' },
    count: { type: 'integer', minimum: 0, description: 'samples rolled up' },
    mean: nullableNumber('count-weighted mean'),
    min: nullableNumber('smallest sample'),
    max: nullableNumber('largest sample'),
    rms: nullableNumber('√(Σ count·rms² / Σ count) over the windows'),
    maxAnomalyScore: nullableNumber('largest anomaly score'),
    minHealth: nullableNumber('lowest health, 0–100'),
    velocityRms: nullableNumber(
      'r.m.s. velocity in mm/s (ISO 20816-3, 10–1000 Hz), √(Σ count·v² / Σ count) over the windows with a velocity v; null for sensors without one',
    ),
    maxVelocityRms: nullableNumber('largest window r.m.s. velocity, mm/s; null for sensors without one'),
    maxSeverityZone: {
      type: ['string', 'null'],
      enum: ['A', 'B', 'C', 'D', null],
      description: 'worst ISO 20816-3 zone of the windows (A best, D worst); null for sensors without one',
    },
  },
} as const;

const HOUR_MS = 3_600_000;

/** GET /v1/assets/{id}/features: an asset's windows or their roll-ups over a time range. */
export function featureRoutes(registry: AssetRegistry, features: FeatureReader): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<JsonSchemaToTsProvider>();
    app.addHook('onRequest', app.authenticate);
    app.get(
      '/v1/assets/:id/features',
      {
        schema: {
          summary: "An asset's features over a time range (default: the last hour), per window or rolled up",
          description:
            '`to` defaults to now and `from` to an hour before `to`; `from` must be before `to` (422 otherwise). ' +
            'Windows (and buckets) are those starting in [from, to), oldest first then by sensor. ' +
            RETIRED_READ,
          tags: ['features'],
          ...secured,
          params: idParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              sensor: { ...id, description: 'only this sensor' },
              from: time,
              to: time,
              limit: limit(10_000, 1_000),
              ...retiredQuery.properties,
              resolution: {
                type: 'string',
                enum: ['window', '1m', '1h', '1d'],
                default: 'window',
                description: 'window: each stored window; 1m, 1h, 1d: count-weighted roll-ups',
              },
            },
          },
          response: {
            200: {
              type: 'object',
              additionalProperties: false,
              required: ['from', 'to', 'resolution', 'items'],
              properties: {
                from: isoTime('start of the range (inclusive)'),
                to: isoTime('end of the range (exclusive)'),
                resolution: { type: 'string', enum: ['window', '1m', '1h', '1d'] },
                items: {
                  type: 'array',
                  description: 'windows (resolution window) or roll-up buckets (1m, 1h, 1d)',
                  items: { anyOf: [featureWindowSchema, rollupBucket] },
                },
              },
            },
            ...errorResponses(404, 422),
          },
        },
      },
      async (request) => {
        const to = timeParam('querystring.to', request.query.to, Date.now());
        const from = timeParam('querystring.from', request.query.from, to - HOUR_MS);
        if (from >= to) throw new RuleViolationError('querystring.from', 'must be before to');
        readable(
          `asset ${request.params.id}`,
          await registry.getAsset(request.params.id),
          request.query.retired ?? false,
        );
        const { resolution = 'window', limit = 1_000, sensor } = request.query;
        const query = { assetId: request.params.id, sensorId: sensor, from, to, limit };
        const items =
          resolution === 'window'
            ? await features.queryFeatures(query)
            : await features.queryRollups({ ...query, resolution });
        return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), resolution, items };
      },
    );
  };
}
