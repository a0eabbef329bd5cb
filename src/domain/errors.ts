/** Errors the API layer maps to HTTP in one handler. Messages name the problem for the caller. */

export class ValidationError extends Error {
  readonly field: string;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.field = field;
  }
}

export class NotFoundError extends Error {}

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
