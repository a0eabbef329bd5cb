import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import {
  ConflictError,
  MissingReferenceError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../domain/errors.ts';
import { kpisOf } from '../domain/kpis.ts';
import { parseTimestamp, timestampSchema } from '../domain/timestamps.ts';
import type { Count, KpiRepository, KpiScope } from '../storage/ports/kpis.ts';
import type { WorkOrderRepository } from '../storage/ports/work-orders.ts';
import { errorResponses } from './contract.ts';
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
import { idParams, isoTime } from './schemas.ts';

const DAY_MS = 86_400_000;
// Every timestamp goes through the domain's one parser, which names the reason it refuses one.
const stamp = (name: string, raw: string | number) => {
  const parsed = parseTimestamp(raw);
  if (typeof parsed === 'string') throw new ValidationError(name, parsed);
  return parsed;
};
const [epochBranch, isoBranch] = timestampSchema.anyOf;
/**
 * A timestamp or null. One type list rather than anyOf: the validator coerces types inside anyOf branches, which
 * would turn null into 0 in the number branch and refuse it.
 */
const endSchema = {
  type: ['number', 'string', 'null'],
  minimum: epochBranch.minimum,
  exclusiveMaximum: epochBranch.exclusiveMaximum,
  pattern: isoBranch.pattern,
  description: `${timestampSchema.description}; null while it goes on`,
} as const;
/** Free text as PostgreSQL stores it: any characters but U+0000, which the request guard refuses. */
const reasonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 500,
  pattern: '^[^\\u0000]*$',
  description: 'what happened, for people',
} as const;

/**
 * [from, to) in epoch ms from the query: `to` defaults to now and `from` to `defaultDays` before `to`.
 * RuleViolationError on querystring.from when from is not before to, or when the range is longer than `maxDays`.
 */
const rangeQuery = (defaultDays: number, maxDays: number, q: { from?: string; to?: string }) => {
  const to = timeParam('querystring.to', q.to, Date.now());
  const from = timeParam('querystring.from', q.from, to - defaultDays * DAY_MS);
  if (from >= to) throw new RuleViolationError('querystring.from', 'must be before to');
  if (to - from > maxDays * DAY_MS)
    throw new RuleViolationError('querystring.from', `the range may span at most ${maxDays} days`);
  return { from, to };
};
const rangeRule = (defaultDays: number, maxDays: number) =>
  `\`to\` defaults to now and \`from\` to ${defaultDays === 1 ? 'one day' : `${defaultDays} days`} before \`to\`. ` +
  `\`from\` must be before \`to\` and the range at most ${maxDays} days long (\`to\` − \`from\` ≤ ${maxDays} × 86 400 000 ms), ` +
  'else 422 naming querystring.from.';

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    asset: { ...id, description: 'only this asset (404 when it does not exist)' },
    from: { ...time, description: `start of the range (inclusive): ${time.description}` },
    to: { ...time, description: `end of the range (exclusive): ${time.description}` },
    limit: { ...limit(10_000, 1000), description: 'at most this many items, the newest' },
  },
} as const;

const scopeQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    asset: { ...id, description: 'one asset' },
    line: { ...id, description: "a line: the sum of its assets' times and counts" },
    site: { ...id, description: "a site: the sum of its assets' times and counts" },
    from: { ...time, description: `start of the range (inclusive): ${time.description}` },
    to: { ...time, description: `end of the range (exclusive): ${time.description}` },
  },
} as const;
const SCOPE_RULE =
  'Exactly one of `asset`, `line` and `site` must be given, else 422 naming querystring ("give exactly one of asset, ' +
  'line or site"); one that does not exist is a 404 naming it.';

function scopeOf(q: { asset?: string; line?: string; site?: string }): { scope: KpiScope; id: string } {
  const given = (['asset', 'line', 'site'] as const).filter((k) => q[k] !== undefined);
  if (given.length !== 1)
    throw new RuleViolationError('querystring', 'give exactly one of asset, line or site');
  return { scope: given[0], id: q[given[0]] as string };
}

/** The assets of a scope; 404 naming the query parameter when the asset, line or site does not exist. */
async function scopeAssetsOf(kpis: KpiRepository, scope: KpiScope, scopeId: string) {
  try {
    return await kpis.scopeAssets(scope, scopeId);
  } catch (err) {
    if (err instanceof NotFoundError)
      throw new MissingReferenceError(`querystring.${scope}`, `${scope} ${scopeId} does not exist`);
    throw err;
  }
}

const downtimeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'assetId', 'kind', 'reason', 'start', 'end', 'workOrderId', 'createdBy', 'version'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'the event id' },
    assetId: { type: 'string', description: 'the asset that was down' },
    kind: {
      type: 'string',
      enum: ['planned', 'unplanned'],
      description: 'unplanned: a failure (MTBF, MTTR); planned: maintenance, outside the planned busy time',
    },
    reason: { type: 'string', description: 'what happened' },
    start: isoTime('when the asset stopped, ISO 8601 in UTC'),
    end: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'when it ran again, ISO 8601 in UTC; null while it is still down',
    },
    workOrderId: {
      type: ['string', 'null'],
      description: 'the work order of the repair; null when none was named',
    },
    createdBy: { type: 'string', description: 'who recorded it' },
    version: {
      type: 'integer',
      minimum: 1,
      description: '1 when recorded, one more at each change; the ETag',
    },
  },
} as const;
const downtimeExample = {
  id: '6c1f4f0e-5b7a-4d0e-9a51-2f4f3c1d9b10',
  assetId: 'press-1',
  kind: 'unplanned',
  reason: 'hydraulic leak',
  start: '2026-01-31T08:00:00.000Z',
  end: '2026-01-31T09:30:00.000Z',
  workOrderId: null,
  createdBy: 'line lead (3f9a1c0b7d2e)',
  version: 1,
} as const;
const etagHeader = {
  etag: { type: 'string', description: 'the version, `"1"`: send it as If-Match to change it' },
};

const countSchema = {
  type: 'integer',
  minimum: 0,
  maximum: 1_000_000_000,
} as const;

const ms = (description: string) =>
  ({ type: 'number', minimum: 0, description: `${description}, ms` }) as const;
const whole = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;
const ratio = (description: string) =>
  ({
    type: ['number', 'null'],
    minimum: 0,
    description: `${description}, a fraction; null when the denominator is 0`,
  }) as const;

/** The KPIs (domain/kpis.ts Kpis) of a scope over a range: times in milliseconds, ratios as fractions. */
const kpiProperties = {
  plannedBusyMs: ms('PBT, planned busy time: the time in service in the range less planned downtime'),
  unplannedDowntimeMs: ms('unplanned downtime inside the range, overlapping events merged'),
  actualProductionMs: ms('APT, actual production time: PBT less unplanned downtime'),
  failures: whole('unplanned downtime periods starting in the range'),
  repairs: whole('unplanned downtime periods ending in the range'),
  repairMs: ms('whole durations of those repairs'),
  openRepairs: whole('failures still open at the end of the range, or now when it ends later'),
  produced: whole('items produced (production counts in the range)'),
  good: whole('of which good the first time'),
  idealRunMs: ms("ideal run time: the assets' ideal cycle time × items produced"),
  mtbfMs: {
    type: ['number', 'null'],
    minimum: 0,
    description: 'MTBF = APT / failures, ms; null without a failure',
  },
  mttrMs: {
    type: ['number', 'null'],
    minimum: 0,
    description: 'MTTR = repair time / repairs, ms; null without a repair',
  },
  availability: ratio('APT / PBT'),
  effectiveness: ratio('ideal run time / APT'),
  quality: ratio('good / produced'),
  oee: {
    type: ['number', 'null'],
    minimum: 0,
    description: 'OEE = availability × effectiveness × quality; null when any of them is',
  },
} as const;
const kpiRequired = Object.keys(kpiProperties) as (keyof typeof kpiProperties)[];
const kpiExample = {
  plannedBusyMs: 252_000_000,
  unplannedDowntimeMs: 14_400_000,
  actualProductionMs: 237_600_000,
  failures: 2,
  repairs: 2,
  repairMs: 14_400_000,
  openRepairs: 0,
  produced: 3100,
  good: 3010,
  idealRunMs: 93_000_000,
  mtbfMs: 118_800_000,
  mttrMs: 7_200_000,
  availability: 0.942857,
  effectiveness: 0.391414,
  quality: 0.970968,
  oee: 0.358333,
} as const;
const scopeProperties = {
  scope: { type: 'string', enum: ['asset', 'line', 'site'], description: 'what was summed' },
  id: { type: 'string', description: 'its id' },
} as const;

/** Downtime events, production counts, and the KPIs computed from them (docs/kpis.md). */
export function kpiRoutes(
  kpis: KpiRepository,
  workOrders: Pick<WorkOrderRepository, 'get'>,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const r = app.withTypeProvider<JsonSchemaToTsProvider>();

    r.post(
      '/v1/downtime',
      {
        ...technicianWrite,
        schema: {
          summary: 'Record a downtime event (end absent or null: the asset is still down)',
          description:
            '`end`, when given, must be after `start` (else 422 naming body.end). `workOrderId` must be a work ' +
            'order of `assetId` (else 422 naming body.workOrderId). An `assetId` or `workOrderId` that does not ' +
            'exist is a 404 naming it.',
          tags: ['kpis'],
          ...secured,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['assetId', 'kind', 'reason', 'start'],
            properties: {
              assetId: { ...id, description: 'the asset that stopped' },
              kind: { type: 'string', enum: ['planned', 'unplanned'], description: 'unplanned: a failure' },
              reason: reasonSchema,
              start: { ...timestampSchema, description: `when it stopped: ${timestampSchema.description}` },
              end: endSchema,
              workOrderId: { ...id, description: 'the work order of the repair, on the same asset' },
            },
            examples: [
              {
                assetId: 'press-1',
                kind: 'unplanned',
                reason: 'hydraulic leak',
                start: '2026-01-31T08:00:00Z',
                end: '2026-01-31T09:30:00Z',
              },
              { assetId: 'press-1', kind: 'planned', reason: 'die change', start: 1769868000000 },
            ],
          },
          response: {
            201: {
              ...downtimeSchema,
              description: 'Recorded; Location is the event, ETag its version.',
              headers: { location: { type: 'string', description: '/v1/downtime/{id}' }, ...etagHeader },
              examples: [downtimeExample],
            },
            ...errorResponses(404, 422),
          },
        },
      },
      async (request, reply) => {
        const { start, end, ...rest } = request.body;
        const event = await kpis
          .createDowntime({
            ...rest,
            start: stamp('body.start', start),
            end: end === undefined || end === null ? null : stamp('body.end', end),
            actor: actorOf(request),
          })
          .catch(async (err: unknown) => {
            if (err instanceof ValidationError && err.field === 'workOrderId' && rest.workOrderId) {
              const order = await workOrders.get(rest.workOrderId);
              if (!order)
                throw new MissingReferenceError(
                  'body.workOrderId',
                  `work order ${rest.workOrderId} does not exist`,
                );
              throw new RuleViolationError(
                'body.workOrderId',
                `work order ${rest.workOrderId} is of asset ${order.assetId}, not of ${rest.assetId}`,
              );
            }
            throw err;
          });
        return reply
          .status(201)
          .header('location', `/v1/downtime/${event.id}`)
          .header('etag', `"${event.version}"`)
          .send(event);
      },
    );

    r.get(
      '/v1/downtime/:id',
      {
        schema: {
          summary: 'One downtime event; ETag is its version',
          tags: ['kpis'],
          ...secured,
          params: idParams,
          response: {
            200: {
              ...downtimeSchema,
              description: 'The event.',
              headers: etagHeader,
              examples: [downtimeExample],
            },
            ...errorResponses(404),
          },
        },
      },
      async (request, reply) => {
        const event = await kpis.getDowntime(request.params.id);
        if (!event) throw new NotFoundError(`downtime event ${request.params.id} not found`);
        return reply.header('etag', `"${event.version}"`).send(event);
      },
    );

    r.patch(
      '/v1/downtime/:id',
      {
        ...technicianWrite,
        schema: {
          summary:
            'End a downtime event, or correct its end or reason (with If-Match, only from that version)',
          description:
            "An `end` must be after the event's stored start, else 409 naming body.end and the start. " +
            'With If-Match, only from that version (`"3"`, or `*` for any): an If-Match naming another version, or ' +
            'no version of this API, is a 412.',
          tags: ['kpis'],
          ...secured,
          params: idParams,
          headers: ifMatchHeader,
          body: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { end: endSchema, reason: reasonSchema },
            examples: [{ end: '2026-01-31T09:30:00Z' }],
          },
          response: {
            200: {
              ...downtimeSchema,
              description: 'Changed; ETag is the new version.',
              headers: etagHeader,
              examples: [{ ...downtimeExample, version: 2 }],
            },
            ...errorResponses(404, 409, 412),
          },
        },
      },
      async (request, reply) => {
        const { end, reason } = request.body;
        const event = await kpis
          .updateDowntime(
            request.params.id,
            { reason, end: end === undefined ? undefined : end === null ? null : stamp('body.end', end) },
            ifMatchVersion(request.headers['if-match']),
          )
          .catch((err: unknown) => {
            // An end before the stored start conflicts with the event as it stands.
            if (err instanceof ValidationError && err.field === 'end')
              throw new ConflictError(`body.end: ${err.reason}`);
            throw err;
          });
        return reply.header('etag', `"${event.version}"`).send(event);
      },
    );

    r.get(
      '/v1/downtime',
      {
        schema: {
          summary: 'Downtime events overlapping a range (default: the last 30 days), newest first',
          description: `Events that started before \`to\` and had not ended by \`from\`. ${rangeRule(30, 3660)}`,
          tags: ['kpis'],
          ...secured,
          querystring: listQuery,
          response: {
            200: {
              description: 'The events, newest start first.',
              type: 'object',
              additionalProperties: false,
              required: ['items'],
              properties: { items: { type: 'array', items: downtimeSchema } },
              examples: [{ items: [downtimeExample] }],
            },
            ...errorResponses(404, 422),
          },
        },
      },
      async (request) => {
        const range = rangeQuery(30, 3660, request.query);
        const { asset } = request.query;
        const items = await kpis.listDowntime({ assetId: asset, ...range, limit: request.query.limit });
        if (items.length === 0 && asset !== undefined) await scopeAssetsOf(kpis, 'asset', asset);
        return { items };
      },
    );

    r.post(
      '/v1/production',
      {
        ...technicianWrite,
        schema: {
          summary:
            'Record production counts, all or none; a count resent for the same asset and time replaces the first',
          description:
            'Repeats of the same asset and time within one batch keep the last (times equal once rounded to ' +
            'the stored microsecond); `recorded` is the number of counts stored, repeats counted once. In each ' +
            'count `good` must not exceed `produced` (else 422 naming body.<i>.good); an `assetId` that does not ' +
            'exist is a 404 naming body.<i>.assetId. The counts are checked in order and the first refusal answers.',
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
                ts: { ...timestampSchema, description: `when counted: ${timestampSchema.description}` },
                produced: { ...countSchema, description: 'items since the previous count' },
                good: { ...countSchema, description: 'of which good the first time; at most produced' },
              },
            },
            examples: [
              [
                { assetId: 'press-1', ts: '2026-01-31T12:00:00Z', produced: 1000, good: 950 },
                { assetId: 'press-2', ts: 1769860800000, produced: 400, good: 398 },
              ],
            ],
          },
          response: {
            201: {
              description: 'Every count stored.',
              type: 'object',
              additionalProperties: false,
              required: ['recorded'],
              properties: {
                recorded: {
                  type: 'integer',
                  minimum: 1,
                  description: 'counts stored; a repeat within the batch once',
                },
              },
              examples: [{ recorded: 2 }],
            },
            ...errorResponses(404, 422),
          },
        },
      },
      async (request, reply) => {
        const counts: Count[] = request.body.map((c, i) => ({ ...c, ts: stamp(`body.${i}.ts`, c.ts) }));
        const recorded = await kpis.recordCounts(counts, actorOf(request));
        return reply.status(201).send({ recorded });
      },
    );

    r.get(
      '/v1/production',
      {
        schema: {
          summary: 'Production counts in a range (default: the last day), newest first',
          description: `Counts whose time is in [from, to). ${rangeRule(1, 3660)}`,
          tags: ['kpis'],
          ...secured,
          querystring: listQuery,
          response: {
            200: {
              description: 'The counts, newest first.',
              type: 'object',
              additionalProperties: false,
              required: ['items'],
              properties: {
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['assetId', 'ts', 'produced', 'good', 'recordedBy'],
                    properties: {
                      assetId: { type: 'string' },
                      ts: {
                        type: 'number',
                        description: 'when counted, epoch ms (fractions: stored microseconds)',
                      },
                      produced: whole('items since the previous count'),
                      good: whole('of which good the first time'),
                      recordedBy: { type: 'string', description: 'who recorded it last' },
                    },
                  },
                },
              },
              examples: [
                {
                  items: [
                    {
                      assetId: 'press-1',
                      ts: 1769860800000,
                      produced: 1000,
                      good: 950,
                      recordedBy: 'line lead (3f9a1c0b7d2e)',
                    },
                  ],
                },
              ],
            },
            ...errorResponses(404, 422),
          },
        },
      },
      async (request) => {
        const range = rangeQuery(1, 3660, request.query);
        const { asset } = request.query;
        const items = await kpis.listCounts({ assetId: asset, ...range, limit: request.query.limit });
        if (items.length === 0 && asset !== undefined) await scopeAssetsOf(kpis, 'asset', asset);
        return { items };
      },
    );

    r.get(
      '/v1/kpis',
      {
        schema: {
          summary:
            'MTBF, MTTR and OEE (ISO 22400-2) of an asset, line or site over a range (default: the last 30 days)',
          description:
            `Times in milliseconds; a ratio is null when its denominator is zero (see docs/kpis.md). ${SCOPE_RULE} ` +
            rangeRule(30, 3660),
          tags: ['kpis'],
          ...secured,
          querystring: scopeQuery,
          response: {
            200: {
              description: 'The KPIs of the scope over [from, to).',
              type: 'object',
              additionalProperties: false,
              required: ['scope', 'id', 'from', 'to', 'assets', ...kpiRequired],
              properties: {
                ...scopeProperties,
                from: isoTime('start of the range, ISO 8601 in UTC'),
                to: isoTime('end of the range (exclusive), ISO 8601 in UTC'),
                assets: whole('assets summed, retired ones included'),
                ...kpiProperties,
              },
              examples: [
                {
                  scope: 'asset',
                  id: 'press-1',
                  from: '2026-01-01T00:00:00.000Z',
                  to: '2026-01-04T00:00:00.000Z',
                  assets: 1,
                  ...kpiExample,
                },
              ],
            },
            ...errorResponses(404, 422),
          },
        },
      },
      async (request) => {
        const { scope, id: scopeId } = scopeOf(request.query);
        const range = rangeQuery(30, 3660, request.query);
        const assets = await scopeAssetsOf(kpis, scope, scopeId);
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

    r.get(
      '/v1/kpis/daily',
      {
        schema: {
          summary: 'The same KPIs per UTC day of a range (default: the last 30 days, at most 366)',
          description:
            `One item per UTC day the range touches, the first and last clipped to it; today counts up to now ` +
            `and a later day has no planned time. ${SCOPE_RULE} ${rangeRule(30, 366)}`,
          tags: ['kpis'],
          ...secured,
          querystring: scopeQuery,
          response: {
            200: {
              description: 'The KPIs of each day, oldest first.',
              type: 'object',
              additionalProperties: false,
              required: ['scope', 'id', 'items'],
              properties: {
                ...scopeProperties,
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['day', ...kpiRequired],
                    properties: {
                      day: { type: 'string', format: 'date', description: 'the UTC day, YYYY-MM-DD' },
                      ...kpiProperties,
                    },
                  },
                },
              },
              examples: [{ scope: 'line', id: 'presses', items: [{ day: '2026-01-01', ...kpiExample }] }],
            },
            ...errorResponses(404, 422),
          },
        },
      },
      async (request) => {
        const { scope, id: scopeId } = scopeOf(request.query);
        const range = rangeQuery(30, 366, request.query);
        const assets = await scopeAssetsOf(kpis, scope, scopeId);
        const days = await kpis.dailyTotals(assets, range, Date.now());
        return { scope, id: scopeId, items: days.map(({ day, totals }) => ({ day, ...kpisOf(totals) })) };
      },
    );
  };
}
