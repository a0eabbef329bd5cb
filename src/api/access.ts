import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import { roles } from '../domain/access.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { AccessRepository } from '../storage/ports/access.ts';
import { errorResponses } from './contract.ts';
import { actorOf, id, limit, secured } from './routes.ts';
import { idParams, isoTime, pageOf } from './schemas.ts';

const adminOnly = { config: { role: 'admin' as const } };

/** Free text as PostgreSQL stores it: any characters but U+0000, which the request guard refuses. */
const text = (maxLength: number, description: string, minLength = 1) =>
  ({ type: 'string', minLength, maxLength, pattern: '^[^\\u0000]*$', description }) as const;

const role = {
  type: 'string',
  enum: roles,
  description:
    'viewer reads; technician also records downtime and production and works orders; admin does everything; device only ingests readings of its site',
} as const;

/** An API key as listed (ApiKeyView): never its secret. */
const keySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'role', 'siteId', 'createdAt', 'createdBy', 'lastUsedAt', 'revokedAt'],
  properties: {
    id: {
      type: 'string',
      pattern: '^[0-9a-f]{12}$',
      description: 'the key id: 12 hex digits, also in its token',
    },
    name: {
      type: 'string',
      description: "the holder's name, recorded with the key id as the actor of its writes",
    },
    role,
    siteId: {
      type: ['string', 'null'],
      description: 'the site a device token ingests for; null for other roles',
    },
    createdAt: isoTime('when it was created, ISO 8601 in UTC'),
    createdBy: { type: 'string', description: 'who created it' },
    lastUsedAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description:
        'when it last authenticated a request, ISO 8601 in UTC (recorded at most once per cache period); null if never',
    },
    revokedAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'when it was revoked, ISO 8601 in UTC; null while it is valid',
    },
  },
} as const;

const keyExample = {
  id: '3f9a1c0b7d2e',
  name: 'gateway north',
  role: 'device',
  siteId: 'north',
  createdAt: '2026-01-31T12:00:00.000Z',
  createdBy: 'api-token',
  lastUsedAt: null,
  revokedAt: null,
} as const;

const auditSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'at', 'actor', 'role', 'method', 'route', 'path', 'status', 'requestId'],
  properties: {
    id: { type: 'string', pattern: '^\\d+$', description: 'the entry id, increasing: decimal digits' },
    at: isoTime('when the answer was sent, ISO 8601 in UTC'),
    actor: { type: 'string', description: 'who: the key holder and key id, or the configured token' },
    role,
    method: { type: 'string', description: 'the HTTP method' },
    route: { type: 'string', description: 'the route template, e.g. `/v1/alerts/:id/acknowledge`' },
    path: { type: 'string', description: 'the path requested (at most 500 characters), without the query' },
    status: { type: 'integer', minimum: 100, maximum: 599, description: 'the HTTP status answered' },
    requestId: { type: 'string', description: "the request's id, as the server logs it" },
  },
} as const;

/** API keys (admin only) and the audit log of writes. */
export function accessRoutes(
  access: AccessRepository,
  onRevoked: (keyId: string) => void,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const r = app.withTypeProvider<JsonSchemaToTsProvider>();

    r.get(
      '/v1/me',
      {
        config: { role: 'any' as const },
        schema: {
          summary: 'Who the credentials belong to, and their role',
          description: 'Every valid credential may ask, device tokens too.',
          tags: ['access'],
          ...secured,
          querystring: { type: 'object', additionalProperties: false, properties: {} },
          response: {
            200: {
              description: 'The principal the credentials act as.',
              type: 'object',
              additionalProperties: false,
              required: ['actor', 'role', 'siteId'],
              properties: {
                actor: {
                  type: 'string',
                  description:
                    'who its writes are recorded as: `<key name> (<key id>)`, or `api-token` for the configured token',
                },
                role,
                siteId: {
                  type: ['string', 'null'],
                  description: 'the site of a device token; null otherwise',
                },
              },
              examples: [{ actor: 'line lead (3f9a1c0b7d2e)', role: 'technician', siteId: null }],
            },
          },
        },
      },
      async (request) => {
        if (!request.principal) throw new Error('route reached without authentication');
        const { actor, role, siteId } = request.principal;
        return { actor, role, siteId };
      },
    );

    r.post(
      '/v1/keys',
      {
        // The body names the key's site `site`; the domain names it `siteId`.
        config: { ...adminOnly.config, errorFields: { siteId: 'body.site' } },
        schema: {
          summary: 'Create an API key or a site-scoped device token; its secret is shown this once',
          description:
            'A device token needs `site` and every other role refuses it: `role` device without `site`, or ' +
            'another role with `site`, is a 422 naming body.site. A `site` that does not exist is a 404 naming body.site.',
          tags: ['access'],
          ...secured,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'role'],
            properties: {
              name: text(100, "the holder's name"),
              role,
              site: { ...id, description: 'device tokens only: the site whose sensors it may ingest for' },
            },
            examples: [
              { name: 'line lead', role: 'technician' },
              { name: 'gateway north', role: 'device', site: 'north' },
            ],
          },
          response: {
            201: {
              description:
                'Created; Location is the key. The token is shown this once: only a digest is kept.',
              headers: { location: { type: 'string', description: '/v1/keys/{id}' } },
              type: 'object',
              additionalProperties: false,
              required: ['key', 'token'],
              properties: {
                key: keySchema,
                token: {
                  type: 'string',
                  pattern: '^mnt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$',
                  description:
                    'the credential, `Authorization: Bearer <token>`: its key id and a 256-bit secret',
                },
              },
              examples: [{ key: keyExample, token: `mnt_3f9a1c0b7d2e_${'A'.repeat(43)}` }],
            },
            ...errorResponses(404, 422),
          },
        },
      },
      async (request, reply) => {
        const { name, role, site } = request.body;
        const created = await access.createKey({ name, role, siteId: site, createdBy: actorOf(request) });
        return reply.status(201).header('location', `/v1/keys/${created.key.id}`).send(created);
      },
    );

    r.get(
      '/v1/keys',
      {
        ...adminOnly,
        schema: {
          summary: 'API keys, without their secrets',
          tags: ['access'],
          ...secured,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              revoked: {
                type: 'boolean',
                default: false,
                description: '`true`: revoked keys too; `false` (the default): valid keys only',
              },
            },
          },
          response: {
            200: {
              description: 'The keys, oldest first.',
              type: 'object',
              additionalProperties: false,
              required: ['items'],
              properties: { items: { type: 'array', items: keySchema } },
              examples: [{ items: [keyExample] }],
            },
          },
        },
      },
      async (request) => ({ items: await access.listKeys(request.query.revoked) }),
    );

    r.delete(
      '/v1/keys/:id',
      {
        ...adminOnly,
        schema: {
          summary: 'Revoke an API key',
          description: 'Every process refuses it within auth.keyCacheSeconds (at once in this one).',
          tags: ['access'],
          ...secured,
          params: idParams,
          response: {
            204: { description: 'Revoked.', type: 'null' },
            ...errorResponses(404),
          },
        },
      },
      async (request, reply) => {
        if (!(await access.revokeKey(request.params.id, actorOf(request)))) {
          throw new NotFoundError(
            `no valid key ${request.params.id}: it does not exist or is revoked already`,
          );
        }
        onRevoked(request.params.id);
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/v1/audit',
      {
        ...adminOnly,
        schema: {
          summary: 'The audit log: every authenticated write, newest first (pass `next` back as `cursor`)',
          tags: ['access'],
          ...secured,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              actor: text(200, 'only the writes of this actor, exactly as entries name it', 0),
              limit: limit(1000, 100),
              cursor: {
                type: 'string',
                pattern: '^\\d{1,18}$',
                description: 'the `next` of the previous page: entries older than it',
              },
            },
          },
          response: {
            200: {
              ...pageOf(auditSchema),
              description: 'A page of entries, newest first.',
              examples: [
                {
                  items: [
                    {
                      id: '42',
                      at: '2026-01-31T12:00:00.000Z',
                      actor: 'line lead (3f9a1c0b7d2e)',
                      role: 'technician',
                      method: 'POST',
                      route: '/v1/downtime',
                      path: '/v1/downtime',
                      status: 201,
                      requestId: 'req-1',
                    },
                  ],
                  next: '42',
                },
              ],
            },
          },
        },
      },
      async (request) =>
        access.listAudit({
          actor: request.query.actor,
          limit: request.query.limit,
          before: request.query.cursor,
        }),
    );
  };
}
