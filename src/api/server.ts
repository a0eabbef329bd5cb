import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Context, Span } from '@opentelemetry/api';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { allows, type Principal, type Role } from '../domain/access.ts';
import { ForbiddenError } from '../domain/errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { endSpan, startServerSpan, tracingEnabled } from '../observability/tracing.ts';
import type { AccessRepository } from '../storage/ports/access.ts';
import type { FailureJudge } from '../storage/ports/failures.ts';
import type { Authenticator } from './auth.ts';
import {
  documentCommonErrors,
  errorBodySchema,
  methodTable,
  requestValidators,
  responseChecker,
} from './contract.ts';
import { errorHandlerFor } from './errors.ts';
import { decodeContentEncoding, refuseNulText } from './request-guards.ts';

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface ServerOptions {
  bodyLimitBytes: number;
  /** fastify's trustProxy: which proxies' X-Forwarded-For names the client (request.ip); false: none. */
  trustProxy?: boolean | string[] | ((address: string, hop: number) => boolean);
  /** Check every answer against its documented response schema; a mismatch becomes a 500 (http.checkResponses). */
  checkResponses?: boolean;
  auth: Authenticator;
  /** Where the audit log of writes is kept. */
  audit: Pick<AccessRepository, 'recordAudit'>;
  /** Judges the storage errors a route lets through (an outage is a 503). */
  store: FailureJudge;
  metrics: Metrics;
  log: Logger;
  readiness: () => Promise<ReadinessReport>;
  routes: FastifyPluginAsync[];
  version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: 401 without valid credentials, 403 when the role may not use the route. */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The request's server span and its context, when traces are recorded. */
    otel: { span: Span; ctx: Context } | null;
  }
  interface FastifyContextConfig {
    /** The role a route needs; by default viewer to read, admin to write; any: every valid credential. */
    role?: Role | 'any';
    /** false for writes too frequent to audit one by one (ingestion, which metrics count). */
    audit?: boolean;
    /** true: the route checks its body item by item itself, so that good items of a batch are kept. */
    checksItems?: boolean;
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The role a route needs: its own declaration, else viewer to read and admin to write. */
export function neededRole(request: FastifyRequest): Role | 'any' {
  return request.routeOptions.config?.role ?? (READS.has(request.method) ? 'viewer' : 'admin');
}

/** The HTTP server shared by the ingest and api targets: errors, auth, metrics, health, OpenAPI. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.log.child({ component: 'http' }) as FastifyBaseLogger,
    // Request metrics replace per-request log lines, which would dominate the logs at ingest rates.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    // Path parameters are ids of up to 128 characters (schemas.ts ID_PATTERN): longer ones must reach the
    // schema, which names the field, rather than the router's 414 (its default limit is 100).
    routerOptions: { maxParamLength: 1024 },
    forceCloseConnections: 'idle',
  });
  // Query strings, paths and headers are text: their numbers and booleans are read from it (coerced). A JSON
  // body is taken as it is typed: `false` is no id and `null` no count. A field the schema does not know is
  // refused (400 naming it), not silently dropped.
  const validators = requestValidators();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? validators.body : validators.text).compile(schema),
  );
  app.setErrorHandler(errorHandlerFor(options.store));
  // Bodies are JSON (NDJSON on ingest): text/plain is refused with 415, not parsed and then refused as a shape.
  app.removeContentTypeParser('text/plain');
  // Responses are written as they are: the document's response schemas describe them and the contract suite
  // checks them, where a schema-driven serializer would silently coerce or drop what does not match.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addSchema(errorBodySchema);
  app.addHook('onRoute', documentCommonErrors);
  const methods = methodTable();
  app.addHook('onRoute', methods.track);
  // Unmatched requests are answered before their body is parsed: a method with a body (QUERY) and no
  // content type gets its 405 or 404, not a content-type refusal.
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return notFound(request, reply);
  });
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    const allowed = methods.allowed(path);
    if (allowed.length > 0) {
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send({
          error: 'method_not_allowed',
          message: `${path} answers ${allowed.join(', ')}, not ${request.method}`,
        });
    }
    return reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${path}` });
  };
  app.setNotFoundHandler(notFound);

  // Compressed bodies are decoded before the body limit counts them; text PostgreSQL cannot store is refused.
  app.addHook('preParsing', decodeContentEncoding);
  app.addHook('preValidation', refuseNulText);

  app.decorateRequest('principal', null);
  app.decorateRequest('otel', null);
  // First hook: the server span covers authentication too; log lines of the request carry its ids.
  app.addHook('onRequest', async (request) => {
    if (!tracingEnabled()) return;
    request.otel = startServerSpan(request.method, request.routeOptions.url ?? 'unmatched', request.headers);
    const { traceId, spanId } = request.otel.span.spanContext();
    request.log = request.log.child({ trace_id: traceId, span_id: spanId });
  });
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const principal = await options.auth.authenticate(request.headers.authorization, request.ip);
    request.principal = principal;
    const needed = neededRole(request);
    if (needed !== 'any' && !allows(principal, needed)) {
      throw new ForbiddenError(
        `role ${principal.role} may not ${request.method} ${request.routeOptions.url}; it needs ${needed}`,
      );
    }
  });

  if (options.checkResponses) app.addHook('onSend', responseChecker());

  // Every authenticated write attempt, refused or not, before its answer leaves: who, what, when, outcome.
  app.addHook('onSend', async (request, reply, payload) => {
    const { principal } = request;
    if (!principal || READS.has(request.method) || request.routeOptions.config?.audit === false)
      return payload;
    try {
      await options.audit.recordAudit({
        actor: principal.actor,
        role: principal.role,
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        path: request.url.split('?')[0].slice(0, 500),
        status: reply.statusCode,
        requestId: request.id,
      });
    } catch (err) {
      request.log.error({ err }, 'audit record failed');
      options.metrics.auditFailures.inc();
    }
    return payload;
  });

  // Only routes that ask for it (ingestion, per credential) are rate-limited; authentication has its own.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });

  const { httpRequestDuration } = options.metrics;
  app.addHook('onResponse', async (request, reply) => {
    if (request.otel) endSpan(request.otel.span, reply.statusCode);
    httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(swagger, {
    // Shared schemas keep their $id as their name under components.schemas.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MANTIS API',
        version: options.version,
        description:
          'Ingestion, assets, features, alerts and work orders of the MANTIS predictive-maintenance platform.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  app.get('/health/live', { schema: { hide: true } }, async () => ({ status: 'alive' }));
  app.get('/health/ready', { schema: { hide: true } }, async (_request, reply) => {
    const report = await options.readiness();
    return reply.status(report.status === 'ready' ? 200 : 503).send(report);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const { registry } = options.metrics;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of options.routes) await app.register(routes);
  return app;
}
