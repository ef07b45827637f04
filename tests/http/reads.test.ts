/**
 * The read routes over a real SQLite store and the real app. Master data goes through the
 * registry routes; the other facts are appended straight to the store (the event contract is
 * the interface between the write side and these reads).
 */
import t, { type Test } from 'tap';
import { addDays, daysBetween } from '../../src/domain/calendar.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import {
  allocation,
  appendEvents,
  creditNote,
  expense,
  hours,
  invoice,
  payment,
  pettyCashSpent,
  pettyCashTransfer,
  pledge,
} from '../projections/read-model-events.js';

const MONEY = /^-?\d+\.\d{2}$/;

async function registerMasterData(t: Test, api: TestApp): Promise<void> {
  for (const [id, name] of [['top', 'TOP'], ['klop', 'De Klop']]) {
    t.equal((await api.post(api.tokens.treasurer, '/kamers', { id, name })).statusCode, 201);
  }
  for (const id of ['portaal', 'mitros', 'gemeente']) {
    const pays = id === 'gemeente' ? 'subsidy-decision' : 'invoice';
    t.equal((await api.post(api.tokens.treasurer, '/financiers', { id, name: id, kind: 'fund', pays })).statusCode, 201);
  }
  const budget = await api.request(api.tokens.treasurer, {
    method: 'PUT',
    url: '/kamers/top/budgets/2020',
    payload: { lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }, { line: 'salaries', label: 'Salarissen', amount: '21000.00' }] },
  });
  t.equal(budget.statusCode, 201, budget.body);
  for (const [kind, perHour] of [['resident', '11.00'], ['professional', '37.00']]) {
    t.equal((await api.post(api.tokens.treasurer, '/valuation-rates', { year: 2020, kind, perHour })).statusCode, 201);
  }
}

/** Two invoices to portaal (one paid on time, one overdue by mid-June), one to mitros, pledges, spending. */
async function scenario(t: Test) {
  const api = await createTestApp(t);
  await registerMasterData(t, api);
  const portaalPledge = pledge({ financier: 'portaal', kamer: 'top', year: 2020, amount: '5000.00' });
  const mitrosPledge = pledge({ financier: 'mitros', kamer: 'top', year: 2020, amount: '6600.00', form: 'in-kind' });
  const subsidy = pledge({ financier: 'gemeente', kamer: 'klop', year: 2020, amount: '20000.00', status: 'conditional' });
  const paidInvoice = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-02-01', total: '2000.00', pledge: portaalPledge.data.pledgeId });
  const overdueInvoice = invoice({ number: '2020-0002', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-03-02', total: '3000.00' });
  const mitrosInvoice = invoice({ number: '2020-0003', financier: 'mitros', kamer: 'klop', year: 2020, issueDate: '2020-05-01', total: '400.00' });
  const onTime = payment('2020-02-20', '2000.00');
  const partly = payment('2020-04-10', '1000.00');
  const unmatched = payment('2020-05-05', '123.45');
  await appendEvents(api.store, [
    portaalPledge,
    mitrosPledge,
    subsidy,
    paidInvoice,
    overdueInvoice,
    mitrosInvoice,
    creditNote(overdueInvoice, '2020-0004', '500.00'),
    onTime,
    allocation(onTime, { invoice: paidInvoice }, '2000.00'),
    partly,
    allocation(partly, { invoice: overdueInvoice }, '1000.00'),
    unmatched,
    expense('top', 2020, 'rent', '2020-03-01', '750.00'),
    pettyCashTransfer('top', '2020-03-02', '250.00'),
    pettyCashSpent('top', '2020-03-05', 'B', '45.10'),
    hours('top', 'v-17', '2020-03-10', '4.00'),
  ]);
  return { api, paidInvoice, overdueInvoice, mitrosInvoice, unmatched };
}

t.test('GET /pledges lists pledges with status and amount; a financier sees only its own', async (t) => {
  const { api } = await scenario(t);
  const all = await api.get(api.tokens.treasurer, '/pledges');
  t.equal(all.statusCode, 200, all.body);
  t.same(all.json().map((p: { financier: string; amount: string; status: string }) => [p.financier, p.amount, p.status]), [
    ['portaal', '5000.00', 'committed'],
    ['mitros', '6600.00', 'committed'],
    ['gemeente', '20000.00', 'conditional'],
  ]);
  t.same((await api.get(api.tokens.accountant, '/pledges?kamer=klop&year=2020')).json().map((p: { financier: string }) => p.financier), ['gemeente']);
  t.same((await api.get(api.tokens.accountant, '/pledges?year=2019')).json(), []);
  const own = await api.get(api.tokens.financier('mitros'), '/pledges');
  t.same(own.json().map((p: { financier: string }) => p.financier), ['mitros'], 'the filter is forced to its own');
  t.equal((await api.get(api.tokens.financier('mitros'), '/pledges?financier=portaal')).statusCode, 403);
  t.equal((await api.get(api.tokens.teamleader('top'), '/pledges')).statusCode, 403);
  t.equal((await api.request('nope', { method: 'GET', url: '/pledges' })).statusCode, 401);
  t.equal((await api.get(api.tokens.treasurer, '/pledges?year=twenty')).statusCode, 400);
  t.equal((await api.get(api.tokens.treasurer, '/pledges?colour=red')).statusCode, 400, 'unknown query fields are refused');
});

t.test('GET /invoices/:id answers the status, paid and open amounts, days to pay; scoped for financiers', async (t) => {
  const { api, paidInvoice, overdueInvoice } = await scenario(t);
  const paid = await api.get(api.tokens.treasurer, `/invoices/${paidInvoice.data.invoiceId}`);
  t.equal(paid.statusCode, 200, paid.body);
  const days = daysBetween('2020-02-01', '2020-02-20');
  t.match(paid.json(), { number: '2020-0001', status: 'paid', paidAmount: '2000.00', openAmount: '0.00', paidOn: '2020-02-20', daysToPay: days, onTime: true, dueDate: addDays('2020-02-01', 28) });

  const overdue = await api.get(api.tokens.financier('portaal'), '/invoices/2020-0002');
  t.equal(overdue.statusCode, 200, 'found by number, by its own financier');
  t.match(overdue.json(), { id: overdueInvoice.data.invoiceId, status: 'overdue', total: '3000.00', credited: '500.00', paidAmount: '1000.00', openAmount: '1500.00' });
  t.notOk('paidOn' in overdue.json());

  // Another financier's invoice looks exactly like one that does not exist (no counting by number).
  const othersInvoice = await api.get(api.tokens.financier('mitros'), '/invoices/2020-0002');
  const noSuchInvoice = await api.get(api.tokens.financier('mitros'), '/invoices/2020-0999');
  t.equal(othersInvoice.statusCode, 404, "another financier's invoice");
  t.equal(noSuchInvoice.statusCode, 404);
  t.same(
    [othersInvoice.json().code, othersInvoice.json().title, othersInvoice.json().status],
    [noSuchInvoice.json().code, noSuchInvoice.json().title, noSuchInvoice.json().status],
  );
  t.equal((await api.get(api.tokens.treasurer, '/invoices/2020-0999')).statusCode, 404);
  t.equal((await api.get(api.tokens.treasurer, '/invoices/not-an-id')).statusCode, 400);
  t.equal((await api.get(api.tokens.teamleader('top'), '/invoices/2020-0001')).statusCode, 403);
  const beforeDue = await api.get(api.tokens.treasurer, `/invoices/2020-0002?asOf=${overdueInvoice.data.dueDate}`);
  t.match(beforeDue.json(), { status: 'open', paidAmount: '0.00', openAmount: '2500.00' }, 'on its due date: credited, not yet paid, not yet overdue');
});

t.test('GET /invoices filters by financier, room, year and status; a financier is held to its own', async (t) => {
  const { api } = await scenario(t);
  const numbers = async (token: string, query: string) => (await api.get(token, `/invoices${query}`)).json().map((i: { number: string }) => i.number);
  t.same(await numbers(api.tokens.treasurer, ''), ['2020-0001', '2020-0002', '2020-0003']);
  t.same(await numbers(api.tokens.accountant, '?status=overdue'), ['2020-0002', '2020-0003'], 'on 15 June both unpaid invoices are past due');
  t.same(await numbers(api.tokens.accountant, '?kamer=klop'), ['2020-0003']);
  t.same(await numbers(api.tokens.accountant, '?financier=portaal&status=paid'), ['2020-0001']);
  t.same(await numbers(api.tokens.financier('mitros'), ''), ['2020-0003']);
  t.equal((await api.get(api.tokens.financier('mitros'), '/invoices?financier=portaal')).statusCode, 403);
  t.equal((await api.get(api.tokens.treasurer, '/invoices?status=late')).statusCode, 400);
});

t.test('GET /payments/unallocated lists money not yet allocated, for the treasurer and the accountant', async (t) => {
  const { api, unmatched } = await scenario(t);
  const response = await api.get(api.tokens.treasurer, '/payments/unallocated');
  t.equal(response.statusCode, 200, response.body);
  t.same(response.json().map((p: { id: string; unallocated: string }) => [p.id, p.unallocated]), [[unmatched.data.paymentId, '123.45']]);
  t.equal((await api.get(api.tokens.accountant, '/payments/unallocated?asOf=2020-05-04')).json().length, 0, 'not yet received on 4 May');
  t.equal((await api.get(api.tokens.financier('portaal'), '/payments/unallocated')).statusCode, 403);
});

t.test('GET /reports/overdue lists invoices past due with days overdue; a financier sees only its rows', async (t) => {
  const { api } = await scenario(t);
  const report = await api.get(api.tokens.accountant, '/reports/overdue');
  t.equal(report.statusCode, 200, report.body);
  t.same(report.json().map((row: { number: string; financier: string; daysOverdue: number; openAmount: string }) => [row.number, row.financier, row.daysOverdue, row.openAmount]), [
    ['2020-0002', 'portaal', daysBetween(addDays('2020-03-02', 28), '2020-06-15'), '1500.00'],
    ['2020-0003', 'mitros', daysBetween(addDays('2020-05-01', 28), '2020-06-15'), '400.00'],
  ]);
  const asOf = await api.get(api.tokens.treasurer, '/reports/overdue?asOf=2020-04-05');
  t.same(asOf.json().map((row: { number: string; daysOverdue: number; openAmount: string }) => [row.number, row.daysOverdue, row.openAmount]), [['2020-0002', daysBetween(addDays('2020-03-02', 28), '2020-04-05'), '2500.00']], 'aged on the asOf date, before the April payment');
  const own = await api.get(api.tokens.financier('mitros'), '/reports/overdue');
  t.same(own.json().map((row: { number: string }) => row.number), ['2020-0003']);
  t.equal((await api.get(api.tokens.teamleader('top'), '/reports/overdue')).statusCode, 403);
});

t.test("GET /financiers/:financier/position: the financier's own position, nobody else's", async (t) => {
  const { api } = await scenario(t);
  const position = await api.get(api.tokens.financier('portaal'), '/financiers/portaal/position?year=2020');
  t.equal(position.statusCode, 200, position.body);
  t.match(position.json(), { financier: 'portaal', year: 2020, pledged: '5000.00', invoiced: '4500.00', paid: '3000.00', open: '1500.00', overdue: '1500.00' });
  t.match(position.json().invoices, { total: 2, limit: 50, offset: 0 }, 'both 2020 invoices, on the default page');
  t.match(position.json().invoices.items, [
    { number: '2020-0001', issueDate: '2020-02-01', total: '2000.00', paidAmount: '2000.00', paidOn: '2020-02-20', daysToPay: 19, onTime: true, status: 'paid' },
    { number: '2020-0002', paidOn: null, daysToPay: null, onTime: null, status: 'overdue' },
  ]);
  t.equal((await api.get(api.tokens.financier('mitros'), '/financiers/portaal/position')).statusCode, 403);
  t.equal((await api.get(api.tokens.treasurer, '/financiers/nobody/position')).statusCode, 404);
  t.equal((await api.get(api.tokens.teamleader('top'), '/financiers/portaal/position')).statusCode, 403);
  t.match((await api.get(api.tokens.accountant, '/financiers/portaal/position?year=2019')).json(), { pledged: '0.00', invoiced: '0.00', invoices: { items: [], total: 0 } });
});

t.test("GET /kamers/:kamer/budget/:year: the room's budget balance, for its team leader too", async (t) => {
  const { api } = await scenario(t);
  const response = await api.get(api.tokens.teamleader('top'), '/kamers/top/budget/2020');
  t.equal(response.statusCode, 200, response.body);
  const body = response.json();
  t.match(body, {
    budget: { total: '30000.00', lines: [{ line: 'rent', amount: '9000.00' }, { line: 'salaries', amount: '21000.00' }] },
    pledged: { committed: '11600.00', conditional: '0.00', proposed: '0.00', withdrawn: '0.00', inKind: '6600.00' },
    invoiced: '4500.00',
    received: '3000.00',
    outstanding: '1500.00',
    spent: { byLine: { rent: '750.00', salaries: '0.00' }, pettyCash: { B: '45.10' }, total: '795.10' },
    cash: '2000.00',
    fundingGap: '18400.00',
    volunteers: { hours: { resident: '4.00', professional: '0.00' }, value: '44.00', activeVolunteers: 0 },
    popularBudget: '30044.00',
    financiersShare: '0.3861',
  });
  const moneyFields = [body.invoiced, body.received, body.outstanding, body.cash, body.fundingGap, body.popularBudget, body.spent.total, ...Object.values(body.pledged as Record<string, string>)];
  t.ok(moneyFields.every((value) => MONEY.test(value)), 'money is a two-decimal string');
  t.equal((await api.get(api.tokens.teamleader('klop'), '/kamers/top/budget/2020')).statusCode, 403);
  t.equal((await api.get(api.tokens.financier('portaal'), '/kamers/top/budget/2020')).statusCode, 403);
  t.equal((await api.get(api.tokens.treasurer, '/kamers/nowhere/budget/2020')).statusCode, 404);
  t.equal((await api.get(api.tokens.treasurer, '/kamers/top/budget/1850')).statusCode, 400);
});

t.test('a room with volunteer hours but no valuation rate for their year is a 422 VALUATION_RATE_MISSING', async (t) => {
  const { api } = await scenario(t);
  await appendEvents(api.store, [hours('klop', 'v-3', '2019-05-01', '2.00')]);
  const response = await api.get(api.tokens.accountant, '/kamers/klop/budget/2019');
  t.equal(response.statusCode, 422);
  t.match(response.json(), { code: 'VALUATION_RATE_MISSING', detail: /resident hours in 2019/ });
});

t.test('GET /kamers/:kamer/petty-cash: per month transferred, spent per category and the balance', async (t) => {
  const { api } = await scenario(t);
  const response = await api.get(api.tokens.teamleader('top'), '/kamers/top/petty-cash?year=2020');
  t.equal(response.statusCode, 200, response.body);
  t.match(response.json().months[2], { month: '2020-03', transferred: '250.00', spent: { B: '45.10' }, spentTotal: '45.10', balance: '204.90' });
  t.equal(response.json().closingBalance, '204.90');
  t.equal((await api.get(api.tokens.treasurer, '/kamers/top/petty-cash')).json().year, 2020, 'the year defaults to the current one');
  t.equal((await api.get(api.tokens.teamleader('klop'), '/kamers/top/petty-cash?year=2020')).statusCode, 403);
  t.equal((await api.get(api.tokens.treasurer, '/kamers/nowhere/petty-cash?year=2020')).statusCode, 404);
});

t.test('asOf and knownAt cut every read: a late-recorded payment, and malformed cuts refused', async (t) => {
  const api = await createTestApp(t, { start: '2019-12-01T10:00:00Z' });
  await registerMasterData(t, api);
  const issued = invoice({ number: '2019-0001', financier: 'portaal', kamer: 'top', year: 2019, issueDate: '2019-12-01', total: '1000.00' });
  await appendEvents(api.store, [issued]);
  api.clock.set('2020-01-05T09:00:00Z');
  const paid = payment('2019-12-30', '1000.00');
  await appendEvents(api.store, [paid, allocation(paid, { invoice: issued }, '1000.00')]);
  const before = (await api.allEvents()).length;

  const asOf = await api.get(api.tokens.accountant, '/financiers/portaal/position?asOf=2019-12-31');
  t.match(asOf.json(), { paid: '1000.00', open: '0.00', invoices: { items: [{ status: 'paid', paidOn: '2019-12-30' }] } });
  const knownAt = await api.get(api.tokens.accountant, '/financiers/portaal/position?knownAt=2020-01-01T00:00:00Z');
  t.match(knownAt.json(), { paid: '0.00', open: '1000.00', overdue: '1000.00', invoices: { items: [{ status: 'overdue' }] } });
  t.match((await api.get(api.tokens.accountant, '/kamers/top/budget/2019?asOf=2019-12-31')).json(), { received: '1000.00' });
  t.match((await api.get(api.tokens.accountant, '/kamers/top/budget/2019?knownAt=2020-01-01T00:00:00Z')).json(), { received: '0.00' });
  t.same((await api.get(api.tokens.accountant, '/reports/overdue?knownAt=2020-01-01T00:00:00Z')).json().map((row: { number: string; daysOverdue: number }) => [row.number, row.daysOverdue]), [['2019-0001', daysBetween('2019-12-29', '2020-01-01')]], 'aged on the day of knownAt');

  for (const query of ['asOf=2019-13-01', 'asOf=31-12-2019', 'knownAt=yesterday', 'knownAt=2020-01-01']) {
    const refused = await api.get(api.tokens.accountant, `/reports/overdue?${query}`);
    t.equal(refused.statusCode, 400, query);
    t.match(refused.headers['content-type'], /problem\+json/);
  }
  t.equal((await api.allEvents()).length, before, 'reads write nothing');
});
