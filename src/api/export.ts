import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import { RuleViolationError } from '../domain/errors.ts';
import type { FeatureReader } from '../storage/ports/feature-reader.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import { errorResponses } from './contract.ts';
import { featureWindowSchema } from './feature-schemas.ts';
import { limit, secured, time, timeParam } from './routes.ts';

/** The longest range one call reads: an hour of windows, ten minutes of raw readings (ms). */
const FEATURES_MAX_MS = 3_600_000;
const READINGS_MAX_MS = 600_000;
const MAX_ITEMS = 100_000;

/**
 * [from, to) in epoch ms from the query. RuleViolationError on `querystring.from` when from is not before to,
 * on `querystring.to` when the range is longer than `maxMs`.
 */
function range(query: { from: string; to: string }, maxMs: number): { from: number; to: number } {
  const from = timeParam('querystring.from', query.from, 0);
  const to = timeParam('querystring.to', query.to, 0);
  if (from >= to) throw new RuleViolationError('querystring.from', 'must be before to');
  if (to - from > maxMs)
    throw new RuleViolationError('querystring.to', `must be at most ${maxMs / 60_000} minutes after from`);
  return { from, to };
}

const querystring = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: { ...time, description: `start of the range (inclusive): ${time.description}` },
    to: { ...time, description: `end of the range (exclusive): ${time.description}` },
    limit: { ...limit(MAX_ITEMS, MAX_ITEMS), description: 'at most this many items, the oldest' },
  },
} as const;

const rangeRule = (longest: string) =>
  `The range must be non-empty and at most ${longest}: \`from\` before \`to\` (else 422 naming querystring.from), ` +
  `\`to\` − \`from\` ≤ ${longest} (else 422 naming querystring.to). A range holding more than \`limit\` items is ` +
  'cut after the oldest `limit`: read on from the last item returned.';

const readingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sensorId', 'ts', 'value'],
  properties: {
    sensorId: { type: 'string', description: 'the sensor' },
    ts: { type: 'number', description: 'time of the reading, epoch ms (fractions: the stored microseconds)' },
    value: { type: 'number', description: "the reading, in the sensor's unit" },
  },
} as const;

const itemsOf = <T extends object>(items: T, description: string, example: object) =>
  ({
    description,
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: { items: { type: 'array', items } },
    examples: [{ items: [example] }],
  }) as const;

/**
 * Fleet-wide time-range exports for ETL: every series at once, oldest first, one bounded range per call
 * (an hour of features, ten minutes of raw readings) so that a page is never unbounded. Raw readings come
 * from the raw store (the database or InfluxDB).
 */
export function exportRoutes(features: FeatureReader, raw: RawStore): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const r = app.withTypeProvider<JsonSchemaToTsProvider>();

    r.get(
      '/v1/export/features',
      {
        schema: {
          summary: 'Every series’ windows in a time range of at most one hour, oldest first',
          description: `Windows whose start is in [from, to), ordered by start, asset and sensor. ${rangeRule('one hour')}`,
          tags: ['export'],
          ...secured,
          querystring,
          response: {
            200: itemsOf(featureWindowSchema, 'The windows, oldest first.', {
              assetId: 'pump-1',
              sensorId: 'pump-1.temp',
              windowStart: 1769860800000,
              windowEnd: 1769860810000,
              count: 10,
              mean: 41.2,
              min: 40.9,
              max: 41.6,
              std: 0.2,
              rms: 41.2,
              peakToPeak: 0.7,
              crestFactor: 1.01,
              skewness: 0.1,
              kurtosis: 2.4,
              dominantHz: null,
              bandEnergies: null,
              anomalyScore: 0.3,
              health: 97.5,
              velocityRms: null,
              severityZone: null,
              diagnostics: null,
            }),
            ...errorResponses(422),
          },
        },
      },
      async (request) => {
        const { from, to } = range(request.query, FEATURES_MAX_MS);
        return { items: await features.exportFeatures(from, to, request.query.limit) };
      },
    );

    r.get(
      '/v1/export/readings',
      {
        schema: {
          summary: 'Every sensor’s raw scalar readings in a time range of at most ten minutes, oldest first',
          description: `Readings whose time is in [from, to), ordered by time and sensor. ${rangeRule('ten minutes')}`,
          tags: ['export'],
          ...secured,
          querystring,
          response: {
            200: itemsOf(readingSchema, 'The readings, oldest first.', {
              sensorId: 'pump-1.temp',
              ts: 1769860800000,
              value: 41.2,
            }),
            ...errorResponses(422),
          },
        },
      },
      async (request) => {
        const { from, to } = range(request.query, READINGS_MAX_MS);
        return { items: await raw.readReadings(from, to, request.query.limit) };
      },
    );
  };
}
