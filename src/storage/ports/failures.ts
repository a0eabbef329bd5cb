import type { Failure } from '../../lib/retry.ts';

/** A store's judgement of one of its errors: what retrying can do, and what a dead letter keeps of it. */
export interface StoreFailure extends Failure {
  /** A bounded label for metrics (an error class name such as `data_exception`, or `other`). */
  reason: string;
  /** The parts of the error worth keeping in a dead letter (never the query's parameters). */
  details: Record<string, string>;
}

/** Implemented by every store a writer retries against. */
export interface FailureJudge {
  /** How retrying can help with `err`; null when the error is not this store's. */
  classify(err: unknown): StoreFailure | null;
}
