/**
 * The whole HTTP stack over the EventStoreDB adapter (fake client, no node): what a client sees
 * when the node loses an answer after committing, or stays unreachable.
 */
import t, { type Test } from 'tap';
import { CommandHandler } from '../../src/application/command-handler.js';
import { TokenRegistry } from '../../src/auth/tokens.js';
import { buildApp } from '../../src/http/app.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { EventStoreDbEventStore } from '../../src/store/eventstoredb.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { AccessDeniedError } from '@eventstore/db-client';
import { clientErrors, FakeEsdbClient } from '../store/fake-esdb-client.js';
import { testClock } from '../helpers/app.js';

async function ledgerOnFakeNode(t: Test) {
  const client = new FakeEsdbClient();
  const clock = testClock();
  const store = new EventStoreDbEventStore(client, { now: clock, resilience: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, readDeadlineMs: 100, retryAfterSeconds: 9 }, answerWaitMs: 50 });
  const tokens = TokenRegistry.inMemory();
  const projections = createProjectionRunner(store);
  const app = await buildApp({ store, tokens, commands: new CommandHandler(store), projections, clock }, { logger: false, rateLimits: { perToken: 1_000_000, perAddress: 1_000_000 } });
  t.teardown(async () => {
    await app.close();
    await projections.close();
    await store.close();
  });
  const treasurer = tokens.create({ role: 'treasurer', name: 'Penningmeester' }).token;
  const createKamer = (key: string) =>
    app.inject({
      method: 'POST',
      url: '/kamers',
      payload: { id: 'top', name: 'De Top' },
      headers: { authorization: `Bearer ${treasurer}`, 'idempotency-key': key },
    });
  const ledgerEvents = async () => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    return events;
  };
  return { app, client, createKamer, ledgerEvents };
}

t.test('an answer lost after the commit: 201 once, the repeat gets the same answer, one event', async (t) => {
  const { client, createKamer, ledgerEvents } = await ledgerOnFakeNode(t);
  // Lost twice: the answer to claiming the key (the first append) and the answer to the events.
  client.failNext('append', { kind: 'commit-then-fail', error: clientErrors.deadline });
  client.failNext('append', { kind: 'commit-then-fail', error: clientErrors.deadline }, 'kamer-top');
  const first = await createKamer('kamer-top');
  t.equal(first.statusCode, 201, first.body);
  const repeat = await createKamer('kamer-top');
  t.equal(repeat.statusCode, 201);
  t.equal(repeat.headers['idempotent-replayed'], 'true');
  t.equal(repeat.body, first.body);
  t.equal((await ledgerEvents()).length, 1);
  t.equal(client.appendCalls.filter((stream) => stream === 'kamer-top').length, 1, 'the events were sent once: read back, not resent');
});

t.test('a node unreachable on every try: 503 STORAGE_UNAVAILABLE with Retry-After, nothing written', async (t) => {
  const { client, createKamer, ledgerEvents } = await ledgerOnFakeNode(t);
  for (let i = 0; i < 3; i += 1) client.failNext('read', { kind: 'fail', error: clientErrors.unavailable });
  const refused = await createKamer('kamer-top');
  t.equal(refused.statusCode, 503, refused.body);
  t.equal(refused.json().code, 'STORAGE_UNAVAILABLE');
  t.equal(refused.headers['retry-after'], '9', "the adapter's estimate of one leader election");
  t.same(await ledgerEvents(), []);
  // Once the node is back, the same request (same key) is decided for the first time.
  t.equal((await createKamer('kamer-top')).statusCode, 201);
  t.equal((await ledgerEvents()).length, 1);
});

t.test('appends refused as unavailable on every try: 503 with Retry-After; the same key is then held, never written twice', async (t) => {
  const { client, createKamer, ledgerEvents } = await ledgerOnFakeNode(t);
  for (let i = 0; i < 3; i += 1) client.failNext('append', { kind: 'fail', error: clientErrors.unavailable }, 'kamer-top');
  const refused = await createKamer('kamer-top');
  t.equal(refused.statusCode, 503, refused.body);
  t.equal(refused.headers['retry-after'], '9');
  t.same(await ledgerEvents(), [], 'each read-back found nothing');
  // The key stays claimed: the first attempt could in principle still land. A repeat within the
  // takeover time is told to wait, and writes nothing.
  const repeat = await createKamer('kamer-top');
  t.equal(repeat.statusCode, 409);
  t.equal(repeat.json().code, 'IDEMPOTENCY_KEY_IN_PROGRESS');
  t.same(await ledgerEvents(), []);
});

t.test('/health reads the node: 503 while it cannot be read', async (t) => {
  const { app, client } = await ledgerOnFakeNode(t);
  t.equal((await app.inject({ method: 'GET', url: '/health' })).json().store, 'eventstoredb');
  for (let i = 0; i < 3; i += 1) client.failNext('read', { kind: 'fail', error: clientErrors.unavailable }, '$all');
  const down = await app.inject({ method: 'GET', url: '/health' });
  t.equal(down.statusCode, 503);
  t.equal(down.json().code, 'STORAGE_UNAVAILABLE');
});

t.test('a wrong password or a user that may not read $all: 503 naming the credentials, on /health and on requests', async (t) => {
  const { app, client, createKamer } = await ledgerOnFakeNode(t);
  const refusal = () => new AccessDeniedError(undefined as never, 'Access denied');
  client.failNext('read', { kind: 'fail', error: refusal }, '$all');
  const health = await app.inject({ method: 'GET', url: '/health' });
  t.equal(health.statusCode, 503);
  t.match(health.json().detail, /refused the ledger's credentials/);
  client.failNext('read', { kind: 'fail', error: refusal });
  const write = await createKamer('kamer-top');
  t.equal(write.statusCode, 503, 'a storage fault, not a 500');
  t.equal(write.json().code, 'STORAGE_UNAVAILABLE');
  t.equal(client.appendCalls.length, 0, 'refused at the first read: nothing sent');
});
