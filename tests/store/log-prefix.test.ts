import t from 'tap';
import { replayReports } from '../../src/projections/reports.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { logPrefix } from '../../src/store/log-prefix.js';
import type { EventStore, ScannedRow } from '../../src/store/port.js';
import { appendEvents, expense, kamer, testStore } from '../projections/read-model-events.js';

/**
 * The accountant's replay folds the log up to the head it read first, on two threads and in
 * several passes (logPrefix): a write landing meanwhile must not be folded by some passes and not
 * by others.
 */
async function rowsOf(batches: AsyncIterable<ScannedRow[]>): Promise<string[]> {
  const positions: string[] = [];
  for await (const batch of batches) {
    if (batch.length === 0) throw new Error('an empty batch would read as the end of the log');
    positions.push(...batch.map((row) => row[0]));
  }
  return positions;
}

async function reportsOf(store: EventStore) {
  const runner = new LogProjectionRunner(store);
  try {
    return await replayReports(runner, { year: 2020, asOf: '2020-12-31', referenceDate: '2021-01-31' }, 'fold');
  } finally {
    await runner.close();
  }
}

t.test('a prefix of the log scans, by year too, and reports only up to its head', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-02-01', '250.00'), expense('top', 2020, 'rent', '2020-03-01', '100.00'), expense('top', 2020, 'rent', '2020-04-01', '30.00')]);
  const head = (await store.lastPosition())!;
  const atHead = await reportsOf(store);
  await appendEvents(store, [expense('top', 2020, 'rent', '2020-05-01', '40.00'), expense('top', 2020, 'rent', '2020-06-01', '20.00'), kamer('later')]);

  const prefix = logPrefix(store, head);
  t.equal(await prefix.lastPosition(), head, 'its last position is the head');
  t.not(await store.lastPosition(), head, 'while the log went on');
  for (const batchSize of [1, 2, 3, 100]) {
    t.same(await rowsOf(prefix.scanAll(undefined, batchSize)), ['1', '2', '3', '4'].slice(0, Number(head)), `scanAll in batches of ${batchSize}`);
    t.same(await rowsOf(prefix.scanAllExcept!(undefined, batchSize, new Set(['KamerRegistered']))), ['2', '3', '4'], `scanAllExcept in batches of ${batchSize} stops at the head`);
    const year = await rowsOf(prefix.scanBusinessYear(2020, undefined, batchSize));
    t.ok(year.every((position) => Number(position) <= Number(head)) && year.length > 0, `scanBusinessYear in batches of ${batchSize} stops at the head`);
  }
  t.same(await reportsOf(prefix), atHead, 'the reports are those the log gave at the head');
  t.not(JSON.stringify(await reportsOf(store)), JSON.stringify(atHead), 'and differ from the whole log\'s (the later events count)');
  t.equal(prefix.kind, store.kind, 'everything else is the store\'s own');
});
