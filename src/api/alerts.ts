import type { FastifyPluginAsync } from 'fastify';
import type { AlertRepository, AlertResponse } from '../storage/ports/alerts.ts';
import { actorOf, id, secured, technicianWrite } from './routes.ts';

/** POST /v1/alerts/{id}/acknowledge and /resolve: 409 when the alert is already past that step. */
export function alertRoutes(alerts: AlertRepository): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    for (const action of ['acknowledge', 'resolve'] as AlertResponse[]) {
      app.post<{ Params: { id: string } }>(
        `/v1/alerts/:id/${action}`,
        {
          ...technicianWrite,
          schema: {
            summary:
              action === 'acknowledge'
                ? 'Acknowledge an active alert: someone is on it'
                : 'Resolve an active alert by hand',
            tags: ['alerts'],
            ...secured,
            params: { type: 'object', properties: { id } },
          },
        },
        async (request) => alerts.respond(request.params.id, action, actorOf(request), Date.now()),
      );
    }
  };
}
