import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { kpisOf } from '../domain/kpis.ts';
import { parseTimestamp, timestampSchema } from '../domain/timestamps.ts';
import type { Count, KpiRepository, KpiScope } from '../storage/ports/kpis.ts';
import {
  actorOf,
  id,
  ifMatchHeader,
  ifMatchVersion,
  limit,
  secured,
  technicianWrite,
  time,
  timeParam,
} from './routes.ts';

const DAY_MS = 86_400_000;
// Every timestamp goes through the domain's one parser, which names the reason it refuses one.
const stamp = (name: string, raw: string | number) => {
  const parsed = parseTimestamp(raw);
  if (typeof parsed === 'string') throw new ValidationError(name, parsed);
  return parsed;
};
const endSchema = { ...timestampSchema, type: [...timestampSchema.type, 'null'] } as const;

const rangeQuery = (defaultDays: number, maxDays: number, q: { from?: string; to?: string }) => {
  const to = timeParam('querystring.to', q.to, Date.now());
  const from = timeParam('querystring.from', q.from, to - defaultDays * DAY_MS);
  if (from >= to) throw new ValidationError('querystring.from', 'must be before to');
  if (to - from > maxDays * DAY_MS)
    throw new ValidationError('querystring.from', `the range may span at most ${maxDays} days`);
  return { from, to };
};

const listQuery = {
  type: 'object',
  properties: { asset: id, from: time, to: time, limit: limit(10_000, 1000) },
} as const;

const scopeQuery = {
  asset: { ...id, description: 'one asset' },
  line: { ...id, description: "a line: the sum of its assets' times and counts" },
  site: { ...id, description: "a site: the sum of its assets' times and counts" },
  from: time,
  to: time,
} as const;

function scopeOf(q: { asset?: string; line?: string; site?: string }): { scope: KpiScope; id: string } {
  const given = (['asset', 'line', 'site'] as const).filter((k) => q[k] !== undefined);
  if (given.length !== 1) throw new ValidationError('querystring', 'give exactly one of asset, line or site');
  return { scope: given[0], id: q[given[0]] as string };
}

/** Downtime events, production counts, and the KPIs computed from them (docs/kpis.md). */
export function kpiRoutes(kpis: KpiRepository): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);

    app.post<{
      Body: {
        assetId: string;
        kind: 'planned' | 'unplanned';
        reason: string;
        start: string | number;
        end?: string | number | null;
        workOrderId?: string;
      };
    }>(
      '/v1/downtime',
      {
        ...technicianWrite,
        schema: {
          summary: 'Record a downtime event (end absent or null: the asset is still down)',
          tags: ['kpis'],
          ...secured,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['assetId', 'kind', 'reason', 'start'],
            properties: {
              assetId: id,
              kind: { type: 'string', enum: ['planned', 'unplanned'], description: 'unplanned: a failure' },
              reason: { type: 'string', minLength: 1, maxLength: 500 },
              start: timestampSchema,
              end: endSchema,
              workOrderId: id,
            },
          },
        },
      },
      async (request, reply) => {
        const { start, end, ...rest } = request.body;
        const event = await kpis.createDowntime({
          ...rest,
          start: stamp('body.start', start),
          end: end === undefined || end === null ? null : stamp('body.end', end),
          actor: actorOf(request),
        });
        return reply
          .status(201)
          .header('location', `/v1/downtime/${event.id}`)
          .header('etag', `"${event.version}"`)
          .send(event);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/v1/downtime/:id',
      {
        schema: {
          summary: 'One downtime event; ETag is its version',
          tags: ['kpis'],
          ...secured,
          params: { type: 'object', properties: { id } },
        },
      },
      async (request, reply) => {
        const event = await kpis.getDowntime(request.params.id);
        if (!event) throw new NotFoundError(`downtime event ${request.params.id} not found`);
        return reply.header('etag', `"${event.version}"`).send(event);
      },
    );

    app.patch<{
      Params: { id: string };
      Body: { end?: string | number | null; reason?: string };
      Headers: { 'if-match'?: string };
    }>(
      '/v1/downtime/:id',
      {
        ...technicianWrite,
        schema: {
          summary:
            'End a downtime event, or correct its end or reason (with If-Match, only from that version)',
          tags: ['kpis'],
          ...secured,
          params: { type: 'object', properties: { id } },
          headers: ifMatchHeader,
          body: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              end: endSchema,
              reason: { type: 'string', minLength: 1, maxLength: 500 },
            },
          },
        },
      },
      async (request, reply) => {
        const { end, reason } = request.body;
        const event = await kpis.updateDowntime(
          request.params.id,
          { reason, end: end === undefined ? undefined : end === null ? null : stamp('body.end', end) },
          ifMatchVersion(request.headers['if-match']),
        );
        return reply.header('etag', `"${event.version}"`).send(event);
      },
    );

    app.get<{ Querystring: { asset?: string; from?: string; to?: string; limit: number } }>(
      '/v1/downtime',
      {
        schema: {
          summary: 'Downtime events overlapping a range (default: the last 30 days), newest first',
          tags: ['kpis'],
          ...secured,
          querystring: listQuery,
        },
      },
      async (request) => {
        const range = rangeQuery(30, 3660, request.query);
        return {
          items: await kpis.listDowntime({
            assetId: request.query.asset,
            ...range,
            limit: request.query.limit,
          }),
        };
      },
    );

    app.post<{ Body: { assetId: string; ts: string | number; produced: number; good: number }[] }>(
      '/v1/production',
      {
        ...technicianWrite,
        schema: {
          summary:
            'Record production counts, all or none; a count resent for the same asset and time replaces the first',
          description:
            'Repeats of the same asset and time within one batch keep the last (times equal once rounded to ' +
            'the stored microsecond); `recorded` is the number of counts stored, repeats counted once.',
          tags: ['kpis'],
          ...secured,
          body: {
            type: 'array',
            minItems: 1,
            maxItems: 10_000,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['assetId', 'ts', 'produced', 'good'],
              properties: {
                assetId: id,
                ts: timestampSchema,
                produced: {
                  type: 'integer',
                  minimum: 0,
                  maximum: 1_000_000_000,
                  description: 'items since the previous count',
                },
                good: {
                  type: 'integer',
                  minimum: 0,
                  maximum: 1_000_000_000,
                  description: 'of which good the first time',
                },
              },
            },
          },
          response: {
            201: {
              description: 'Every count stored.',
              type: 'object',
              properties: {
                recorded: { type: 'integer', description: 'counts stored; a repeat within the batch once' },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const counts: Count[] = request.body.map((c, i) => ({ ...c, ts: stamp(`body.${i}.ts`, c.ts) }));
        const recorded = await kpis.recordCounts(counts, actorOf(request));
        return reply.status(201).send({ recorded });
      },
    );

    app.get<{ Querystring: { asset?: string; from?: string; to?: string; limit: number } }>(
      '/v1/production',
      {
        schema: {
          summary: 'Production counts in a range (default: the last day), newest first',
          tags: ['kpis'],
          ...secured,
          querystring: listQuery,
        },
      },
      async (request) => {
        const range = rangeQuery(1, 3660, request.query);
        return {
          items: await kpis.listCounts({
            assetId: request.query.asset,
            ...range,
            limit: request.query.limit,
          }),
        };
      },
    );

    app.get<{ Querystring: { asset?: string; line?: string; site?: string; from?: string; to?: string } }>(
      '/v1/kpis',
      {
        schema: {
          summary:
            'MTBF, MTTR and OEE (ISO 22400-2) of an asset, line or site over a range (default: the last 30 days)',
          description:
            'Times in milliseconds; a ratio is null when its denominator is zero (see docs/kpis.md).',
          tags: ['kpis'],
          ...secured,
          querystring: { type: 'object', properties: scopeQuery },
        },
      },
      async (request) => {
        const { scope, id: scopeId } = scopeOf(request.query);
        const range = rangeQuery(30, 3660, request.query);
        const assets = await kpis.scopeAssets(scope, scopeId);
        const totals = await kpis.totals(assets, range, Date.now());
        return {
          scope,
          id: scopeId,
          from: new Date(range.from).toISOString(),
          to: new Date(range.to).toISOString(),
          assets: assets.length,
          ...kpisOf(totals),
        };
      },
    );

    app.get<{ Querystring: { asset?: string; line?: string; site?: string; from?: string; to?: string } }>(
      '/v1/kpis/daily',
      {
        schema: {
          summary: 'The same KPIs per UTC day of a range (default: the last 30 days, at most 366)',
          tags: ['kpis'],
          ...secured,
          querystring: { type: 'object', properties: scopeQuery },
        },
      },
      async (request) => {
        const { scope, id: scopeId } = scopeOf(request.query);
        const range = rangeQuery(30, 366, request.query);
        const assets = await kpis.scopeAssets(scope, scopeId);
        const days = await kpis.dailyTotals(assets, range, Date.now());
        return { scope, id: scopeId, items: days.map(({ day, totals }) => ({ day, ...kpisOf(totals) })) };
      },
    );
  };
}
