/** A tiny least-recently-used map: a JS Map keeps insertion order, so the first key is the oldest. */
export class LruCache<Value> {
  private readonly entries = new Map<string, Value>();
  /**
   * The most recently used key: reading it again leaves the order as it is. A hot read asks the
   * same key thousands of times a second, and each delete and re-insert makes the Map rebuild its
   * table now and then (tables V8 allocates in the old generation, collected only by a major GC).
   */
  private newest: string | undefined;

  constructor(private readonly capacity: number) {}

  get(key: string): Value | undefined {
    const value = this.entries.get(key);
    if (value === undefined || key === this.newest) return value;
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    return value;
  }

  set(key: string, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.newest = undefined;
  }
}
