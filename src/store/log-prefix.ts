import { comparePositions, type EventStore, type ScannedRow } from './port.js';

/**
 * The store as it was up to `head`: scans stop after it and `lastPosition` is it. The accountant's
 * replay reads the head once and folds on two threads (and in several passes); without this each
 * pass would read on to the log's end as it finds it, so a write landing meanwhile (a service
 * writing to the same file) could give figures from two different prefixes of the log. Everything
 * else is the store's own (bound to it, so its methods keep their `this`).
 */
export function logPrefix(store: EventStore, head: string): EventStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'scanAll') return (after: string | undefined, batchSize: number) => upTo(target.scanAll(after, batchSize), head);
      if (key === 'scanAllExcept' && target.scanAllExcept !== undefined) {
        return (after: string | undefined, batchSize: number, types: ReadonlySet<string>) => upTo(target.scanAllExcept!(after, batchSize, types), head);
      }
      if (key === 'scanBusinessYear') {
        return (year: number, after: string | undefined, batchSize: number) => upTo(target.scanBusinessYear(year, after, batchSize), head);
      }
      if (key === 'lastPosition') return async () => head;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The batches' rows up to `head` (rows come in log order): a short batch tells the reader the log ends there. */
async function* upTo(batches: AsyncIterable<ScannedRow[]>, head: string): AsyncIterable<ScannedRow[]> {
  for await (const batch of batches) {
    // Only the batch that passes the head needs a look at each row: the others end at or before it.
    const last = batch.at(-1);
    if (last === undefined || comparePositions(last[0], head) <= 0) {
      yield batch;
      continue;
    }
    const within = batch.findIndex((row) => comparePositions(row[0], head) > 0);
    if (within > 0) yield batch.slice(0, within);
    return;
  }
}
