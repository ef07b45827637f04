/**
 * One suite of guarantees that every EventStore adapter must keep. Each adapter's test file calls
 * `runConformance` with a factory that opens a fresh, empty store (and `reopen` to open the same
 * one again after close).
 */
import type { Test } from 'tap';
import { randomUUID } from 'node:crypto';
import {
  ConcurrencyError,
  comparePositions,
  IdempotencyKeyTaken,
  type AppendAnswer,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../../src/store/port.js';
import { digestAt, verifyLog } from '../../src/store/integrity.js';

export interface AdapterUnderTest {
  /** A store over fresh, empty storage; `reopen` opens that same storage again. */
  open(): Promise<{ store: EventStore; reopen: () => Promise<EventStore> }>;
  /**
   * True when every `open()` reaches the same log (a shared EventStoreDB node): a stream name used
   * by one store is then taken in the next, so tests that need a second, independent log give its
   * streams their own names.
   */
  readonly sharedStorage?: boolean;
  /** Puts a system event (one the ledger's log leaves out) at the end of the log; absent: the store has none. */
  addSystemEvent?(store: EventStore, about: string): Promise<void>;
  /**
   * Arms a fault: the next append to `stream` is committed, and then its caller hears an error
   * (a timeout, a dropped connection, a crash between the commit and the answer). Absent where no
   * fault can be injected (a live node).
   */
  commitThenFail?(store: EventStore, stream: string): void;
}

export function newEvent(type: string, data: unknown = {}): NewEvent {
  return { type, data, metadata: { recordedBy: 'test:conformance' } };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Streams get a unique suffix so the suite also works against a shared EventStoreDB node. */
function streamName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function runConformance(t: Test, adapterName: string, adapter: AdapterUnderTest): void {
  const withStore = (name: string, body: (t: Test, store: EventStore, reopen: () => Promise<EventStore>) => Promise<void>) =>
    t.test(`${adapterName}: ${name}`, async (t) => {
      const { store, reopen } = await adapter.open();
      try {
        await body(t, store, reopen);
      } finally {
        await store.close();
      }
    });

  withStore('an appended event reads back with its envelope', async (t, store) => {
    const stream = streamName('roundtrip');
    const result = await store.append(stream, [newEvent('Thing', { amount: '12.50', nested: { b: 1, a: [1, 'x'] } })], 'no-stream');
    t.equal(result.nextExpectedRevision, 0);
    const [event, ...rest] = await collect(store.readStream(stream));
    t.equal(rest.length, 0);
    t.ok(event);
    t.match(event!.id, /^[0-9a-f-]{36}$/);
    t.equal(event!.stream, stream);
    t.equal(event!.revision, 0);
    t.equal(event!.type, 'Thing');
    t.same(event!.data, { amount: '12.50', nested: { b: 1, a: [1, 'x'] } });
    t.equal(event!.metadata.recordedBy, 'test:conformance');
    t.match(event!.metadata.recordedAt, /^\d{4}-\d{2}-\d{2}T.*Z$/);
    t.type(event!.metadata.correlationId, 'string');
    t.type(event!.position, 'string');
    t.match(event!.position, /^\d+$/);
    t.match(event!.hash, /^[0-9a-f]{64}$/);
    t.equal(event!.position, result.position);
  });

  withStore('all events of one append are written together, in order, with consecutive revisions', async (t, store) => {
    const stream = streamName('batch');
    await store.append(stream, [newEvent('A'), newEvent('B'), newEvent('C')], 'no-stream');
    const events = await collect(store.readStream(stream));
    t.same(events.map((e) => [e.type, e.revision]), [['A', 0], ['B', 1], ['C', 2]]);
    t.same(await collect(store.readStream(stream, 1)).then((es) => es.map((e) => e.type)), ['B', 'C']);
  });

  withStore('a refused append writes none of its events', async (t, store) => {
    const stream = streamName('atomic');
    await store.append(stream, [newEvent('A')], 'no-stream');
    await t.rejects(store.append(stream, [newEvent('B'), newEvent('C')], 5), ConcurrencyError);
    t.same((await collect(store.readStream(stream))).map((e) => e.type), ['A']);
  });

  withStore('every expected-revision case is enforced', async (t, store) => {
    const stream = streamName('expected');
    await t.rejects(store.append(stream, [newEvent('A')], 'stream-exists'), ConcurrencyError, 'stream-exists on a new stream');
    await t.rejects(store.append(stream, [newEvent('A')], 0), ConcurrencyError, 'exact revision on a new stream');
    await store.append(stream, [newEvent('A')], 'no-stream');
    await t.rejects(store.append(stream, [newEvent('B')], 'no-stream'), ConcurrencyError, 'no-stream on an existing stream');
    await store.append(stream, [newEvent('B')], 'stream-exists');
    await t.rejects(store.append(stream, [newEvent('C')], 0), ConcurrencyError, 'a stale exact revision');
    await t.rejects(store.append(stream, [newEvent('C')], 7), ConcurrencyError, 'a future exact revision');
    await store.append(stream, [newEvent('C')], 1);
    await store.append(stream, [newEvent('D')], 'any');
    await store.append(streamName('any-new'), [newEvent('E')], 'any');
    t.same((await collect(store.readStream(stream))).map((e) => e.type), ['A', 'B', 'C', 'D']);
  });

  withStore('the concurrency error names the stream and both revisions', async (t, store) => {
    const stream = streamName('error');
    await store.append(stream, [newEvent('A'), newEvent('B')], 'no-stream');
    const error = await store.append(stream, [newEvent('C')], 0).catch((e: unknown) => e);
    t.ok(error instanceof ConcurrencyError);
    const concurrency = error as ConcurrencyError;
    t.equal(concurrency.stream, stream);
    t.equal(concurrency.expected, 0);
    t.equal(concurrency.actual, 1);
  });

  withStore('of two concurrent appends with the same expected revision exactly one wins', async (t, store) => {
    const stream = streamName('race');
    await store.append(stream, [newEvent('Start')], 'no-stream');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.append(stream, [newEvent(`Writer${i}`)], 0)),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    t.equal(won.length, 1);
    t.ok(lost.every((o) => o.reason instanceof ConcurrencyError));
    t.equal((await collect(store.readStream(stream))).length, 2);
  });

  withStore('the global log orders events across streams', async (t, store) => {
    const first = streamName('order-a');
    const second = streamName('order-b');
    const start = await store.lastPosition();
    await store.append(first, [newEvent('One')], 'any');
    await store.append(second, [newEvent('Two')], 'any');
    await store.append(first, [newEvent('Three'), newEvent('Four')], 'any');
    const mine = (await collect(store.readAll(start === undefined ? {} : { after: start }))).filter(
      (e) => e.stream === first || e.stream === second,
    );
    t.same(mine.map((e) => e.type), ['One', 'Two', 'Three', 'Four']);
    for (let i = 1; i < mine.length; i += 1) t.equal(comparePositions(mine[i - 1]!.position, mine[i]!.position), -1);
    const afterSecond = await collect(store.readAll({ after: mine[1]!.position }));
    t.same(afterSecond.filter((e) => e.stream === first).map((e) => e.type), ['Three', 'Four']);
    const limited = await collect(store.readAll({ after: mine[0]!.position, limit: 2 }));
    t.equal(limited.length, 2);
    t.equal(await store.lastPosition(), mine[3]!.position);
  });

  withStore('scanAll gives the log of readAll in full batches and a last short one, data and metadata as JSON text', async (t, store) => {
    const stream = streamName('scan');
    const start = await store.lastPosition();
    await store.append(stream, [newEvent('One', { amount: '1.50' }), newEvent('Two', { nested: { a: [1, 'x'] } })], 'no-stream');
    await store.append(stream, [newEvent('Three'), newEvent('Four'), newEvent('Five', { text: 'a "quoted" \\ word' })], 1);
    const recorded = await collect(store.readAll(start === undefined ? {} : { after: start }));
    const batches = await collect(store.scanAll(start, 2));
    t.same(batches.map((batch) => batch.length), [2, 2, 1], 'full batches of two, then the short last one');
    const rows = batches.flat();
    t.same(rows.map(([position]) => position), recorded.map((event) => event.position));
    t.same(rows.map(([, rowStream, type]) => [rowStream, type]), recorded.map((event) => [event.stream, event.type]));
    t.same(rows.map(([, , , data]) => JSON.parse(data) as unknown), recorded.map((event) => event.data));
    t.same(rows.map(([, , , , metadata]) => JSON.parse(metadata) as unknown), recorded.map((event) => event.metadata));
    const fromThird = (await collect(store.scanAll(recorded[1]!.position, 10))).flat();
    t.same(fromThird.map(([, , type]) => type), ['Three', 'Four', 'Five'], 'strictly after the position given');
    t.same(await collect(store.scanAll(recorded[4]!.position, 10)), [[]], 'at the head: one empty batch');
  });

  withStore('scanAllExcept gives the rows of scanAll without the types named, in full batches and a last short one', async (t, store) => {
    t.ok(store.scanAllExcept !== undefined, 'the adapter has it (the replay worker relies on it to read less)');
    const stream = streamName('scan-except');
    const start = await store.lastPosition();
    await store.append(stream, [newEvent('Kept', { n: 1 }), newEvent('Left', { n: 2 }), newEvent('Kept', { n: 3 }), newEvent('Other', { n: 4 })], 'no-stream');
    await store.append(stream, [newEvent('Left', { n: 5 }), newEvent('Kept', { n: 6 }), newEvent('AlsoLeft', { n: 7 }), newEvent('Kept', { n: 8 })], 3);
    const everything = (await collect(store.scanAll(start, 100))).flat();
    const batches = await collect(store.scanAllExcept!(start, 2, new Set(['Left', 'AlsoLeft'])));
    t.same(batches.map((batch) => batch.length), [2, 2, 1], 'full batches of two, then the short last one');
    const expected = everything.filter(([, , type]) => type !== 'Left' && type !== 'AlsoLeft');
    t.same(batches.flat(), expected, "scanAll's rows of the other types, in log order, as scanAll gives them");
    t.same(expected.map(([, , , data]) => (JSON.parse(data) as { n: number }).n), [1, 3, 4, 6, 8]);
    const afterThird = (await collect(store.scanAllExcept!(everything[2]![0], 10, new Set(['Left'])))).flat();
    t.same(afterThird.map(([, , type]) => type), ['Other', 'Kept', 'AlsoLeft', 'Kept'], 'strictly after the position given');
    t.same((await collect(store.scanAllExcept!(start, 10, new Set()))).flat(), everything, 'no type named: every row');
    t.same(await collect(store.scanAllExcept!(everything.at(-1)![0], 10, new Set(['Left']))), [[]], 'at the head: one empty batch');
  });

  withStore('scanBusinessYear gives the events of one business year and the undated ones, in log order, in batches', async (t, store) => {
    const stream = streamName('years');
    const start = await store.lastPosition();
    await store.append(stream, [newEvent('ExpensePaid', { date: '2020-03-01' }), newEvent('ExpensePaid', { date: '2021-03-01' }), newEvent('PledgeMade', { pledgeId: 'p' })], 'no-stream');
    await store.append(stream, [newEvent('BankStatementReconciled', { closing: { date: '2020-12-31' } }), newEvent('InvoiceIssued', { issueDate: '2020-06-01' })], 2);
    const recorded = (await collect(store.readAll(start === undefined ? {} : { after: start }))).filter((event) => event.stream === stream);
    const batches = await collect(store.scanBusinessYear(2020, start, 2));
    t.ok(batches.slice(0, -1).every((batch) => batch.length === 2) && batches[batches.length - 1]!.length < 2, 'full batches, then a short last one');
    const mine = batches.flat().filter(([, rowStream]) => rowStream === stream);
    t.same(mine.map(([, , type]) => type), ['ExpensePaid', 'PledgeMade', 'BankStatementReconciled', 'InvoiceIssued'], "2020's events and the undated pledge, in log order");
    const scanned = (await collect(store.scanAll(start, 100))).flat();
    t.same(mine, scanned.filter((row) => mine.some(([position]) => position === row[0])), 'the rows scanAll gives for them');
    const after = (await collect(store.scanBusinessYear(2020, recorded[2]!.position, 10))).flat().filter(([, rowStream]) => rowStream === stream);
    t.same(after.map(([position]) => position), [recorded[3]!.position, recorded[4]!.position], 'strictly after the position given');
    t.same((await collect(store.scanBusinessYear(2021, start, 10))).flat().filter(([, rowStream]) => rowStream === stream).map(([, , type]) => type), ['ExpensePaid', 'PledgeMade']);
  });

  withStore('a subscription catches up, then delivers every later event in order', async (t, store) => {
    const stream = streamName('subscribe');
    const start = await store.lastPosition();
    await store.append(stream, [newEvent('Before')], 'no-stream');
    const seen: RecordedEvent[] = [];
    let wake: () => void = () => {};
    const subscription = store.subscribe(start, (event) => {
      if (event.stream !== stream) return;
      seen.push(event);
      if (seen.length === 4) wake();
    });
    const delivered = new Promise<void>((resolve) => (wake = resolve));
    await store.append(stream, [newEvent('After1')], 0);
    await store.append(stream, [newEvent('After2'), newEvent('After3')], 1);
    const timeout = setTimeout(() => wake(), 10_000);
    await delivered;
    clearTimeout(timeout);
    await subscription.close();
    t.same(seen.map((e) => e.type), ['Before', 'After1', 'After2', 'After3']);
  });

  withStore('hashes chain within a stream and the log verifies', async (t, store) => {
    const stream = streamName('chain');
    await store.append(stream, [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })], 'no-stream');
    await store.append(stream, [newEvent('C', { n: 3 })], 1);
    const events = await collect(store.readStream(stream));
    t.equal(new Set(events.map((e) => e.hash)).size, 3, 'every hash differs');
    const verified = await verifyLog(store);
    t.equal(verified.ok, true);
  });

  withStore('the digest at a position depends on every event up to it and none after', async (t, store, reopen) => {
    void reopen;
    const stream = streamName('digest');
    const before = await store.append(stream, [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })], 'no-stream');
    const atB = await digestAt(store, before.position);
    await store.append(stream, [newEvent('C', { n: 3 })], 1);
    t.same(await digestAt(store, before.position), atB, 'later events do not change an earlier digest');
    const after = await store.lastPosition();
    t.not((await digestAt(store, after!)).digest, atB.digest);

    // The same events with one data byte different give another digest at the same point.
    const other = await adapter.open();
    try {
      const otherStream = adapter.sharedStorage ? streamName('digest') : stream;
      await other.store.append(otherStream, [newEvent('A', { n: 1 }), newEvent('B', { n: 9 })], 'no-stream');
      const otherAt = await other.store.lastPosition();
      t.not((await digestAt(other.store, otherAt!)).digest, atB.digest);
    } finally {
      await other.store.close();
    }
  });

  withStore('a guard sees the streams it names and the log end; a refusing guard writes nothing', async (t, store) => {
    const rules = streamName('rules');
    const target = streamName('guarded');
    await store.append(rules, [newEvent('Closed', { year: 2019 })], 'no-stream');
    const seen: Array<{ types: string[]; last: string | undefined }> = [];
    const guard = (refuse: boolean) => ({
      streams: [rules],
      check(snapshot: { events(stream: string): readonly RecordedEvent[]; lastPosition: string | undefined }) {
        seen.push({ types: snapshot.events(rules).map((event) => event.type), last: snapshot.lastPosition });
        if (refuse) throw new Error('refused by the guard');
      },
    });
    await t.rejects(store.append(target, [newEvent('Write')], 'any', undefined, guard(true)), /refused by the guard/);
    t.same(await collect(store.readStream(target)), [], 'nothing written');
    const written = await store.append(target, [newEvent('Write')], 'any', undefined, guard(false));
    t.equal(written.events.length, 1, 'a passing guard lets the append through');
    t.same(seen.map((look) => look.types), [['Closed'], ['Closed']], 'the guard read the stream it named');
    t.ok(seen.every((look) => look.last !== undefined), 'and the end of the log');

    // `readsAfter`: the guard also sees every event after a position, in log order.
    const from = (await store.lastPosition())!;
    await store.append(rules, [newEvent('Later', { n: 1 })], 'any');
    let after: string[] = [];
    await store.append(target, [newEvent('Write')], 'any', undefined, {
      streams: [],
      readsAfter: () => from,
      check: (snapshot) => {
        after = snapshot.eventsAfter.filter((event) => event.stream === rules || event.stream === target).map((event) => event.type);
      },
    });
    t.same(after, ['Later'], 'the events after the position, and not the append being guarded');
  });

  t.test(`${adapterName}: reopening after close keeps every event and its hash`, async (t) => {
    const { store, reopen } = await adapter.open();
    const stream = streamName('reopen');
    await store.append(stream, [newEvent('A'), newEvent('B')], 'no-stream');
    const before = await collect(store.readStream(stream));
    await store.close();
    const reopened = await reopen();
    try {
      t.same(await collect(reopened.readStream(stream)), before);
      await reopened.append(stream, [newEvent('C')], 1);
      t.equal((await verifyLog(reopened)).ok, true);
    } finally {
      await reopened.close();
    }
  });

  withStore('a stream that does not exist reads as empty, from any revision', async (t, store) => {
    const stream = streamName('missing');
    t.same(await collect(store.readStream(stream)), []);
    t.same(await collect(store.readStream(stream, 5)), []);
    await store.append(stream, [newEvent('A')], 'no-stream');
    t.same(await collect(store.readStream(stream, 1)), [], 'past the end of an existing stream');
  });

  withStore('reads page past the page size without losing or repeating an event', async (t, store) => {
    const stream = streamName('paging');
    const start = await store.lastPosition();
    // Three appends of 700: more than one page (2000) of the stream and of the log.
    for (let batch = 0; batch < 3; batch += 1) {
      const events = Array.from({ length: 700 }, (_, i) => newEvent('Paged', { n: batch * 700 + i }));
      await store.append(stream, events, batch === 0 ? 'no-stream' : batch * 700 - 1);
    }
    const read = await collect(store.readStream(stream));
    t.equal(read.length, 2100);
    t.ok(read.every((event, index) => event.revision === index && (event.data as { n: number }).n === index), 'revisions 0…2099 in order');
    const fromMiddle = await collect(store.readStream(stream, 1999));
    t.same(fromMiddle.map((event) => event.revision), [1999, ...Array.from({ length: 100 }, (_, i) => 2000 + i)]);
    const logged = (await collect(store.readAll(start === undefined ? {} : { after: start }))).filter((event) => event.stream === stream);
    t.equal(logged.length, 2100);
    t.equal(new Set(logged.map((event) => event.position)).size, 2100, 'every position once');
  });

  withStore('readAll from the middle of a multi-event append starts right after that event', async (t, store) => {
    const stream = streamName('middle');
    const result = await store.append(stream, [newEvent('A'), newEvent('B'), newEvent('C'), newEvent('D')], 'no-stream');
    const fromB = (await collect(store.readAll({ after: result.events[1]!.position }))).filter((event) => event.stream === stream);
    t.same(fromB.map((event) => event.type), ['C', 'D']);
    const oneAfterA = await collect(store.readAll({ after: result.events[0]!.position, limit: 1 }));
    t.same(oneAfterA.map((event) => event.type), ['B']);
  });

  withStore('append results name the same positions that readAll reports', async (t, store) => {
    const first = streamName('positions-a');
    const second = streamName('positions-b');
    const start = await store.lastPosition();
    const results = [
      await store.append(first, [newEvent('One'), newEvent('Two')], 'no-stream'),
      await store.append(second, [newEvent('Three')], 'no-stream'),
      await store.append(first, [newEvent('Four'), newEvent('Five'), newEvent('Six')], 1),
    ];
    const appended = results.flatMap((result) => result.events);
    const logged = (await collect(store.readAll(start === undefined ? {} : { after: start }))).filter(
      (event) => event.stream === first || event.stream === second,
    );
    t.same(
      logged.map((event) => [event.id, event.position]),
      appended.map((event) => [event.id, event.position]),
    );
    for (const result of results) t.equal(result.position, result.events[result.events.length - 1]!.position, 'the result is its last event');
    t.same(await collect(store.readStream(first)), logged.filter((event) => event.stream === first), 'stream reads carry the same positions');
  });

  withStore('appends with any and stream-exists that contend all land, chained', async (t, store) => {
    for (const expected of ['any', 'stream-exists'] as const) {
      const stream = streamName(`contend-${expected}`);
      await store.append(stream, [newEvent('Start')], 'no-stream');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.append(stream, [newEvent(`Writer${i}`)], expected)),
      );
      t.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 8, `${expected}: every writer lands`);
      const events = await collect(store.readStream(stream));
      t.same(events.map((event) => event.revision), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
      t.equal(new Set(events.slice(1).map((event) => event.type)).size, 8, `${expected}: each writer once`);
    }
    t.equal((await verifyLog(store)).ok, true, 'every chain still verifies');
  });

  withStore('two clients racing on one stream: one exact-revision writer wins, and the log verifies', async (t, store, reopen) => {
    const other = await reopen();
    try {
      const stream = streamName('two-clients');
      await store.append(stream, [newEvent('Start')], 'no-stream');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? store : other).append(stream, [newEvent(`Client${i % 2}`)], 0)),
      );
      t.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      t.ok(outcomes.every((outcome) => outcome.status === 'fulfilled' || outcome.reason instanceof ConcurrencyError));
      await Promise.all([store.append(stream, [newEvent('Later0')], 'any'), other.append(stream, [newEvent('Later1')], 'any')]);
      const seenByOther = await collect(other.readStream(stream));
      t.same(seenByOther.map((event) => event.revision), [0, 1, 2, 3]);
      t.same(await collect(store.readStream(stream)), seenByOther, 'both clients read the same events');
      t.equal((await verifyLog(other)).ok, true);
    } finally {
      await other.close();
    }
  });

  const addSystemEvent = adapter.addSystemEvent;
  t.test(`${adapterName}: system events at the end of the log are not the ledger's`, addSystemEvent ? {} : { skip: `${adapterName} has no system events` }, async (t) => {
    if (!addSystemEvent) return;
    const { store } = await adapter.open();
    try {
      const stream = streamName('system-tail');
      const result = await store.append(stream, [newEvent('Last')], 'no-stream');
      await addSystemEvent(store, stream);
      t.equal(await store.lastPosition(), result.position, 'the last position is the last ledger event');
      t.same(await collect(store.readAll({ after: result.position })), [], 'nothing of the ledger after it');
      t.ok((await collect(store.readAll())).every((event) => !event.stream.startsWith('$') && !event.type.startsWith('$')));
    } finally {
      await store.close();
    }
  });

  const commitThenFail = adapter.commitThenFail;
  t.test(
    `${adapterName}: a write committed but answered by an error is never written twice`,
    commitThenFail ? {} : { skip: `no fault can be injected into ${adapterName} here` },
    async (t) => {
    if (!commitThenFail) return;
    const { store } = await adapter.open();
    try {
      const stream = streamName('committed-then-failed');
      const key = `key-${randomUUID()}`;
      const keyed = (): AppendAnswer => ({
        idempotency: { key, requestHash: 'request-hash' },
        build: (result: AppendResult) => ({ status: 201, body: JSON.stringify({ position: result.position }) }),
      });
      // The same request each time: the same event id (the command handler derives it from the key).
      const events = [{ ...newEvent('Once', { n: 1 }), id: randomUUID() }];
      commitThenFail(store, stream);
      const first = await store.append(stream, events, 'no-stream', keyed()).then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      // The caller retries with the same key (it may or may not have heard of the first outcome).
      const retry = await store.append(stream, events, 'no-stream', keyed()).catch((error: unknown) => error);
      t.ok(retry instanceof IdempotencyKeyTaken, 'the retry is answered from the first outcome, not decided again');
      const stored = (retry as IdempotencyKeyTaken).stored;
      const written = await collect(store.readStream(stream));
      t.equal(written.length, 1, 'one write');
      t.same(JSON.parse(stored.body), { position: written[0]!.position }, 'the stored answer names the one write');
      if (first.ok) t.equal(first.result.answer?.body, stored.body, 'the first caller got that same answer');
      t.same(await store.idempotentResponse(key), stored);
    } finally {
      await store.close();
    }
    },
  );
}
