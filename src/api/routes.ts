import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { parseTimestampParam } from '../domain/timestamps.ts';
import type { AlertRepository } from '../storage/ports/alerts.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { FeatureReader, Resolution } from '../storage/ports/feature-reader.ts';
import type { Page, PageCursor } from '../storage/ports/paging.ts';
import type { WorkOrderRepository } from '../storage/ports/work-orders.ts';

export const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' } as const;
export const limit = (max: number, fallback: number) =>
  ({ type: 'integer', minimum: 1, maximum: max, default: fallback }) as const;
export const time = { type: 'string', description: 'ISO 8601 with a zone, or epoch milliseconds' } as const;

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

const cursor = { type: 'string', maxLength: 300, description: 'the `next` of the previous page' } as const;

/** Cursors are opaque to clients: base64url of the keyset position. */
function decodeCursor(raw: string | undefined): PageCursor | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d{1,20})\.(.+)$/s.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match || match[2].includes('\u0000'))
    throw new ValidationError('querystring.cursor', 'is not a cursor from this API');
  return { us: match[1], id: match[2] };
}

function pageBody<T>(page: Page<T>): { items: T[]; next: string | null } {
  const next = page.next && Buffer.from(`${page.next.us}.${page.next.id}`).toString('base64url');
  return { items: page.items, next };
}

/** Who a write is recorded as: the authenticated key's holder. */
export function actorOf(request: FastifyRequest): string {
  if (!request.principal) throw new Error('route reached without authentication');
  return request.principal.actor;
}

/** The version an If-Match header names: `"3"` (or weak `W/"3"`); undefined without the header. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match) throw new ValidationError('headers.if-match', 'must be an ETag of this API, like "3"');
  return Number(match[1]);
}

export const ifMatchHeader = {
  type: 'object',
  properties: { 'if-match': { type: 'string', maxLength: 64 } },
} as const;

const nullableNumber = (description: string) => ({ type: ['number', 'null'], description }) as const;

/** A roll-up bucket (RollupPoint) as the features route serves it at resolution 1m, 1h or 1d. */
const rollupBucket = {
  type: 'object',
  description: 'one roll-up bucket of one sensor (resolution 1m, 1h or 1d)',
  required: ['assetId', 'sensorId', 'bucket', 'windows', 'count'],
  properties: {
    assetId: { type: 'string' },
    sensorId: { type: 'string' },
    bucket: { type: 'number', description: 'start of the bucket, epoch ms' },
    windows: { type: 'integer', description: 'windows rolled up' },
    count: { type: 'integer', description: 'samples rolled up' },
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

/** Route config for writes a technician may make (the default for writes is admin). */
export const technicianWrite = { config: { role: 'technician' as const } };

export const secured = { security: [{ bearer: [] }] };

/** What the feature, alert and work-order lists read. */
export interface ListRoutesDeps {
  registry: AssetRegistry;
  features: FeatureReader;
  alerts: AlertRepository;
  workOrders: WorkOrderRepository;
}

/** Features, and the alert and work-order lists. */
export function apiRoutes(deps: ListRoutesDeps): FastifyPluginAsync {
  const { registry, features, alerts, workOrders } = deps;
  return async (app) => {
    app.addHook('onRequest', app.authenticate);

    app.get<{
      Params: { id: string };
      Querystring: {
        sensor?: string;
        from?: string;
        to?: string;
        limit: number;
        resolution: 'window' | Resolution;
      };
    }>(
      '/v1/assets/:id/features',
      {
        schema: {
          summary: "An asset's features over a time range (default: the last hour), per window or rolled up",
          tags: ['features'],
          ...secured,
          params: { type: 'object', properties: { id } },
          querystring: {
            type: 'object',
            properties: {
              sensor: id,
              from: time,
              to: time,
              limit: limit(10_000, 1_000),
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
              properties: {
                from: { type: 'string', format: 'date-time' },
                to: { type: 'string', format: 'date-time' },
                resolution: { type: 'string' },
                items: {
                  type: 'array',
                  items: {
                    anyOf: [
                      rollupBucket,
                      {
                        type: 'object',
                        description:
                          'one stored window (resolution window), as GET /v1/export/features has it',
                        additionalProperties: true,
                      },
                    ],
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const to = timeParam('querystring.to', request.query.to, Date.now());
        const from = timeParam('querystring.from', request.query.from, to - 3_600_000);
        if (from >= to) throw new ValidationError('querystring.from', 'must be before to');
        if (!(await registry.getAsset(request.params.id)))
          throw new NotFoundError(`asset ${request.params.id} not found`);
        const { resolution } = request.query;
        const query = {
          assetId: request.params.id,
          sensorId: request.query.sensor,
          from,
          to,
          limit: request.query.limit,
        };
        const items =
          resolution === 'window'
            ? await features.queryFeatures(query)
            : await features.queryRollups({ ...query, resolution });
        return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), resolution, items };
      },
    );

    app.get<{
      Querystring: { status?: 'active' | 'resolved'; asset?: string; limit: number; cursor?: string };
    }>(
      '/v1/alerts',
      {
        schema: {
          summary: 'Alerts, newest first, a page at a time (pass `next` back as `cursor`)',
          tags: ['alerts'],
          ...secured,
          querystring: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['active', 'resolved'] },
              asset: id,
              limit: limit(1000, 100),
              cursor,
            },
          },
        },
      },
      async (request) =>
        pageBody(
          await alerts.list({
            status: request.query.status,
            assetId: request.query.asset,
            limit: request.query.limit,
            after: decodeCursor(request.query.cursor),
          }),
        ),
    );

    app.get<{
      Querystring: {
        status?: 'open' | 'assigned' | 'in_progress' | 'done' | 'cancelled';
        asset?: string;
        limit: number;
        cursor?: string;
      };
    }>(
      '/v1/work-orders',
      {
        schema: {
          summary: 'Work orders, newest first, a page at a time (pass `next` back as `cursor`)',
          tags: ['work orders'],
          ...secured,
          querystring: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['open', 'assigned', 'in_progress', 'done', 'cancelled'] },
              asset: id,
              limit: limit(1000, 100),
              cursor,
            },
          },
        },
      },
      async (request) =>
        pageBody(
          await workOrders.list({
            status: request.query.status,
            assetId: request.query.asset,
            limit: request.query.limit,
            after: decodeCursor(request.query.cursor),
          }),
        ),
    );
  };
}
