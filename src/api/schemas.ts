/**
 * JSON Schema pieces shared by the routes: one source for the server's validation (ajv), the handlers' types
 * (json-schema-to-ts through the type provider) and the OpenAPI document. Each states exactly what the server
 * takes, so that a client or a property-based tester tells valid from invalid without calling.
 */
import { timestampParamSchema } from '../domain/timestamps.ts';

/** Ids of sites, lines, assets, sensors, alerts, work orders and keys. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';
export const id = { type: 'string', pattern: ID_PATTERN } as const;

/** `{ id }` path parameters. */
export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id },
} as const;

/** A page size: 1 to `max`, `fallback` when absent. */
export const limit = <M extends number, F extends number>(max: M, fallback: F) =>
  ({ type: 'integer', minimum: 1, maximum: max, default: fallback }) as const;

/** A time query parameter (from, to, at): ISO 8601 with a zone or epoch milliseconds, 2000–2099. */
export const time = timestampParamSchema;

/**
 * A keyset cursor of a newest-first list (alerts, work orders): `<microseconds>.<id>` of the last item of
 * the previous page, as its `next` gives it. Any value of this form is a valid position.
 */
export const keysetCursor = {
  type: 'string',
  pattern: '^\\d{1,18}\\.[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$',
  description: 'the `next` of the previous page',
} as const;

/** An ETag of this API in If-Match: `"3"` (or weak `W/"3"`) names version 3. */
export const IF_MATCH_PATTERN = '^\\s*(?:W/)?"\\d{1,9}"\\s*$';
/** The If-Match request header: any value is taken (RFC 9110 §13.1.1); one that names no current version gets 412. */
export const ifMatchHeader = {
  type: 'object',
  properties: {
    'if-match': {
      type: 'string',
      description:
        'the ETag of the version read (`"3"`, or `*` for any): the write applies only if it is still current; ' +
        'any other value names no version, and the write gets 412',
    },
  },
} as const;

/** Epoch milliseconds in a response. */
export const epochMs = (description: string) => ({ type: 'integer', description }) as const;
/** An ISO 8601 instant in a response. */
export const isoTime = (description: string) =>
  ({ type: 'string', format: 'date-time', description }) as const;
/** A string or null in a response. */
export const nullableString = (description: string) => ({ type: ['string', 'null'], description }) as const;
/** A number or null in a response. */
export const nullableNumber = (description: string) => ({ type: ['number', 'null'], description }) as const;

/** A page of a list: its items and the cursor of the next page (null on the last). */
export const pageOf = <T extends object>(items: T) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['items', 'next'],
    properties: {
      items: { type: 'array', items },
      next: { type: ['string', 'null'], description: 'cursor of the next page; null on the last' },
    },
  }) as const;
