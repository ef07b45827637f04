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

t.test('answer-now reads leave nothing behind once answered (no reaction kept per read on a promise that stays pending)', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store, { pageSize: 5, longCatchUpPages: 2 });
  t.teardown(() => runner.close());
  const projection = positionsProjection('positions');
  // The waiting reads are private state; looked at here because what used to grow (a reaction per
  // read on a promise no pass resolved) is invisible otherwise short of measuring the heap.
  const waiters = (runner as unknown as { answerNowWaiters: Set<unknown> }).answerNowWaiters;
  await appendEvents(store, expenses(3));
  await runner.read(projection);
  for (let round = 0; round < 20; round += 1) {
    await appendEvents(store, expenses(1));
    // Short passes: each read waits for its catch-up, which releases it.
    const reads = await Promise.all(Array.from({ length: 5 }, () => runner.readMany([projection] as const, {}, { duringCatchUp: 'answer-now' })));
    t.equal(reads[0]?.position, await store.lastPosition(), `round ${round}: the new event is in`);
  }
  t.equal(waiters.size, 0, 'every released read left the set');

  // A long pass releases the reads waiting at that moment, and they leave the set too.
  await appendEvents(store, expenses(40));
  const early = await runner.readMany([projection] as const, {}, { duringCatchUp: 'answer-now' });
  t.not(early.position, await store.lastPosition(), 'answered mid-pass');
  t.equal(waiters.size, 0, 'released by the long pass, and gone from the set');
  t.equal((await runner.read(projection)).positions.length, 3 + 20 + 40, 'a waiting read still sees every event');
});

t.test('a caught-up runner answers without a pass, and every read after a commit sees it', async (t) => {
  const store = testStore(t);
  let versions = 0;
  const logVersion = store.logVersion.bind(store);
  store.logVersion = () => {
    versions += 1;
    return logVersion();
  };
  const runner = new LogProjectionRunner(store, { pageSize: 5 });
  t.teardown(() => runner.close());
  const [first, second] = [positionsProjection('first'), positionsProjection('second')];
  await appendEvents(store, expenses(6));
  const folded = await runner.readMany([first, second] as const, {}, { duringCatchUp: 'answer-now' });
  // Counts the passes from here (a private method: the fast path is otherwise visible only as speed).
  const passes = runner as unknown as { catchUpAll: () => Promise<void> };
  const catchUpAll = passes.catchUpAll.bind(runner);
  let passCount = 0;
  passes.catchUpAll = () => {
    passCount += 1;
    return catchUpAll();
  };
  // Read after read at one version: the same states, at the head, from the caught-up runner.
  const again = await Promise.all(Array.from({ length: 10 }, () => runner.readMany([first, second] as const, {}, { duringCatchUp: 'answer-now' })));
  t.equal(passCount, 0, 'without a catch-up pass');
  for (const snapshot of again) {
    t.equal(snapshot.position, folded.position);
    t.equal(snapshot.states[0], folded.states[0], 'the live state itself');
  }
  t.ok(versions >= 10, 'each read asked the log version (so a commit is never missed)');
  for (let round = 0; round < 5; round += 1) {
    await appendEvents(store, expenses(1));
    const [mine, answerNow] = await Promise.all([runner.readMany([second] as const), runner.readMany([first, second] as const, {}, { duringCatchUp: 'answer-now' })]);
    const head = await store.lastPosition();
    t.equal(mine.position, head, `round ${round}: a waiting read sees the commit`);
    t.equal(answerNow.position, head, `round ${round}: so does an answer-now read (a short pass is awaited)`);
    t.equal(answerNow.states[0].positions.length, 7 + round);
  }
});
