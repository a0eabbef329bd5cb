import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import type { AlertRepository, AlertResponse } from '../storage/ports/alerts.ts';
import { alertSchema } from './alert-schemas.ts';
import { errorResponses } from './contract.ts';
import { actorOf, secured, technicianWrite } from './routes.ts';
import { idParams } from './schemas.ts';

/** POST /v1/alerts/{id}/acknowledge and /resolve: 409 when the alert is already past that step. */
export function alertRoutes(alerts: AlertRepository): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<JsonSchemaToTsProvider>();
    app.addHook('onRequest', app.authenticate);
    for (const action of ['acknowledge', 'resolve'] as AlertResponse[]) {
      app.post(
        `/v1/alerts/:id/${action}`,
        {
          ...technicianWrite,
          schema: {
            summary:
              action === 'acknowledge'
                ? 'Acknowledge an active alert: someone is on it'
                : 'Resolve an active alert by hand',
            description:
              action === 'acknowledge'
                ? '409 when it is resolved already or was acknowledged before.'
                : '409 when it is resolved already.',
            tags: ['alerts'],
            ...secured,
            params: idParams,
            response: {
              200: { description: 'The alert as stored now.', ...alertSchema },
              ...errorResponses(404, 409),
            },
          },
        },
        async (request) => alerts.respond(request.params.id, action, actorOf(request), Date.now()),
      );
    }
  };
}
