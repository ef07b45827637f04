import type { EventStore, ScannedRow } from './port.js';

/**
 * `scanAll` for an adapter with no cheaper way than its own `readAll`: the recorded events,
 * their data and metadata turned back into JSON text, cut into batches. The EventStoreDB adapter
 * uses it (its client hands over parsed JSON anyway), and so can a test's wrapper of a store.
 */
export async function* scanAllByReadAll(store: Pick<EventStore, 'readAll'>, after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  let batch: ScannedRow[] = [];
  for await (const event of store.readAll(after === undefined ? {} : { after })) {
    batch.push([event.position, event.stream, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)]);
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  // Always a last, short batch (maybe empty): the reader's sign that the head was reached.
  yield batch;
}
