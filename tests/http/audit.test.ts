import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { eventHash } from '../../src/store/hashing.js';
import type { EventMetadata, RecordedEvent } from '../../src/store/port.js';

const GENESIS = '0'.repeat(64);

interface AuditEvent {
  position: string;
  stream: string;
  revision: number;
  type: string;
  data: unknown;
  recordedAt: string;
  recordedBy: string;
  reason?: string;
  correlationId: string;
  hash: string;
  previousHash: string | null;
}
interface Page {
  events: AuditEvent[];
  next: string | null;
}

t.test('the accountant reads the whole history in order: who, when, why, and the hash each event chains to', async (t) => {
  const api = await ledgerWithHistory(t);
  const stored = await api.allEvents();
  const response = await api.get(api.tokens.accountant, '/audit/events');
  t.equal(response.statusCode, 200, response.body);
  const page = response.json() as Page;
  t.equal(page.next, null, 'everything fits in the default page of 100');
  t.same(page.events.map((e) => e.position), stored.map((e) => e.position), 'in log order, every event');

  for (const [index, event] of page.events.entries()) {
    const original = stored[index]!;
    t.match(event, {
      stream: original.stream,
      revision: original.revision,
      type: original.type,
      recordedAt: original.metadata.recordedAt,
      recordedBy: original.metadata.recordedBy,
      correlationId: original.metadata.correlationId,
      hash: original.hash,
    });
    t.same(event.data, original.data);
    t.equal(event.previousHash, previousInStream(stored, original), `position ${event.position} chains to the previous event of ${event.stream}`);
  }
  const [first] = page.events;
  t.match(first, { stream: 'kamer-top', type: 'KamerRegistered', recordedBy: 'treasurer(Penningmeester)', recordedAt: '2020-01-06T09:00:00.000Z', previousHash: GENESIS });
  t.notOk('reason' in first!, 'no reason was given for registering a room');
  t.equal(page.events.find((e) => e.stream === 'budget-ondiep-2020')?.reason, 'begroting vastgesteld in de ALV van 3 februari');
});

t.test('pages follow `next` until it is null; a page that starts mid-stream still shows the hash its first event chains to', async (t) => {
  const api = await ledgerWithHistory(t);
  const stored = await api.allEvents();
  const pages: Page[] = [];
  let after: string | null | undefined;
  do {
    const response = await api.get(api.tokens.treasurer, `/audit/events?limit=3${after ? `&after=${after}` : ''}`);
    t.equal(response.statusCode, 200, response.body);
    pages.push(response.json() as Page);
    after = pages[pages.length - 1]!.next;
  } while (after !== null && pages.length < 10);

  t.same(pages.map((p) => p.events.length), [3, 3, 3], `${stored.length} events in pages of 3`);
  t.same(pages.map((p) => p.next), ['3', '6', null], 'next is the last position of a page, null on the last one');
  t.same(pages.flatMap((p) => p.events.map((e) => e.position)), stored.map((e) => e.position));
  const secondBudget = pages[1]!.events.find((e) => e.stream === 'budget-top-2020')!;
  t.equal(secondBudget.revision, 1, 'the second page holds the budget stream\'s second event…');
  t.notOk(pages[1]!.events.some((e) => e.stream === 'budget-top-2020' && e.revision === 0), '…but not its first');
  t.equal(secondBudget.previousHash, stored.find((e) => e.stream === 'budget-top-2020' && e.revision === 0)!.hash);
});

t.test('streamPrefix and type filter the history, and paging follows the filter', async (t) => {
  const api = await ledgerWithHistory(t);
  const stored = await api.allEvents();
  const positionsOf = async (query: string): Promise<string[]> => {
    const response = await api.get(api.tokens.accountant, `/audit/events?${query}`);
    t.equal(response.statusCode, 200, `${query}: ${response.body}`);
    return (response.json() as Page).events.map((e) => e.position);
  };
  const expected = (keep: (event: RecordedEvent) => boolean) => stored.filter(keep).map((e) => e.position);

  t.same(await positionsOf('streamPrefix=budget-'), expected((e) => e.stream.startsWith('budget-')));
  t.same(await positionsOf('streamPrefix=budget-top'), expected((e) => e.stream === 'budget-top-2020'));
  t.same(await positionsOf('type=ValuationRateSet'), expected((e) => e.type === 'ValuationRateSet'));
  t.same(await positionsOf('type=KamerRegistered,FinancierRegistered'), expected((e) => e.type === 'KamerRegistered' || e.type === 'FinancierRegistered'));
  t.same(await positionsOf('streamPrefix=kamer-&type=BudgetSet'), [], 'both filters apply');
  t.same(await positionsOf('streamPrefix=financier-'), expected((e) => e.stream.startsWith('financier-')));

  const budgets = expected((e) => e.stream.startsWith('budget-'));
  const first = (await api.get(api.tokens.accountant, '/audit/events?streamPrefix=budget-&limit=1')).json() as Page;
  t.same(first.events.map((e) => e.position), [budgets[0]]);
  t.equal(first.next, budgets[0], 'more budget events follow');
  const rest = (await api.get(api.tokens.accountant, `/audit/events?streamPrefix=budget-&limit=5&after=${first.next}`)).json() as Page;
  t.same(rest.events.map((e) => e.position), budgets.slice(1));
  t.equal(rest.next, null, 'no budget event after these, though other events do follow');
  t.ok(stored.some((e) => Number(e.position) > Number(budgets[budgets.length - 1])), 'other events follow the last budget event');
});

t.test('a malformed audit query is a 400 that names the parameter', async (t) => {
  const api = await ledgerWithHistory(t);
  const cases: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=2.5', 'limit'],
    ['after=-1', 'after'],
    ['after=1.5', 'after'],
    ['type=InvoiceDeleted', 'type'],
    ['type=KamerRegistered,', 'type'],
    ['streamPrefix=', 'streamPrefix'],
    ['page=2', 'page'],
  ];
  for (const [query, field] of cases) {
    const response = await api.get(api.tokens.accountant, `/audit/events?${query}`);
    t.equal(response.statusCode, 400, query);
    t.ok((response.json().errors as Array<{ path: string }>).some((e) => e.path === `querystring.${field}`), `${query} names ${field}: ${response.body}`);
  }
  for (const query of ['at=last', 'at=-3', 'when=now']) {
    t.equal((await api.get(api.tokens.accountant, `/audit/digest?${query}`)).statusCode, 400, query);
  }
  t.equal((await api.get(api.tokens.accountant, '/audit/events?limit=1000')).statusCode, 200, '1000 is the largest page');
});

t.test('only the accountant and the treasurer read the audit history; financiers and team leaders get a 403', async (t) => {
  const api = await ledgerWithHistory(t);
  const routes = ['/audit/events', '/audit/verify', '/audit/digest'];
  for (const url of routes) {
    for (const token of [api.tokens.accountant, api.tokens.treasurer]) {
      t.equal((await api.get(token, url)).statusCode, 200, url);
    }
    for (const token of [api.tokens.financier('mitros'), api.tokens.teamleader('top')]) {
      const response = await api.get(token, url);
      t.equal(response.statusCode, 403, url);
      t.equal(response.json().code, 'FORBIDDEN');
    }
    t.equal((await api.app.inject({ method: 'GET', url })).statusCode, 401, `${url} without a token`);
  }
});

t.test('verify recomputes every chain: ok, with the last hash and the digest of the whole log', async (t) => {
  const api = await ledgerWithHistory(t);
  const stored = await api.allEvents();
  const response = await api.get(api.tokens.accountant, '/audit/verify');
  t.equal(response.statusCode, 200, response.body);
  const last = stored[stored.length - 1]!;
  // No anchor file is configured here: no anchors to check.
  t.same(response.json(), { ok: true, events: stored.length, lastPosition: last.position, lastHash: last.hash, digest: digestOf(stored), anchors: { checked: 0, ok: 0 } });
});

t.test('verify names the first tampered position when the file is edited under the running service', async (t) => {
  const api = await ledgerWithHistory(t);
  const before = await api.allEvents();
  const target = before.find((e) => e.stream === 'budget-top-2020' && e.revision === 0)!;
  const changed = api.store.db
    .prepare(`UPDATE events SET data = replace(data, '"amount":"9000.00"', '"amount":"9900.00"') WHERE position = ?`)
    .run(Number(target.position));
  t.equal(changed.changes, 1, 'the rent line was changed in the file');

  const response = await api.get(api.tokens.accountant, '/audit/verify');
  t.equal(response.statusCode, 200, 'a failed verification is a report, not an error');
  t.match(response.json(), { ok: false, firstBadPosition: target.position, stream: 'budget-top-2020', problem: /^hash mismatch/ });
  t.equal(response.json().events, Number(target.position) - 1, 'the events before it are intact');
});

t.test('the digest at a position stays the same as the log grows, and stops matching after a rewrite that re-chains its stream', async (t) => {
  const api = await ledgerWithHistory(t);
  const stored = await api.allEvents();
  const whole = (await api.get(api.tokens.accountant, '/audit/digest')).json();
  t.same(whole, { position: stored[stored.length - 1]!.position, digest: digestOf(stored), events: stored.length }, 'without `at`: the newest event');
  const atFour = await api.get(api.tokens.accountant, '/audit/digest?at=4');
  t.same(atFour.json(), { position: '4', digest: digestOf(stored.slice(0, 4)), events: 4 });

  await api.post(api.tokens.treasurer, '/kamers', { id: 'de-klop', name: 'De Klop' });
  t.same((await api.get(api.tokens.accountant, '/audit/digest?at=4')).json(), atFour.json(), 'later events leave an earlier digest alone');

  // The attacker changes the room's name and recomputes its hash: kamer-top has one event, so
  // nothing else needs re-chaining and verify passes.
  const room = stored.find((e) => e.stream === 'kamer-top')!;
  const data = { ...(room.data as Record<string, unknown>), name: 'TOP (gesloten)' };
  const hash = eventHash(GENESIS, { stream: room.stream, revision: 0, type: room.type, data, metadata: room.metadata as EventMetadata });
  api.store.db.prepare('UPDATE events SET data = ?, hash = ? WHERE position = ?').run(JSON.stringify(data), hash, Number(room.position));
  t.match((await api.get(api.tokens.accountant, '/audit/verify')).json(), { ok: true });
  t.not((await api.get(api.tokens.accountant, '/audit/digest?at=4')).json().digest, atFour.json().digest, 'the kept digest no longer reproduces');
});

t.test('a digest beyond the end of the log is a 404: it would change as soon as the log reached it', async (t) => {
  const api = await ledgerWithHistory(t);
  const last = Number((await api.store.lastPosition())!);
  const response = await api.get(api.tokens.accountant, `/audit/digest?at=${last + 1}`);
  t.equal(response.statusCode, 404);
  t.match(response.json(), { code: 'NOT_FOUND', errors: [{ path: 'at' }] });
});

t.test('knownAt: the digest of the log as it stood at an instant, the events recorded at or before it', async (t) => {
  const api = await ledgerWithHistory(t);
  const stored = await api.allEvents();
  for (const knownAt of ['2020-01-09T12:00:00Z', stored[4]!.metadata.recordedAt, '2020-01-10T10:00:00+01:00']) {
    const then = stored.filter((event) => new Date(event.metadata.recordedAt) <= new Date(knownAt));
    t.ok(then.length > 0 && then.length < stored.length, `${knownAt}: some events, not all`);
    const response = await api.get(api.tokens.accountant, `/audit/digest?knownAt=${encodeURIComponent(knownAt)}`);
    t.same(response.json(), { position: then[then.length - 1]!.position, digest: digestOf(then), events: then.length }, `${knownAt}: the digest over the events recorded by then`);
    const atThatPosition = await api.get(api.tokens.accountant, `/audit/digest?at=${then[then.length - 1]!.position}`);
    t.equal(response.json().digest, atThatPosition.json().digest, `${knownAt}: the same as ?at= its last position`);
  }
  t.same((await api.get(api.tokens.accountant, '/audit/digest?knownAt=2019-12-31T23:00:00Z')).json(), { position: '0', digest: GENESIS, events: 0 }, 'before the first event: the starting value');
  const future = await api.get(api.tokens.accountant, '/audit/digest?knownAt=2030-01-01T00:00:00Z');
  t.equal(future.statusCode, 404, 'a moment still to come has no digest yet');
  t.match(future.json(), { code: 'NOT_FOUND', errors: [{ path: 'knownAt' }] });
  t.equal((await api.get(api.tokens.accountant, '/audit/digest?knownAt=2020-01-09T12:00:00Z&at=3')).statusCode, 400, 'not together with at');
  t.equal((await api.get(api.tokens.accountant, '/audit/digest?knownAt=gisteren')).statusCode, 400, 'not an instant');
});

t.test('an empty log verifies and its digest is the starting value', async (t) => {
  const api = await createTestApp(t);
  t.same((await api.get(api.tokens.accountant, '/audit/verify')).json(), { ok: true, events: 0, lastPosition: null, lastHash: null, digest: GENESIS, anchors: { checked: 0, ok: 0 } });
  t.same((await api.get(api.tokens.accountant, '/audit/digest')).json(), { position: '0', digest: GENESIS, events: 0 });
  t.same((await api.get(api.tokens.accountant, '/audit/events')).json(), { events: [], next: null });
});

t.test('the audit routes are in the OpenAPI document', async (t) => {
  const api = await createTestApp(t);
  const document = (await api.get(api.tokens.accountant, '/openapi.json')).json() as { paths: Record<string, unknown> };
  for (const path of ['/audit/events', '/audit/verify', '/audit/digest']) t.ok(document.paths[path], path);
});

// Fixtures --------------------------------------------------------------------------------------

/**
 * Nine events over six streams, interleaved, recorded on different days; two streams get a second
 * event, and one event carries a reason.
 */
async function ledgerWithHistory(t: Test): Promise<TestApp> {
  const api = await createTestApp(t, { start: '2020-01-06T09:00:00Z' });
  const { treasurer } = api.tokens;
  const budget = (amount: string) => ({ lines: [{ line: 'rent', label: 'Huur', amount }, { line: 'activities', label: 'Activiteiten', amount: '1500.00' }] });
  const steps: Array<() => Promise<{ statusCode: number; body: string }>> = [
    () => api.post(treasurer, '/kamers', { id: 'top', name: 'TOP' }),
    () => api.post(treasurer, '/financiers', { id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' }),
    () => api.request(treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: budget('9000.00') }),
    () => api.post(treasurer, '/valuation-rates', { year: 2020, kind: 'resident', perHour: '11.00' }),
    () => api.post(treasurer, '/kamers', { id: 'ondiep', name: 'Ondiep' }),
    () => api.request(treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: budget('7800.00') }),
    // A write with a reason, as a correction or an import records it.
    async () => {
      await api.store.append(
        'budget-ondiep-2020',
        [
          {
            type: 'BudgetSet',
            data: { kamerId: 'ondiep', year: 2020, lines: [{ line: 'rent', label: 'Huur', amount: '6000.00' }], total: '6000.00' },
            metadata: { recordedBy: 'treasurer(Penningmeester)', reason: 'begroting vastgesteld in de ALV van 3 februari' },
          },
        ],
        'no-stream',
      );
      return { statusCode: 201, body: 'appended' };
    },
    () => api.post(treasurer, '/valuation-rates', { year: 2020, kind: 'professional', perHour: '37.00' }),
    () => api.post(treasurer, '/financiers', { id: 'gemeente-utrecht', name: 'Gemeente Utrecht', kind: 'municipality', pays: 'subsidy-decision' }),
  ];
  for (const [day, step] of steps.entries()) {
    api.clock.set(`2020-01-${String(6 + day).padStart(2, '0')}T09:00:00Z`);
    const response = await step();
    t.equal(response.statusCode, 201, response.body);
  }
  return api;
}

/** The hash an event chains to, found in the log itself: the previous revision of its stream. */
function previousInStream(log: readonly RecordedEvent[], event: RecordedEvent): string {
  if (event.revision === 0) return GENESIS;
  return log.find((other) => other.stream === event.stream && other.revision === event.revision - 1)!.hash;
}

/** The digest rule restated: SHA-256 folded over the hashes in log order, from 64 zeros. */
function digestOf(log: readonly RecordedEvent[]): string {
  return log.reduce((digest, event) => createHash('sha256').update(digest).update(event.hash).digest('hex'), GENESIS);
}
