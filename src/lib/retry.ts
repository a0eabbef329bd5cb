/**
 * One retry policy for every I/O operation and every loop that waits out failures: exponential backoff with
 * jitter and a bounded delay, without limit for failures that waiting can cure (or within a time budget), a
 * bounded number of attempts for the others.
 *
 * Written here rather than taken from p-retry or exponential-backoff: those bound every failure alike (one
 * retry count), while an outage must wait without limit and a refused record must not.
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
  /** Failures that waiting can cure: retried without limit (until `signal` aborts or `budgetMs` is spent). */
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
  /**
   * The least wait a failure asks for, in milliseconds, or null (an HTTP Retry-After): the wait is the larger
   * of it and the backoff, so a server's own pacing is honoured even past `maxMs`.
   */
  delayFloorMs?(err: unknown): number | null;
  /**
   * How long the operation may go on failing, in milliseconds from its first attempt: once spent, the last
   * error is thrown; a wait that would pass it is shortened to end there, for one last attempt.
   */
  budgetMs?: number;
  /** Called before each wait (logs, metrics, clearing a cache). */
  onRetry?(info: RetryInfo): void;
  /**
   * Once aborted (a shutdown): the wait it interrupts ends at once, so a long backoff does not hold the
   * shutdown, and the operation gets no more than `maxAttempts` attempts in all, whatever fails (waits after
   * the abort are served, so those last attempts still back off).
   */
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
 * loses nothing) unless `budgetMs` bounds it; other failures are retried until the `maxAttempts`-th of
 * them. Throws the last error of `fn` when it gives up.
 */
export async function retry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { isTransient, maxAttempts, baseMs, maxMs, onRetry, signal, delayFloorMs, budgetMs } = options;
  const started = Date.now();
  let refusals = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const transient = isTransient(err);
      if (!transient) refusals++;
      if (refusals >= maxAttempts || (signal?.aborted && attempt >= maxAttempts)) throw err;
      let delayMs = Math.max(delayFloorMs?.(err) ?? 0, backoffMs(attempt, baseMs, maxMs));
      if (budgetMs !== undefined) {
        const left = budgetMs - (Date.now() - started);
        if (left <= 0) throw err;
        delayMs = Math.min(delayMs, left);
      }
      onRetry?.({ err, attempt, transient, delayMs });
      await wait(delayMs, signal);
    }
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts if it had not yet when the wait began. */
function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal && !signal.aborted) signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The wait an HTTP Retry-After header asks for, in milliseconds: delay-seconds or an HTTP-date (RFC 9110
 * §10.2.3), never negative; null when the header is absent or unreadable. `now` is epoch ms.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
