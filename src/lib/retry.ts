/**
 * One retry policy for every I/O operation: exponential backoff with jitter, without limit for failures that
 * waiting can cure, a bounded number of attempts for the others.
 */

/**
 * What retrying can do about a failure:
 * - `transient`: the store is unreachable, restarting or busy (connection lost, serialisation failure);
 *   the same operation succeeds later.
 * - `store`: the store refuses every write until an operator acts (schema, permissions, configuration);
 *   nothing about the data is wrong, so the operation waits like for an outage.
 * - `record`: the store refuses this data (a constraint, a value out of range); retrying cannot cure it.
 */
export type FailureKind = 'transient' | 'store' | 'record';

/** A classified failure: its kind, the engine's error code (an SQLSTATE, a Kafka error id) and message. */
export interface Failure {
  kind: FailureKind;
  code: string | null;
  message: string;
}

export interface RetryInfo {
  err: unknown;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** Whether the failure was judged transient (retried without limit). */
  transient: boolean;
  /** The wait before the next attempt, in milliseconds. */
  delayMs: number;
}

export interface RetryOptions {
  /** Failures that waiting can cure: retried without limit (until `signal` aborts). */
  isTransient(err: unknown): boolean;
  /**
   * Failures of other kinds an operation may meet (≥ 1): the attempt that meets the last one throws it.
   * Transient failures in between do not count.
   */
  maxAttempts: number;
  /** The wait after the first failure, in milliseconds; it doubles with each attempt… */
  baseMs: number;
  /** …up to this, in milliseconds. */
  maxMs: number;
  /** Called before each wait (logs, metrics, clearing a cache). */
  onRetry?(info: RetryInfo): void;
  /** Once aborted (a shutdown), the operation gets no more than `maxAttempts` attempts in all, whatever fails. */
  signal?: AbortSignal;
}

/**
 * The wait before retry number `attempt` (from 1): exponential backoff capped at `maxMs`, with "equal
 * jitter" (half the delay fixed, half random), so that instances failing together do not retry together
 * while each still backs off (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 * `random` returns [0, 1) and is injectable for tests.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * Runs `fn` until it succeeds. A failure `isTransient` accepts is retried without limit (an outage pauses,
 * loses nothing); other failures are retried until the `maxAttempts`-th of them. Throws the last error of
 * `fn` when it gives up.
 */
export async function retry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { isTransient, maxAttempts, baseMs, maxMs, onRetry, signal } = options;
  let refusals = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const transient = isTransient(err);
      if (!transient) refusals++;
      if (refusals >= maxAttempts || (signal?.aborted && attempt >= maxAttempts)) throw err;
      const delayMs = backoffMs(attempt, baseMs, maxMs);
      onRetry?.({ err, attempt, transient, delayMs });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
