import type { Failure, FailureKind } from '../../lib/retry.ts';
import type { StoreFailure } from '../ports/failures.ts';
import { isMissingPartition } from './partitions.ts';

/**
 * What a failed database operation says about the data: nothing (the server is unreachable, restarting or
 * busy: `transient`), nothing either but an operator must act (schema, permissions: `store`), or that this
 * data is refused (`record`). Works for node-postgres, PGlite (both report the server's SQLSTATE as `code`)
 * and Node's network errors. SQLSTATE classes from PostgreSQL's documentation, Appendix A "PostgreSQL Error
 * Codes".
 */

/** SQLSTATE classes (first two characters) whose errors say nothing about the data. */
const TRANSIENT_CLASSES: Record<string, string> = {
  '08': 'connection exception',
  '53': 'insufficient resources (disk full, out of memory, too many connections)',
  '57': 'operator intervention (shutdown, restart, statement timeout)',
  '58': 'system error (I/O)',
};

/** Single SQLSTATEs, outside those classes, that retrying cures. */
const TRANSIENT_CODES: Record<string, string> = {
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  '40003': 'statement completion unknown',
  '55P03': 'lock not available (lock timeout)',
  '55006': 'object in use',
  '25006': 'read-only transaction (a standby not yet promoted)',
  '25P03': 'idle in transaction session timeout',
};

/**
 * SQLSTATE classes whose errors hold for every write until an operator acts: no record is at fault, so
 * none is dead-lettered.
 */
const STORE_CLASSES: Record<string, string> = {
  '0A': 'feature not supported',
  '28': 'invalid authorization',
  '3D': 'invalid catalog name (database missing)',
  '3F': 'invalid schema name',
  '42': 'syntax error or access rule violation (schema, permissions)',
  '44': 'with check option violation',
  F0: 'configuration file error',
  XX: 'internal error (corruption)',
};
/** 57P04 (database dropped) belongs to class 57 but needs an operator. */
const STORE_CODES = new Set(['57P04']);

/** Node's socket and DNS errors: the server could not be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOTCONN',
]);

/** Messages of node-postgres, pg-pool, this project's adapters and PGlite that carry no code. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /connection lost/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /PGlite is closed/i,
  /socket (hang up|closed)/i,
];

/** Bounded label values for metrics: the SQLSTATE class of a refused record, else `other`. */
const RECORD_REASONS: Record<string, string> = {
  '22': 'data_exception',
  '23': 'integrity_constraint_violation',
  '54': 'program_limit_exceeded',
};

function sqlstateOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** The error's own code, or that of its cause (a wrapped driver error). */
function codeOf(err: unknown): string | null {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Classifies a database or network error. Unknown errors (no SQLSTATE, no network code, no known message)
 * are `record`: they are tried a bounded number of times, then the records are isolated, so that one
 * record a defect cannot handle does not stop every sensor.
 */
export function classifyStorageError(err: unknown): Failure {
  const message = messageOf(err);
  const code = codeOf(err);
  // Before SQLSTATEs: EPIPE has their shape.
  if (code && NETWORK_CODES.has(code)) return { kind: 'transient', code, message };
  const sqlstate = sqlstateOf(err);
  let kind: FailureKind = 'record';
  if (sqlstate) {
    const cls = sqlstate.slice(0, 2);
    if (STORE_CODES.has(sqlstate) || STORE_CLASSES[cls]) kind = 'store';
    else if (TRANSIENT_CLASSES[cls] || TRANSIENT_CODES[sqlstate]) kind = 'transient';
    return { kind, code: sqlstate, message };
  }
  if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) kind = 'transient';
  return { kind, code, message };
}

/** A bounded label for a refused record: its SQLSTATE class name, or `other`. */
export function recordReason(failure: Failure): string {
  return (failure.code && RECORD_REASONS[failure.code.slice(0, 2)]) || 'other';
}

/** The parts of a database error worth keeping in a dead letter: never the query's parameters. */
export function errorDetails(err: unknown): Record<string, string> {
  const e = (err ?? {}) as Record<string, unknown>;
  const details: Record<string, string> = { message: messageOf(err) };
  for (const key of ['code', 'detail', 'constraint', 'table', 'column', 'dataType']) {
    if (typeof e[key] === 'string' && e[key]) details[key] = e[key] as string;
  }
  return details;
}

/**
 * The database's judgement of one of its errors, for writers (see FailureJudge). A row for a day whose
 * partition another process's retention dropped is transient: the retry makes the partition again.
 */
export function classifyDatabaseError(err: unknown): StoreFailure {
  const failure: Failure = isMissingPartition(err)
    ? { kind: 'transient', code: '23514', message: (err as Error).message }
    : classifyStorageError(err);
  return { ...failure, reason: recordReason(failure), details: errorDetails(err) };
}
