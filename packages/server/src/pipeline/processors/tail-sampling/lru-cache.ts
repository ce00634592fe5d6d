/**
 * A bounded, approximately least-recently-used map, for the decision caches and the
 * string_attribute regex cache (upstream uses hashicorp/golang-lru and groupcache/lru).
 *
 * Two generations of at most capacity/2 entries each: new and used entries go to the young one;
 * when it is full the old generation is dropped whole and the young one becomes old. Every
 * operation is O(1). A single Map evicting its first key is not: V8 leaves deleted entries as
 * holes at the front of its table, and `keys().next()` walks them all, which made eviction-heavy
 * runs several times slower in bench/tail-sampling.bench.ts.
 *
 * @example
 * const cache = new LruCache<string, boolean>(4);
 * cache.set('a', true); cache.set('b', false); cache.get('a'); // 'a' now young again
 */
export class LruCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generationSize: number;

  constructor(readonly capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  /** Entries held, at most `capacity`. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    if (old === undefined) return undefined;
    this.old.delete(key);
    this.insertYoung(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.old.delete(key);
    this.insertYoung(key, value);
  }

  private insertYoung(key: K, value: V): void {
    if (!this.young.has(key) && this.young.size >= this.generationSize) {
      // At capacity 1 there is room for one generation only.
      this.old = this.capacity >= 2 ? this.young : new Map<K, V>();
      this.young = new Map<K, V>();
    }
    this.young.set(key, value);
  }
}
