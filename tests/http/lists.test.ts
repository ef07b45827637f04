/**
 * The list routes: one paging convention (limit, offset → items, total, limit, offset), each
 * filter, each role's scope (a financier sees only itself and its own receipts, a team leader only
 * its own room) and bad query parameters as a 400 naming the field. The world is put in through
 * the HTTP commands and a bank statement; expected rows are written from those inputs.
 */
import t, { type Test } from 'tap';
import type { TestApp } from '../helpers/app.js';
import { CRAFTED_ACCOUNT, craftedStatement } from '../bank/camt053.fixtures.js';
import { issue, ownBankAccounts, receivablesApp } from './receivables.fixtures.js';

async function ok(api: TestApp, url: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<Record<string, unknown>> {
  const response = await api.request(api.tokens.treasurer, { method, url, payload: body as object });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

interface ListWorld {
  readonly api: TestApp;
  readonly portaalInvoice: string;
  readonly correctedHours: string;
}

/**
 * Rooms top and de-klop; financiers doen, gemeente, portaal. Receipts: 1000.00 from Portaal fully
 * allocated (February), 300.00 from DOEN of which 200.00 allocated (March), 50.00 from nobody known
 * (April). Money out: two recorded expenses, a statement debit assigned to top's rent, one waiting.
 */
async function listWorld(t: Test): Promise<ListWorld> {
  const api = await receivablesApp(t);
  await ok(api, '/kamers', { id: 'zz-hart', name: 'Hart', teamLeaderIban: 'NL39RABO0300065264' });
  const rent = (amount: string) => ({ lines: [{ line: 'rent', label: 'Huur', amount }] });
  await ok(api, '/kamers/top/budgets/2020', rent('10680.00'), 'PUT');
  await ok(api, '/kamers/top/budgets/2019', rent('9000.00'), 'PUT');
  await ok(api, '/kamers/de-klop/budgets/2020', rent('6000.00'), 'PUT');

  const portaal = await issue(api, { issueDate: '2020-01-15' });
  const doen = await issue(api, { financier: 'doen', issueDate: '2020-01-16', lines: [{ description: 'Bijdrage', amount: '500.00' }] });
  const portaalInvoice = portaal.json().id as string;
  await ok(api, '/payments/received', { date: '2020-02-01', amount: '1000.00', payerName: 'Woningcorporatie Portaal', payerIban: 'NL91ABNA0417164300', allocations: [{ invoice: portaalInvoice, amount: '1000.00' }] });
  await ok(api, '/payments/received', { date: '2020-03-01', amount: '300.00', payerName: 'Stichting DOEN', allocations: [{ invoice: doen.json().id, amount: '200.00' }] });
  await ok(api, '/payments/received', { date: '2020-04-01', amount: '50.00', payerName: 'Onbekend' });

  await ok(api, '/payments/made', { date: '2020-02-10', kamer: 'top', line: 'rent', amount: '890.00', payee: 'Mitros', description: 'huur februari' });
  await ok(api, '/payments/made', { date: '2020-03-10', kamer: 'de-klop', line: 'rent', amount: '500.00', payee: 'Portaal', description: 'huur maart' });
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const statement = craftedStatement([
    { amount: '12.00', direction: 'DBIT', entryReference: 'D-ODD', bookingDate: '2020-05-05', remittance: ['onbekend'] },
    { amount: '890.00', direction: 'DBIT', entryReference: 'D-RENT', bookingDate: '2020-05-06', creditorName: 'Mitros', remittance: ['huur mei TOP'] },
  ]);
  const imported = await api.request(api.tokens.treasurer, { method: 'POST', url: '/bank-statements', payload: statement, headers: { 'content-type': 'application/xml' } });
  if (imported.statusCode !== 201) throw new Error(`statement: ${imported.body}`);
  const waiting = (await api.get(api.tokens.treasurer, '/payments/made/unassigned')).json().payments as Array<{ id: string; bankReference: string }>;
  await ok(api, `/payments/made/${waiting.find((payment) => payment.bankReference === 'D-RENT')!.id}/assignment`, { kamer: 'top', line: 'rent' });

  const hours = (kamer: string, body: Record<string, unknown>) => ok(api, `/kamers/${kamer}/volunteer-hours`, { kind: 'resident', ...body });
  await hours('top', { volunteer: 'v-001', date: '2020-05-10', hours: '3.00', activity: 'koken' });
  const corrected = await hours('top', { volunteer: 'v-002', date: '2020-06-01', hours: '2.00' });
  await hours('top', { volunteer: 'v-001', date: '2019-12-01', hours: '4.50', kind: 'professional' });
  await hours('de-klop', { volunteer: 'v-003', date: '2020-05-11', hours: '1.00' });
  await ok(api, `/volunteer-hours/${corrected.id as string}/corrections`, { hours: '2.75', reason: 'verkeerd overgenomen' });

  await ok(api, '/kamers/top/petty-cash/transfers', { date: '2020-05-02', amount: '200.00' });
  await ok(api, '/kamers/top/petty-cash/spending', { date: '2020-05-10', category: 'A', amount: '20.00', description: 'boodschappen' });
  await ok(api, '/kamers/top/petty-cash/spending', { date: '2020-06-03', category: 'B', amount: '15.00', description: 'koffie' });
  await ok(api, '/kamers/de-klop/petty-cash/transfers', { date: '2020-05-02', amount: '100.00' });
  return { api, portaalInvoice, correctedHours: corrected.id as string };
}

interface PageOf<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

async function list<T = Record<string, unknown>>(t: Test, api: TestApp, as: string, url: string): Promise<PageOf<T>> {
  const response = await api.get(as, url);
  t.equal(response.statusCode, 200, url, { body: response.body.slice(0, 300) });
  return response.json();
}

const ids = (page: PageOf<{ id: string }>) => page.items.map((item) => item.id);

t.test('paging: limit and offset cut a stable order, total counts every match, the defaults are 50 and 0', async (t) => {
  const { api } = await listWorld(t);
  const as = api.tokens.treasurer;
  const first = await list<{ id: string }>(t, api, as, '/financiers?limit=2');
  t.same({ ...first, items: ids(first) }, { items: ['doen', 'gemeente'], total: 3, limit: 2, offset: 0 });
  const second = await list<{ id: string }>(t, api, as, '/financiers?limit=2&offset=2');
  t.same({ ...second, items: ids(second) }, { items: ['portaal'], total: 3, limit: 2, offset: 2 });
  const beyond = await list(t, api, as, '/financiers?offset=10');
  t.same(beyond, { items: [], total: 3, limit: 50, offset: 10 });
  const received = await list<{ id: string }>(t, api, as, '/payments/received?limit=1&offset=1');
  const all = await list<{ id: string }>(t, api, as, '/payments/received');
  t.equal(received.total, 3);
  t.same(ids(received), [ids(all)[1]], 'a page is the same slice of the whole list');
});

t.test('GET /kamers: every room for the treasurer (with the team leader IBAN), none of the IBANs for a financier, its own room for a team leader', async (t) => {
  const { api } = await listWorld(t);
  const treasurer = await list(t, api, api.tokens.treasurer, '/kamers');
  t.same(treasurer.items, [
    { id: 'de-klop', name: 'De Klop' },
    { id: 'top', name: 'TOP' },
    { id: 'zz-hart', name: 'Hart', teamLeaderIban: 'NL39RABO0300065264' },
  ]);
  const financier = await list(t, api, api.tokens.financier('portaal'), '/kamers');
  t.same(financier.items.map((kamer) => Object.keys(kamer).sort()), [['id', 'name'], ['id', 'name'], ['id', 'name']]);
  const teamLeader = await list(t, api, api.tokens.teamleader('top'), '/kamers');
  t.same(teamLeader, { items: [{ id: 'top', name: 'TOP' }], total: 1, limit: 50, offset: 0 });
});

t.test('GET /financiers: filtered by kind; a financier sees only itself; a team leader may not list them', async (t) => {
  const { api } = await listWorld(t);
  const funds = await list(t, api, api.tokens.accountant, '/financiers?kind=municipality');
  t.same(funds.items, [{ id: 'gemeente', name: 'Gemeente Utrecht', kind: 'municipality', pays: 'subsidy-decision' }]);
  const own = await list<{ id: string }>(t, api, api.tokens.financier('doen'), '/financiers');
  t.same(ids(own), ['doen']);
  t.equal(own.total, 1);
  t.equal((await api.get(api.tokens.teamleader('top'), '/financiers')).statusCode, 403);
});

t.test("GET /kamers/:kamer/budgets: all years or one; a team leader only its own room; an unknown room is 404", async (t) => {
  const { api } = await listWorld(t);
  const all = await list<{ year: number; total: string }>(t, api, api.tokens.teamleader('top'), '/kamers/top/budgets');
  t.same(
    all.items.map((budget) => [budget.year, budget.total]),
    [
      [2019, '9000.00'],
      [2020, '10680.00'],
    ],
  );
  const one = await list(t, api, api.tokens.accountant, '/kamers/top/budgets?year=2020');
  t.same(one.items, [{ year: 2020, lines: [{ line: 'rent', label: 'Huur', amount: '10680.00' }], total: '10680.00' }]);
  t.equal((await api.get(api.tokens.teamleader('top'), '/kamers/de-klop/budgets')).statusCode, 403);
  t.equal((await api.get(api.tokens.financier('portaal'), '/kamers/top/budgets')).statusCode, 403);
  t.equal((await api.get(api.tokens.treasurer, '/kamers/nergens/budgets')).statusCode, 404);
});

t.test('GET /payments/received: every receipt with its allocation state, filtered by state, payer, financier and dates', async (t) => {
  const { api, portaalInvoice } = await listWorld(t);
  const as = api.tokens.treasurer;
  const all = await list<{ date: string; amount: string; allocated: string; unallocated: string; allocation: string }>(t, api, as, '/payments/received');
  t.same(
    all.items.map(({ date, amount, allocated, unallocated, allocation }) => [date, amount, allocated, unallocated, allocation]),
    [
      ['2020-02-01', '1000.00', '1000.00', '0.00', 'allocated'],
      ['2020-03-01', '300.00', '200.00', '100.00', 'partially-allocated'],
      ['2020-04-01', '50.00', '0.00', '50.00', 'unallocated'],
    ],
  );
  t.match(all.items[0], { payerName: 'Woningcorporatie Portaal', source: 'manual', allocations: [{ invoice: portaalInvoice, financier: 'portaal', kamer: 'top', year: 2020, amount: '1000.00', matchedBy: 'treasurer' }] });
  const dates = async (query: string) => (await list<{ date: string }>(t, api, as, `/payments/received?${query}`)).items.map((item) => item.date);
  t.same(await dates('allocation=unallocated'), ['2020-04-01']);
  t.same(await dates('allocation=partially-allocated'), ['2020-03-01']);
  t.same(await dates('allocation=allocated'), ['2020-02-01']);
  t.same(await dates('payer=doen'), ['2020-03-01'], 'part of the name, any case');
  t.same(await dates('payer=NL91%20ABNA%200417%201643%2000'), ['2020-02-01'], 'or the IBAN');
  t.same(await dates('financier=doen'), ['2020-03-01']);
  t.same(await dates('from=2020-02-15&to=2020-03-31'), ['2020-03-01']);
  t.same(await dates('from=2020-03-01'), ['2020-03-01', '2020-04-01'], 'from is inclusive');
  t.same(await dates('to=2020-03-01'), ['2020-02-01', '2020-03-01'], 'to is inclusive');
  const unallocated = (await api.get(as, '/payments/unallocated')).json() as Array<{ date: string; unallocated: string }>;
  t.same(
    unallocated.map((payment) => [payment.date, payment.unallocated]),
    all.items.filter((item) => item.allocation !== 'allocated').map((item) => [item.date, item.unallocated]),
    'the same open sums GET /payments/unallocated answers',
  );
});

t.test("GET /payments/received: a financier sees only receipts allocated to it, never another's", async (t) => {
  const { api } = await listWorld(t);
  const own = await list<{ date: string }>(t, api, api.tokens.financier('portaal'), '/payments/received');
  t.same(own.items.map((item) => item.date), ['2020-02-01']);
  t.equal(own.total, 1);
  t.equal((await api.get(api.tokens.financier('portaal'), '/payments/received?financier=doen')).statusCode, 403);
  t.equal((await api.get(api.tokens.financier('gemeente'), '/payments/received')).json().total, 0, 'nothing allocated to it: nothing to see');
  t.equal((await api.get(api.tokens.teamleader('top'), '/payments/received')).statusCode, 403);
});

t.test('GET /payments/made: expenses and statement debits, filtered by room, dates and assignment; a team leader only its own room', async (t) => {
  const { api } = await listWorld(t);
  const as = api.tokens.accountant;
  type Made = { date: string; amount: string; source: string; kamer?: string; assigned: boolean };
  const rows = async (query: string, token = as) =>
    (await list<Made>(t, api, token, `/payments/made${query}`)).items.map((item) => [item.date, item.amount, item.source, item.kamer ?? null, item.assigned]);
  t.same(await rows(''), [
    ['2020-02-10', '890.00', 'expense', 'top', true],
    ['2020-03-10', '500.00', 'expense', 'de-klop', true],
    ['2020-05-05', '12.00', 'bank-statement', null, false],
    ['2020-05-06', '890.00', 'bank-statement', 'top', true],
  ]);
  t.same(await rows('?kamer=top'), [
    ['2020-02-10', '890.00', 'expense', 'top', true],
    ['2020-05-06', '890.00', 'bank-statement', 'top', true],
  ]);
  t.same(await rows('?assigned=false'), [['2020-05-05', '12.00', 'bank-statement', null, false]]);
  t.same(await rows('?from=2020-03-01&to=2020-05-05'), [
    ['2020-03-10', '500.00', 'expense', 'de-klop', true],
    ['2020-05-05', '12.00', 'bank-statement', null, false],
  ]);
  t.same(await rows('', api.tokens.teamleader('de-klop')), [['2020-03-10', '500.00', 'expense', 'de-klop', true]]);
  t.equal((await api.get(api.tokens.teamleader('de-klop'), '/payments/made?kamer=top')).statusCode, 403);
  t.equal((await api.get(api.tokens.financier('portaal'), '/payments/made')).statusCode, 403);
});

t.test("GET /kamers/:kamer/volunteer-hours: entries as they count now, by year and month; a team leader cannot list another room's hours", async (t) => {
  const { api, correctedHours } = await listWorld(t);
  type Hours = { id: string; volunteer: string; date: string; hours: string; kind: string; corrections: number };
  const rows = async (query: string, token = api.tokens.teamleader('top')) =>
    (await list<Hours>(t, api, token, `/kamers/top/volunteer-hours${query}`)).items.map((item) => [item.date, item.volunteer, item.hours, item.kind, item.corrections]);
  t.same(await rows(''), [
    ['2019-12-01', 'v-001', '4.50', 'professional', 0],
    ['2020-05-10', 'v-001', '3.00', 'resident', 0],
    ['2020-06-01', 'v-002', '2.75', 'resident', 1],
  ]);
  t.same(await rows('?year=2020'), [
    ['2020-05-10', 'v-001', '3.00', 'resident', 0],
    ['2020-06-01', 'v-002', '2.75', 'resident', 1],
  ]);
  t.same(await rows('?month=2020-06'), [['2020-06-01', 'v-002', '2.75', 'resident', 1]]);
  t.same(await rows('?kind=professional', api.tokens.treasurer), [['2019-12-01', 'v-001', '4.50', 'professional', 0]]);
  const corrected = (await list<Hours>(t, api, api.tokens.treasurer, '/kamers/top/volunteer-hours?month=2020-06')).items[0]!;
  t.equal(corrected.id, correctedHours, 'a corrected entry keeps its id');
  const refused = await api.get(api.tokens.teamleader('de-klop'), '/kamers/top/volunteer-hours');
  t.equal(refused.statusCode, 403);
  t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal((await api.get(api.tokens.financier('portaal'), '/kamers/top/volunteer-hours')).statusCode, 403);
  t.equal((await api.get(api.tokens.treasurer, '/kamers/nergens/volunteer-hours')).statusCode, 404);
});

t.test('GET /kamers/:kamer/petty-cash/entries: transfers and spending by date, filtered by year, month, category and kind', async (t) => {
  const { api } = await listWorld(t);
  type Entry = { kind: string; date: string; amount: string; category?: string; month?: string };
  const rows = async (query: string) =>
    (await list<Entry>(t, api, api.tokens.teamleader('top'), `/kamers/top/petty-cash/entries${query}`)).items.map((item) => [item.kind, item.date, item.amount, item.category ?? item.month]);
  t.same(await rows(''), [
    ['transfer', '2020-05-02', '200.00', '2020-05'],
    ['spending', '2020-05-10', '20.00', 'A'],
    ['spending', '2020-06-03', '15.00', 'B'],
  ]);
  t.same(await rows('?month=2020-05'), [
    ['transfer', '2020-05-02', '200.00', '2020-05'],
    ['spending', '2020-05-10', '20.00', 'A'],
  ]);
  t.same(await rows('?category=B'), [['spending', '2020-06-03', '15.00', 'B']]);
  t.same(await rows('?kind=transfer'), [['transfer', '2020-05-02', '200.00', '2020-05']]);
  t.same(await rows('?year=2019'), []);
  t.equal((await api.get(api.tokens.teamleader('top'), '/kamers/de-klop/petty-cash/entries')).statusCode, 403);
});

t.test('the lists are bitemporal: ?asOf cuts on the business date like every read', async (t) => {
  const { api } = await listWorld(t);
  const received = await list<{ date: string }>(t, api, api.tokens.treasurer, '/payments/received?asOf=2020-02-28');
  t.same(received.items.map((item) => item.date), ['2020-02-01']);
  const hours = await list(t, api, api.tokens.treasurer, '/kamers/top/volunteer-hours?asOf=2020-05-31');
  t.equal(hours.total, 2);
});

t.test('bad query parameters are a 400 problem naming the field', async (t) => {
  const { api } = await listWorld(t);
  const cases: Array<[string, string]> = [
    ['/financiers?limit=0', 'querystring.limit'],
    ['/financiers?limit=501', 'querystring.limit'],
    ['/kamers?offset=-1', 'querystring.offset'],
    ['/kamers?limit=tien', 'querystring.limit'],
    ['/financiers?kind=bank', 'querystring.kind'],
    ['/payments/received?allocation=half', 'querystring.allocation'],
    ['/payments/received?from=2020-02-30', 'querystring.from'],
    ['/payments/received?from=2020-03-01&to=2020-02-01', 'querystring.to'],
    ['/payments/made?assigned=ja', 'querystring.assigned'],
    ['/kamers/top/volunteer-hours?month=2020-13', 'querystring.month'],
    ['/kamers/top/volunteer-hours?year=1999', 'querystring.year'],
    ['/kamers/top/petty-cash/entries?category=G', 'querystring.category'],
    ['/kamers/top/budgets?sort=year', 'querystring.sort'],
  ];
  for (const [url, field] of cases) {
    const response = await api.get(api.tokens.treasurer, url);
    t.equal(response.statusCode, 400, url);
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', url);
    const paths = (response.json().errors as Array<{ path: string }>).map((error) => error.path);
    t.ok(paths.includes(field), `${url} names ${field} (${paths.join(', ')})`);
  }
});

t.test('the OpenAPI document (/openapi.json and /docs/json) describes every list route', async (t) => {
  const { api } = await listWorld(t);
  const document = (await api.get(api.tokens.accountant, '/openapi.json')).json() as { paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> };
  const docs = await api.get(api.tokens.accountant, '/docs/json');
  t.equal(docs.statusCode, 200);
  t.same(Object.keys(docs.json().paths).sort(), Object.keys(document.paths).sort(), 'the docs page reads the same document');
  for (const path of ['/kamers', '/financiers', '/kamers/{kamer}/budgets', '/payments/received', '/payments/made', '/kamers/{kamer}/volunteer-hours', '/kamers/{kamer}/petty-cash/entries']) {
    const parameters = document.paths[path]?.get?.parameters?.map((parameter) => parameter.name) ?? [];
    t.ok(parameters.includes('limit') && parameters.includes('offset'), `${path} is documented with its paging`);
  }
});
