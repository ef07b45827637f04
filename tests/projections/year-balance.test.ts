import t from 'tap';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { trialBalance, yearJournal } from '../../src/projections/trial-balance.js';
import { yearBalanceProjection, yearBalanceTrialBalance } from '../../src/projections/year-balance.js';
import type { EventStore } from '../../src/store/port.js';
import { forRandomLogsAndCuts } from './year-cuts.js';

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

t.test('the bounded fold gives the trial balance of the whole journal, for any log, year and asOf cut', async (t) => {
  await forRandomLogsAndCuts(t, async (store, cut, journal) => {
    const fromJournal = trialBalance(yearJournal(journal, cut));
    const folded = await foldedBalance(store, cut.year, cut.asOf);
    if (JSON.stringify(folded) !== JSON.stringify(fromJournal)) {
      throw new Error(`${cut.year} as of ${cut.asOf ?? '-'}: fold ${JSON.stringify(folded)} ≠ journal ${JSON.stringify(fromJournal)}`);
    }
  });
});
