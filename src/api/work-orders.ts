import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../domain/errors.ts';
import type { WorkOrderStatus } from '../domain/types.ts';
import { CONFIRMED_FAULTS, NO_FAULT_FOUND, OTHER_CAUSE_MAX_CHARS } from '../domain/work-orders.ts';
import type { WorkOrderRepository } from '../storage/ports/work-orders.ts';
import { errorResponses } from './contract.ts';
import { actorOf, id, ifMatchVersion, secured, technicianWrite } from './routes.ts';
import { workOrderWithHistorySchema } from './work-order-schemas.ts';

const statuses = ['open', 'assigned', 'in_progress', 'done', 'cancelled'];

/**
 * Work-order lifecycle: read one order with its history (and its ETag), move it along open → assigned →
 * in progress → done, or cancel it. Every change is recorded with who made it and when.
 */
export function workOrderRoutes(workOrders: WorkOrderRepository): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);

    const load = async (workOrderId: string) => {
      const order = await workOrders.get(workOrderId);
      if (!order) throw new NotFoundError(`work order ${workOrderId} not found`);
      return order;
    };

    app.post<{
      Body: {
        assetId: string;
        sensorId?: string;
        title: string;
        priority: 'low' | 'medium' | 'high' | 'urgent';
        cause?: string;
      };
    }>(
      '/v1/work-orders',
      {
        ...technicianWrite,
        schema: {
          summary: 'Open a work order by hand, about an asset or one of its sensors',
          tags: ['work orders'],
          ...secured,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['assetId', 'title', 'priority'],
            properties: {
              assetId: id,
              sensorId: id,
              title: { type: 'string', minLength: 1, maxLength: 200 },
              priority: { type: 'string', enum: ['low', 'medium', 'high', 'urgent'] },
              cause: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
            },
          },
          response: { 201: workOrderWithHistorySchema, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const workOrderId = await workOrders.create({
          ...request.body,
          actor: actorOf(request),
          at: Date.now(),
        });
        const order = await load(workOrderId);
        return reply
          .status(201)
          .header('location', `/v1/work-orders/${workOrderId}`)
          .header('etag', `"${order.version}"`)
          .send(order);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/v1/work-orders/:id',
      {
        schema: {
          summary: 'A work order with the history of its transitions; ETag is its version',
          description:
            "With its asset's site and line and the evidence of the alert that raised it (null for an order opened by hand).",
          tags: ['work orders'],
          ...secured,
          params: { type: 'object', properties: { id } },
          response: { 200: workOrderWithHistorySchema, ...errorResponses(404) },
        },
      },
      async (request, reply) => {
        const order = await load(request.params.id);
        return reply.header('etag', `"${order.version}"`).send(order);
      },
    );

    app.post<{
      Params: { id: string };
      Body: { to: WorkOrderStatus; assignee?: string; note?: string; confirmedCause?: string };
      Headers: { 'if-match'?: string };
    }>(
      '/v1/work-orders/:id/transitions',
      {
        ...technicianWrite,
        schema: {
          summary: 'Move a work order along its lifecycle (409 when the lifecycle forbids it)',
          description:
            'open → assigned (needs assignee) → in_progress → done; cancelled from any unfinished state; ' +
            'assigned → open and in_progress → assigned hand an order back. With If-Match, only from that version (412 otherwise). ' +
            'Closing (to done) states what was found in confirmedCause, which the order then carries; 422 without it.',
          tags: ['work orders'],
          ...secured,
          params: { type: 'object', properties: { id } },
          headers: { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 64 } } },
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['to'],
            properties: {
              to: { type: 'string', enum: statuses },
              assignee: { type: 'string', minLength: 1, maxLength: 128 },
              note: { type: 'string', maxLength: 2000 },
              // Values are checked by the domain, whose refusal names every allowed one.
              confirmedCause: {
                type: 'string',
                maxLength: 200,
                description: `What closing found; only with to = done, and required then: ${[...CONFIRMED_FAULTS, NO_FAULT_FOUND].join(', ')}, or other:<text> (1–${OTHER_CAUSE_MAX_CHARS} printable characters). Windows before the order are labelled with it for model training (docs/maintenance-labels.md).`,
              },
            },
          },
          response: { 200: workOrderWithHistorySchema, ...errorResponses(404, 409, 412, 422) },
        },
      },
      async (request, reply) => {
        await workOrders.transition(request.params.id, {
          ...request.body,
          actor: actorOf(request),
          at: Date.now(),
          ifVersion: ifMatchVersion(request.headers['if-match']),
        });
        const order = await load(request.params.id);
        return reply.header('etag', `"${order.version}"`).send(order);
      },
    );
  };
}
