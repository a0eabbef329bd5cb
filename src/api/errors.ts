import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { classifyBusError } from '../bus/errors.ts';
import { BusFullError, BusUnavailableError } from '../bus/port.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  TooManyRequestsError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '../domain/errors.ts';
import { classifyStorageError } from '../storage/postgres/errors.ts';

/** Kafka's refusals of a message for its size (kafka.apache.org/protocol#protocol_error_codes). */
const BUS_TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

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
  /** For 503: the dependency that cannot answer now (`database`, `bus`). */
  dependency?: string;
}

function problem(error: unknown): { status: number; body: ErrorBody; retryAfter?: number } {
  if (error instanceof UnsupportedMediaTypeError) {
    return {
      status: 415,
      body: { error: 'unsupported_media_type', message: error.message, field: error.field },
    };
  }
  if (error instanceof ValidationError) {
    return { status: 400, body: { error: 'invalid_request', message: error.message, field: error.field } };
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
        ...(error instanceof UnavailableError ? {} : { dependency: 'bus' }),
      },
      retryAfter: error.retryAfterSeconds,
    };
  }
  // Unreachable, restarting or busy (connection, shutdown, serialisation, lock timeout): nothing is wrong
  // with the request, and the same request will do once the database answers again.
  const storage = classifyStorageError(error);
  if (storage.kind === 'transient') {
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
  if (UNSTORABLE_TEXT.has((error as { code?: string }).code ?? '')) {
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
    return { status: 400, body: { error: 'invalid_request', message: `${field}: ${e.message}`, field } };
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
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body, retryAfter } = problem(error);
  if (status >= 500 && status !== 503) request.log.error({ err: error }, 'request failed');
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.status(status).send(body);
}
