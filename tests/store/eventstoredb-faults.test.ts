/**
 * The EventStoreDB adapter when the node misbehaves, with the fake client failing its calls the
 * way the real client does (its own error classes): answers lost after a commit, follower
 * refusals, an unreachable node, reads that hang, appends over the node's maximum size, and
 * Idempotency-Keys shared between two ledger instances. No node needed.
 */
import t, { type Test } from 'tap';
import { MaxAppendSizeExceededError } from '@eventstore/db-client';
import { DomainError } from '../../src/domain/errors.js';
import { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from '../../src/store/eventstoredb.js';
import { CLAIMED, keyStream, type Claim } from '../../src/store/esdb-idempotency.js';
import { StoreUnavailableError } from '../../src/store/esdb-resilience.js';
import { IdempotencyKeyTaken, type AppendAnswer, type RecordedEvent } from '../../src/store/port.js';
import { clientErrors, FakeEsdbClient } from './fake-esdb-client.js';
import { newEvent } from './conformance.js';

const FAST: EventStoreDbEventStoreOptions = { resilience: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, readDeadlineMs: 50, retryAfterSeconds: 7 } };

function setUp(t: Test, options: EventStoreDbEventStoreOptions = {}) {
  const client = new FakeEsdbClient();
  const open = () => new EventStoreDbEventStore(client, { ...FAST, ...options });
  const store = open();
  t.teardown(() => store.close());
  return { client, store, open };
}

async function readAll(store: EventStoreDbEventStore, stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

function answered(key: string): AppendAnswer {
  return {
    idempotency: { key, requestHash: `hash-of-${key}` },
    build: (result) => ({ status: 201, body: JSON.stringify({ position: result.position, ids: result.events.map((event) => event.id) }) }),
  };
}

const appendsTo = (client: FakeEsdbClient, stream: string) => client.appendCalls.filter((called) => called === stream).length;

t.test('a committed append answered by a deadline error is one write, and the caller gets its outcome', async (t) => {
  const { client, store } = setUp(t);
  client.failNext('append', { kind: 'commit-then-fail', error: clientErrors.deadline }, 'pledges-1');
  const result = await store.append('pledges-1', [newEvent('Pledged', { amount: '10.00' })], 'no-stream');
  const stored = await readAll(store, 'pledges-1');
  t.equal(stored.length, 1, 'one event in the stream');
  t.equal(appendsTo(client, 'pledges-1'), 1, 'read back, not sent again');
  t.equal(result.events[0]!.id, stored[0]!.id);
  t.equal(result.position, stored[0]!.position);
});

t.test('an append lost before it reached the node (deadline) is sent again with the same ids and hashes', async (t) => {
  const { client, store } = setUp(t);
  client.failNext('append', { kind: 'fail', error: clientErrors.deadline }, 'pledges-2');
  const result = await store.append('pledges-2', [newEvent('A'), newEvent('B')], 'no-stream');
  const stored = await readAll(store, 'pledges-2');
  t.equal(appendsTo(client, 'pledges-2'), 2, 'sent twice');
  t.same(stored.map((event) => [event.id, event.hash]), result.events.map((event) => [event.id, event.hash]), 'the second send is the same batch');
});

t.test('a first attempt that lands after the read-back: the resend is the same write, not a second one', async (t) => {
  const { client, store } = setUp(t);
  await store.append('pledges-3', [newEvent('Seed')], 'no-stream');
  client.failNext('append', { kind: 'lands-late', error: clientErrors.deadline }, 'pledges-3');
  const result = await store.append('pledges-3', [newEvent('Next')], 0);
  const stored = await readAll(store, 'pledges-3');
  t.same(stored.map((event) => event.type), ['Seed', 'Next'], 'Next once');
  t.equal(appendsTo(client, 'pledges-3'), 3, 'seed, lost try, resend');
  t.equal(result.events[0]!.id, stored[1]!.id);
});

t.test('NotLeader then success: the write lands once and the caller never sees the election', async (t) => {
  const { client, store } = setUp(t);
  client.failNext('append', { kind: 'fail', error: clientErrors.notLeader }, 'pledges-4');
  client.failNext('read', { kind: 'fail', error: clientErrors.notLeader }, 'pledges-4');
  const result = await store.append('pledges-4', [newEvent('A')], 'no-stream');
  t.equal(result.nextExpectedRevision, 0);
  t.equal((await readAll(store, 'pledges-4')).length, 1);
  t.equal(appendsTo(client, 'pledges-4'), 2, 'refused by the follower, accepted by the leader');
});

t.test('Unavailable on every try: StoreUnavailableError (503 with Retry-After), nothing written', async (t) => {
  const { client, store } = setUp(t);
  for (let i = 0; i < 3; i += 1) client.failNext('append', { kind: 'fail', error: clientErrors.unavailable }, 'pledges-5');
  const error = await store.append('pledges-5', [newEvent('A')], 'no-stream').catch((caught: unknown) => caught);
  t.ok(error instanceof StoreUnavailableError);
  t.equal((error as StoreUnavailableError).code, 'ESDB_UNAVAILABLE');
  t.equal((error as StoreUnavailableError).retryAfterSeconds, 7);
  t.equal(appendsTo(client, 'pledges-5'), 3, 'tried three times');
  t.same(await readAll(store, 'pledges-5'), [], 'each read-back found nothing: nothing written');
});

t.test('a read that hangs is cancelled at its deadline and tried again', async (t) => {
  const { client, store } = setUp(t);
  await store.append('hang', [newEvent('A')], 'no-stream');
  client.failNext('read', { kind: 'hang' }, 'hang');
  const started = Date.now();
  t.equal((await readAll(store, 'hang')).length, 1, 'the second try answers');
  t.ok(Date.now() - started >= 50, 'after the deadline');
  for (let i = 0; i < 3; i += 1) client.failNext('read', { kind: 'hang' }, '$all');
  const error = await store.lastPosition().catch((caught: unknown) => caught);
  t.ok(error instanceof StoreUnavailableError, 'a node that never answers is unavailable, not a hung request');
});

t.test('an append over the maximum size is refused before it is sent (413), and the node’s own refusal maps the same', async (t) => {
  const { client, store } = setUp(t, { maxAppendBytes: 10_000 });
  const big = Array.from({ length: 20 }, (_, i) => newEvent('Line', { text: 'x'.repeat(600), i }));
  const error = await store.append('big', big, 'no-stream').catch((caught: unknown) => caught);
  t.ok(error instanceof DomainError && error.code === 'APPEND_TOO_LARGE', String(error));
  t.equal(appendsTo(client, 'big'), 0, 'never sent');
  client.failNext('append', { kind: 'fail', error: () => new MaxAppendSizeExceededError(undefined, 1024) }, 'small');
  const refused = await store.append('small', [newEvent('A')], 'no-stream').catch((caught: unknown) => caught);
  t.ok(refused instanceof DomainError && refused.code === 'APPEND_TOO_LARGE' && /1024 bytes/.test(refused.message));
  t.same(await readAll(store, 'small'), []);
});

t.test('an answer that cannot be built writes nothing', async (t) => {
  const { store } = setUp(t);
  const failing: AppendAnswer = {
    build: () => {
      throw new Error('the answer does not match its schema');
    },
  };
  await t.rejects(store.append('unbuildable', [newEvent('A')], 'no-stream', failing), /does not match/);
  t.same(await readAll(store, 'unbuildable'), []);
});

t.test('under a key, an answer that cannot be built writes nothing and frees the key', async (t) => {
  const { store } = setUp(t);
  const failing: AppendAnswer = {
    idempotency: { key: 'k-unbuildable', requestHash: 'hash-of-k-unbuildable' },
    build: () => {
      throw new Error('the answer does not match its schema');
    },
  };
  await t.rejects(store.append('unbuildable-keyed', [newEvent('A')], 'no-stream', failing), /does not match/);
  t.same(await readAll(store, 'unbuildable-keyed'), []);
  const retried = await store.append('unbuildable-keyed', [newEvent('A')], 'no-stream', answered('k-unbuildable'));
  t.equal(retried.nextExpectedRevision, 0, 'the fixed request is decided and written');
});

t.test('two instances share Idempotency-Keys through the node', async (t) => {
  const { store, open } = setUp(t);
  const other = open();
  t.teardown(() => other.close());
  const first = await store.append('shared', [newEvent('A')], 'no-stream', answered('k1'));
  t.same(await other.idempotentResponse('k1'), first.answer, 'the other instance finds the answer');
  const repeat = await other.append('shared', [newEvent('A')], 0, answered('k1')).catch((caught: unknown) => caught);
  t.ok(repeat instanceof IdempotencyKeyTaken);
  t.same((repeat as IdempotencyKeyTaken).stored, first.answer);
  t.equal((await readAll(other, 'shared')).length, 1);
  t.same(await readAll(other, 'shared'), await readAll(store, 'shared'));
  // The key's bookkeeping is not part of the ledger's log.
  const logged: RecordedEvent[] = [];
  for await (const event of other.readAll()) logged.push(event);
  t.same(logged.map((event) => event.stream), ['shared']);
});

t.test('a refused append under a key frees the key for the retry', async (t) => {
  const { store } = setUp(t);
  await store.append('release', [newEvent('A')], 'no-stream');
  await store.append('release', [newEvent('B')], 0);
  await t.rejects(store.append('release', [newEvent('C')], 0, answered('k2')), { name: 'ConcurrencyError' });
  const retried = await store.append('release', [newEvent('C')], 1, answered('k2'));
  t.equal(retried.nextExpectedRevision, 2);
  t.same(await store.idempotentResponse('k2'), retried.answer);
});

/** Another instance's claim of `key` for the same request (the hash `answered(key)` sends), unless `over` says otherwise. */
function claim(key: string, over: Partial<Claim> & Pick<Claim, 'stream' | 'firstEventId' | 'claimedAt'>): Claim {
  return { claimId: 'other-instance', requestHash: `hash-of-${key}`, fromRevision: 0, ...over };
}

async function plantClaim(client: FakeEsdbClient, key: string, planted: Claim): Promise<void> {
  await client.appendToStream(keyStream(key), { id: crypto.randomUUID(), type: CLAIMED, data: planted as never, contentType: 'application/json', metadata: undefined } as never, {
    expectedRevision: 'no_stream',
  });
}

t.test('a key held by another instance: the repeat waits, then 409 IDEMPOTENCY_KEY_IN_PROGRESS, nothing written', async (t) => {
  const { client, store } = setUp(t, { answerWaitMs: 30 });
  const id = crypto.randomUUID();
  await plantClaim(client, 'k3', claim('k3', { stream: 'held', firstEventId: id, claimedAt: new Date().toISOString() }));
  const error = await store.append('held', [{ ...newEvent('A'), id }], 'no-stream', answered('k3')).catch((caught: unknown) => caught);
  t.ok(error instanceof DomainError && error.code === 'IDEMPOTENCY_KEY_IN_PROGRESS', String(error));
  t.match((error as Error).message, /still being processed/);
  t.same(await readAll(store, 'held'), []);
});

t.test('another request under a key held by a first one: 409 IDEMPOTENCY_KEY_REUSED at once, nothing written', async (t) => {
  const { client, store } = setUp(t, { answerWaitMs: 10_000 });
  const id = crypto.randomUUID();
  await plantClaim(client, 'k6', claim('k6', { requestHash: 'hash-of-another-request', stream: 'reused', firstEventId: id, claimedAt: new Date().toISOString() }));
  const started = Date.now();
  const error = await store.append('reused', [{ ...newEvent('A'), id }], 'no-stream', answered('k6')).catch((caught: unknown) => caught);
  t.ok(error instanceof DomainError && error.code === 'IDEMPOTENCY_KEY_REUSED', String(error));
  t.ok(Date.now() - started < 5000, 'without waiting for the first request');
  t.same(await readAll(store, 'reused'), []);
});

t.test('a stale claim whose events were never written is taken over: one write', async (t) => {
  const { client, store } = setUp(t, { answerWaitMs: 30 });
  const id = crypto.randomUUID();
  await plantClaim(client, 'k4', claim('k4', { stream: 'abandoned', firstEventId: id, claimedAt: '2020-01-01T00:00:00.000Z' }));
  const result = await store.append('abandoned', [{ ...newEvent('A'), id }], 'no-stream', answered('k4'));
  t.equal((await readAll(store, 'abandoned')).length, 1);
  t.same(await store.idempotentResponse('k4'), result.answer);
});

t.test('a stale claim whose events were written is never decided again', async (t) => {
  const { client, store } = setUp(t, { answerWaitMs: 30 });
  const id = crypto.randomUUID();
  await store.append('crashed', [{ ...newEvent('A'), id }], 'no-stream');
  await plantClaim(client, 'k5', claim('k5', { stream: 'crashed', firstEventId: id, claimedAt: '2020-01-01T00:00:00.000Z' }));
  const error = await store.append('crashed', [{ ...newEvent('A'), id }], 0, answered('k5')).catch((caught: unknown) => caught);
  t.ok(error instanceof DomainError && error.code === 'IDEMPOTENCY_KEY_IN_PROGRESS');
  t.match((error as Error).message, /was written but its answer was not recorded/);
  t.equal((await readAll(store, 'crashed')).length, 1);
});

t.test('round trips of one write: 3 without a key (head, append, read-back), 6 with one (+ key, claim, answer)', async (t) => {
  const { client, store } = setUp(t);
  const calls = () => client.appendCalls.length + client.readCalls.length;
  await store.append('trips', [newEvent('A'), newEvent('B')], 'no-stream');
  t.equal(calls(), 3);
  const before = calls();
  await store.append('trips', [newEvent('C')], 1, answered('k-trips'));
  t.equal(calls() - before, 6);
  t.same(client.appendCalls.slice(-3), [keyStream('k-trips'), 'trips', keyStream('k-trips')], 'claim, events, answer');
});
