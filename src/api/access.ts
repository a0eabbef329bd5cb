import type { FastifyPluginAsync } from 'fastify';
import { type Role, roles } from '../domain/access.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { AccessRepository } from '../storage/ports/access.ts';
import { actorOf, id, limit, secured } from './routes.ts';

const adminOnly = { config: { role: 'admin' as const } };

/** API keys (admin only) and the audit log of writes. */
export function accessRoutes(
  access: AccessRepository,
  onRevoked: (keyId: string) => void,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);

    app.get(
      '/v1/me',
      {
        config: { role: 'any' as const },
        schema: { summary: 'Who the credentials belong to, and their role', tags: ['access'], ...secured },
      },
      async (request) => {
        const { actor, role, siteId } = request.principal ?? {};
        return { actor, role, siteId };
      },
    );

    app.post<{ Body: { name: string; role: Role; site?: string } }>(
      '/v1/keys',
      {
        // The body names the key's site `site`; the domain names it `siteId`.
        config: { ...adminOnly.config, errorFields: { siteId: 'body.site' } },
        schema: {
          summary: 'Create an API key or a site-scoped device token; its secret is shown this once',
          tags: ['access'],
          ...secured,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'role'],
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 100 },
              role: { type: 'string', enum: [...roles] },
              site: id,
            },
          },
        },
      },
      async (request, reply) => {
        const { name, role, site } = request.body;
        const created = await access.createKey({ name, role, siteId: site, createdBy: actorOf(request) });
        return reply.status(201).header('location', `/v1/keys/${created.key.id}`).send(created);
      },
    );

    app.get<{ Querystring: { revoked: boolean } }>(
      '/v1/keys',
      {
        ...adminOnly,
        schema: {
          summary: 'API keys, without their secrets',
          tags: ['access'],
          ...secured,
          querystring: { type: 'object', properties: { revoked: { type: 'boolean', default: false } } },
        },
      },
      async (request) => ({ items: await access.listKeys(request.query.revoked) }),
    );

    app.delete<{ Params: { id: string } }>(
      '/v1/keys/:id',
      {
        ...adminOnly,
        schema: {
          summary: 'Revoke an API key',
          tags: ['access'],
          ...secured,
          params: { type: 'object', properties: { id } },
        },
      },
      async (request, reply) => {
        if (!(await access.revokeKey(request.params.id, actorOf(request)))) {
          throw new NotFoundError(`no active key ${request.params.id}`);
        }
        onRevoked(request.params.id);
        return reply.status(204).send();
      },
    );

    app.get<{ Querystring: { actor?: string; limit: number; cursor?: string } }>(
      '/v1/audit',
      {
        ...adminOnly,
        schema: {
          summary: 'The audit log: every authenticated write, newest first (pass `next` back as `cursor`)',
          tags: ['access'],
          ...secured,
          querystring: {
            type: 'object',
            properties: {
              actor: { type: 'string', maxLength: 200 },
              limit: limit(1000, 100),
              cursor: { type: 'string', maxLength: 20 },
            },
          },
        },
      },
      async (request) => {
        const { cursor } = request.query;
        if (cursor !== undefined && !/^\d{1,19}$/.test(cursor)) {
          throw new ValidationError('querystring.cursor', 'is not a cursor from this API');
        }
        return access.listAudit({ actor: request.query.actor, limit: request.query.limit, before: cursor });
      },
    );
  };
}
