import t from 'tap';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { loadConfig } from '../../src/config.js';
import type { DomainEvent } from '../../src/domain/events.js';
import { foldedTrialBalance } from '../../src/projections/reports.js';
import { checkedWorkerShare } from '../../src/projections/replay-check.js';
import { mainThreadRunnerOptions, mainThreadShare, MAIN_THREAD_TYPES } from '../../src/projections/replay-split.js';
import { startReplayWorker } from '../../src/projections/replay-worker.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { mergeYearBalances, yearBalanceTrialBalance } from '../../src/projections/year-balance.js';
import type { SqliteEventStore } from '../../src/store/sqlite.js';
import { appendEvents, expense, hours, invoice, kamer, testStore } from './read-model-events.js';

/**
 * The accountant's replay checks and folds the log on two threads (replay-split.ts): the main
 * thread checks and posts the types it parses anyway, a worker every other event; the rest of the
 * main thread's folds read the log unchecked. These hold that a malformed event is refused by
 * whichever thread checks its type, with the contract's message and at the lowest position, that
 * the two shares of the trial balance add up to the one a single runner folds, and that the
 * replay prints nothing for a log with a malformed event.
 */
const QUERY = { year: 2020, asOf: '2020-12-31' };

/** One event as stored, with data the contract refuses (the write side would never store it). */
async function appendMalformed(store: SqliteEventStore, event: DomainEvent, data: Record<string, unknown>): Promise<void> {
  await store.append(`bad-${event.type}-${Math.random()}`, [{ type: event.type, data: { ...event.data, ...data }, metadata: { recordedBy: 'test' } }], 'any');
}

/** Two good events, then one a fold would also choke on (an amount as a number), then a good one. */
async function logWithMalformedThird(store: SqliteEventStore): Promise<void> {
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00')]);
  await appendMalformed(store, expense('top', 2020, 'rent', '2020-03-02', '1.00'), { amount: 12 });
  await appendEvents(store, [expense('top', 2020, 'rent', '2020-03-03', '5.00')]);
}

const CONTRACT_MESSAGE = /event at position 3 \(ExpensePaid\) does not match its schema/;

function replay(store: SqliteEventStore, args: readonly string[], out: string[]): Promise<number> {
  return replayCommand.run([...args], { config: loadConfig({ SQLITE_PATH: store.path }), out: (text) => out.push(text), err: () => undefined });
}

/** The trial balance from the two shares, each folded by a runner of its own as the two threads fold it. */
async function mergedTrialBalance(store: SqliteEventStore) {
  const verdict = await checkedWorkerShare(store, QUERY);
  if (!verdict.ok) throw new Error(verdict.message);
  const runner = new LogProjectionRunner(store, mainThreadRunnerOptions((await store.lastPosition())!));
  try {
    const share = await runner.read(mainThreadShare(QUERY), { asOf: QUERY.asOf });
    return yearBalanceTrialBalance(mergeYearBalances(verdict.share, share), QUERY);
  } finally {
    await runner.close();
  }
}

t.test('the worker refuses the first malformed event of its types with its position, and leaves the main thread\'s unparsed', async (t) => {
  const store = testStore(t);
  await logWithMalformedThird(store);
  t.ok(MAIN_THREAD_TYPES.has('ExpensePaid'), 'expenses are checked on the main thread');
  t.match(await checkedWorkerShare(store, QUERY), { ok: true }, 'the malformed expense is not the worker\'s to check');
  await appendMalformed(store, hours('top', 'ann', '2020-04-01', '3.00'), { hours: 3 });
  const refused = await checkedWorkerShare(store, QUERY);
  t.match(refused, { ok: false, position: '5', message: /event at position 5 \(VolunteerHoursRecorded\) does not match its schema/ });
});

t.test("on a well-formed log the two shares add up to the trial balance one runner folds", async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00'), hours('top', 'ann', '2020-04-01', '3.00'), expense('top', 2020, 'rent', '2020-03-02', '1.00')]);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  const expected = await foldedTrialBalance(runner, QUERY);
  t.match(expected.totals, { debit: '101.00', credit: '101.00' }, 'the expenses are in it');
  t.same(await mergedTrialBalance(store), expected);
  const verdict = await startReplayWorker(loadConfig({ SQLITE_PATH: store.path }), QUERY, (await store.lastPosition())!).verdict;
  t.same(verdict, await checkedWorkerShare(store, QUERY), 'the worker thread posts the same share');
});

t.test('the worker thread gives the same refusal on the ledger file', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top')]);
  await appendMalformed(store, hours('top', 'ann', '2020-04-01', '3.00'), { hours: 3 });
  const verdict = await startReplayWorker(loadConfig({ SQLITE_PATH: store.path }), QUERY, (await store.lastPosition())!).verdict;
  t.match(verdict, { ok: false, position: '2', message: /event at position 2 \(VolunteerHoursRecorded\) does not match its schema/ });
});

t.test('the replay refuses a log with a malformed event with the contract message, though its fold failed first', async (t) => {
  const store = testStore(t);
  await logWithMalformedThird(store);
  const out: string[] = [];
  const run = replay(store, ['--as-of', '2020-12-31', '--json'], out);
  await t.rejects(run, CONTRACT_MESSAGE);
  t.same(out, [], 'nothing printed');
});

t.test('the replay refuses a malformed event the unchecked fold would have passed over', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top')]);
  await appendMalformed(store, kamer('top'), { kamerId: 'Not A Slug', name: 'x' });
  const out: string[] = [];
  const run = replay(store, ['--as-of', '2020-12-31', '--json'], out);
  await t.rejects(run, /event at position 2 \(KamerRegistered\) does not match its schema/);
  t.same(out, [], 'nothing printed');
});

t.test("a malformed event of a main thread's type is refused at its position, also past the --as-of cut", async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00')]);
  // Dated after the cut: the main thread's folds never read it, but it is checked as a single pass checked it.
  await appendMalformed(store, invoice({ financier: 'mitros', kamer: 'top', year: 2021, number: '2021-0001', issueDate: '2021-02-01', total: '10.00' }), { lines: [{ description: 'bijdrage', amount: 10 }] });
  await appendEvents(store, [expense('top', 2020, 'rent', '2020-03-03', '5.00')]);
  const out: string[] = [];
  await t.rejects(replay(store, ['--as-of', '2020-12-31', '--json'], out), { name: 'StoredEventCorrupt', message: /^event at position 3 \(InvoiceIssued\) does not match its schema/ });
  t.same(out, [], 'nothing printed');
});

t.test('of malformed events on both threads, the replay refuses the one at the lowest position', async (t) => {
  for (const mainFirst of [true, false]) {
    const store = testStore(t);
    await appendEvents(store, [kamer('top')]);
    const badExpense = () => appendMalformed(store, expense('top', 2020, 'rent', '2020-03-02', '1.00'), { amount: 12 });
    const badHours = () => appendMalformed(store, hours('top', 'ann', '2020-04-01', '3.00'), { hours: 3 });
    await (mainFirst ? badExpense() : badHours());
    await appendEvents(store, [expense('top', 2020, 'rent', '2020-03-03', '5.00')]);
    await (mainFirst ? badHours() : badExpense());
    const first = mainFirst ? /^event at position 2 \(ExpensePaid\) does not match its schema/ : /^event at position 2 \(VolunteerHoursRecorded\) does not match its schema/;
    const out: string[] = [];
    await t.rejects(replay(store, ['--as-of', '2020-12-31', '--json'], out), { name: 'StoredEventCorrupt', message: first }, mainFirst ? 'the main thread\'s first' : 'the worker\'s first');
    t.same(out, [], 'nothing printed');
  }
});

t.test('the worker folds the log up to the head it is given: events written after it (a malformed one too) are not its to fold', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00'), hours('top', 'ann', '2020-04-01', '3.00')]);
  const head = (await store.lastPosition())!;
  const before = await checkedWorkerShare(store, QUERY);
  await appendEvents(store, [hours('top', 'bob', '2020-05-01', '2.00')]);
  await appendMalformed(store, hours('top', 'ann', '2020-06-01', '3.00'), { hours: 3 });
  t.same(await startReplayWorker(loadConfig({ SQLITE_PATH: store.path }), QUERY, head).verdict, before, 'the share as it was at the head');
  t.match(await checkedWorkerShare(store, QUERY), { ok: false }, 'while the whole log now holds a malformed event');
});
