/**
 * Reads that do not wait behind a long catch-up (`duringCatchUp: 'answer-now'`): they answer with
 * the states as folded so far and the position those reflect; a short catch-up is still awaited,
 * and a default read always waits for every recorded event. And a read with nothing new to fold
 * does not query the log (the store's logVersion), yet sees every commit, its own process's or another's.
 */
import t from 'tap';
import type { Projection } from '../../src/projections/projection.js';
import { EMPTY_LOG, LogProjectionRunner } from '../../src/projections/runner.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { appendEvents, expense, testStore } from './read-model-events.js';

/** The positions folded, in order: the position a snapshot claims must be the last of them. */
function positionsProjection(name: string): Projection<{ positions: string[] }> {
  return {
    name,
    initial: () => ({ positions: [] }),
    apply(state, event) {
      state.positions.push(event.position);
      return state;
    },
  };
}

const expenses = (count: number) => Array.from({ length: count }, (_, index) => expense('top', 2020, 'rent', '2020-01-31', `${index + 1}.00`));

t.test('a snapshot reflects one position: the last event folded into every state it returns', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store, { pageSize: 4 });
  t.teardown(() => runner.close());
  const [first, second] = [positionsProjection('first'), positionsProjection('second')];
  const empty = await runner.readMany([first, second] as const);
  t.equal(empty.position, EMPTY_LOG, 'no event yet');
  await appendEvents(store, expenses(10));
  const snapshot = await runner.readMany([first, second] as const);
  t.equal(snapshot.position, await store.lastPosition());
  t.equal(snapshot.states[0].positions.at(-1), snapshot.position);
  t.equal(snapshot.states[1].positions.at(-1), snapshot.position);
});

t.test('answer-now reads take the states mid-way through a long catch-up; waiting reads see every event', async (t) => {
  const store = testStore(t);
  // A pass is long after 2 full pages of 5 events.
  const runner = new LogProjectionRunner(store, { pageSize: 5, longCatchUpPages: 2 });
  t.teardown(() => runner.close());
  const projection = positionsProjection('positions');
  await appendEvents(store, expenses(3));
  const caughtUp = await runner.readMany([projection] as const);
  t.equal(caughtUp.states[0].positions.length, 3, 'current once: from now on a usable answer while it folds on');

  await appendEvents(store, expenses(40));
  const head = await store.lastPosition();
  const [early, complete] = await Promise.all([runner.readMany([projection] as const, {}, { duringCatchUp: 'answer-now' }), runner.readMany([projection] as const)]);
  t.not(early.position, head, 'answered before the pass reached the head');
  // Snapshotted as it was answered: the state object folds on, its position at that moment was early.position.
  t.ok(BigInt(early.position) >= BigInt(caughtUp.position) + 10n, 'after the two pages that made the pass long');
  t.equal(complete.position, head, 'the waiting read saw every event');
  t.equal(complete.states[0].positions.length, 43);

  await appendEvents(store, expenses(2));
  const short = await runner.readMany([projection] as const, {}, { duringCatchUp: 'answer-now' });
  t.equal(short.position, await store.lastPosition(), 'a short catch-up is awaited: the two new events are in');
});

t.test('answer-now never answers from a state that was never current (a cold start waits)', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store, { pageSize: 5, longCatchUpPages: 1 });
  t.teardown(() => runner.close());
  await appendEvents(store, expenses(30));
  const cold = await runner.readMany([positionsProjection('cold')] as const, {}, { duringCatchUp: 'answer-now' });
  t.equal(cold.position, await store.lastPosition(), 'folded the whole log before answering');
  t.equal(cold.states[0].positions.length, 30);
});

t.test('a read with nothing new skips the page query; a commit by this store or another connection is seen', async (t) => {
  const store = testStore(t);
  let scans = 0;
  const scanAll = store.scanAll.bind(store);
  store.scanAll = (after, batchSize) => {
    scans += 1;
    return scanAll(after, batchSize);
  };
  const runner = new LogProjectionRunner(store, { pageSize: 5 });
  t.teardown(() => runner.close());
  const projection = positionsProjection('positions');
  await appendEvents(store, expenses(7));
  t.equal((await runner.read(projection)).positions.length, 7);
  const afterFirst = scans;
  await runner.read(projection);
  await runner.read(projection);
  t.equal(scans, afterFirst, 'nothing appended: no query');

  await appendEvents(store, expenses(1));
  t.equal((await runner.read(projection)).positions.length, 8, 'our own commit is seen');
  t.ok(scans > afterFirst);

  const other = new SqliteEventStore(store.path);
  t.teardown(() => other.close());
  await appendEvents(other, expenses(2));
  t.equal((await runner.read(projection)).positions.length, 10, "another connection's commit is seen (data_version)");
});
