/**
 * A year's window read through the store's business-date index (runner.ts, Projection
 * `businessYear`): its rows end before the log does, so the pass ends at the log's head as it
 * stands when its rows are read, including writes that landed during the pass: the openings read
 * next then meet it at one position, and the export does not fall back to the whole fold.
 */
import t from 'tap';
import { readYearJournal } from '../../src/projections/reports.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { yearJournal } from '../../src/projections/trial-balance.js';
import { yearWindowProjection } from '../../src/projections/year-journal.js';
import { yearOpeningsProjection } from '../../src/projections/year-openings.js';
import type { ScannedRow } from '../../src/store/port.js';
import { appendEvents, expense, journalFromStore, kamer, storeWith, streamOf } from './journal-events.js';

const KAMER = 'de-kamer';
const spent = (date: string, amount: string) => expense({ kamerId: KAMER, line: 'huur', date, amount });

t.test('a write that lands while the window is read is folded in, and the pass ends at the new head', async (t) => {
  const store = await storeWith([kamer(KAMER), spent('2019-05-01', '10.00'), spent('2020-03-01', '20.00'), spent('2021-01-01', '30.00')]);
  t.teardown(() => store.close());
  // Another request's write, committed after the pass read the head and its first rows.
  const late = [spent('2020-09-09', '40.00'), spent('2018-01-01', '50.00')];
  const scanBusinessYear = store.scanBusinessYear.bind(store);
  let scans = 0;
  store.scanBusinessYear = (year: number, after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> => {
    scans += 1;
    const rows = scanBusinessYear(year, after, batchSize);
    if (scans > 1) return rows;
    return (async function* () {
      for await (const batch of rows) {
        for (const event of late) await store.append(streamOf(event), [{ type: event.type, data: event.data, metadata: { recordedBy: 'treasurer(test)' } }], 'any');
        yield batch;
      }
    })();
  };
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  const cut = { year: 2020 };
  const window = await runner.readMany([yearWindowProjection(cut)] as const, { asOf: '2020-12-31' });
  const openings = await runner.readMany([yearOpeningsProjection] as const);
  t.ok(scans > 1, 'the pass read again after the head moved');
  t.equal(window.position, await store.lastPosition(), 'the window ends at the head after the write');
  t.equal(window.position, openings.position, 'where the openings are');
  t.same(window.states[0].entries.map((entry) => entry.date), ['2020-03-01', '2020-09-09'], "both of 2020's expenses, the late one included");
  t.same(window.states[0].seen, { dated: 2, undated: 1 });
  const expected = JSON.stringify(yearJournal(await journalFromStore(store), cut), (_key, value: unknown) => (value instanceof Map ? [...value] : value));
  const read = JSON.stringify(await readYearJournal(runner, cut), (_key, value: unknown) => (value instanceof Map ? [...value] : value));
  t.equal(read, expected, "the export's journal is the whole journal's year");
});

t.test('a window of an empty log is at the empty position', async (t) => {
  const store = await storeWith([]);
  t.teardown(() => store.close());
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  const window = await runner.readMany([yearWindowProjection({ year: 2020 })] as const, { asOf: '2020-12-31' });
  const openings = await runner.readMany([yearOpeningsProjection] as const);
  t.equal(window.position, openings.position);
  await appendEvents(store, [kamer(KAMER), spent('2020-03-01', '20.00')]);
  const later = await runner.readMany([yearWindowProjection({ year: 2020 })] as const, { asOf: '2020-12-31' });
  t.equal(later.position, '2', 'a later read folds what was appended since');
  t.same(later.states[0].entries.map((entry) => entry.date), ['2020-03-01']);
});
