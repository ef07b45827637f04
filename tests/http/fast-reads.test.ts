/**
 * The two hot reads (issue 13 item 4): the financier position pages its invoices while its
 * figures cover all of them; both reads answer with the log position they reflect
 * (Ledger-Position) and are cached per position, so a read after a write sees the write.
 */
import t, { type Test } from 'tap';
import { BudgetAnswer } from '../../src/http/routes/reads-rooms.js';
import { PositionAnswer } from '../../src/http/routes/reads.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { appendEvents, expense, invoice } from '../projections/read-model-events.js';

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
