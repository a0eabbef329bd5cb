import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { classifyBusError } from '../bus/errors.ts';
import { BusFullError, BusUnavailableError } from '../bus/port.ts';
import {
  ConflictError,
  ForbiddenError,
  MissingReferenceError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RuleViolationError,
  TooManyRequestsError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '../domain/errors.ts';
import {
  parseTimestamp,
  parseTimestampParam,
  timestampParamSchema,
  timestampSchema,
} from '../domain/timestamps.ts';
import type { FailureJudge } from '../storage/ports/failures.ts';

/** Kafka's refusals of a message for its size (kafka.apache.org/protocol#protocol_error_codes). */
const BUS_TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Domain fields this route's request names otherwise, to their HTTP location: `{ siteId: 'body.site' }`.
     * Needed only where the names differ; other fields are found by httpField.
     */
    errorFields?: Record<string, string>;
  }
}

/** The parts of a request the API layer names; a field starting with one of them is located already. */
const REQUEST_PARTS = new Set(['params', 'querystring', 'body', 'headers']);
/** Where a domain field is looked for, in this order: a path parameter first, the body last. */
const SEARCHED = ['params', 'querystring', 'body'] as const;

interface SchemaShape {
  type?: string | string[];
  properties?: Record<string, unknown>;
  anyOf?: SchemaShape[];
  oneOf?: SchemaShape[];
  allOf?: SchemaShape[];
}

/** Whether a JSON Schema declares `segment`: one of its properties, or an index when it is an array. */
function declares(schema: SchemaShape | undefined, segment: string): boolean {
  if (!schema || typeof schema !== 'object') return false;
  if (schema.properties && Object.hasOwn(schema.properties, segment)) return true;
  if ([schema.type].flat().includes('array') && /^\d+$/.test(segment)) return true;
  return [schema.anyOf, schema.oneOf, schema.allOf].some((list) => list?.some((s) => declares(s, segment)));
}

const holds = (value: unknown, segment: string): boolean =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, segment);

/**
 * The HTTP location of a ValidationError's field, as every 400 names it (`body.lineId`, `body.0.good`,
 * `querystring.cursor`, `params.id`). A field already naming a part of the request (`body.…`,
 * `querystring.…`, `params.…`, `headers.…`) is kept. A domain field is placed by its first segment: the
 * route's `errorFields` when it renames it; else the first of params, querystring and body whose schema
 * declares it (array bodies declare indices), so that a field the request left out, such as a missing
 * assignee, is still placed; else the first that holds it, for a route without a schema. A field found
 * nowhere is returned as it is rather than guessed.
 */
export function httpField(field: string, request: FastifyRequest): string {
  const [first, ...rest] = field.split('.');
  if (REQUEST_PARTS.has(first)) return field;
  const renamed = request.routeOptions.config?.errorFields?.[first];
  if (renamed) return [renamed, ...rest].join('.');
  const schema = (request.routeOptions.schema ?? {}) as Record<string, SchemaShape | undefined>;
  const schemas = {
    params: schema.params,
    querystring: schema.querystring ?? schema.query,
    body: schema.body,
  };
  const values = { params: request.params, querystring: request.query, body: request.body };
  const part =
    SEARCHED.find((p) => declares(schemas[p], first)) ?? SEARCHED.find((p) => holds(values[p], first));
  return part ? `${part}.${field}` : field;
}

/** The body arrives in a form the server does not take (415), such as an unknown content-encoding. */
export class UnsupportedMediaTypeError extends ValidationError {}

/**
 * SQLSTATE of text PostgreSQL cannot store: 22021 (U+0000 or bytes invalid in UTF-8), 22P05. The request
 * hooks refuse such text naming its field; this catches any that reaches the database another way.
 */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

/**
 * Seconds a client is told to wait when the database is unreachable or busy: about the time a PostgreSQL
 * restart or a failover takes, short enough that a client comes back soon after.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  /** For 503: the dependency that cannot answer now (`database`, `bus`, `rawStore`). */
  dependency?: string;
}

/** The `dependency` a store's UnavailableError names (the raw store's says `rawStore`), if any. */
function dependencyOf(error: UnavailableError): { dependency?: string } {
  const { dependency } = error as { dependency?: unknown };
  return typeof dependency === 'string' ? { dependency } : {};
}

/**
 * For a timestamp the schema refused (its patterns state exactly what the parser takes), the parser's own
 * reason — "2026-02 has no day 30", "looks like epoch seconds" — rather than the patterns; undefined for
 * any other field.
 */
function timestampReason(request: FastifyRequest, context: string, instancePath: string): string | undefined {
  const routeSchema = (request.routeOptions.schema ?? {}) as Record<string, unknown>;
  let schema = routeSchema[context] as Record<string, unknown> | undefined;
  let value: unknown = { querystring: request.query, body: request.body, params: request.params }[context];
  for (const segment of instancePath.split('/').slice(1)) {
    const next = /^\d+$/.test(segment)
      ? schema?.items
      : (schema?.properties as Record<string, unknown>)?.[segment];
    schema = next as Record<string, unknown> | undefined;
    value = (value as Record<string, unknown> | undefined)?.[segment];
  }
  const branches = schema?.anyOf as unknown[] | undefined;
  if (branches?.[0] === timestampParamSchema.anyOf[0] && typeof value === 'string') {
    const parsed = parseTimestampParam(value);
    return typeof parsed === 'string' ? parsed : undefined;
  }
  if (branches?.[0] === timestampSchema.anyOf[0]) {
    const parsed = parseTimestamp(value);
    return typeof parsed === 'string' ? parsed : undefined;
  }
  return undefined;
}

function problem(
  error: unknown,
  request: FastifyRequest,
  store: FailureJudge,
): { status: number; body: ErrorBody; retryAfter?: number } {
  if (error instanceof ValidationError) {
    const field = httpField(error.field, request);
    const message = `${field}: ${error.reason}`;
    if (error instanceof UnsupportedMediaTypeError) {
      return { status: 415, body: { error: 'unsupported_media_type', message, field } };
    }
    if (error instanceof MissingReferenceError) {
      return { status: 404, body: { error: 'not_found', message, field } };
    }
    if (error instanceof RuleViolationError) {
      return { status: 422, body: { error: 'rule_violated', message, field } };
    }
    return { status: 400, body: { error: 'invalid_request', message, field } };
  }
  if (error instanceof NotFoundError)
    return { status: 404, body: { error: 'not_found', message: error.message } };
  if (error instanceof ConflictError)
    return { status: 409, body: { error: 'conflict', message: error.message } };
  if (error instanceof PreconditionFailedError) {
    return { status: 412, body: { error: 'precondition_failed', message: error.message } };
  }
  if (error instanceof UnauthorizedError) {
    return { status: 401, body: { error: 'unauthorized', message: error.message } };
  }
  if (error instanceof ForbiddenError) {
    return { status: 403, body: { error: 'forbidden', message: error.message } };
  }
  if (error instanceof TooManyRequestsError) {
    return {
      status: 429,
      body: { error: 'too_many_requests', message: error.message },
      retryAfter: error.retryAfterSeconds,
    };
  }
  if (error instanceof BusUnavailableError && BUS_TOO_LARGE.has(classifyBusError(error)?.code ?? '')) {
    // Retrying cannot cure it: the request's messages exceed the broker's message.max.bytes.
    return {
      status: 413,
      body: {
        error: 'payload_too_large',
        message: `body: larger than the bus takes in one message; send smaller batches`,
      },
    };
  }
  if (error instanceof PayloadTooLargeError) {
    return { status: 413, body: { error: 'payload_too_large', message: error.message } };
  }
  if (
    error instanceof UnavailableError ||
    error instanceof BusFullError ||
    error instanceof BusUnavailableError
  ) {
    return {
      status: 503,
      body: {
        error: 'unavailable',
        message: error.message,
        ...(error instanceof UnavailableError ? dependencyOf(error) : { dependency: 'bus' }),
      },
      retryAfter: error.retryAfterSeconds,
    };
  }
  // Unreachable, restarting or busy (connection, shutdown, serialisation, lock timeout): nothing is wrong
  // with the request, and the same request will do once the database answers again.
  const storage = store.classify(error);
  if (storage?.kind === 'transient') {
    return {
      status: 503,
      body: {
        error: 'unavailable',
        message: `database unavailable${storage.code ? ` (${storage.code})` : ''}; retry later`,
        dependency: 'database',
      },
      retryAfter: DATABASE_RETRY_AFTER_SECONDS,
    };
  }
  if (UNSTORABLE_TEXT.has(storage?.code ?? '')) {
    return {
      status: 400,
      body: { error: 'invalid_request', message: 'request: contains text that cannot be stored (U+0000)' },
    };
  }
  const e = error as FastifyError & {
    validation?: {
      instancePath: string;
      params?: { missingProperty?: string; additionalProperty?: string };
    }[];
  };
  if (e.validation?.length) {
    const v = e.validation[0];
    const path = `${e.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`;
    if (v.params?.additionalProperty) {
      const field = `${path}.${v.params.additionalProperty}`;
      return {
        status: 400,
        body: { error: 'invalid_request', message: `${field}: is not a known field`, field },
      };
    }
    const field = v.params?.missingProperty ? `${path}.${v.params.missingProperty}` : path;
    const reason =
      timestampReason(request, e.validationContext ?? 'body', v.instancePath) ?? v.message ?? e.message;
    return { status: 400, body: { error: 'invalid_request', message: `${field}: ${reason}`, field } };
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      body: { error: 'payload_too_large', message: 'body: larger than the configured limit' },
    };
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      body: {
        error: 'unsupported_media_type',
        message: 'content-type: use application/json or application/x-ndjson',
      },
    };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const field = e.code?.startsWith('FST_ERR_CTP') || e instanceof SyntaxError ? 'body' : undefined;
    return {
      status: e.statusCode,
      body: {
        error: 'invalid_request',
        message: field ? `body: ${e.message}` : e.message,
        ...(field && { field }),
      },
    };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error' } };
}

/** The one place where errors become HTTP responses. */
/**
 * The one place errors become HTTP answers: domain errors by class, validation errors with their field's HTTP
 * location, bus refusals, and the database's own errors as `store` judges them (an outage is a 503 with
 * Retry-After; text it cannot store a 400).
 */
export function errorHandlerFor(store: FailureJudge) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, retryAfter } = problem(error, request, store);
    if (status >= 500 && status !== 503) request.log.error({ err: error }, 'request failed');
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    return reply.status(status).send(body);
  };
}
