import { createHash, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { UnauthorizedError } from '../domain/errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { errorHandler } from './errors.ts';

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface ServerOptions {
  bodyLimitBytes: number;
  token: string;
  metrics: Metrics;
  log: Logger;
  readiness: () => Promise<ReadinessReport>;
  routes: FastifyPluginAsync[];
  version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler that refuses requests without the bearer token. */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The HTTP server shared by the ingest and api targets: errors, auth, metrics, health, OpenAPI. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.log.child({ component: 'http' }) as FastifyBaseLogger,
    // Request metrics replace per-request log lines, which would dominate the logs at ingest rates.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A field the schema does not know is refused (400 naming it), not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );

  // Compare digests so that the comparison takes the same time whatever the length of the guess.
  const expected = digest(options.token);
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!timingSafeEqual(digest(token), expected)) throw new UnauthorizedError();
  });

  const { httpRequestDuration } = options.metrics;
  app.addHook('onResponse', async (request, reply) => {
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
