import t from 'tap';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { loadConfig } from '../../src/config.js';
import { validateLog, validateLogInWorker } from '../../src/projections/log-validation.js';
import type { SqliteEventStore } from '../../src/store/sqlite.js';
import { appendEvents, expense, kamer, testStore } from './read-model-events.js';

/**
 * The accountant's replay folds the log unchecked while a worker checks every event against the
 * contract (log-validation.ts). These hold that the check refuses what the inline check refused,
 * with the same message, and that the replay prints nothing for a log with a malformed event.
 */

/** Two good events, then one a fold would also choke on (an amount as a number), then a good one. */
async function logWithMalformedThird(store: SqliteEventStore): Promise<void> {
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00')]);
  await store.append('expenses-top-2020', [{ type: 'ExpensePaid', data: { ...expense('top', 2020, 'rent', '2020-03-02', '1.00').data, amount: 12 }, metadata: { recordedBy: 'test' } }], 'any');
  await appendEvents(store, [expense('top', 2020, 'rent', '2020-03-03', '5.00')]);
}

const CONTRACT_MESSAGE = /event at position 3 \(ExpensePaid\) does not match its schema/;

t.test('validateLog refuses the first malformed event with its position, and checks only through the position given', async (t) => {
  const store = testStore(t);
  await logWithMalformedThird(store);
  const refused = await validateLog(store, '4', 2);
  t.equal(refused.ok, false);
  t.match(refused, { message: CONTRACT_MESSAGE });
  t.same(await validateLog(store, '2', 2), { ok: true, events: 2 }, 'the events after `through` are left to the reader');
});

t.test('a well-formed log is accepted, every event counted', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00'), expense('top', 2020, 'rent', '2020-03-02', '1.00')]);
  t.same(await validateLog(store, '3', 2), { ok: true, events: 3 });
});

t.test('the worker gives the same verdict on the ledger file', async (t) => {
  const store = testStore(t);
  await logWithMalformedThird(store);
  const verdict = await validateLogInWorker(loadConfig({ SQLITE_PATH: store.path }), '4').verdict;
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
