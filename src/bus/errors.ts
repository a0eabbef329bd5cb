import type { Failure } from '../lib/retry.ts';
import { BusFullError, BusUnavailableError } from './port.ts';

/**
 * What a failed bus send says about the messages. Kafka's error ids are those of the protocol
 * (kafka.apache.org/protocol#protocol_error_codes), as @platformatic/kafka reports them in `apiId`.
 */

/** The broker refuses these messages themselves: sending them again cannot succeed. */
const RECORD_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TIMESTAMP',
  'CORRUPT_MESSAGE',
]);

/** The broker refuses every send until an operator acts (ACLs, credentials, topic, settings). */
const STORE_ERRORS = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_REQUIRED_ACKS',
  'POLICY_VIOLATION',
  'UNSUPPORTED_COMPRESSION_TYPE',
  'UNSUPPORTED_VERSION',
]);

/** Every error inside a client error: its causes and, for aggregate errors, each of their errors. */
function* nested(err: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (!err || typeof err !== 'object' || depth > 8) return;
  yield err as Record<string, unknown>;
  const { cause, errors } = err as { cause?: unknown; errors?: unknown };
  yield* nested(cause, depth + 1);
  if (Array.isArray(errors)) for (const e of errors) yield* nested(e, depth + 1);
}

/**
 * Classifies an error of `Bus.send`; null when it is not a bus error. A full bus and a broker that cannot
 * be reached are transient; a broker refusing the messages (too large, invalid) is `record`; refusing
 * every send (authorisation, an unknown topic name, client settings) is `store`.
 */
export function classifyBusError(err: unknown): Failure | null {
  if (err instanceof BusFullError) return { kind: 'transient', code: 'BUS_FULL', message: err.message };
  if (!(err instanceof BusUnavailableError)) return null;
  for (const e of nested(err.cause)) {
    const id = typeof e.apiId === 'string' ? e.apiId : null;
    if (id && RECORD_ERRORS.has(id)) return { kind: 'record', code: id, message: err.message };
    if (id && STORE_ERRORS.has(id)) return { kind: 'store', code: id, message: err.message };
    // The client's own refusals: an argument it cannot send, credentials it cannot use.
    if (e.code === 'PLT_KFK_USER') return { kind: 'record', code: 'PLT_KFK_USER', message: err.message };
    if (e.code === 'PLT_KFK_AUTHENTICATION') {
      return { kind: 'store', code: 'PLT_KFK_AUTHENTICATION', message: err.message };
    }
  }
  return { kind: err.closed ? 'store' : 'transient', code: null, message: err.message };
}
