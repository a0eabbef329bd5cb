import { describe, expect, it } from 'vitest';
import { backoffMs, type RetryInfo, retry } from './retry.ts';

class Outage extends Error {}

/** An operation that fails with the given errors, in order, then returns 'done'. */
function failing(errors: Error[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    run: async () => {
      const err = errors[calls++];
      if (err) throw err;
      return 'done';
    },
  };
}

const policy = { isTransient: (err: unknown) => err instanceof Outage, baseMs: 1, maxMs: 4 };

describe('backoff with equal jitter', () => {
  it('doubles from the base up to the cap, half fixed and half random', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, 100, 1000, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, 100, 1000, () => 0.999999))).toEqual(
      [100, 200, 400, 800, 1000, 1000].map((d) => expect.closeTo(d, 3)),
    );
  });
});

describe('retry', () => {
  it('retries a transient failure without limit and returns the result', async () => {
    const op = failing(Array.from({ length: 12 }, () => new Outage('connection refused')));
    const seen: RetryInfo[] = [];
    await expect(retry(op.run, { ...policy, maxAttempts: 2, onRetry: (i) => seen.push(i) })).resolves.toBe(
      'done',
    );
    expect(op.calls).toBe(13);
    expect(seen.map((i) => [i.attempt, i.transient])).toEqual(
      Array.from({ length: 12 }, (_, i) => [i + 1, true]),
    );
    expect(seen.every((i) => i.delayMs >= 0.5 && i.delayMs <= 4)).toBe(true);
  });

  it('gives up on any other failure after maxAttempts attempts in all, throwing its last error', async () => {
    const refused = [new Error('check constraint 1'), new Error('check constraint 2'), new Error('check 3')];
    const op = failing(refused);
    await expect(retry(op.run, { ...policy, maxAttempts: 2 })).rejects.toBe(refused[1]);
    expect(op.calls).toBe(2);
  });

  it('tries once without waiting when maxAttempts is 1', async () => {
    const op = failing([new Error('refused')]);
    let retries = 0;
    await expect(retry(op.run, { ...policy, maxAttempts: 1, onRetry: () => retries++ })).rejects.toThrow(
      'refused',
    );
    expect([op.calls, retries]).toEqual([1, 0]);
  });

  it('counts transient failures towards the bound once the signal is aborted', async () => {
    const controller = new AbortController();
    const op = failing(Array.from({ length: 10 }, () => new Outage('server restarting')));
    const result = retry(op.run, {
      ...policy,
      maxAttempts: 3,
      signal: controller.signal,
      onRetry: ({ attempt }) => {
        if (attempt === 5) controller.abort();
      },
    });
    await expect(result).rejects.toThrow('server restarting');
    expect(op.calls).toBe(6);
  });

  it('mixes kinds: a transient failure after refusals still waits, a refusal after outages counts', async () => {
    const op = failing([
      new Error('refused'),
      new Outage('reset'),
      new Outage('reset'),
      new Error('refused'),
    ]);
    await expect(retry(op.run, { ...policy, maxAttempts: 3 })).resolves.toBe('done');
    expect(op.calls).toBe(5);
  });
});
