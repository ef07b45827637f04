/**
 * Sets `key` as the newest entry of an insertion-ordered Map used as a bounded recency cache,
 * dropping the oldest tenth once it holds more than `max`.
 *
 * Why a tenth at a time: a JavaScript Map leaves a hole where an entry was deleted, and
 * `keys().next()` walks over every hole left at its front until the table is rebuilt. Dropping
 * the single oldest entry on every insert made each insert walk thousands of holes (measured:
 * 2% of a write's CPU once the command handler's cache was full); one walk per tenth is cheap.
 */
export function setRecent<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size <= max) return;
  let excess = map.size - max + Math.ceil(max / 10);
  for (const oldest of map.keys()) {
    if (excess-- <= 0) break;
    map.delete(oldest);
  }
}
