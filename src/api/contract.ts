import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/**
 * The error body every refusal and failure is answered with (see errors.ts), as the document publishes it:
 * `components.schemas.ErrorBody`.
 */
export const errorBodySchema = {
  $id: 'ErrorBody',
  type: 'object',
  additionalProperties: false,
  required: ['error', 'message'],
  properties: {
    error: {
      type: 'string',
      enum: [
        'invalid_request',
        'unauthorized',
        'forbidden',
        'not_found',
        'conflict',
        'precondition_failed',
        'payload_too_large',
        'unsupported_media_type',
        'method_not_allowed',
        'rule_violated',
        'too_many_requests',
        'internal',
        'unavailable',
      ],
      description: 'a stable code for programs',
    },
    message: { type: 'string', description: 'for people: what was refused and why, naming the field' },
    field: {
      type: 'string',
      description: 'the refused field, located in the request: `body.0.ts`, `querystring.from`, `params.id`',
    },
    dependency: {
      type: 'string',
      description: 'for 503: the dependency that cannot answer now (`database`, `bus`, `rawStore`, …)',
    },
  },
} as const;

/** What each error status means in this API, as every operation's document says it. */
const ERROR_STATUSES: Record<number, string> = {
  400: 'The request is invalid: `field` names what and `message` says why.',
  401: 'No valid credentials (`Authorization: Bearer <key>`); repeated failures from one address get 429.',
  403: "The credential's role or site may not use this operation.",
  404: 'No such resource.',
  409: 'The request conflicts with the resource as it stands.',
  412: 'If-Match names a version that is no longer current: read it again.',
  413: 'The body is larger than the configured limit.',
  415: 'The body has a content type or encoding this operation does not take.',
  422: 'Every field is valid on its own, but together they break a rule the operation states (`field` names where), or nothing in the batch could be accepted.',
  429: 'Too many requests, or too many failed authentications from this address: wait Retry-After seconds.',
  500: 'An unexpected server fault; the server logs it.',
  503: 'A dependency (`dependency`) cannot answer now: retry after Retry-After seconds.',
};

/** Statuses any documented operation can answer: validation, authentication, limiter, faults, outages. */
const COMMON = [400, 401, 403, 429, 500, 503];
/** Statuses any operation that takes a body can answer. */
const WITH_BODY = [413, 415];

const errorResponse = (status: number) => ({
  description: ERROR_STATUSES[status] ?? 'An error.',
  $ref: 'ErrorBody#',
});

/**
 * Response entries for an operation's own error statuses, e.g. `{ ...errorResponses(404, 409) }` inside
 * `schema.response`. Each is the shared ErrorBody with what the status means here.
 */
export function errorResponses(...statuses: number[]): Record<number, { description: string; $ref: string }> {
  return Object.fromEntries(statuses.map((s) => [s, errorResponse(s)]));
}

/** Text without U+0000, which PostgreSQL cannot store and every request is refused for (request-guards.ts). */
const NO_NUL = '^[^\\u0000]*$';
const NOT_SCHEMAS = new Set(['examples', 'example', 'default', 'enum', 'const', 'required', 'description']);

/**
 * States in a request schema what the server does for every text: a string schema without a pattern, an
 * enum, a const or a format gets the pattern refusing U+0000 (refuseNulText answers 400 naming the field).
 */
function stateNoNul(schema: unknown): void {
  if (Array.isArray(schema)) {
    for (const s of schema) stateNoNul(s);
    return;
  }
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  const isString = s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'));
  if (isString && !('pattern' in s || 'enum' in s || 'const' in s || 'format' in s || 'anyOf' in s)) {
    s.pattern = NO_NUL;
  }
  for (const [key, value] of Object.entries(s)) if (!NOT_SCHEMAS.has(key)) stateNoNul(value);
}

/**
 * onRoute hook: adds the common error statuses (and 413/415 where a body is taken) to every documented
 * operation's responses, so that the document lists every status the server can answer.
 */
export function documentCommonErrors(route: RouteOptions): void {
  const schema = route.schema as (Record<string, unknown> & { hide?: boolean }) | undefined;
  if (!schema || schema.hide) return;
  // The role the bearer key needs, as the server's authenticate hook decides it (server.ts neededRole).
  const methods = [route.method].flat();
  const role =
    (route.config as { role?: string } | undefined)?.role ??
    (methods.every((m) => ['GET', 'HEAD', 'OPTIONS'].includes(m)) ? 'viewer' : 'admin');
  const needs =
    role === 'any'
      ? 'Any valid key.'
      : role === 'device'
        ? 'Needs a device token (or an admin key).'
        : `Needs a key with role ${role} or above (viewer < technician < admin).`;
  const described = typeof schema.description === 'string' ? schema.description : '';
  // A GET's HEAD route comes with the same schema: say it once.
  if (!described.endsWith(needs)) schema.description = described ? `${described}\n\n${needs}` : needs;
  for (const part of ['body', 'querystring', 'params', 'headers']) stateNoNul(schema[part]);
  const statuses = schema.body ? [...COMMON, ...WITH_BODY] : COMMON;
  schema.response = { ...errorResponses(...statuses), ...(schema.response as object | undefined) };
}

type ResponseSchemas = Record<string, object>;

/**
 * An onSend hook that checks every JSON answer against the schema its operation documents for that status,
 * and turns one that does not match — or a status the operation does not document — into a 500 naming
 * the mismatch (http.checkResponses). Undocumented routes (health, metrics, the console) are not checked.
 * Validators are compiled once per route and status.
 */
export function responseChecker(): (
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
) => Promise<unknown> {
  const ajv = new Ajv({ strict: false, allErrors: false, allowUnionTypes: true });
  // ajv-formats is CommonJS: under Node's ESM its default export is the function its types call `default`.
  (formats as unknown as (ajv: Ajv) => Ajv)(ajv);
  ajv.addSchema(errorBodySchema);
  const compiled = new WeakMap<object, ValidateFunction>();
  return async (request, reply, payload) => {
    const schema = request.routeOptions.schema as { hide?: boolean; response?: ResponseSchemas } | undefined;
    if (!schema?.response || schema.hide || reply.statusCode === 304) return payload;
    const route = `${request.method} ${request.routeOptions.url}`;
    const documented = schema.response[String(reply.statusCode)];
    if (!documented)
      throw new ContractError(`${route} answered ${reply.statusCode}, which it does not document`);
    const type = String(reply.getHeader('content-type') ?? '');
    if (typeof payload !== 'string' || !type.startsWith('application/json')) return payload;
    let validate = compiled.get(documented);
    if (!validate) {
      validate = ajv.compile(documented);
      compiled.set(documented, validate);
    }
    if (!validate(JSON.parse(payload))) {
      const [e] = validate.errors ?? [];
      throw new ContractError(
        `${route} ${reply.statusCode}: the body does not match its schema at ${e?.instancePath || '/'}: ${e?.message} ${JSON.stringify(e?.params)}`,
      );
    }
    return payload;
  };
}

/** An answer that does not match the document: a server fault, logged with what differs. */
export class ContractError extends Error {}

/**
 * The methods each route path answers, for 405 Method Not Allowed with an Allow header (RFC 9110 §15.5.6)
 * when a known path is asked with another method. `track` is an onRoute hook; `allowed` matches a request
 * path against the route patterns (`/v1/assets/:id`).
 */
export function methodTable(): {
  track: (route: RouteOptions) => void;
  allowed: (path: string) => string[];
} {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  const byUrl = new Map<string, { pattern: RegExp; methods: string[] }>();
  return {
    track(route) {
      if (route.url.includes('*')) return;
      let entry = byUrl.get(route.url);
      if (!entry) {
        const pattern = new RegExp(
          `^${route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]\w*/g, '[^/]+')}/?$`,
        );
        entry = { pattern, methods: [] };
        byUrl.set(route.url, entry);
        routes.push(entry);
      }
      entry.methods.push(...[route.method].flat());
    },
    allowed(path) {
      const methods = new Set<string>();
      for (const r of routes) if (r.pattern.test(path)) for (const m of r.methods) methods.add(m);
      return [...methods].sort();
    },
  };
}

/**
 * The request validators: `text` for query strings, path parameters and headers, whose numbers and booleans
 * are read from text (ajv's type coercion, as fastify's default); `body` for JSON bodies, taken as typed.
 * Both fill defaults, keep unknown fields (so that additionalProperties: false refuses them) and take a
 * timestamp as a string or a number (union types).
 */
export function requestValidators(): { body: Ajv; text: Ajv } {
  const make = (coerceTypes: false | 'array') => {
    const ajv = new Ajv({
      coerceTypes,
      useDefaults: true,
      removeAdditional: false,
      allowUnionTypes: true,
      allErrors: false,
      strict: false,
    });
    (formats as unknown as (ajv: Ajv) => Ajv)(ajv);
    return ajv;
  };
  return { body: make(false), text: make('array') };
}
