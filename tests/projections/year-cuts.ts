/**
 * The property harness of the year folds' tests (year-balance, year-journal): random logs from
 * journal-scenarios.ts in a real SQLite store, a year and an optional asOf cut, each checked
 * against the whole journal's year for that cut.
 */
import type { Test } from 'tap';
import fc from 'fast-check';
import type { Journal } from '../../src/projections/journal.js';
import type { YearCut } from '../../src/projections/trial-balance.js';
import type { EventStore } from '../../src/store/port.js';
import { journalFromStore, storeWith } from './journal-events.js';
import { scenario } from './journal-scenarios.js';

const RUNS = 60;

const day = fc
  .record({ year: fc.constantFrom(2018, 2019, 2020, 2021), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

/** Runs `check` (which throws on a difference) on RUNS random logs, years and cuts, with the log's whole journal. */
export async function forRandomLogsAndCuts(t: Test, check: (store: EventStore, cut: YearCut, journal: Journal) => Promise<void>): Promise<void> {
  // Resolves when the property held for every run; a counterexample fails this assertion.
  await t.resolves(
    fc.assert(
      fc.asyncProperty(scenario, fc.constantFrom(2018, 2019, 2020, 2021), fc.option(day, { nil: undefined }), async ({ events }, year, asOf) => {
        const store = await storeWith(events);
        try {
          await check(store, { year, ...(asOf === undefined ? {} : { asOf }) }, await journalFromStore(store));
        } finally {
          await store.close();
        }
      }),
      { numRuns: RUNS },
    ),
    `${RUNS} random logs, years and cuts`,
  );
}
