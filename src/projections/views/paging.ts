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

/** Sorts by date, keeping the order they had (log order) among rows of the same day. */
export function byDate<R extends { readonly date: string }>(rows: R[]): R[] {
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The rows that pass `keep`, by date (log order within a day), one page of them as answers. */
export function datedPage<R extends { readonly date: string }, T>(rows: Iterable<R>, keep: (row: R) => boolean, request: PageRequest, view: (row: R) => T): Page<T> {
  const kept: R[] = [];
  for (const row of rows) if (keep(row)) kept.push(row);
  return pageOf(byDate(kept), request, view);
}

/** `{ key: value }` when the value is there, `{}` when not: optional answer fields stay absent, not null. */
export function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
