/**
 * One paging convention for every list: `limit` and `offset` in, `{ items, total, limit, offset }`
 * out. Lists are filtered first, then cut; only the rows on the page are turned into answers.
 */
export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export function pageOf<R, T>(rows: readonly R[], request: PageRequest, view: (row: R) => T): Page<T> {
  const { limit, offset } = request;
  return { items: rows.slice(offset, offset + limit).map(view), total: rows.length, limit, offset };
}

/** A date range's test; either end may be open. Dates are YYYY-MM-DD, so strings compare as dates. */
export interface DateRange {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export function inDateRange(date: string, range: DateRange): boolean {
  return (range.from === undefined || date >= range.from) && (range.to === undefined || date <= range.to);
}

/** 2020-03-15 → 20200315: sorting thousands of rows compares numbers far faster than date strings. */
function dayKey(date: string): number {
  return Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

interface DateOrder<R> {
  /** How many rows of the collection are sorted in. */
  count: number;
  readonly keyed: Array<{ readonly key: number; readonly row: R }>;
  rows: readonly R[];
}

/** Per projection collection (a live state's or a cut's own), its rows in date order. */
const dateOrders = new WeakMap<object, DateOrder<unknown>>();

/**
 * The rows of a projection's collection by date, log order within a day. Sorted once and kept
 * while the collection only grows (rows are never removed and a row's date never changes): rows
 * added since the last read are appended and sorted in, which for a log that mostly arrives in
 * date order costs about one pass. Kept beside the state, which views never modify.
 */
export function rowsByDate<R extends { readonly date: string }>(collection: ReadonlyMap<string, R> | readonly R[]): readonly R[] {
  const size = 'size' in collection ? collection.size : collection.length;
  let order = dateOrders.get(collection) as DateOrder<R> | undefined;
  if (!order || order.count > size) {
    order = { count: 0, keyed: [], rows: [] };
    dateOrders.set(collection, order as DateOrder<unknown>);
  }
  if (order.count < size) {
    let index = 0;
    for (const row of collection.values()) {
      if (index >= order.count) order.keyed.push({ key: dayKey(row.date), row });
      index += 1;
    }
    // Array.prototype.sort is stable: rows of the same day keep the order they were recorded in.
    order.keyed.sort((a, b) => a.key - b.key);
    order.rows = order.keyed.map((entry) => entry.row);
    order.count = size;
  }
  return order.rows;
}

/** The rows that pass `keep`, by date (log order within a day), one page of them as answers. */
export function datedPage<R extends { readonly date: string }, T>(
  collection: ReadonlyMap<string, R> | readonly R[],
  keep: (row: R) => boolean,
  request: PageRequest,
  view: (row: R) => T,
): Page<T> {
  const { limit, offset } = request;
  const items: T[] = [];
  let total = 0;
  for (const row of rowsByDate(collection)) {
    if (!keep(row)) continue;
    if (total >= offset && items.length < limit) items.push(view(row));
    total += 1;
  }
  return { items, total, limit, offset };
}

/** `{ key: value }` when the value is there, `{}` when not: optional answer fields stay absent, not null. */
export function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
