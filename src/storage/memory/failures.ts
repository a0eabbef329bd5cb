import type { StoreFailure } from '../ports/failures.ts';

/** An error of an in-memory store, judged by the store itself (see MemoryOutage). */
export class MemoryStoreError extends Error {
  readonly failure: StoreFailure;
  constructor(failure: Omit<StoreFailure, 'details' | 'message'> & { message: string }) {
    super(failure.message);
    this.failure = {
      ...failure,
      details: { message: failure.message, ...(failure.code && { code: failure.code }) },
    };
  }
}

/** Judges only its own errors: anything else is not an in-memory store's. */
export const classifyMemoryError = (err: unknown): StoreFailure | null =>
  err instanceof MemoryStoreError ? err.failure : null;

/**
 * What an in-memory store does while "down": every write throws, like a real engine during an outage
 * (`transient`) or refusing every write (`store`). For tests of the writers' bookkeeping without a server.
 */
export class MemoryOutage {
  private failing: MemoryStoreError | null = null;
  private remaining = Number.POSITIVE_INFINITY;

  /** Fails the next `times` writes (default: until `end()`) with a failure of this kind. */
  begin(kind: StoreFailure['kind'], times = Number.POSITIVE_INFINITY): void {
    this.failing = new MemoryStoreError({
      kind,
      code: null,
      message: `in-memory store ${kind} failure`,
      reason: 'other',
    });
    this.remaining = times;
  }

  end(): void {
    this.failing = null;
  }

  /** Throws while the outage lasts. */
  check(): void {
    if (!this.failing) return;
    if (--this.remaining <= 0) {
      const failing = this.failing;
      this.failing = null;
      throw failing;
    }
    throw this.failing;
  }
}
