/**
 * The two hot reads (issue 13 item 4): the financier position pages its invoices while its
 * figures cover all of them; both reads answer with the log position they reflect
 * (Ledger-Position) and are cached until an event touches what they read, so a read after a
 * write sees the write; the cached answers carry an ETag and answer If-None-Match with 304.
 */
import t, { type Test } from 'tap';
import { BudgetAnswer } from '../../src/http/routes/reads-rooms.js';
import { PositionAnswer } from '../../src/http/routes/reads.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { allocation, amended, appendEvents, creditNote, expense, financier, hours, invoice, kamer, payment, pettyCashSpent, pledge, rate, statusChanged, type PledgeMadeEvent } from '../projections/read-model-events.js';
import type { DomainEvent } from '../../src/domain/events.js';

/** 12345.67 → 1234567n: the expectations are summed in whole cents, never in floats. */
const centsOf = (amount: string): bigint => BigInt(amount.replace('.', ''));
const amountOf = (cents: bigint): string => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;

const TOTALS = ['100.25', '200.50', '300.75', '401.00', '501.25', '601.50', '701.75'];

async function world(t: Test): Promise<TestApp> {
  const api = await createTestApp(t);
  t.equal((await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' })).statusCode, 201);
  t.equal((await api.post(api.tokens.treasurer, '/financiers', { id: 'portaal', name: 'Portaal', kind: 'fund', pays: 'invoice' })).statusCode, 201);
  const budget = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: { lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }] } });
  t.equal(budget.statusCode, 201, budget.body);
  await appendEvents(
    api.store,
    TOTALS.map((total, index) => {
      const month = String(index + 1).padStart(2, '0');
      return invoice({ number: `2020-000${index + 1}`, financier: 'portaal', kamer: 'top', year: 2020, issueDate: `2020-${month}-01`, total });
    }),
  );
  return api;
}

const lastPosition = async (api: TestApp): Promise<string | undefined> => (await api.allEvents()).at(-1)?.position;

t.test('the position pages its invoices; the totals, four weeks and months cover every invoice on every page', async (t) => {
  const api = await world(t);
  const whole = await api.get(api.tokens.accountant, '/financiers/portaal/position?year=2020&limit=500');
  t.equal(whole.statusCode, 200, whole.body);
  const all = whole.json();
  t.ok(PositionAnswer.safeParse(all).success, 'the compiled serialiser wrote the schema the route declares');
  t.same(all.invoices.items.map((row: { number: string }) => row.number), TOTALS.map((_, index) => `2020-000${index + 1}`));
  t.match(all.invoices, { total: TOTALS.length, limit: 500, offset: 0 });
  const invoiced = amountOf(TOTALS.reduce((sum, total) => sum + centsOf(total), 0n));
  t.equal(all.invoiced, invoiced, 'invoiced sums all seven');
  t.equal(all.fourWeeks.open, TOTALS.length);

  const byDefault = (await api.get(api.tokens.accountant, '/financiers/portaal/position?year=2020')).json();
  t.match(byDefault.invoices, { limit: 50, offset: 0, total: TOTALS.length }, 'a default page of 50');

  const pages = [];
  for (const offset of [0, 3, 6]) {
    const page = (await api.get(api.tokens.accountant, `/financiers/portaal/position?year=2020&limit=3&offset=${offset}`)).json();
    t.match(page.invoices, { total: TOTALS.length, limit: 3, offset });
    const { invoices: _pageRows, ...figures } = page;
    const { invoices: _allRows, ...allFigures } = all;
    t.same(figures, allFigures, `offset ${offset}: the same figures as the whole`);
    pages.push(...page.invoices.items);
  }
  t.same(pages, all.invoices.items, 'the pages together are the whole list, in order');
  t.same((await api.get(api.tokens.accountant, '/financiers/portaal/position?year=2020&offset=99')).json().invoices.items, [], 'past the end: an empty page');

  // Rooms per year are paged on their own: two years' invoices give two rows.
  await appendEvents(api.store, [invoice({ number: '2021-0001', financier: 'portaal', kamer: 'top', year: 2021, issueDate: '2021-01-04', total: '10.00' })]);
  const everyYear = (await api.get(api.tokens.accountant, '/financiers/portaal/position')).json();
  t.same(everyYear.rooms.items.map((row: { year: number }) => row.year), [2020, 2021]);
  const secondRoom = (await api.get(api.tokens.accountant, '/financiers/portaal/position?roomsLimit=1&roomsOffset=1')).json();
  t.match(secondRoom.rooms, { total: 2, limit: 1, offset: 1, items: [{ kamer: 'top', year: 2021, invoiced: '10.00' }] });
  t.equal(secondRoom.invoices.total, TOTALS.length + 1, 'the invoices are not paged by the rooms parameters');
  t.equal(secondRoom.invoiced, amountOf(centsOf(invoiced) + centsOf('10.00')), 'the total covers both years whatever the page');

  for (const query of ['limit=0', 'limit=501', 'offset=-1', 'limit=ten', 'roomsLimit=0', 'roomsOffset=-2']) {
    const refused = await api.get(api.tokens.accountant, `/financiers/portaal/position?${query}`);
    t.equal(refused.statusCode, 400, query);
    t.equal(refused.json().errors?.[0]?.path, `querystring.${query.split('=')[0]}`, `${query}: names the field`);
  }
});

t.test('both reads answer with the position they reflect, and a read after a write sees it', async (t) => {
  const api = await world(t);
  const before = await api.get(api.tokens.accountant, '/financiers/portaal/position?year=2020');
  t.equal(before.headers['ledger-position'], await lastPosition(api), 'the position of the last event');
  const budgetBefore = await api.get(api.tokens.accountant, '/kamers/top/budget/2020');
  t.equal(budgetBefore.statusCode, 200, budgetBefore.body);
  t.ok(BudgetAnswer.safeParse(budgetBefore.json()).success, 'the compiled serialiser wrote the schema the route declares');
  t.equal(budgetBefore.headers['ledger-position'], await lastPosition(api));
  t.equal((await api.get(api.tokens.accountant, '/financiers/portaal/position?year=2020')).body, before.body, 'the same position, the same answer');

  await appendEvents(api.store, [
    invoice({ number: '2020-0008', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-08-01', total: '99.99' }),
    expense('top', 2020, 'rent', '2020-08-02', '750.00'),
  ]);
  const after = await api.get(api.tokens.accountant, '/financiers/portaal/position?year=2020');
  t.equal(after.headers['ledger-position'], await lastPosition(api), 'moved with the log');
  t.not(after.headers['ledger-position'], before.headers['ledger-position']);
  t.equal(after.json().invoiced, amountOf(centsOf(before.json().invoiced) + centsOf('99.99')), 'the new invoice is in');
  t.equal(after.json().invoices.total, TOTALS.length + 1);
  const budgetAfter = (await api.get(api.tokens.accountant, '/kamers/top/budget/2020')).json();
  t.equal(budgetAfter.spent.total, amountOf(centsOf(budgetBefore.json().spent.total) + centsOf('750.00')), 'the new expense is in');

  const cut = await api.get(api.tokens.accountant, '/kamers/top/budget/2020?asOf=2020-07-31');
  t.equal(cut.json().spent.total, budgetBefore.json().spent.total, 'a cut is not served the live answer cached at the same position');
  t.equal(cut.headers['ledger-position'], await lastPosition(api), 'a cut answers with the head it was replayed at');
  t.notOk((await api.get(api.tokens.accountant, '/kamers/nowhere/budget/2020')).headers['ledger-position'], 'a refusal carries no position');
  for (const url of ['/pledges', '/invoices', '/invoices/2020-0001', '/payments/unallocated', '/reports/overdue', '/kamers/top/petty-cash?year=2020']) {
    const response = await api.get(api.tokens.accountant, url);
    t.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 200)}`);
    t.equal(response.headers['ledger-position'], await lastPosition(api), `${url} says its position too`);
  }
});

t.test('during a long catch-up the reads answer at the position they reflect; afterwards at the head', async (t) => {
  // A pass is long after 2 pages of 5 events: 40 new events make one.
  const api = await createTestApp(t, { projectionOptions: { pageSize: 5, longCatchUpPages: 2 } });
  t.equal((await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' })).statusCode, 201);
  const before = await api.get(api.tokens.accountant, '/kamers/top/budget/2020');
  t.equal(before.json().spent.total, '0.00');
  const amounts = Array.from({ length: 40 }, (_, index) => `${index + 1}.00`);
  await appendEvents(api.store, amounts.map((amount) => expense('top', 2020, 'rent', '2020-03-01', amount)));
  const head = await lastPosition(api);

  // Sent together: the budget read does not wait for the whole pass; GET /kamers (a list route, which waits) does.
  const [early, waited] = await Promise.all([api.get(api.tokens.accountant, '/kamers/top/budget/2020'), api.get(api.tokens.accountant, '/kamers')]);
  t.equal(waited.statusCode, 200, waited.body);
  const reached = early.headers['ledger-position'] as string;
  t.ok(BigInt(reached) < BigInt(head!), `answered at ${reached}, before the head ${head}`);
  // The expenses are the events after the kamer's: the answer holds exactly those up to its position.
  const folded = (await api.allEvents()).filter((event) => event.type === 'ExpensePaid' && BigInt(event.position) <= BigInt(reached));
  const expected = folded.reduce((sum, event) => sum + centsOf((event.data as { amount: string }).amount), 0n);
  t.equal(early.json().spent.total, amountOf(expected), 'the figures are those of the position in the header');

  const after = await api.get(api.tokens.accountant, '/kamers/top/budget/2020');
  t.equal(after.headers['ledger-position'], head);
  t.equal(after.json().spent.total, amountOf(amounts.reduce((sum, amount) => sum + centsOf(amount), 0n)), 'every expense, once caught up');
});

/** A seeded generator: the same "random" writes on every run, so a failure can be replayed. */
function seeded(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    // The high bits: an LCG's low bits repeat with a short period.
    return Math.floor((state / 2147483648) * below);
  };
}

t.test('under writes to every financier and room, each cached live answer equals a fresh replay of the whole log', async (t) => {
  const api = await createTestApp(t);
  const FINANCIERS = ['portaal', 'fonds'];
  const ROOMS = ['top', 'annex'];
  await appendEvents(api.store, [...ROOMS.map((id) => kamer(id)), ...FINANCIERS.map((id) => financier(id)), rate(2020, 'resident', '14.00')]);
  const random = seeded(13);
  const pick = <T>(from: readonly T[]): T => from[random(from.length)]!;
  const invoices: Array<DomainEvent & { type: 'InvoiceIssued' }> = [];
  const pledges: PledgeMadeEvent[] = [];
  let numbers = 0;
  const nextNumber = () => `2020-${String((numbers += 1)).padStart(4, '0')}`;
  const amount = () => `${1 + random(900)}.${String(random(100)).padStart(2, '0')}`;
  const WRITES: Array<() => DomainEvent[]> = [
    () => {
      const issued = invoice({ number: nextNumber(), financier: pick(FINANCIERS), kamer: pick(ROOMS), year: 2020, issueDate: `2020-0${1 + random(9)}-01`, total: amount() });
      invoices.push(issued);
      return [issued];
    },
    () => {
      const made = random(2) === 0 ? pledge({ financier: pick(FINANCIERS), kamer: pick(ROOMS), year: 2020, amount: amount() }) : pledge({ financier: pick(FINANCIERS), kamer: pick(ROOMS), year: 2020, share: { numerator: 1, denominator: 3 } });
      pledges.push(made);
      return [made];
    },
    () => [expense(pick(ROOMS), 2020, 'rent', '2020-03-02', amount())],
    () => [pettyCashSpent(pick(ROOMS), '2020-03-03', 'A', amount())],
    () => [hours(pick(ROOMS), 'v-001', '2020-03-04', '2.50')],
    // Rare: an event naming no one (a rate, a payment) makes every view be computed again.
    () => (random(4) === 0 ? [rate(2020, 'resident', `1${random(10)}.00`)] : [expense(pick(ROOMS), 2020, 'rent', '2020-03-05', amount())]),
    () => {
      const target = invoices.length === 0 || random(3) !== 0 ? undefined : pick(invoices);
      if (!target) return [];
      const paid = payment('2020-04-01', '1.00');
      return [paid, allocation(paid, { invoice: target }, '1.00')];
    },
    () => {
      const target = invoices.length === 0 ? undefined : pick(invoices);
      return target ? [creditNote(target, nextNumber(), '0.50', '2020-05-01')] : [];
    },
    () => {
      const target = pledges.find((made) => made.data.amount !== undefined && made.data.status === 'committed');
      return target ? [amended(target, target.data.amount!, amount())] : [];
    },
    () => {
      const target = pledges.find((made) => made.data.status === 'committed');
      if (!target) return [];
      pledges.splice(pledges.indexOf(target), 1);
      return [statusChanged(target, 'committed', 'withdrawn')];
    },
  ];
  const URLS = [...FINANCIERS.map((id) => `/financiers/${id}/position`), ...FINANCIERS.map((id) => `/financiers/${id}/position?limit=1&offset=1`), ...ROOMS.map((id) => `/kamers/${id}/budget/2020`)];
  // knownAt after every event: the same books, but replayed from the log through a cut, not from the live cache.
  const FRESH = 'knownAt=2099-01-01T00:00:00Z';
  const STEPS = 60;
  let compared = 0;
  for (let step = 0; step < STEPS; step += 1) {
    await appendEvents(api.store, pick(WRITES)());
    for (const url of URLS) {
      const live = await api.get(api.tokens.accountant, url);
      const fresh = await api.get(api.tokens.accountant, `${url}${url.includes('?') ? '&' : '?'}${FRESH}`);
      if (live.statusCode !== 200 || live.body !== fresh.body) {
        t.fail(`step ${step}, ${url}: the live answer is not the replay's`, { live: live.body, fresh: fresh.body });
        return;
      }
      compared += 1;
    }
  }
  t.equal(compared, STEPS * URLS.length, 'every live answer, after every write, equals the replay');
});

t.test('the hot reads send an ETag; If-None-Match with it answers 304 until the books change', async (t) => {
  const api = await world(t);
  for (const url of ['/financiers/portaal/position?year=2020', '/kamers/top/budget/2020']) {
    const first = await api.get(api.tokens.accountant, url);
    const etag = first.headers.etag as string;
    t.match(etag, /^"[\w-]+"$/, `${url}: a strong tag`);
    t.equal(first.headers['content-type'], 'application/json; charset=utf-8');
    const again = await api.request(api.tokens.accountant, { method: 'GET', url, headers: { 'if-none-match': etag } });
    t.equal(again.statusCode, 304, `${url}: not modified`);
    t.equal(again.body, '', 'no body');
    t.equal(again.headers.etag, etag);
    t.equal(again.headers['ledger-position'], first.headers['ledger-position'], 'still says the position');
    t.equal((await api.request(api.tokens.accountant, { method: 'GET', url, headers: { 'if-none-match': '"other", W/' + etag } })).statusCode, 304, 'a list naming it, weakly');
    t.equal((await api.request(api.tokens.accountant, { method: 'GET', url, headers: { 'if-none-match': '"other"' } })).statusCode, 200, 'another tag: the answer');
    const other = await api.request(api.tokens.financier('nobody'), { method: 'GET', url, headers: { 'if-none-match': etag } });
    t.equal(other.statusCode, 403, 'the tag never bypasses the access check');
  }
  const before = (await api.get(api.tokens.accountant, '/kamers/top/budget/2020')).headers.etag as string;
  await appendEvents(api.store, [expense('top', 2020, 'rent', '2020-08-02', '750.00')]);
  const changed = await api.request(api.tokens.accountant, { method: 'GET', url: '/kamers/top/budget/2020', headers: { 'if-none-match': before } });
  t.equal(changed.statusCode, 200, 'the books changed: the new answer');
  t.not(changed.headers.etag, before);
});
