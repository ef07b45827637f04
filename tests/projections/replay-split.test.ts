import t from 'tap';
import { checkedWorkerShare } from '../../src/projections/replay-check.js';
import { mainThreadRunnerOptions, mainThreadShare, workerRunnerOptions } from '../../src/projections/replay-split.js';
import { replayReports } from '../../src/projections/reports.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { trialBalance, yearJournal, type YearCut } from '../../src/projections/trial-balance.js';
import { mergeYearBalances, yearBalanceProjection, yearBalanceTrialBalance } from '../../src/projections/year-balance.js';
import type { EventStore } from '../../src/store/port.js';
import { testStore } from './read-model-events.js';
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
  // Both shares as the replay folds them without --known-at: without envelopes (replay-split.ts).
  const main = await read(store, mainThreadRunnerOptions((await store.lastPosition()) ?? '0', {}), (runner) => runner.read(mainThreadShare(cut), timeCut));
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

t.test("without --known-at the replay's runners read no envelopes, and report exactly what a runner that reads them reports", async (t) => {
  t.same(mainThreadRunnerOptions('9', {}).withoutEnvelopes, true, 'the main thread without knownAt');
  t.same(workerRunnerOptions({}).withoutEnvelopes, true, 'the worker without knownAt');
  t.equal(mainThreadRunnerOptions('9', { knownAt: '2021-01-01T00:00:00.000Z' }).withoutEnvelopes, undefined, 'with knownAt the main thread reads them');
  t.equal(workerRunnerOptions({ knownAt: '2021-01-01T00:00:00.000Z' }).withoutEnvelopes, undefined, 'and the worker too');
  let compared = 0;
  let reported = 0;
  await forRandomLogsAndCuts(t, async (store, cut) => {
    const query = { ...cut, referenceDate: `${cut.year}-12-31` };
    const head = (await store.lastPosition()) ?? '0';
    // The reports, or the refusal (a random log may lack a valuation rate the reports need).
    const outcome = (options: ConstructorParameters<typeof LogProjectionRunner>[1]) =>
      read(store, options, (runner) => replayReports(runner, query, 'fold')).then(
        (reports) => JSON.stringify(reports),
        (error: unknown) => `refused: ${String(error)}`,
      );
    const [without, reading] = [await outcome(mainThreadRunnerOptions(head, {})), await outcome({})];
    if (without !== reading) throw new Error(`${cut.year} as of ${cut.asOf ?? '-'}: without envelopes ${without}, reading them ${reading}`);
    compared += 1;
    if (!without.startsWith('refused')) reported += 1;
  });
  t.ok(compared > 0 && reported > 0, `the outcomes of ${compared} logs and cuts compared, ${reported} of them reports`);
});

t.test('a runner without envelopes refuses a read cut by knownAt instead of answering from empty envelopes', async (t) => {
  const runner = new LogProjectionRunner(testStore(t), { withoutEnvelopes: true });
  try {
    await t.rejects(runner.read(mainThreadShare({ year: 2020 }), { knownAt: '2021-01-01T00:00:00.000Z' }), /without envelopes cannot cut by knownAt/);
  } finally {
    await runner.close();
  }
});
