/**
 * year-journal.ts: one year's journal folded from the log (the year's entries, sums before it)
 * must be the very YearJournal the whole journal gives for that year and cut, since the exports'
 * bytes (and the closed years' recorded SHA-256s) are made of it.
 */
import t from 'tap';
import fc from 'fast-check';
import { ProjectionsAtPosition } from '../../src/projections/at-position.js';
import { readYearJournal, type YearCutQuery } from '../../src/projections/reports.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { yearJournal, type YearJournal } from '../../src/projections/trial-balance.js';
import type { EventStore } from '../../src/store/port.js';
import { journalFromStore, storeWith } from './journal-events.js';
import { scenario } from './journal-scenarios.js';

const RUNS = 60;

/** Everything a YearJournal holds, as comparable text (its maps as entry lists). */
function comparable(year: YearJournal): string {
  return JSON.stringify({ ...year, accounts: [...year.accounts], context: Object.entries(year.context).map(([key, map]) => [key, [...map]]) });
}

const day = fc
  .record({ year: fc.constantFrom(2018, 2019, 2020, 2021), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

async function throughRunner(store: EventStore, query: YearCutQuery): Promise<YearJournal> {
  const runner = new LogProjectionRunner(store);
  try {
    return await readYearJournal(runner, query);
  } finally {
    await runner.close();
  }
}

t.test('the year fold gives the whole journal\'s year, for any log, year and asOf cut, live and at a position', async (t) => {
  // Resolves when the property held for every run; a counterexample fails this assertion.
  await t.resolves(
    fc.assert(
      fc.asyncProperty(scenario, fc.constantFrom(2018, 2019, 2020, 2021), fc.option(day, { nil: undefined }), async ({ events }, year, asOf) => {
        const store = await storeWith(events);
        try {
          const query = { year, ...(asOf === undefined ? {} : { asOf }) };
          const expected = comparable(yearJournal(await journalFromStore(store), query));
          const live = comparable(await throughRunner(store, query));
          if (live !== expected) throw new Error(`${year} as of ${asOf ?? '-'}: fold ${live} ≠ journal ${expected}`);
          const head = await store.lastPosition();
          if (head !== undefined) {
            const atPosition = comparable(await readYearJournal(new ProjectionsAtPosition(store, head), query));
            if (atPosition !== expected) throw new Error(`${year} as of ${asOf ?? '-'} at ${head}: fold ${atPosition} ≠ journal ${expected}`);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: RUNS },
    ),
    `${RUNS} random logs, years and cuts`,
  );
});
