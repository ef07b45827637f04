import { businessDayOfStored, yearOfDay } from '../domain/business-date.js';
import type { EventStore, ScannedRow } from './port.js';

/**
 * `scanAll` for an adapter with no cheaper way than its own `readAll`: the recorded events,
 * their data and metadata turned back into JSON text, cut into batches. The EventStoreDB adapter
 * uses it (its client hands over parsed JSON anyway), and so can a test's wrapper of a store.
 * With `except`, it is `scanAllExcept`: events of those types are left out.
 */
export function scanAllByReadAll(
  store: Pick<EventStore, 'readAll'>,
  after: string | undefined,
  batchSize: number,
  except?: ReadonlySet<string>,
): AsyncIterable<ScannedRow[]> {
  return inBatches(recordedRows(store, after, except), batchSize);
}

async function* recordedRows(store: Pick<EventStore, 'readAll'>, after: string | undefined, except: ReadonlySet<string> | undefined): AsyncIterable<ScannedRow> {
  for await (const event of store.readAll(after === undefined ? {} : { after })) {
    // `scanAllExcept`: left out before its JSON is written again.
    if (except?.has(event.type) === true) continue;
    yield [event.position, event.stream, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)];
  }
}

/** Rows cut into batches of `batchSize`, and always a last, short batch (maybe empty): the reader's sign that the head was reached. */
async function* inBatches(rows: AsyncIterable<ScannedRow>, batchSize: number): AsyncIterable<ScannedRow[]> {
  assertBatchSize(batchSize);
  let batch: ScannedRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  yield batch;
}

/** A scan's batch size must be a positive whole number (a zero would never reach the head). */
export function assertBatchSize(batchSize: number): void {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
}

/** A row as SQLite's raw statements hand it: the position still a number. */
export type SqliteScanRow = [position: number, stream: string, type: string, data: string, metadata: string];

/** SQLite's raw rows as the port's scanned rows: each position turned into its decimal string, in place. */
export function asScannedRows(rows: SqliteScanRow[]): ScannedRow[] {
  for (const row of rows) (row as unknown as ScannedRow)[0] = String(row[0]);
  return rows as unknown as ScannedRow[];
}

/** Rows of the whole log read per batch while looking for one year's. */
const FILTERED_SCAN_BATCH = 2_000;

/**
 * `scanBusinessYear` for an adapter without a business-date index (EventStoreDB): every row of
 * the log after `after`, kept when its business day (the domain's rule, `businessDayOfStored`,
 * the one the SQLite index keeps) is in `year` or it has none. As correct as the index and as
 * slow as a full scan; a projection-kept stream per year would make it fast (docs/storage.md).
 */
export function scanBusinessYearByScanAll(
  store: Pick<EventStore, 'scanAll'>,
  year: number,
  after: string | undefined,
  batchSize: number,
): AsyncIterable<ScannedRow[]> {
  return inBatches(rowsOfYear(store, year, after), batchSize);
}

async function* rowsOfYear(store: Pick<EventStore, 'scanAll'>, year: number, after: string | undefined): AsyncIterable<ScannedRow> {
  for await (const rows of store.scanAll(after, FILTERED_SCAN_BATCH)) {
    for (const row of rows) {
      const rowYear = yearOfDay(businessDayOfStored(row[2], row[3]));
      if (rowYear === year || rowYear === 0) yield row;
    }
  }
}
