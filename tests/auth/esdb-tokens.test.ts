/**
 * Tokens and one-time sign-in links shared through EventStoreDB (fake client, no node): two ledger
 * instances over one node see each other's tokens once they catch up (or within a poll), a
 * revocation on one is refused on the other, a link is redeemed at most once across instances
 * even when both try at the same instant, the secrets are never written to the node, and none of
 * it is part of the ledger's log.
 */
import t, { type Test } from 'tap';
import { setTimeout as delay } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { EsdbSignInLinks, EsdbTokenRegistry, LINK_REDEEMED, TOKENS_STREAM, TOKEN_CREATED, type EsdbTokensOptions } from '../../src/auth/esdb-tokens.js';
import { runTokensAction } from '../../src/cli/commands/tokens.js';
import { loadConfig } from '../../src/config.js';
import { EventStoreDbEventStore } from '../../src/store/eventstoredb.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { clientErrors, FakeEsdbClient } from '../store/fake-esdb-client.js';
import { newEvent } from '../store/conformance.js';
import { RaceGate, redeemRaceGate } from './race-gate.js';

const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, readDeadlineMs: 100, retryAfterSeconds: 5 };

/** Two instances, A and B, over one node; neither polls unless asked, so each test says when B catches up. */
async function twoInstances(t: Test, options: EsdbTokensOptions = { pollMs: 0 }) {
  const client = new FakeEsdbClient();
  const open = async () => {
    const tokens = await EsdbTokenRegistry.open(client, { resilience: FAST, ...options });
    t.teardown(() => tokens.close());
    return { tokens, links: new EsdbSignInLinks(client, { resilience: FAST }) };
  };
  return { client, a: await open(), b: await open() };
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const storedText = (client: FakeEsdbClient) => JSON.stringify(client.allStored().map((event) => [event.streamId, event.type, event.data, event.metadata]));

t.test('a token created on A authenticates on B once B has caught up, with its role and scope', async (t) => {
  const { a, b } = await twoInstances(t);
  const { token, record } = await a.tokens.create({ role: 'financier', scope: 'mitros', name: 'Mitros' });
  t.match(a.tokens.authenticate(token), { tokenId: record.id, role: 'financier', scope: 'mitros' }, 'A knows it at once');
  t.equal(b.tokens.authenticate(token), undefined, 'B answers from memory: not yet read');
  await b.tokens.catchUp();
  t.match(b.tokens.authenticate(token), { tokenId: record.id, role: 'financier', scope: 'mitros', subject: 'financier:mitros(Mitros)' });
  t.match(b.tokens.principalById(record.id), { role: 'financier' });
  t.equal(b.tokens.authenticate(`${token}x`), undefined, 'a near miss is no token');
});

t.test('polling: a token created on A reaches a polling B within a few poll intervals, unasked', async (t) => {
  const { a, b } = await twoInstances(t, { pollMs: 20 });
  const { token } = await a.tokens.create({ role: 'accountant' });
  const started = Date.now();
  while (!b.tokens.authenticate(token) && Date.now() - started < 2000) await delay(5);
  t.match(b.tokens.authenticate(token), { role: 'accountant' });
  t.ok(Date.now() - started < 1000, `seen after ${Date.now() - started} ms (poll every 20 ms)`);
});

t.test('revoked on A: refused on B after catching up, the other tokens still work, and the revocation is a new event', async (t) => {
  const { client, a, b } = await twoInstances(t);
  const revokedOne = await a.tokens.create({ role: 'accountant' });
  const kept = await a.tokens.create({ role: 'teamleader', scope: 'top' });
  await b.tokens.catchUp();
  t.ok(b.tokens.authenticate(revokedOne.token));
  const revoked = await a.tokens.revoke(revokedOne.record.id.slice(0, 8), new Date('2026-11-30T05:00:00Z'));
  t.equal(revoked.revokedAt, '2026-11-30T05:00:00.000Z');
  await b.tokens.catchUp();
  t.equal(b.tokens.authenticate(revokedOne.token), undefined);
  t.equal(b.tokens.principalById(revokedOne.record.id), undefined, 'its page sessions end too');
  t.match(b.tokens.authenticate(kept.token), { role: 'teamleader', scope: 'top' });
  const listed = await b.tokens.list();
  t.equal(listed.find((record) => record.id === revokedOne.record.id)?.revokedAt, '2026-11-30T05:00:00.000Z');
  const types = client.allStored().filter((event) => event.streamId === TOKENS_STREAM).map((event) => event.type);
  t.same(types, [TOKEN_CREATED, TOKEN_CREATED, 'TokenRevoked'], 'nothing rewritten: two creations, then the revocation');
  await t.rejects(b.tokens.revoke('ffffffff-none'), /no token with id/);
  await b.tokens.revoke(revokedOne.record.id);
  t.equal(client.allStored().filter((event) => event.streamId === TOKENS_STREAM).length, 3, 'revoking a revoked token writes nothing');
});

t.test('A and B creating tokens at the same instant: both are kept, each instance sees both', async (t) => {
  const { a, b } = await twoInstances(t);
  const [fromA, fromB] = await Promise.all([a.tokens.create({ role: 'treasurer', name: 'A' }), b.tokens.create({ role: 'treasurer', name: 'B' })]);
  await Promise.all([a.tokens.catchUp(), b.tokens.catchUp()]);
  for (const instance of [a, b]) {
    t.ok(instance.tokens.authenticate(fromA.token));
    t.ok(instance.tokens.authenticate(fromB.token));
    t.equal((await instance.tokens.list()).length, 2);
  }
});

t.test('a create whose answer is lost after the commit is one token, not two', async (t) => {
  const { client, a } = await twoInstances(t);
  client.failNext('append', { kind: 'commit-then-fail', error: clientErrors.deadline }, TOKENS_STREAM);
  const { token } = await a.tokens.create({ role: 'treasurer' });
  t.equal(client.allStored().filter((event) => event.streamId === TOKENS_STREAM).length, 1);
  t.ok(a.tokens.authenticate(token));
});

t.test('a sign-in link redeemed on A cannot be redeemed on B', async (t) => {
  const { a, b } = await twoInstances(t);
  const { record } = await a.tokens.create({ role: 'accountant', name: 'sign-in link' });
  const now = new Date();
  const code = await a.links.create(record.id, now, 15);
  t.same(await a.links.redeem(code, now), { ok: true, tokenId: record.id });
  t.same(await b.links.redeem(code, now), { ok: false, reason: 'used' });
  t.same(await a.links.redeem(code, now), { ok: false, reason: 'used' });
});

t.test('racing: A and B redeem the same link at the same instant, exactly one signs in', async (t) => {
  const { client, a } = await twoInstances(t);
  for (let round = 0; round < 5; round += 1) {
    const now = new Date();
    const code = await a.links.create(`token-${round}`, now, 15);
    // One gate for both instances' calls: neither appends before both have read.
    const gated = redeemRaceGate(client);
    const [onA, onB] = [new EsdbSignInLinks(gated, { resilience: FAST }), new EsdbSignInLinks(gated, { resilience: FAST })];
    const outcomes = await Promise.all([onA.redeem(code, now), onB.redeem(code, now)]);
    t.equal(outcomes.filter((outcome) => outcome.ok).length, 1, `round ${round}: one sign-in`);
    t.same(outcomes.filter((outcome) => !outcome.ok), [{ ok: false, reason: 'used' }]);
    const stream = `ledger-signin-link-${sha256Hex(code)}`;
    t.equal(client.appendCalls.filter((called) => called === stream).length, 3, 'a real race: both instances read the link unused and tried to append');
    const redeemed = client.allStored().filter((event) => event.streamId === stream && event.type === LINK_REDEEMED);
    t.equal(redeemed.length, 1, 'one redemption event');
  }
});

t.test('a link past its time is expired, an unknown or malformed code is unknown, and neither writes', async (t) => {
  const { client, a, b } = await twoInstances(t);
  const made = new Date('2026-11-30T04:00:00Z');
  const code = await a.links.create('some-token', made, 15);
  const before = client.allStored().length;
  t.same(await b.links.redeem(code, new Date('2026-11-30T04:15:00Z')), { ok: false, reason: 'expired' });
  t.same(await b.links.redeem('A'.repeat(43), made), { ok: false, reason: 'unknown' });
  t.same(await b.links.redeem('../ledger-tokens', made), { ok: false, reason: 'unknown' });
  t.equal(client.allStored().length, before);
});

t.test('secrets are never stored: the node holds only SHA-256 hashes of tokens and link codes', async (t) => {
  const { client, a } = await twoInstances(t);
  const { token, record } = await a.tokens.create({ role: 'treasurer', name: 'Penningmeester' });
  const code = await a.links.create(record.id, new Date(), 15);
  await a.links.redeem(code, new Date());
  const stored = storedText(client);
  t.notOk(stored.includes(token), 'the token is nowhere');
  t.notOk(stored.includes(token.slice(4)), 'nor its random part');
  t.notOk(stored.includes(code), 'the link code is nowhere');
  t.notOk(client.allStored().some((event) => event.streamId.includes(code)), 'not in a stream name either');
  t.ok(stored.includes(sha256Hex(token)), "the token's hash is");
  t.ok(client.allStored().some((event) => event.streamId === `ledger-signin-link-${sha256Hex(code)}`), "the link's stream is named by the code's hash");
});

t.test("tokens and links are not part of the ledger's log: reads, positions and subscriptions skip them", async (t) => {
  const { client, a } = await twoInstances(t);
  const store = new EventStoreDbEventStore(client, { resilience: FAST });
  t.teardown(() => store.close());
  const ledger = await store.append('kamer-top', [newEvent('KamerOpened', { id: 'top' })], 'no-stream');
  const { record } = await a.tokens.create({ role: 'treasurer' });
  const code = await a.links.create(record.id, new Date(), 15);
  await a.links.redeem(code, new Date());
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  t.same(events.map((event) => event.stream), ['kamer-top']);
  t.equal(await store.lastPosition(), ledger.position, 'the newest ledger event, not the newest token record');
});

t.test('the CLI actions over the shared registry: create on one, list and revoke on another, a link from a third', async (t) => {
  const { a, b } = await twoInstances(t);
  const config = loadConfig({ DATA_DIR: t.testdir() });
  const run = async (instance: typeof a, args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTokensAction(args[0], args.slice(1), instance.tokens, instance.links, { config, out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const created = await run(a, ['create', '--role', 'financier', '--scope', 'mitros']);
  t.equal(created.code, 0, created.err);
  const token = /^(bwk_\S+)$/m.exec(created.out)?.[1] ?? '';
  const id = /created token (\S+)/.exec(created.out)?.[1] ?? '';
  t.match((await run(b, ['list'])).out, new RegExp(`${id}\\s+financier:mitros`), 'B lists it: list reads the node first');
  t.equal((await run(b, ['revoke', id.slice(0, 8)])).code, 0);
  await a.tokens.catchUp();
  t.equal(a.tokens.authenticate(token), undefined, 'revoked through B, refused on A');
  const linked = await run(b, ['link', '--role', 'accountant']);
  t.equal(linked.code, 0, linked.err);
  const linkCode = /\/inloggen\/(\S+)$/.exec(linked.out)?.[1] ?? '';
  const outcome = await a.links.redeem(linkCode, new Date());
  t.ok(outcome.ok, 'the link made through B redeems on A');
  await a.tokens.catchUp();
  t.match(outcome.ok && a.tokens.principalById(outcome.tokenId), { role: 'accountant', subject: 'accountant(sign-in link)' });
});

t.test('the first-start token: two instances starting together on an empty node create one between them', async (t) => {
  const client = new FakeEsdbClient();
  const gate = new RaceGate(client, (stream) => stream === TOKENS_STREAM);
  const open = async () => {
    const tokens = await EsdbTokenRegistry.open(gate.client, { resilience: FAST, pollMs: 0 });
    t.teardown(() => tokens.close());
    return { tokens };
  };
  const [a, b] = [await open(), await open()];
  const first = { role: 'treasurer', name: 'first treasurer' } as const;
  gate.arm();
  const created = await Promise.all([a.tokens.createFirst(first), b.tokens.createFirst(first)]);
  t.equal(created.filter((one) => one !== undefined).length, 1, 'one of them made it');
  t.equal(client.allStored().filter((event) => event.streamId === TOKENS_STREAM).length, 1);
  t.equal(client.appendCalls.filter((stream) => stream === TOKENS_STREAM).length, 2, 'a real race: both read an empty stream and tried');
  t.equal(await a.tokens.createFirst(first), undefined, 'not again while it is active');
  await a.tokens.revoke(created.find((one) => one !== undefined)!.record.id);
  t.ok(await b.tokens.createFirst(first), 'once every token is revoked there is no way in: a new first token');
});
