import { describe, expect, it } from 'vitest';
import { backoffMs, type RetryInfo, retry, retryAfterMs } from './retry.ts';

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

describe('retry: floors, budgets and aborts', () => {
  it('waits at least the floor a failure asks for, even past maxMs', async () => {
    const op = failing([new Outage('busy'), new Outage('busy')]);
    const seen: number[] = [];
    const started = performance.now();
    await retry(op.run, {
      ...policy,
      maxAttempts: 1,
      delayFloorMs: () => 30,
      onRetry: ({ delayMs }) => seen.push(delayMs),
    });
    expect(seen).toEqual([30, 30]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
  });

  it('uses the backoff when it is longer than the floor, and no floor when the failure names none', async () => {
    const op = failing([new Outage('busy'), new Outage('busy')]);
    const seen: number[] = [];
    await retry(op.run, {
      ...policy,
      baseMs: 40,
      maxMs: 40,
      maxAttempts: 1,
      delayFloorMs: (err) => ((err as Error).message === 'busy' && seen.length === 0 ? 5 : null),
      onRetry: ({ delayMs }) => seen.push(delayMs),
    });
    expect(seen.every((d) => d >= 20 && d <= 40)).toBe(true);
  });

  it('throws the last error once the budget is spent, shortening the last wait to end at it', async () => {
    const op = failing(Array.from({ length: 1000 }, (_, i) => new Outage(`down ${i + 1}`)));
    const seen: RetryInfo[] = [];
    const started = performance.now();
    const result = retry(op.run, {
      ...policy,
      baseMs: 40,
      maxMs: 40,
      maxAttempts: 1,
      budgetMs: 100,
      onRetry: (i) => seen.push(i),
    });
    const err = await result.catch((e: Error) => e);
    expect((err as Error).message).toBe(`down ${seen.length + 1}`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(99);
    // Each wait is cut to the budget left, so all of them fit in it whatever the timers' lateness (give or
    // take the millisecond a timer rounds a fractional delay by); waits of 20–40 ms but the last: at most five.
    const waits = seen.map((i) => i.delayMs);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100 + waits.length);
    expect(waits.slice(0, -1).every((d) => d >= 20 && d <= 40)).toBe(true);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits.length).toBeLessThanOrEqual(5);
  });

  it('ends the wait in progress when the signal aborts, then gives up within maxAttempts', async () => {
    const controller = new AbortController();
    const op = failing(Array.from({ length: 10 }, () => new Outage('unreachable')));
    const started = performance.now();
    const result = retry(op.run, {
      ...policy,
      baseMs: 60_000,
      maxMs: 60_000,
      maxAttempts: 1,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    await expect(result).rejects.toThrow('unreachable');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(op.calls).toBe(2);
  });

  it('still backs off between the attempts left after an abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const op = failing(Array.from({ length: 10 }, () => new Outage('unreachable')));
    const started = performance.now();
    const result = retry(op.run, {
      ...policy,
      baseMs: 40,
      maxMs: 40,
      maxAttempts: 3,
      signal: controller.signal,
    });
    await expect(result).rejects.toThrow('unreachable');
    expect(op.calls).toBe(3);
    // Two waits of 20–40 ms each.
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  it('reads delay-seconds and HTTP-dates, never negative', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('0.5', now)).toBe(500);
    expect(retryAfterMs('Sat, 01 Mar 2025 12:00:07 GMT', now)).toBe(7000);
    expect(retryAfterMs('Sat, 01 Mar 2025 11:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('-4', now)).toBe(0);
  });
  it('answers null when the header is absent or unreadable', () => {
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs('', now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
  });
});
