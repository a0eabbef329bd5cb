/**
 * Errors of the domain and its stores. Only the API layer turns them into HTTP (src/api/errors.ts), and
 * only the CLI into exit codes: nothing here names a status code or a part of a request.
 */

/**
 * Input the domain refuses. `field` is a domain path with dot-separated segments: a property (`lineId`), a
 * nested one (`sensors.0.id`) or an item of a list (`0.assetId`). The API layer names the parts of a request
 * itself (`body.…`, `querystring.…`, `params.…`, `headers.…`): those first segments are reserved for it and
 * are passed through as they are. The message is `<field>: <reason>`.
 */
export class ValidationError extends Error {
  readonly field: string;
  readonly reason: string;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}

export class NotFoundError extends Error {}

/**
 * A field of the request names a resource that does not exist (a line's site, an asset's new line, a machine
 * model's speed sensor, a listing snapshot): the API answers 404 naming the field, as ValidationError does
 * with 400. A ValidationError still, for callers that report refused input whatever its cause (imports).
 */
export class MissingReferenceError extends ValidationError {}

/**
 * Input whose every field is valid on its own but that breaks a rule tying fields together (from before to,
 * good at most produced, minHz below maxHz, validMin below validMax) or a limit on their combination (a
 * range's span): the API answers 422 naming the field, where a field invalid on its own gets 400.
 */
export class RuleViolationError extends ValidationError {}

/** The request is valid but the resource's state does not allow it (409). */
export class ConflictError extends Error {}

/** If-Match named another version than the stored one (412). */
export class PreconditionFailedError extends Error {}

export class UnauthorizedError extends Error {
  constructor() {
    // Never say which part was wrong.
    super('missing or invalid credentials');
  }
}

/** Authenticated, but the role does not allow this (403). */
export class ForbiddenError extends Error {}

/** A refusal the client may retry after some seconds (Retry-After). */
export abstract class RetryLaterError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Too many requests or failed authentications from one client (429). */
export class TooManyRequestsError extends RetryLaterError {}

export class PayloadTooLargeError extends Error {}

export class UnavailableError extends RetryLaterError {}
