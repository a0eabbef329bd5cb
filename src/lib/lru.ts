/**
 * A least-recently-used cache of at most `capacity` entries, on a Map's insertion order (a get moves the
 * entry to the end; the first entry is the oldest). Hand-written: a dozen lines, where `lru-cache` is only
 * a transitive dependency here and would be one more to keep for one use.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  readonly capacity: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('capacity: must be an integer ≥ 1');
    this.capacity = capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value for `key`, made the most recent; or what `make` builds, stored (evicting the oldest). */
  getOrSet(key: K, make: () => V): V {
    const found = this.entries.get(key);
    if (found !== undefined || this.entries.has(key)) {
      this.entries.delete(key);
      this.entries.set(key, found as V);
      return found as V;
    }
    const value = make();
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }
}
