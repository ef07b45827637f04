/**
 * A small immutable map from string keys to values: `set` returns a new map that shares every
 * bucket but one with the old map.
 *
 * Why not a plain Map: the receivables state is cached by the command handler and can be held by
 * several commands in flight at once, so `evolve` must never mutate it; copying a whole Map on
 * every event would make folding the stream quadratic. Here a lookup is a hash and a Map.get, and
 * an update copies one bucket (about size/256 entries) plus the 256-slot bucket table.
 */
const BUCKET_COUNT = 256;

type Bucket<V> = ReadonlyMap<string, V> | undefined;

export class PersistentMap<V> {
  private constructor(
    private readonly buckets: readonly Bucket<V>[],
    readonly size: number,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(new Array<Bucket<V>>(BUCKET_COUNT).fill(undefined), 0);
  }

  get(key: string): V | undefined {
    return this.buckets[bucketOf(key)]?.get(key);
  }

  has(key: string): boolean {
    return this.buckets[bucketOf(key)]?.has(key) ?? false;
  }

  set(key: string, value: V): PersistentMap<V> {
    const index = bucketOf(key);
    const bucket = new Map(this.buckets[index]);
    const isNew = !bucket.has(key);
    bucket.set(key, value);
    const buckets = this.buckets.slice();
    buckets[index] = bucket;
    return new PersistentMap(buckets, this.size + (isNew ? 1 : 0));
  }

  /** Sets `key` to what `update` makes of its current value (undefined when absent). */
  update(key: string, update: (current: V | undefined) => V): PersistentMap<V> {
    return this.set(key, update(this.get(key)));
  }

  *values(): IterableIterator<V> {
    for (const bucket of this.buckets) if (bucket) yield* bucket.values();
  }
}

/** FNV-1a over the key's UTF-16 code units: cheap, and spreads UUIDs and invoice numbers evenly. */
function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BUCKET_COUNT;
}
