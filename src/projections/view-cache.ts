import { LruCache } from './lru.js';

/**
 * Views (answers derived from projection states) by the log position they were computed at. A
 * view is a pure function of the states and the query, and the states at one position never
 * change, so the same query at the same position is a lookup. When the projection moves (an
 * event is folded in) the position differs and the old entries are never hit again: they age out
 * of the LRU instead of being invalidated.
 */
export class ViewCache<View> {
  private readonly views: LruCache<View>;

  /** `capacity`: views kept; size it by how large one view is (a financier position holds every invoice). */
  constructor(capacity: number) {
    this.views = new LruCache(capacity);
  }

  /** The view of `query` at `position`, computed on the first ask. A compute that throws caches nothing. */
  at(position: string, query: string, compute: () => View): View {
    const key = `${position}\u0000${query}`;
    const cached = this.views.get(key);
    if (cached !== undefined) return cached;
    const view = compute();
    this.views.set(key, view);
    return view;
  }
}
