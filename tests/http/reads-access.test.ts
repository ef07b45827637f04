/**
 * Who may read what, checked route by route against the roles of ../shared/api.md:
 * - every read route answers each role it admits and refuses (403) every other;
 * - a financier token only ever sees its own financier's data, whatever the route, filter or cut;
 * - a request without a token (or with an unknown one) to any route but /health is a 401 problem.
 * The facts go in through the HTTP commands, as a user would record them.
 */
import t, { type Test } from 'tap';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { PORTAAL_DETAILS, setCooperative, setFinancierDetails } from './parties.fixtures.js';

async function ok(api: TestApp, url: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<Record<string, unknown>> {
  const response = await api.request(api.tokens.treasurer, { method, url, payload: body as object });
  if (response.statusCode !== 201) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

interface World {
  readonly api: TestApp;
  /** ids and numbers of everything that belongs to portaal: none may reach mitros's token. */
  readonly portaalMarks: string[];
  readonly mitrosInvoiceId: string;
  readonly portaalInvoiceId: string;
  readonly mitrosReminderId: string;
}

/**
 * Two financiers that fund the SAME rooms (so a room filter never hides the other by accident),
 * each with pledges, invoices (one paid, one overdue) and payments.
 */
async function world(t: Test): Promise<World> {
  const api = await createTestApp(t, { start: '2020-01-10T10:00:00Z' });
  for (const [id, name] of [['top', 'TOP'], ['klop', 'De Klop']]) await ok(api, '/kamers', { id, name });
  await ok(api, '/financiers', { id: 'portaal', name: 'Portaal', kind: 'housing-corporation', pays: 'invoice' });
  await ok(api, '/financiers', { id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice', address: PORTAAL_DETAILS.address });
  await ok(api, '/kamers/top/budgets/2020', { lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }] }, 'PUT');
  // The documents (GET /invoices/:id/document.pdf and .xml) need both parties' details on the invoice.
  await setCooperative(api);
  await setFinancierDetails(api, 'mitros', { address: { street: 'Proefweg 1', postcode: '9999 ZZ', city: 'Proefstad' }, eInvoiceId: '0106:11223344' });
  await ok(api, '/valuation-rates', { year: 2020, kind: 'resident', perHour: '11.00' });
  const portaalMarks: string[] = [];
  const pledge = async (financier: string, kamer: string, amount: string) => {
    const made = await ok(api, '/pledges', { financier, kamer, year: 2020, amount, form: 'cash', status: 'committed' });
    if (financier === 'portaal') portaalMarks.push(made.id as string);
  };
  await pledge('portaal', 'top', '5000.00');
  await pledge('portaal', 'klop', '700.00');
  await pledge('mitros', 'top', '3000.00');
  await pledge('mitros', 'klop', '800.00');
  const invoice = async (financier: string, kamer: string, amount: string) => {
    const issued = await ok(api, '/invoices', { financier, kamer, year: 2020, issueDate: '2020-01-10', lines: [{ description: 'Bijdrage', amount }] });
    if (financier === 'portaal') portaalMarks.push(issued.id as string, issued.number as string);
    return issued;
  };
  const portaalPaid = await invoice('portaal', 'top', '1000.00');
  const portaalOpen = await invoice('portaal', 'klop', '250.00');
  const mitrosPaid = await invoice('mitros', 'top', '600.00');
  const mitrosOpen = await invoice('mitros', 'klop', '200.00');
  const received = async (amount: string, invoiceId: string) =>
    ok(api, '/payments/received', { date: '2020-01-10', amount, payerName: 'bank', allocations: [{ invoice: invoiceId, amount }] });
  const portaalPayment = await received('1000.00', portaalPaid.id as string);
  portaalMarks.push(portaalPayment.id as string);
  await received('600.00', mitrosPaid.id as string);
  await ok(api, '/payments/received', { date: '2020-01-10', amount: '12.34', payerName: 'Portaal', allocations: [] });
  await ok(api, '/kamers/top/petty-cash/transfers', { date: '2020-01-10', amount: '100.00' });
  await ok(api, '/kamers/top/volunteer-hours', { volunteer: 'v-1', date: '2020-01-10', hours: '3', kind: 'resident' });
  // Both unpaid invoices are past their due date (7 February) on 15 June.
  api.clock.set('2020-06-15T10:00:00Z');
  const reminder = await ok(api, `/invoices/${mitrosOpen.id as string}/reminders`, { kind: 'herinnering', channel: 'email' });
  return { api, portaalMarks, mitrosInvoiceId: mitrosPaid.id as string, portaalInvoiceId: portaalOpen.id as string, mitrosReminderId: reminder.id as string };
}

type Who = 'treasurer' | 'accountant' | 'financier-own' | 'financier-other' | 'teamleader-own' | 'teamleader-other' | 'kascommissie';
const EVERYONE: readonly Who[] = ['treasurer', 'accountant', 'financier-own', 'financier-other', 'teamleader-own', 'teamleader-other', 'kascommissie'];

/** The token for each kind of caller: "own" is mitros / room top, the resource every URL below is about. */
function tokenOf(api: TestApp, who: Who): string {
  switch (who) {
    case 'treasurer':
      return api.tokens.treasurer;
    case 'accountant':
      return api.tokens.accountant;
    case 'financier-own':
      return api.tokens.financier('mitros');
    case 'financier-other':
      return api.tokens.financier('portaal');
    case 'teamleader-own':
      return api.tokens.teamleader('top');
    case 'teamleader-other':
      return api.tokens.teamleader('klop');
    case 'kascommissie':
      return api.tokens.kascommissie;
  }
}

interface ReadRoute {
  /** the OpenAPI path, to check that this table covers every read route */
  readonly path: string;
  readonly url: (w: World) => string;
  /** who gets a 200; everyone else gets `refused` (403), except as listed in `otherwise` */
  readonly allowed: readonly Who[];
  readonly otherwise?: Partial<Record<Who, number>>;
}

const STAFF: readonly Who[] = ['treasurer', 'accountant'];
/** api.md: a financier reads its own position and invoices (the lists are narrowed to its own). */
const FINANCE: readonly Who[] = [...STAFF, 'financier-own', 'financier-other'];
/** api.md: a team leader reads its own room's budget (and, here, its petty cash). */
const ROOM: readonly Who[] = [...STAFF, 'teamleader-own'];
/** docs/years.md: the kascommissie reads the books and the log it checks, and the year's state. */
const AUDITORS: readonly Who[] = [...STAFF, 'kascommissie'];

const READ_ROUTES: readonly ReadRoute[] = [
  { path: '/pledges', url: () => '/pledges', allowed: FINANCE },
  { path: '/invoices', url: () => '/invoices', allowed: FINANCE },
  // Another financier's invoice is answered as if it did not exist (numbers are gapless).
  { path: '/invoices/{id}', url: (w) => `/invoices/${w.mitrosInvoiceId}`, allowed: [...STAFF, 'financier-own'], otherwise: { 'financier-other': 404 } },
  { path: '/invoices/{id}/document.xml', url: (w) => `/invoices/${w.mitrosInvoiceId}/document.xml`, allowed: [...STAFF, 'financier-own'], otherwise: { 'financier-other': 404 } },
  { path: '/invoices/{id}/document.pdf', url: (w) => `/invoices/${w.mitrosInvoiceId}/document.pdf`, allowed: [...STAFF, 'financier-own'], otherwise: { 'financier-other': 404 } },
  { path: '/reminders/{id}/document.pdf', url: (w) => `/reminders/${w.mitrosReminderId}/document.pdf`, allowed: [...STAFF, 'financier-own'], otherwise: { 'financier-other': 404 } },
  { path: '/payments/unallocated', url: () => '/payments/unallocated', allowed: STAFF },
  { path: '/payments/made/unassigned', url: () => '/payments/made/unassigned', allowed: STAFF },
  { path: '/reports/overdue', url: () => '/reports/overdue', allowed: FINANCE },
  { path: '/financiers/{financier}/statement.pdf', url: () => '/financiers/mitros/statement.pdf?year=2020', allowed: [...STAFF, 'financier-own'], otherwise: { 'financier-other': 404 } },
  { path: '/financiers/{financier}/position', url: () => '/financiers/mitros/position?year=2020', allowed: [...STAFF, 'financier-own'] },
  { path: '/kamers/{kamer}/budget/{year}', url: () => '/kamers/top/budget/2020', allowed: ROOM },
  { path: '/kamers/{kamer}/petty-cash', url: () => '/kamers/top/petty-cash?year=2020', allowed: ROOM },
  { path: '/reports/trial-balance', url: () => '/reports/trial-balance?year=2020', allowed: AUDITORS },
  { path: '/exports/xaf', url: () => '/exports/xaf?year=2020', allowed: AUDITORS },
  { path: '/exports/hledger', url: () => '/exports/hledger?year=2020', allowed: AUDITORS },
  { path: '/exports/journal.csv', url: () => '/exports/journal.csv?year=2020', allowed: AUDITORS },
  { path: '/audit/events', url: () => '/audit/events', allowed: AUDITORS },
  { path: '/audit/verify', url: () => '/audit/verify', allowed: AUDITORS },
  { path: '/audit/digest', url: () => '/audit/digest', allowed: AUDITORS },
  { path: '/years/{year}', url: () => '/years/2020', allowed: AUDITORS },
  // The list routes (docs/lists.md): a financier lists only itself and its own receipts, a team leader only its own room.
  { path: '/kamers', url: () => '/kamers', allowed: EVERYONE },
  { path: '/financiers', url: () => '/financiers', allowed: FINANCE },
  { path: '/kamers/{kamer}/budgets', url: () => '/kamers/top/budgets', allowed: ROOM },
  { path: '/payments/received', url: () => '/payments/received', allowed: FINANCE },
  { path: '/payments/made', url: () => '/payments/made', allowed: [...STAFF, 'teamleader-own', 'teamleader-other'] },
  { path: '/kamers/{kamer}/volunteer-hours', url: () => '/kamers/top/volunteer-hours', allowed: ROOM },
  { path: '/kamers/{kamer}/petty-cash/entries', url: () => '/kamers/top/petty-cash/entries', allowed: ROOM },
  // A financier reads its own annual report only: naming another's is a 403.
  { path: '/reports/annual/{year}', url: () => '/reports/annual/2020?financier=mitros', allowed: [...AUDITORS, 'financier-own'] },
  { path: '/reports/annual/{year}/report.pdf', url: () => '/reports/annual/2020/report.pdf?financier=mitros', allowed: [...AUDITORS, 'financier-own'] },
];

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

async function openApiOf(api: TestApp): Promise<OpenApiDocument> {
  const response = await api.get(api.tokens.accountant, '/openapi.json');
  if (response.statusCode !== 200) throw new Error(response.body);
  return response.json();
}

t.test('the table below covers every GET route of the OpenAPI document but /health', async (t) => {
  const api = await createTestApp(t);
  const document = await openApiOf(api);
  const documented = Object.entries(document.paths)
    .filter(([, methods]) => 'get' in methods)
    .map(([path]) => path)
    .filter((path) => path !== '/health')
    .sort();
  t.same(documented, READ_ROUTES.map((route) => route.path).sort(), 'a new read route needs its roles checked here');
});

t.test('every read route answers each role it admits and refuses every other with a 403 problem', async (t) => {
  const w = await world(t);
  for (const route of READ_ROUTES) {
    const url = route.url(w);
    for (const who of EVERYONE) {
      const response = await w.api.get(tokenOf(w.api, who), url);
      const expected = route.allowed.includes(who) ? 200 : (route.otherwise?.[who] ?? 403);
      t.equal(response.statusCode, expected, `${who} GET ${url}: ${response.body.slice(0, 160)}`);
      if (expected !== 200) {
        t.match(response.headers['content-type'], /application\/problem\+json/, `${who} GET ${url}: problem+json`);
        t.equal(response.json().code, expected === 403 ? 'FORBIDDEN' : 'NOT_FOUND', `${who} GET ${url}: code`);
      }
    }
  }
});

t.test('the same holds with asOf and knownAt: a cut never widens what a role may read', async (t) => {
  const w = await world(t);
  for (const route of READ_ROUTES.filter((r) => !r.path.startsWith('/audit'))) {
    for (const cut of ['asOf=2020-12-31', 'knownAt=2020-06-15T10:00:00Z']) {
      const base = route.url(w);
      const url = `${base}${base.includes('?') ? '&' : '?'}${cut}`;
      for (const who of EVERYONE) {
        const response = await w.api.get(tokenOf(w.api, who), url);
        const expected = route.allowed.includes(who) ? 200 : (route.otherwise?.[who] ?? 403);
        t.equal(response.statusCode, expected, `${who} GET ${url}`);
      }
    }
  }
});

t.test("a financier token never sees another financier's data on any route, filter or cut", async (t) => {
  const w = await world(t);
  const { api } = w;
  const mitros = api.tokens.financier('mitros');
  const urls = [
    '/pledges',
    '/pledges?kamer=top',
    '/pledges?kamer=klop&year=2020',
    '/invoices',
    '/invoices?kamer=klop',
    '/invoices?status=overdue',
    '/invoices?status=paid&year=2020',
    '/reports/overdue',
    '/financiers/mitros/position',
    '/financiers/mitros/position?year=2020',
    '/payments/received',
    '/payments/received?allocation=allocated',
    '/financiers',
    '/reports/annual/2020',
  ];
  for (const base of urls) {
    for (const cut of ['', 'asOf=2020-03-01', 'knownAt=2020-06-15T10:00:00Z']) {
      const url = cut === '' ? base : `${base}${base.includes('?') ? '&' : '?'}${cut}`;
      const own = await api.get(mitros, url);
      t.equal(own.statusCode, 200, `${url}: ${own.body.slice(0, 160)}`);
      t.match(own.body, /mitros/, `${url}: the answer is about mitros`);
      const leaked = ['portaal', ...w.portaalMarks].filter((mark) => own.body.includes(mark));
      t.same(leaked, [], `${url}: nothing of portaal`);
      // The filter must narrow something: the accountant's answer to the same list does show portaal.
      if (!base.startsWith('/financiers')) {
        const all = await api.get(api.tokens.accountant, url.replace(/[?&]$/, ''));
        t.match(all.body, /portaal/, `${url}: the accountant's answer does contain portaal`);
      }
    }
  }
  // Every way of naming another financier's data is refused, and the refusal says nothing about it.
  for (const url of ['/pledges?financier=portaal', '/invoices?financier=portaal', '/payments/received?financier=portaal', '/financiers/portaal/position', '/financiers/portaal/position?year=2020&asOf=2020-03-01']) {
    const response = await api.get(mitros, url);
    t.equal(response.statusCode, 403, url);
    t.notMatch(response.json().detail, /Portaal|5000|1000\.00/, `${url}: the 403 carries no figures`);
  }
  for (const url of [`/invoices/${w.portaalInvoiceId}`, '/invoices/2020-0001', '/invoices/2020-0002', `/invoices/2020-0002?knownAt=2020-06-15T10:00:00Z`]) {
    t.equal((await api.get(mitros, url)).statusCode, 404, `${url}: portaal's invoice does not exist for mitros`);
  }
  const ownInvoice = await api.get(mitros, `/invoices/${w.mitrosInvoiceId}`);
  t.equal(ownInvoice.statusCode, 200);
  t.equal(ownInvoice.json().financier, 'mitros');
});

/** A concrete URL for an OpenAPI path template: `{id}` becomes a well-formed id. */
function concrete(path: string): string {
  return path
    .replace('{id}', '00000000-0000-4000-8000-000000000000')
    .replace('{kamer}', 'top')
    .replace('{financier}', 'mitros')
    .replace('{year}', '2020');
}

t.test('every documented route but /health answers 401 problem+json without a token, or with an unknown one', async (t) => {
  const api = await createTestApp(t);
  const document = await openApiOf(api);
  let checked = 0;
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const method of Object.keys(methods).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
      const url = concrete(path);
      const payload = method === 'get' ? undefined : { anything: 1 };
      for (const authorization of [undefined, 'Bearer bwk_not-a-token', 'Basic dHJlYXN1cmVyOnNlY3JldA==']) {
        const response = await api.app.inject({
          method: method.toUpperCase() as 'GET',
          url,
          ...(payload === undefined ? {} : { payload }),
          headers: authorization === undefined ? {} : { authorization },
        });
        if (path === '/health') {
          t.equal(response.statusCode, 200, 'GET /health needs no token');
          continue;
        }
        const label = `${method.toUpperCase()} ${url} with ${authorization ?? 'no authorization'}`;
        t.equal(response.statusCode, 401, `${label}: ${response.body.slice(0, 120)}`);
        t.match(response.headers['content-type'], /^application\/problem\+json/, label);
        t.match(response.json(), { type: String, title: String, status: 401, detail: String, code: 'UNAUTHENTICATED' }, label);
        checked += 1;
      }
    }
  }
  // The write routes are in the document too: 16 documented routes but /health, three ways each.
  t.ok(checked >= 3 * 25, `every route was tried (${checked} requests)`);
  t.equal((await api.allEvents()).length, 0, 'no unauthenticated request wrote anything');
});

t.test(
  'the OpenAPI document and the docs page need a token too (api.md: every request but GET /health)',
  async (t) => {
    const api = await createTestApp(t);
    for (const url of ['/openapi.json', '/docs', '/docs/']) {
      const response = await api.app.inject({ method: 'GET', url });
      t.equal(response.statusCode, 401, url);
    }
  },
);
