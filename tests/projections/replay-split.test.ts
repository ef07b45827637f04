import t from 'tap';
import { checkedWorkerShare } from '../../src/projections/replay-check.js';
import { mainThreadRunnerOptions, mainThreadShare } from '../../src/projections/replay-split.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { trialBalance, yearJournal, type YearCut } from '../../src/projections/trial-balance.js';
import { mergeYearBalances, yearBalanceProjection, yearBalanceTrialBalance } from '../../src/projections/year-balance.js';
import type { EventStore } from '../../src/store/port.js';
import { forRandomLogsAndCuts } from './year-cuts.js';

/**
 * The replay's trial balance is folded in two shares (replay-split.ts): the main thread posts its
 * types, the worker every other, each following the posting context. Added up, they must be the
 * single fold's trial balance, and so the journal's, for any log, year and asOf cut.
 */
async function read<S>(store: EventStore, options: ConstructorParameters<typeof LogProjectionRunner>[1], fold: (runner: LogProjectionRunner) => Promise<S>): Promise<S> {
  const runner = new LogProjectionRunner(store, options);
  try {
    return await fold(runner);
  } finally {
    await runner.close();
  }
}

async function mergedShares(store: EventStore, cut: YearCut) {
  const timeCut = cut.asOf === undefined ? undefined : { asOf: cut.asOf };
  const worker = await checkedWorkerShare(store, cut);
  if (!worker.ok) throw new Error(`the worker refused a well-formed log: ${worker.message}`);
  const main = await read(store, mainThreadRunnerOptions((await store.lastPosition()) ?? '0'), (runner) => runner.read(mainThreadShare(cut), timeCut));
  const single = await read(store, {}, (runner) => runner.read(yearBalanceProjection(cut), timeCut));
  return { merged: yearBalanceTrialBalance(mergeYearBalances(worker.share, main), cut), single: yearBalanceTrialBalance(single, cut) };
}

t.test('the two shares add up to the single fold and to the journal, for any log, year and asOf cut', async (t) => {
  await forRandomLogsAndCuts(t, async (store, cut, journal) => {
    const { merged, single } = await mergedShares(store, cut);
    const fromJournal = trialBalance(yearJournal(journal, cut));
    for (const [name, expected] of [['single fold', single], ['journal', fromJournal]] as const) {
      if (JSON.stringify(merged) !== JSON.stringify(expected)) {
        throw new Error(`${cut.year} as of ${cut.asOf ?? '-'}: shares ${JSON.stringify(merged)} ≠ ${name} ${JSON.stringify(expected)}`);
      }
    }
  });
});
