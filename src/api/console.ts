import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

const webRoot = fileURLToPath(new URL('../../web/', import.meta.url));
// Wherever the package manager put it.
const uplotRoot = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.esm.js'));
// openapi-fetch's ES module has no imports, so the browser loads it as it is (web/api.js).
const openapiFetchRoot = dirname(createRequire(import.meta.url).resolve('openapi-fetch/dist/index.mjs'));

// The console is static and public (it holds no data): everything it shows comes from the API with a key.
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The web console at /console/, with uPlot and openapi-fetch from their packages. */
export function consoleRoutes(): FastifyPluginAsync {
  return async (app) => {
    const setHeaders = (reply: FastifyReply) => {
      reply.headers(securityHeaders);
    };
    await app.register(fastifyStatic, { root: webRoot, prefix: '/console/', setHeaders });
    await app.register(fastifyStatic, {
      root: uplotRoot,
      prefix: '/console/vendor/',
      decorateReply: false,
      allowedPath: (path) => path === '/uPlot.esm.js' || path === '/uPlot.min.css',
      setHeaders,
    });
    await app.register(fastifyStatic, {
      root: openapiFetchRoot,
      prefix: '/console/vendor/openapi-fetch/',
      decorateReply: false,
      allowedPath: (path) => path === '/index.mjs',
      setHeaders,
    });
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/'));
  };
}
