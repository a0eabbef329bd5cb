import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ValidationError } from '../domain/errors.ts';
import { parseTimestampParam } from '../domain/timestamps.ts';
import type { WorkOrder, WorkOrderStatus } from '../domain/types.ts';
import type { AlertRepository } from '../storage/ports/alerts.ts';
import type { Page, PageCursor } from '../storage/ports/paging.ts';
import type { WorkOrderRepository } from '../storage/ports/work-orders.ts';
import { alertSchema } from './alert-schemas.ts';
import { IF_MATCH_PATTERN, id, keysetCursor, limit, pageOf } from './schemas.ts';
import { WORK_ORDER_PRIORITIES, WORK_ORDER_STATUSES, workOrderPageSchema } from './work-order-schemas.ts';

export { id, ifMatchHeader, limit, time } from './schemas.ts';

/**
 * A time query parameter in epoch milliseconds (fallback when absent); ValidationError naming it otherwise.
 * `name` is the field as every error names a query parameter: `querystring.<parameter>`.
 */
export function timeParam(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const parsed = parseTimestampParam(raw);
  if (typeof parsed === 'string') throw new ValidationError(name, parsed);
  return parsed;
}

const cursor = keysetCursor;

/** A keyset cursor (`<microseconds>.<id>`, see schemas.ts) as the repository's position. */
function decodeCursor(raw: string | undefined): PageCursor | undefined {
  if (raw === undefined) return undefined;
  const dot = raw.indexOf('.');
  return { us: raw.slice(0, dot), id: raw.slice(dot + 1) };
}

function pageBody<T>(page: Page<T>): { items: T[]; next: string | null } {
  return { items: page.items, next: page.next && `${page.next.us}.${page.next.id}` };
}

/** Who a write is recorded as: the authenticated key's holder. */
export function actorOf(request: FastifyRequest): string {
  if (!request.principal) throw new Error('route reached without authentication');
  return request.principal.actor;
}

/**
 * The version an If-Match header (RFC 9110 §13.1.1) requires: `"3"` or `W/"3"` names version 3; `*` or no
 * header requires none (undefined). Any other value — a list, an ETag not of this API — matches no version,
 * so the write is refused with 412 as the RFC has it: 0, which no resource ever has (versions start at 1).
 */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  return new RegExp(IF_MATCH_PATTERN).test(header) ? Number(/"(\d+)"/.exec(header)?.[1]) : 0;
}

/** Route config for writes a technician may make (the default for writes is admin). */
export const technicianWrite = { config: { role: 'technician' as const } };

export const secured = { security: [{ bearer: [] }] };

/** What the alert and work-order lists read. */
export interface ListRoutesDeps {
  alerts: AlertRepository;
  workOrders: WorkOrderRepository;
}

/** The alert and work-order lists. */
export function apiRoutes(deps: ListRoutesDeps): FastifyPluginAsync {
  const { alerts, workOrders } = deps;
  return async (app) => {
    app.addHook('onRequest', app.authenticate);

    app.withTypeProvider<JsonSchemaToTsProvider>().get(
      '/v1/alerts',
      {
        schema: {
          summary: 'Alerts, newest first, a page at a time (pass `next` back as `cursor`)',
          description: 'Every filter given must match.',
          tags: ['alerts'],
          ...secured,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              status: { type: 'string', enum: ['active', 'resolved'] },
              asset: { ...id, description: 'only alerts on this asset' },
              limit: limit(1000, 100),
              cursor,
            },
          },
          response: { 200: pageOf(alertSchema) },
        },
      },
      async (request) =>
        pageBody(
          await alerts.list({
            status: request.query.status,
            assetId: request.query.asset,
            limit: request.query.limit ?? 100,
            after: decodeCursor(request.query.cursor),
          }),
        ),
    );

    app.get<{
      Querystring: {
        status?: WorkOrderStatus;
        asset?: string;
        site?: string;
        line?: string;
        priority?: WorkOrder['priority'];
        limit: number;
        cursor?: string;
      };
    }>(
      '/v1/work-orders',
      {
        schema: {
          summary: 'Work orders, newest first, a page at a time (pass `next` back as `cursor`)',
          description:
            "Every filter given must match. Each order carries its asset's site and line and the evidence of the alert that raised it.",
          tags: ['work orders'],
          ...secured,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              status: { type: 'string', enum: WORK_ORDER_STATUSES },
              asset: { ...id, description: 'only orders on this asset' },
              site: { ...id, description: "only orders on this site's assets (as placed now)" },
              line: { ...id, description: "only orders on this line's assets (as placed now)" },
              priority: { type: 'string', enum: WORK_ORDER_PRIORITIES },
              limit: limit(1000, 100),
              cursor,
            },
          },
          response: { 200: workOrderPageSchema },
        },
      },
      async (request) =>
        pageBody(
          await workOrders.list({
            status: request.query.status,
            assetId: request.query.asset,
            siteId: request.query.site,
            lineId: request.query.line,
            priority: request.query.priority,
            limit: request.query.limit,
            after: decodeCursor(request.query.cursor),
          }),
        ),
    );
  };
}
