import t from 'tap';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { loadConfig } from '../../src/config.js';
import { foldedTrialBalance } from '../../src/projections/reports.js';
import { checkedTrialBalance } from '../../src/projections/replay-check.js';
import { startReplayWorker } from '../../src/projections/replay-worker.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import type { SqliteEventStore } from '../../src/store/sqlite.js';
import { appendEvents, expense, kamer, testStore } from './read-model-events.js';

/**
 * The accountant's replay folds the log unchecked on its main thread while a worker folds the
 * trial balance and checks every event against the contract (replay-worker.ts). These hold that
 * the worker refuses what the inline check refused, with the same message, that its trial
 * balance is the one the main thread would fold, and that the replay prints nothing for a log
 * with a malformed event.
 */
const QUERY = { year: 2020, asOf: '2020-12-31' };

/** Two good events, then one a fold would also choke on (an amount as a number), then a good one. */
async function logWithMalformedThird(store: SqliteEventStore): Promise<void> {
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00')]);
  await store.append('expenses-top-2020', [{ type: 'ExpensePaid', data: { ...expense('top', 2020, 'rent', '2020-03-02', '1.00').data, amount: 12 }, metadata: { recordedBy: 'test' } }], 'any');
  await appendEvents(store, [expense('top', 2020, 'rent', '2020-03-03', '5.00')]);
}

const CONTRACT_MESSAGE = /event at position 3 \(ExpensePaid\) does not match its schema/;

t.test('the worker refuses the first malformed event with its position', async (t) => {
  const store = testStore(t);
  await logWithMalformedThird(store);
  const refused = await checkedTrialBalance(store, QUERY);
  t.equal(refused.ok, false);
  t.match(refused, { message: CONTRACT_MESSAGE });
});

t.test("on a well-formed log the worker's trial balance is the one a runner folds", async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00'), expense('top', 2020, 'rent', '2020-03-02', '1.00')]);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  const expected = await foldedTrialBalance(runner, QUERY);
  t.match(expected.totals, { debit: '101.00', credit: '101.00' }, 'the expenses are in it');
  t.same(await checkedTrialBalance(store, QUERY), { ok: true, trialBalance: expected });
  t.same(await startReplayWorker(loadConfig({ SQLITE_PATH: store.path }), QUERY).verdict, { ok: true, trialBalance: expected }, 'and through the worker thread');
});

t.test('the worker thread gives the same refusal on the ledger file', async (t) => {
  const store = testStore(t);
  await logWithMalformedThird(store);
  const verdict = await startReplayWorker(loadConfig({ SQLITE_PATH: store.path }), QUERY).verdict;
  t.equal(verdict.ok, false);
  t.match(verdict, { message: CONTRACT_MESSAGE });
});

t.test('the replay refuses a log with a malformed event with the contract message, though its fold failed first', async (t) => {
  const store = testStore(t);
  await logWithMalformedThird(store);
  const out: string[] = [];
  const run = replayCommand.run(['--as-of', '2020-12-31', '--json'], { config: loadConfig({ SQLITE_PATH: store.path }), out: (text) => out.push(text), err: () => undefined });
  await t.rejects(run, CONTRACT_MESSAGE);
  t.same(out, [], 'nothing printed');
});

t.test('the replay refuses a malformed event the unchecked fold would have passed over', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top')]);
  await store.append('kamer-bad', [{ type: 'KamerRegistered', data: { kamerId: 'Not A Slug', name: 'x' }, metadata: { recordedBy: 'test' } }], 'any');
  const out: string[] = [];
  const run = replayCommand.run(['--as-of', '2020-12-31', '--json'], { config: loadConfig({ SQLITE_PATH: store.path }), out: (text) => out.push(text), err: () => undefined });
  await t.rejects(run, /event at position 2 \(KamerRegistered\) does not match its schema/);
  t.same(out, [], 'nothing printed');
});
