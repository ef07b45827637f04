import t, { type Test } from 'tap';
import type { Projection } from '../../src/projections/projection.js';
import { CLOCK_SKEW_MARGIN_MS, LiveProjection, LogProjectionRunner } from '../../src/projections/runner.js';
import type { EventStore, ScannedRow } from '../../src/store/port.js';
import { scanAllByReadAll, scanBusinessYearByScanAll } from '../../src/store/scan.js';
import { appendEvents, expense, kamer, payment, pledge, projected, recordingClock, testStore } from './read-model-events.js';

/** Counts every apply, so a test can see an event applied twice or a replay that should not happen. */
function countingProjection(name = 'counting'): Projection<{ positions: string[]; types: string[] }> & { applies: number } {
  const projection = {
    name,
    applies: 0,
    initial: () => ({ positions: [] as string[], types: [] as string[] }),
    apply(state: { positions: string[]; types: string[] }, event: { position: string; event: { type: string } }) {
      projection.applies += 1;
      state.positions.push(event.position);
      state.types.push(event.event.type);
      return state;
    },
  };
  return projection;
}

/**
 * The port without the SQLite adapter's own scan (batches cut from readAll, as the EventStoreDB
 * adapter does, and no business-date index), counting scans: one per page read.
 */
function genericStore(inner: EventStore): EventStore & { pageReads: number } {
  const wrapper = {
    kind: inner.kind,
    pageReads: 0,
    append: inner.append.bind(inner),
    readStream: inner.readStream.bind(inner),
    readAll: inner.readAll.bind(inner),
    scanAll(after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> {
      wrapper.pageReads += 1;
      return scanAllByReadAll(inner, after, batchSize);
    },
    scanBusinessYear(year: number, after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> {
      wrapper.pageReads += 1;
      return scanBusinessYearByScanAll(inner, year, after, batchSize);
    },
    subscribe: inner.subscribe.bind(inner),
    lastPosition: inner.lastPosition.bind(inner),
    idempotentResponse: inner.idempotentResponse.bind(inner),
    close: inner.close.bind(inner),
  };
  return wrapper;
}

const expenses = (count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => expense('top', 2020, 'rent', '2020-01-31', `${from + index}.00`));

t.test('a default read catches up from the last applied position, a page at a time, and reads only new events', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store, { pageSize: 3 });
  t.teardown(() => runner.close());
  const counting = countingProjection();
  await appendEvents(store, expenses(7));
  const first = await runner.read(counting);
  t.same(first.positions, ['1', '2', '3', '4', '5', '6', '7']);
  await appendEvents(store, expenses(4, 100));
  const second = await runner.read(counting);
  t.equal(second, first, 'the same state object, caught up in place');
  t.same(second.positions, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
  t.equal(counting.applies, 11, 'every event applied exactly once over both reads');
  await runner.read(counting);
  t.equal(counting.applies, 11, 'a read with nothing new applies nothing');
});

t.test('concurrent reads while events arrive never apply an event twice', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store, { pageSize: 2 });
  t.teardown(() => runner.close());
  const counting = countingProjection();
  const reads: Array<Promise<unknown>> = [];
  for (let round = 0; round < 10; round += 1) {
    reads.push(appendEvents(store, expenses(3, round * 10)));
    for (let reader = 0; reader < 5; reader += 1) reads.push(runner.read(counting));
  }
  await Promise.all(reads);
  const state = await runner.read(counting);
  t.equal(state.positions.length, 30);
  t.same(state.positions, Array.from({ length: 30 }, (_, index) => String(index + 1)), 'each position once, in order');
  t.equal(counting.applies, 30);
});

t.test('a redelivered event is skipped by the live projection', async (t) => {
  const counting = countingProjection();
  const live = new LiveProjection(counting);
  const first = projected(kamer('top'), '1');
  const second = projected(kamer('klop'), '2');
  t.equal(live.offer(first), true);
  t.equal(live.offer(second), true);
  t.equal(live.offer(first), false, 'an older position is not applied again');
  t.equal(live.offer(second), false, 'nor the last one');
  t.same(live.state.positions, ['1', '2']);
  t.equal(live.lastApplied, '2');
  t.equal(live.offer(projected(kamer('x'), '10')), true, 'positions compare as numbers, not text ("10" > "2")');
});

t.test('an asOf cut keeps events dated on or before it and every undated one', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  await appendEvents(store, [
    kamer('top'),
    expense('top', 2019, 'rent', '2019-12-31', '1.00'),
    expense('top', 2020, 'rent', '2020-01-01', '2.00'),
    pledge({ financier: 'portaal', kamer: 'top', year: 2020 }),
    payment('2019-12-30', '3.00'),
  ]);
  const state = await runner.read(countingProjection(), { asOf: '2019-12-31' });
  t.same(state.types, ['KamerRegistered', 'ExpensePaid', 'PledgeMade', 'PaymentReceived']);
});

t.test('a knownAt cut keeps only what was recorded by then', async (t) => {
  const clock = recordingClock('2020-01-01T09:00:00.000Z');
  const store = testStore(t, clock.now);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  await appendEvents(store, [kamer('top')]);
  clock.set('2020-01-05T12:00:00.000Z');
  await appendEvents(store, [kamer('klop')]);
  t.same((await runner.read(countingProjection(), { knownAt: '2020-01-05T11:59:59Z' })).positions, ['1']);
  t.same((await runner.read(countingProjection('other'), { knownAt: '2020-01-05T13:00:00+01:00' })).positions, ['1', '2'], 'an instant with an offset compares as UTC');
});

/** A runner over a store whose clock the test sets, with one kamer recorded at 2020-01-01T09:00Z. */
async function oneKamerRecorded(t: Test) {
  const clock = recordingClock('2020-01-01T09:00:00.000Z');
  const store = testStore(t, clock.now);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  const counting = countingProjection();
  await appendEvents(store, [kamer('a')]);
  return { clock, store, runner, counting };
}

t.test('cut results are cached: sealed when knownAt is before the newest event, else until the log grows', async (t) => {
  const { clock, store, runner, counting } = await oneKamerRecorded(t);
  clock.set('2020-02-01T09:00:00.000Z');
  await appendEvents(store, [kamer('b')]);

  await runner.read(counting, { knownAt: '2020-01-15T00:00:00Z' });
  t.equal(counting.applies, 1);
  await appendEvents(store, [kamer('c')]);
  const again = await runner.read(counting, { knownAt: '2020-01-15T00:00:00Z' });
  t.equal(counting.applies, 1, 'a sealed cut is not replayed, even after new events');
  t.same(again.positions, ['1']);

  await runner.read(counting, { asOf: '2020-12-31' });
  t.equal(counting.applies, 4, 'asOf replays the three events');
  await runner.read(counting, { asOf: '2020-12-31' });
  t.equal(counting.applies, 4, 'the same log head answers from the cache');
  await appendEvents(store, [kamer('d')]);
  const grown = await runner.read(counting, { asOf: '2020-12-31' });
  t.equal(counting.applies, 8, 'a new event means a new replay');
  t.equal(grown.positions.length, 4);
});

t.test('a knownAt cut within the clock-skew margin of the newest event is not sealed: a lagging instance can still add to it', async (t) => {
  const { clock, store, runner, counting } = await oneKamerRecorded(t);
  const knownAt = new Date(Date.parse('2020-01-01T09:00:00.000Z') + CLOCK_SKEW_MARGIN_MS / 2).toISOString();
  clock.set(new Date(Date.parse(knownAt) + CLOCK_SKEW_MARGIN_MS / 4).toISOString());
  await appendEvents(store, [kamer('b')]);
  t.same((await runner.read(counting, { knownAt })).positions, ['1']);
  // Another instance whose clock is behind commits an event stamped before knownAt.
  clock.set('2020-01-01T09:01:00.000Z');
  await appendEvents(store, [kamer('late')]);
  t.same((await runner.read(counting, { knownAt })).positions, ['1', '3'], 'the late event is in the cut: the first answer was not cached for good');
});

t.test('reads of one cut in the same tick share a single pass over the log', async (t) => {
  const inner = testStore(t);
  const store = genericStore(inner);
  const runner = new LogProjectionRunner(store, { pageSize: 1000 });
  t.teardown(() => runner.close());
  await appendEvents(inner, expenses(5));
  const [a, b] = await Promise.all([runner.read(countingProjection('a'), { asOf: '2020-12-31' }), runner.read(countingProjection('b'), { asOf: '2020-12-31' })]);
  t.equal(store.pageReads, 1, 'one page read served both projections');
  t.same(a.positions, b.positions);
  t.equal(a.positions.length, 5);
});

t.test('the generic port path and the SQLite fast path give the same state', async (t) => {
  const inner = testStore(t);
  await appendEvents(inner, [kamer('top'), ...expenses(9)]);
  const viaPort = new LogProjectionRunner(genericStore(inner), { pageSize: 4 });
  const viaSqlite = new LogProjectionRunner(inner, { pageSize: 4 });
  t.teardown(() => Promise.all([viaPort.close(), viaSqlite.close()]));
  t.same(await viaPort.read(countingProjection()), await viaSqlite.read(countingProjection()));
});

t.test('a projection that fails is rebuilt from zero on the next read', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  await appendEvents(store, expenses(3));
  let failOnce = true;
  const fragile: Projection<{ total: number }> = {
    name: 'fragile',
    initial: () => ({ total: 0 }),
    apply(state, event) {
      if (event.position === '2' && failOnce) {
        failOnce = false;
        throw new Error('boom');
      }
      state.total += 1;
      return state;
    },
  };
  await t.rejects(runner.read(fragile), /boom/);
  t.same(await runner.read(fragile), { total: 3 }, 'rebuilt: every event counted once');
});

t.test('two different projections may not share a name', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  await runner.read(countingProjection('same'));
  await t.rejects(runner.read(countingProjection('same')), /two different projections are named same/);
  await t.rejects(runner.read(countingProjection('same'), { asOf: '2020-01-01' }), /two different projections are named same/, 'nor at a cut');
});

t.test('an event that does not match the contract is reported with its position', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  await appendEvents(store, [kamer('top')]);
  await store.append('kamer-bad', [{ type: 'KamerRegistered', data: { kamerId: 'Not A Slug', name: 'x' }, metadata: { recordedBy: 'test' } }], 'any');
  await t.rejects(runner.read(countingProjection()), /event at position 2 \(KamerRegistered\) does not match its schema/);
});

t.test('a closed runner refuses reads', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store);
  await runner.close();
  await t.rejects(runner.read(countingProjection()), /closed/);
});

t.test('recordedAt and recordedBy reach the projection, also when recordedBy needs JSON escapes', async (t) => {
  const clock = recordingClock('2020-03-04T05:06:07.089Z');
  const store = testStore(t, clock.now);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  await appendEvents(store, [kamer('top')], 'treasurer(Anna)');
  await appendEvents(store, [kamer('klop')], 'treasurer("Bob" \\ de Vries)');
  const envelopes: Projection<Array<[string, string]>> = {
    name: 'envelopes',
    initial: () => [],
    apply: (state, event) => (state.push([event.recordedAt, event.recordedBy]), state),
  };
  t.same(await runner.read(envelopes), [
    ['2020-03-04T05:06:07.089Z', 'treasurer(Anna)'],
    ['2020-03-04T05:06:07.089Z', 'treasurer("Bob" \\ de Vries)'],
  ]);
});

t.test('a replay through a cut skips the types none of its projections needs', async (t) => {
  const store = testStore(t);
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  await appendEvents(store, [kamer('top'), ...expenses(3), payment('2020-01-01', '1.00')]);
  await runner.read(countingProjection('validate-everything-first'));
  const narrow = Object.assign(countingProjection('narrow'), { eventTypes: ['PaymentReceived'] as const });
  const state = await runner.read(narrow, { asOf: '2020-12-31' });
  t.same(state.types, ['PaymentReceived']);
  t.equal(narrow.applies, 1);
});

t.test('a cut through an already-checked log skips events outside it before parsing them, with the same answer and sealing', async (t) => {
  const clock = recordingClock('2020-01-01T09:00:00.000Z');
  const store = testStore(t, clock.now);
  await appendEvents(store, [kamer('top'), expense('top', 2019, 'rent', '2019-12-31', '1.00'), expense('top', 2020, 'rent', '2020-01-01', '2.00')]);
  clock.set('2020-02-01T09:00:00.000Z');
  await appendEvents(store, [payment('2019-12-30', '3.00'), expense('top', 2020, 'rent', '2020-03-01', '4.00'), pledge({ financier: 'portaal', kamer: 'top', year: 2020 })]);
  const cuts = [
    { asOf: '2019-12-31' },
    { asOf: '2020-01-01' },
    { knownAt: '2020-01-15T00:00:00Z' },
    { asOf: '2019-12-31', knownAt: '2020-01-15T00:00:00Z' },
    { asOf: 'not a date' },
  ];
  for (const cut of cuts) {
    const fresh = new LogProjectionRunner(store);
    const checked = new LogProjectionRunner(store);
    await checked.read(countingProjection('validate-everything-first'));
    const expected = await fresh.read(countingProjection(), cut);
    t.same(await checked.read(countingProjection(), cut), expected, `same events through ${JSON.stringify(cut)}`);
    await Promise.all([fresh.close(), checked.close()]);
  }

  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  await runner.read(countingProjection('validate-everything-first'));
  const counting = countingProjection();
  const cut = { asOf: '2019-12-31', knownAt: '2020-01-15T00:00:00Z' };
  t.same((await runner.read(counting, cut)).positions, ['1', '2']);
  await appendEvents(store, [kamer('klop')]);
  await runner.read(counting, cut);
  t.equal(counting.applies, 2, 'events skipped unparsed still show their recordedAt: the cut is sealed');
});
