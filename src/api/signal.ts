import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import { id, limit, secured, time, timeParam } from './routes.ts';

/** GET /v1/sensors/{id}/signal: a sensor's raw readings and its latest sample block (from the raw store), for charts. */
export function signalRoutes(registry: AssetRegistry, raw: RawStore): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string; limit: number } }>(
      '/v1/sensors/:id/signal',
      {
        schema: {
          summary:
            "A sensor's raw signal: scalar readings, and the latest sample block (default: the last 10 minutes)",
          tags: ['assets'],
          ...secured,
          params: { type: 'object', properties: { id } },
          querystring: {
            type: 'object',
            properties: { from: time, to: time, limit: limit(100_000, 10_000) },
          },
        },
      },
      async (request) => {
        const to = timeParam('querystring.to', request.query.to, Date.now());
        const from = timeParam('querystring.from', request.query.from, to - 600_000);
        if (from >= to) throw new ValidationError('querystring.from', 'must be before to');
        if (to - from > 86_400_000)
          throw new ValidationError('querystring.from', 'the range may span at most a day');
        const sensorId = request.params.id;
        if (!(await registry.getSensor(sensorId))) {
          throw new NotFoundError(`sensor ${sensorId} not found`);
        }
        return { sensorId, ...(await raw.readSignal(sensorId, from, to, request.query.limit)) };
      },
    );
  };
}
