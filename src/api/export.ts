import type { FastifyPluginAsync } from 'fastify';
import { ValidationError } from '../domain/errors.ts';
import type { FeatureReader } from '../storage/ports/feature-reader.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import { limit, secured, time, timeParam } from './routes.ts';

/**
 * Fleet-wide time-range exports for ETL: every series at once, oldest first, one bounded range per call
 * (an hour of features, ten minutes of raw readings) so that a page is never unbounded. Raw readings come
 * from the raw store (the database or InfluxDB).
 */
export function exportRoutes(features: FeatureReader, raw: RawStore): FastifyPluginAsync {
  const range = (query: { from: string; to: string }, maxMs: number) => {
    const from = timeParam('querystring.from', query.from, 0);
    const to = timeParam('querystring.to', query.to, 0);
    if (from >= to) throw new ValidationError('querystring.from', 'must be before to');
    if (to - from > maxMs)
      throw new ValidationError('querystring.to', `must be at most ${maxMs / 60_000} minutes after from`);
    return { from, to };
  };
  const querystring = (maxLimit: number) => ({
    type: 'object',
    required: ['from', 'to'],
    properties: { from: time, to: time, limit: limit(maxLimit, maxLimit) },
  });
  return async (app) => {
    app.addHook('onRequest', app.authenticate);

    app.get<{ Querystring: { from: string; to: string; limit: number } }>(
      '/v1/export/features',
      {
        schema: {
          summary: 'Every series’ windows in a time range of at most one hour, oldest first',
          tags: ['export'],
          ...secured,
          querystring: querystring(100_000),
        },
      },
      async (request) => {
        const { from, to } = range(request.query, 3_600_000);
        return { items: await features.exportFeatures(from, to, request.query.limit) };
      },
    );

    app.get<{ Querystring: { from: string; to: string; limit: number } }>(
      '/v1/export/readings',
      {
        schema: {
          summary: 'Every sensor’s raw scalar readings in a time range of at most ten minutes, oldest first',
          tags: ['export'],
          ...secured,
          querystring: querystring(100_000),
        },
      },
      async (request) => {
        const { from, to } = range(request.query, 600_000);
        return { items: await raw.readReadings(from, to, request.query.limit) };
      },
    );
  };
}
