import { LruCache } from './lru.js';
import { positionIsAfter, type LogChanges } from './log-changes.js';

/** A view and the parts of the books it was computed from (log-changes.ts: a financier, a room). */
export interface Computed<View> {
  readonly view: View;
  readonly parts: readonly string[];
}

interface Entry<View> extends Computed<View> {
  /** The log position of the states it was computed from. */
  readonly at: string;
}

/**
 * Views (answers derived from projection states), each kept with the log position it was
 * computed at and the parts of the books it read. A view is a pure function of the states and
 * the query:
 * - a live read (`latest`) reuses a view computed at an earlier position when no event since
 *   touched its parts (`LogChanges`): a write about one financier leaves the other financiers'
 *   positions and every room's budget cached;
 * - a read through a cut (`exact`) reuses a view of the same cut at the same position only (the
 *   states of a cut at one position never change).
 * Entries that no longer answer are not invalidated: they age out of the LRU.
 */
export class ViewCache<View> {
  private readonly views: LruCache<Entry<View>>;

  /** `capacity`: views kept; size it by how large one view is (a financier position holds every invoice). */
  constructor(
    capacity: number,
    private readonly changes: LogChanges,
  ) {
    this.views = new LruCache(capacity);
  }

  /**
   * The view of `query` on the live states at `position`: a cached one computed at or before it
   * and untouched since, else computed now. The caller has caught `changes` up to `position`.
   * A compute that throws caches nothing.
   */
  latest(position: string, query: string, compute: () => Computed<View>): Computed<View> {
    const key = `live\u0000${query}`;
    const cached = this.views.get(key);
    if (cached !== undefined && !positionIsAfter(cached.at, position) && !this.changes.changedSince(cached.at, cached.parts)) return cached;
    return this.computeInto(key, position, compute);
  }

  /** The view of `query` (a cut read: the cut is part of it) at exactly `position`. */
  exact(position: string, query: string, compute: () => Computed<View>): Computed<View> {
    const key = `${position}\u0000${query}`;
    return this.views.get(key) ?? this.computeInto(key, position, compute);
  }

  /** `latest` for a live read, `exact` for a read through a cut. */
  forRead(throughCut: boolean, position: string, query: string, compute: () => Computed<View>): Computed<View> {
    return throughCut ? this.exact(position, query, compute) : this.latest(position, query, compute);
  }

  private computeInto(key: string, position: string, compute: () => Computed<View>): Entry<View> {
    const entry = { ...compute(), at: position };
    this.views.set(key, entry);
    return entry;
  }
}
