import t from 'tap';
import fc from 'fast-check';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { trialBalance, yearJournal } from '../../src/projections/trial-balance.js';
import { yearBalanceProjection, yearBalanceTrialBalance } from '../../src/projections/year-balance.js';
import type { EventStore } from '../../src/store/port.js';
import { journalFromStore, storeWith } from './journal-events.js';
import { scenario } from './journal-scenarios.js';

const RUNS = 60;

/** The replay's trial balance: the bounded fold, read through the replay's whole cut. */
async function foldedBalance(store: EventStore, year: number, asOf: string | undefined) {
  const runner = new LogProjectionRunner(store);
  try {
    const cut = { year, ...(asOf === undefined ? {} : { asOf }) };
    return yearBalanceTrialBalance(await runner.read(yearBalanceProjection(cut), asOf === undefined ? undefined : { asOf }), cut);
  } finally {
    await runner.close();
  }
}

const day = fc
  .record({ year: fc.constantFrom(2018, 2019, 2020, 2021), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

t.test('the bounded fold gives the trial balance of the whole journal, for any log, year and asOf cut', async (t) => {
  // Resolves when the property held for every run; a counterexample fails this assertion.
  await t.resolves(
    fc.assert(
      fc.asyncProperty(scenario, fc.constantFrom(2018, 2019, 2020, 2021), fc.option(day, { nil: undefined }), async ({ events }, year, asOf) => {
        const store = await storeWith(events);
        try {
          const cut = { year, ...(asOf === undefined ? {} : { asOf }) };
          const fromJournal = trialBalance(yearJournal(await journalFromStore(store), cut));
          const folded = await foldedBalance(store, year, asOf);
          if (JSON.stringify(folded) !== JSON.stringify(fromJournal)) {
            throw new Error(`${year} as of ${asOf ?? '-'}: fold ${JSON.stringify(folded)} ≠ journal ${JSON.stringify(fromJournal)}`);
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
