import { UnavailableError } from '../../domain/errors.ts';
import type { Failure, FailureKind } from '../../lib/retry.ts';

/**
 * A write InfluxDB did not take, with what retrying can do about it (`failure`, read by the processor's
 * classifier): `transient` (unreachable, 5xx, 429, or the bounded buffer full: the same points later),
 * `store` (401/403/404: credentials, a missing database or bucket; an operator must act), `record` (400:
 * InfluxDB refuses these points; the others of the request are stored).
 */
export class InfluxWriteError extends Error {
  readonly failure: Failure;
  /** The HTTP status, or null when no answer came. */
  readonly status: number | null;
  constructor(kind: FailureKind, code: string, message: string, status: number | null, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.failure = { kind, code, message };
    this.status = status;
  }
}

/** What a non-2xx answer of /write or /api/v2/write means, from its status and error text. */
export function failureOfStatus(status: number, text: string): { kind: FailureKind; code: string } {
  if (status === 429 || status >= 500) return { kind: 'transient', code: `HTTP_${status}` };
  if (status === 401 || status === 403 || status === 404) return { kind: 'store', code: `HTTP_${status}` };
  if (/partial write/i.test(text)) return { kind: 'record', code: 'PARTIAL_WRITE' };
  return { kind: 'record', code: `HTTP_${status}` };
}

/** The `dropped=N` of a partial write's error text (1.x and 2.x both say it), else null. */
export function droppedOf(text: string): number | null {
  const match = /dropped=(\d+)/.exec(text);
  return match ? Number(match[1]) : null;
}

/**
 * The raw store cannot answer now: InfluxDB unreachable, failing (5xx, 429), refusing the credentials
 * (401/403), or missing the database, retention policy or bucket. `dependency` names it for the API's 503.
 */
export class RawStoreUnavailableError extends UnavailableError {
  readonly dependency = 'rawStore';
}
