/**
 * A small, bounded, approximately least-recently-used cache with O(1) cheap hits.
 *
 * Two generations of `Map`: new and recently hit entries live in the young generation; when it is full
 * it becomes the old generation and the previous old generation is dropped. A hit in the old generation
 * promotes the entry. At most `2 × capacity` entries are held.
 */
export class LruCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('LruCache capacity must be at least 1');
  }

  /** Number of cached entries (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Returns the cached value or `undefined`. */
  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.set(key, aged);
    }
    return aged;
  }

  /** Stores a value, dropping the oldest generation when the young one is full. */
  set(key: K, value: V): void {
    if (!this.young.has(key) && this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map<K, V>();
    }
    this.young.set(key, value);
  }

  /** Removes every entry. */
  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
