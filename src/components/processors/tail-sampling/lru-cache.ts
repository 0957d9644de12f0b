/**
 * A bounded least-recently-used map (hashicorp/golang-lru semantics as upstream uses them):
 * `get` refreshes recency, `add` evicts the least recently used entry when full. Built on `Map`'s
 * insertion order: refreshing = delete + re-insert, the oldest entry is the first key. O(1).
 * Capacity 0 is a no-op cache whose `get` always misses.
 */
export class LruCache<K, V> {
  private readonly _map = new Map<K, V>();
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(0, Math.floor(capacity));
  }

  get(key: K): V | undefined {
    const v = this._map.get(key);
    if (v === undefined) return undefined;
    this._map.delete(key);
    this._map.set(key, v);
    return v;
  }

  /** True when `key` is cached (no recency change). */
  has(key: K): boolean {
    return this._map.has(key);
  }

  add(key: K, value: V): void {
    if (this.capacity === 0) return;
    if (this._map.has(key)) this._map.delete(key);
    else if (this._map.size >= this.capacity) {
      const oldest = this._map.keys().next();
      if (!oldest.done) this._map.delete(oldest.value);
    }
    this._map.set(key, value);
  }

  get size(): number {
    return this._map.size;
  }
}
