import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import { RuleViolationError } from '../domain/errors.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import { errorResponses } from './contract.ts';
import { RETIRED_READ, readable, retiredQuery } from './registry-schemas.ts';
import { secured, timeParam } from './routes.ts';
import { idParams, limit, time } from './schemas.ts';

/** GET /v1/sensors/{id}/signal: a sensor's raw readings and its latest sample block (from the raw store), for charts. */
export function signalRoutes(registry: AssetRegistry, raw: RawStore): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    app.withTypeProvider<JsonSchemaToTsProvider>().get(
      '/v1/sensors/:id/signal',
      {
        schema: {
          summary:
            "A sensor's raw signal: scalar readings, and the latest sample block (default: the last 10 minutes)",
          description:
            '`to` defaults to now and `from` to ten minutes before `to`; `from` must be before `to` and the ' +
            'range may span at most a day (422 otherwise). ' +
            RETIRED_READ,
          tags: ['assets'],
          ...secured,
          params: idParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { from: time, to: time, limit: limit(100_000, 10_000), ...retiredQuery.properties },
          },
          response: {
            200: {
              type: 'object',
              additionalProperties: false,
              required: ['sensorId', 'readings', 'block'],
              properties: {
                sensorId: { type: 'string' },
                readings: {
                  type: 'array',
                  description:
                    'the last `limit` scalar readings in [from, to), oldest first; values in the sensor unit',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['ts', 'value'],
                    properties: {
                      ts: { type: 'number', description: 'epoch ms' },
                      value: { type: 'number' },
                    },
                  },
                },
                block: {
                  type: ['object', 'null'],
                  description: 'the latest sample block in the range; null when there is none',
                  additionalProperties: false,
                  required: ['ts', 'rateHz', 'values'],
                  properties: {
                    ts: { type: 'number', description: 'first sample, epoch ms' },
                    rateHz: { type: 'number', description: 'sample rate, Hz' },
                    values: { type: 'array', items: { type: 'number' }, description: 'samples, sensor unit' },
                  },
                },
              },
            },
            ...errorResponses(404, 422),
          },
        },
      },
      async (request) => {
        const to = timeParam('querystring.to', request.query.to, Date.now());
        const from = timeParam('querystring.from', request.query.from, to - 600_000);
        if (from >= to) throw new RuleViolationError('querystring.from', 'must be before to');
        if (to - from > 86_400_000)
          throw new RuleViolationError('querystring.from', 'the range may span at most a day');
        const sensorId = request.params.id;
        readable(`sensor ${sensorId}`, await registry.getSensor(sensorId), request.query.retired ?? false);
        return { sensorId, ...(await raw.readSignal(sensorId, from, to, request.query.limit ?? 10_000)) };
      },
    );
  };
}
