/**
 * One suite of guarantees that every EventStore adapter must keep. Each adapter's test file calls
 * `runConformance` with a factory that opens a fresh, empty store (and `reopen` to open the same
 * one again after close).
 */
import type { Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, comparePositions, type EventStore, type NewEvent, type RecordedEvent } from '../../src/store/port.js';
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
}
