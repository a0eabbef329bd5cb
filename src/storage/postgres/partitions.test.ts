import { describe, expect, it } from 'vitest';
import type { Database } from '../ports/database.ts';
import { ensurePartitions } from './partitions.ts';

/** A database whose partition creations wait until released, recording each one's days. */
function slowDatabase() {
  const calls: number[][] = [];
  const releases: (() => void)[] = [];
  const db = {
    query: async (_sql: string, params?: unknown[]) => {
      calls.push((params?.[1] as number[]) ?? []);
      await new Promise<void>((resolve) => releases.push(resolve));
      return [];
    },
  } as unknown as Database;
  return { db, calls, releases };
}

const DAY = 86_400_000;

describe('ensurePartitions', () => {
  it('makes a writer needing a day wait for the creation of that day already in flight', async () => {
    const { db, calls, releases } = slowDatabase();
    const order: string[] = [];
    const upkeep = ensurePartitions(db, { raw_readings: [0, DAY] }).then(() => order.push('upkeep'));
    const writer = ensurePartitions(db, { raw_readings: [DAY + 5, DAY + 6] }).then(() =>
      order.push('writer'),
    );
    await new Promise((r) => setTimeout(r, 20));
    // One creation only, and the writer has not gone ahead of it.
    expect(calls).toEqual([[0, 1]]);
    expect(order).toEqual([]);
    releases[0]();
    await Promise.all([upkeep, writer]);
    expect(order.sort()).toEqual(['upkeep', 'writer']);
    // Known from now on: nothing asked again.
    await ensurePartitions(db, { raw_readings: [DAY] });
    expect(calls).toHaveLength(1);
  });

  it('asks again for the days of a creation that failed, and fails the writers that waited on it', async () => {
    let fail = true;
    const calls: number[][] = [];
    const db = {
      query: async (_sql: string, params?: unknown[]) => {
        calls.push(params?.[1] as number[]);
        await new Promise((r) => setTimeout(r, 10));
        if (fail) throw new Error('lock timeout');
        return [];
      },
    } as unknown as Database;
    const first = ensurePartitions(db, { features: [3 * DAY] });
    const waiting = ensurePartitions(db, { features: [3 * DAY + 1] });
    await expect(first).rejects.toThrow('lock timeout');
    await expect(waiting).rejects.toThrow('lock timeout');
    fail = false;
    await ensurePartitions(db, { features: [3 * DAY] });
    expect(calls).toEqual([[3], [3]]);
  });
});
