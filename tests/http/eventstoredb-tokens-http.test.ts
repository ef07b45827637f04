/**
 * Two ledger instances over one EventStoreDB node (fake client), each with its own HTTP stack and
 * its own memory of the shared tokens: a token made on A is accepted by B's API once B has read
 * the tokens stream, a revocation on A gives 401 on B, and a one-time sign-in link opens a session
 * on one instance only, even one made for a token B has not polled yet; a node out of reach is a
 * 503 page, not a 500.
 */
import t, { type Test } from 'tap';
import { CommandHandler } from '../../src/application/command-handler.js';
import { createHash } from 'node:crypto';
import { EsdbSignInLinks, EsdbTokenRegistry, linkStream } from '../../src/auth/esdb-tokens.js';
import { buildApp } from '../../src/http/app.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { EventStoreDbEventStore, type EsdbClient } from '../../src/store/eventstoredb.js';
import { clientErrors, FakeEsdbClient } from '../store/fake-esdb-client.js';
import { testClock } from '../helpers/app.js';
import { redeemRaceGate } from '../auth/race-gate.js';

const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, readDeadlineMs: 100, retryAfterSeconds: 9 };

/** One ledger instance on the node; `linksClient` lets a test put a race gate in front of its sign-in links. */
async function instanceOn(t: Test, client: FakeEsdbClient, linksClient: EsdbClient = client) {
  const clock = testClock();
  const store = new EventStoreDbEventStore(client, { now: clock, resilience: FAST });
  // No polling: each test says when an instance catches up, so "not yet" is checkable too.
  const tokens = await EsdbTokenRegistry.open(client, { resilience: FAST, pollMs: 0 });
  const signInLinks = new EsdbSignInLinks(linksClient, { resilience: FAST });
  const projections = createProjectionRunner(store);
  const app = await buildApp(
    { store, tokens, signInLinks, commands: new CommandHandler(store), projections, clock },
    { logger: false, rateLimits: { perToken: 1_000_000, perAddress: 1_000_000 } },
  );
  t.teardown(async () => {
    await app.close();
    tokens.close();
    await projections.close();
    await store.close();
  });
  const listKamers = (token: string) => app.inject({ method: 'GET', url: '/kamers', headers: { authorization: `Bearer ${token}` } });
  return { app, tokens, signInLinks, clock, listKamers };
}

t.test('a token created on A is refused on B until B has read the tokens stream, then accepted; revoked on A, refused on B', async (t) => {
  const client = new FakeEsdbClient();
  const [a, b] = [await instanceOn(t, client), await instanceOn(t, client)];
  const { token, record } = await a.tokens.create({ role: 'accountant', name: 'Kascommissie' });
  t.equal((await a.listKamers(token)).statusCode, 200);
  t.equal((await b.listKamers(token)).statusCode, 401, 'B has not read it yet');
  await b.tokens.catchUp();
  t.equal((await b.listKamers(token)).statusCode, 200);
  await a.tokens.revoke(record.id);
  t.equal((await a.listKamers(token)).statusCode, 401);
  await b.tokens.catchUp();
  t.equal((await b.listKamers(token)).statusCode, 401, 'revoked on A, refused on B');
});

t.test('a sign-in link made on A opens a session on B (whose memory had not seen its token) once, and never again on A', async (t) => {
  const client = new FakeEsdbClient();
  const [a, b] = [await instanceOn(t, client), await instanceOn(t, client)];
  const { record } = await a.tokens.create({ role: 'accountant', name: 'sign-in link' });
  const code = await a.signInLinks.create(record.id, a.clock(), 15);
  t.equal(b.tokens.principalById(record.id), undefined, 'B has not polled the token');
  const onB = await b.app.inject({ method: 'GET', url: `/inloggen/${code}` });
  t.equal(onB.statusCode, 303, 'B read the token when the link named one it did not know');
  t.match(String(onB.headers['set-cookie']), /bwk_sessie=/);
  const onA = await a.app.inject({ method: 'GET', url: `/inloggen/${code}` });
  t.equal(onA.statusCode, 410, 'used');
  t.notMatch(String(onA.headers['set-cookie'] ?? ''), /bwk_sessie=[^;]/);
});

t.test('the same link opened on A and B at the same instant: one session, one refusal', async (t) => {
  const client = new FakeEsdbClient();
  const gated = redeemRaceGate(client);
  const [a, b] = [await instanceOn(t, client, gated), await instanceOn(t, client, gated)];
  const { record } = await a.tokens.create({ role: 'treasurer', name: 'sign-in link' });
  await b.tokens.catchUp();
  const code = await a.signInLinks.create(record.id, a.clock(), 15);
  const answers = await Promise.all([a.app.inject({ method: 'GET', url: `/inloggen/${code}` }), b.app.inject({ method: 'GET', url: `/inloggen/${code}` })]);
  t.same(answers.map((answer) => answer.statusCode).sort(), [303, 410]);
});

t.test('a sign-in link opened while the node stays unreachable: a 503 page, and the link still works afterwards', async (t) => {
  const client = new FakeEsdbClient();
  const a = await instanceOn(t, client);
  const { record } = await a.tokens.create({ role: 'treasurer', name: 'sign-in link' });
  const code = await a.signInLinks.create(record.id, a.clock(), 15);
  const stream = linkStream(createHash('sha256').update(code).digest('hex'));
  for (let attempt = 0; attempt < FAST.attempts; attempt += 1) client.failNext('read', { kind: 'fail', error: clientErrors.unavailable }, stream);
  const down = await a.app.inject({ method: 'GET', url: `/inloggen/${code}` });
  t.equal(down.statusCode, 503, down.body);
  t.match(down.headers['content-type'], /text\/html/);
  const up = await a.app.inject({ method: 'GET', url: `/inloggen/${code}` });
  t.equal(up.statusCode, 303, 'nothing was redeemed while the node was away');
});
