import { describe, expect, it } from 'vitest';
import { type Check, waitForReady } from './doctor.ts';

/** A check whose probe fails `failures` times, then answers; notes when it was probed (ms from `origin`). */
function check(name: string, failures: number, origin: number) {
  const probedAt: number[] = [];
  const c: Check = {
    name,
    endpoint: `${name}:1`,
    probe: async () => {
      probedAt.push(performance.now() - origin);
      if (probedAt.length <= failures) throw new Error(`${name} refused the connection`);
      return `${name} ready`;
    },
  };
  return { check: c, probedAt };
}

describe('waitForReady', () => {
  it('checks again with growing jittered waits until every dependency answered, each probed until it did', async () => {
    const origin = performance.now();
    const slow = check('slow', 3, origin);
    const quick = check('quick', 0, origin);
    const rounds: boolean[][] = [];
    const { results, elapsedMs } = await waitForReady([quick.check, slow.check], {
      timeoutMs: 10_000,
      probeTimeoutMs: 1_000,
      backoff: { baseMs: 40, maxMs: 80 },
      onRound: (r) => rounds.push(r.map((x) => x.ok)),
    });
    expect(rounds).toEqual([
      [true, false],
      [true, false],
      [true, false],
      [true, true],
    ]);
    // Ready once: not probed again after.
    expect(quick.probedAt).toHaveLength(1);
    const gaps = slow.probedAt.slice(1).map((t, i) => t - slow.probedAt[i]);
    // Equal jitter: 20–40 ms, then 40–80 ms, then capped at 40–80 ms (a timer may fire a millisecond early).
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(39);
    expect(results.map((r) => [r.name, r.ok, r.detail])).toEqual([
      ['quick', true, 'quick ready'],
      ['slow', true, 'slow ready'],
    ]);
    const [q, s] = results;
    expect(q.readyAfterMs).toBeLessThan(s.readyAfterMs as number);
    expect(s.readyAfterMs).toBeGreaterThanOrEqual(19 + 39 + 39);
    expect(elapsedMs).toBeGreaterThanOrEqual(s.readyAfterMs as number);
  });

  it('gives up once the timeout is spent, with the last failure of what never came', async () => {
    const never = check('never', Number.POSITIVE_INFINITY, performance.now());
    const started = performance.now();
    const { results, elapsedMs } = await waitForReady([never.check], {
      timeoutMs: 300,
      probeTimeoutMs: 1_000,
      backoff: { baseMs: 40, maxMs: 80 },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(299);
    expect(elapsedMs).toBeGreaterThanOrEqual(299);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'never', ok: false, detail: 'never refused the connection' });
    expect(results[0].readyAfterMs).toBeUndefined();
    // Probed again after a wait, and for the last time once the time was spent (the wait before it cut to
    // end at the deadline).
    expect(never.probedAt.length).toBeGreaterThanOrEqual(2);
    expect(never.probedAt.at(-1)).toBeGreaterThanOrEqual(298);
  });
});
