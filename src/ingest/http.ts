import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { errorResponses } from '../api/contract.ts';
import { type Bus, topics } from '../bus/port.ts';
import { PayloadTooLargeError, TooManyRequestsError, ValidationError } from '../domain/errors.ts';
import { timestampSchema } from '../domain/timestamps.ts';
import { FLOAT32_MAX, MAX_RATE_HZ, type ValidationLimits } from '../domain/validate.ts';
import type { Metrics } from '../observability/metrics.ts';
import { contextFrom, startSend } from '../observability/tracing.ts';
import { jsonSyntaxReason } from './payload.ts';
import { ingestItems, UnparsableItem } from './publish.ts';
import type { SensorDirectory } from './sensors.ts';

export interface HttpIngestDeps {
  bus: Bus;
  sensors: SensorDirectory;
  metrics: Metrics;
  limits: ValidationLimits;
  maxBatchItems: number;
  /** Requests per minute and credential. */
  requestsPerMinute: number;
}

/**
 * NDJSON: one item per non-empty line; a line that is not JSON is rejected on its own. A byte-order mark
 * and carriage returns are whitespace to trim(). Nesting is not bounded here: JSON.parse is not recursive
 * in V8, validation reads only an item's top level, and dead letters bound what they keep.
 */
export function parseNdjson(text: string): unknown[] {
  const items: unknown[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    try {
      items.push(JSON.parse(trimmed));
    } catch (err) {
      // The line as received; its dead letter bounds it (deadLetterItem).
      items.push(new UnparsableItem(jsonSyntaxReason(err), trimmed));
    }
  }
  return items;
}

/** A JSON body: a leading byte-order mark is dropped (RFC 8259 §8.1); a refusal never quotes the body. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new ValidationError('body', jsonSyntaxReason(err));
  }
}

function itemsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    const readings = (body as { readings?: unknown }).readings;
    if (readings !== undefined) {
      if (!Array.isArray(readings)) throw new ValidationError('body.readings', 'must be an array');
      return readings;
    }
    return [body];
  }
  throw new ValidationError(
    'body',
    'expected a JSON array of readings, {"readings": [...]}, one reading, or NDJSON',
  );
}

/**
 * One reading as the document states it: a scalar or a sample block. Other fields are ignored. Whether it is
 * taken also depends on the registry (a known, active sensor; values in its valid range; a block's rate
 * within 1 % of its registered rate) and the clock (ts at most ingest.maxClockSkewSeconds ahead).
 */
function readingSchema(maxBlockSamples: number) {
  const common = {
    sensorId: { type: 'string', minLength: 1, description: 'a registered sensor id' },
    ts: timestampSchema,
  };
  return {
    oneOf: [
      {
        type: 'object',
        title: 'ScalarReading',
        required: ['sensorId', 'ts', 'value'],
        not: { anyOf: [{ required: ['rateHz'] }, { required: ['values'] }] },
        properties: { ...common, value: { type: 'number', description: "the value, in the sensor's unit" } },
      },
      {
        type: 'object',
        title: 'SampleBlock',
        required: ['sensorId', 'ts', 'rateHz', 'values'],
        not: { required: ['value'] },
        properties: {
          ...common,
          rateHz: {
            type: 'number',
            exclusiveMinimum: 0,
            maximum: MAX_RATE_HZ,
            description:
              "sample rate, Hz: within 1 % of the sensor's registered sampleRateHz unless it is registered with rateVaries",
          },
          values: {
            type: 'array',
            minItems: 1,
            maxItems: maxBlockSamples,
            items: { type: 'number', minimum: -FLOAT32_MAX, maximum: FLOAT32_MAX },
            description: "evenly spaced samples from ts, in the sensor's unit",
          },
        },
      },
    ],
  } as const;
}

const resultSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['accepted', 'rejected'],
  properties: {
    accepted: { type: 'integer', minimum: 0, description: 'items accepted and published' },
    rejected: {
      type: 'array',
      description: 'each refused item: its index in the batch, the field and why',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['index', 'field', 'reason'],
        properties: {
          index: { type: 'integer', minimum: 0 },
          field: { type: 'string', description: 'e.g. `ts`, `value`, `values[3]`' },
          reason: { type: 'string' },
        },
      },
    },
  },
} as const;

const REFUSAL_BY_STATUS: Record<number, string> = {
  400: 'bad_body',
  401: 'unauthorized',
  403: 'forbidden',
  413: 'too_large',
  415: 'bad_body',
  429: 'rate_limited',
  503: 'bus_unavailable',
};

/** POST /v1/readings: JSON or NDJSON batches, each item validated on its own. */
export function httpIngestRoutes(deps: HttpIngestDeps): FastifyPluginAsync {
  const reading = readingSchema(deps.limits.maxBlockSamples);
  const batch = { type: 'array', minItems: 1, maxItems: deps.maxBatchItems, items: reading } as const;
  const jsonBody = {
    examples: [
      [
        { sensorId: 'pump-1.temp', ts: '2026-11-27T12:00:00Z', value: 52.4 },
        { sensorId: 'pump-1.temp', ts: 1_764_244_810_000, value: 52.6 },
      ],
    ],
    anyOf: [
      { ...batch, title: 'Batch' },
      {
        type: 'object',
        title: 'Readings',
        required: ['readings'],
        properties: { readings: batch },
      },
      reading,
    ],
  };
  return async (app) => {
    // Plain JSON.parse: fastify's default also scans every body for prototype-poisoning keys, a fifth of
    // ingest's CPU, and the validator copies only the known fields of an item into a new object.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    app.addContentTypeParser(
      ['application/x-ndjson', 'application/ndjson'],
      { parseAs: 'string' },
      (_request, body, done) => done(null, parseNdjson(body as string)),
    );
    app.addHook('onResponse', async (_request, reply) => {
      const reason = REFUSAL_BY_STATUS[reply.statusCode];
      if (reason) deps.metrics.ingestRequestsRefused.inc({ transport: 'http', reason });
    });

    app.post(
      '/v1/readings',
      {
        onRequest: app.authenticate,
        config: {
          role: 'device',
          audit: false,
          checksItems: true,
          rateLimit: {
            max: deps.requestsPerMinute,
            timeWindow: 60_000,
            keyGenerator: (request: FastifyRequest) => request.principal?.keyId ?? 'bootstrap-token',
            errorResponseBuilder: (_request: FastifyRequest, context: { after: string; ttl: number }) =>
              new TooManyRequestsError(
                `at most ${deps.requestsPerMinute} ingest requests a minute per credential; retry in ${context.after}`,
                Math.ceil(context.ttl / 1000),
              ),
          },
        },
        // Items are validated one by one below, so that good items survive bad neighbours.
        validatorCompiler: () => () => true,
        schema: {
          summary: 'Ingest a batch of readings',
          description:
            'A JSON array, {"readings": [...]}, a single reading, or NDJSON (one reading per line). ' +
            'Each item is validated on its own; good items are kept and each rejected one is reported by index. ' +
            'The body may be gzip, deflate or br encoded (content-encoding); the body limit counts it decoded.',
          tags: ['ingest'],
          security: [{ bearer: [] }],
          body: {
            content: {
              'application/json': { schema: jsonBody },
              'application/x-ndjson': {
                schema: { type: 'string', description: 'one reading (as in the JSON form) per line' },
              },
            },
          },
          response: {
            202: { description: 'At least one item accepted.', ...resultSchema },
            422: { description: 'Every item rejected.', ...resultSchema },
            ...errorResponses(413, 415),
          },
        },
      },
      async (request, reply) => {
        const items = itemsOf(request.body);
        if (items.length === 0) throw new ValidationError('body', 'contains no readings');
        if (items.length > deps.maxBatchItems) {
          throw new PayloadTooLargeError(
            `body: ${items.length} items; at most ${deps.maxBatchItems} per batch`,
          );
        }
        const send = startSend(
          topics.readings,
          request.otel?.ctx ?? contextFrom(request.headers),
          request.headers,
        );
        const trace = send.headers;
        const result = await ingestItems(items, 'http', deps, {
          trace,
          siteId: request.principal?.siteId,
        }).finally(() => send.span.end());
        // W3C Trace Context Level 2: the trace the readings travel in, for the client's own logs.
        reply.header('traceresponse', trace.traceparent);
        return reply.status(result.accepted > 0 ? 202 : 422).send(result);
      },
    );
  };
}
