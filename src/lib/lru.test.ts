import { describe, expect, it } from 'vitest';
import { LruCache } from './lru.ts';

describe('LruCache', () => {
  it('keeps at most its capacity, evicting the least recently used', () => {
    const cache = new LruCache<number, string>(2);
    let made = 0;
    const get = (k: number) => cache.getOrSet(k, () => `v${k}-${++made}`);
    expect(get(1)).toBe('v1-1');
    expect(get(2)).toBe('v2-2');
    expect(get(1)).toBe('v1-1'); // 1 is now the most recent
    expect(get(3)).toBe('v3-3'); // evicts 2
    expect(cache.size).toBe(2);
    expect([cache.has(1), cache.has(2), cache.has(3)]).toEqual([true, false, true]);
    expect(get(2)).toBe('v2-4'); // made again
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow('capacity: must be an integer ≥ 1');
  });
});
