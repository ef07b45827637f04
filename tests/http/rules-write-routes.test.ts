/**
 * Two rules that hold for every write route of the API, checked route by route over one table:
 *
 * - every JSON request body is a strict zod object: an unknown field (at the top and inside nested
 *   objects) is a 400 VALIDATION_FAILED naming the field's path, and nothing is written;
 * - Idempotency-Key: a repeat with the same key and body returns the first response and writes
 *   nothing; the same key with another body is a 409 IDEMPOTENCY_KEY_REUSED and writes nothing.
 *
 * The table is checked against the OpenAPI document, so a new write route without a row fails here.
 * Every first request is chosen so that running it a second time *without* the key would give a
 * different answer or write again: the repeat checks can fail.
 */
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { CRAFTED_ACCOUNT, craftedStatement } from '../bank/camt053.fixtures.js';
import type { TestApp } from '../helpers/app.js';
import { issue, makePledge, receivablesApp } from './receivables.fixtures.js';

interface World {
  readonly api: TestApp;
  readonly pledge: string;
  readonly invoice: string;
  readonly payment: string;
  readonly entry: string;
  /** A payment made from a statement debit, waiting to be assigned. */
  readonly paymentMade: string;
}

/** Rooms top and de-klop, financiers portaal/doen (invoice) and gemeente, a 2020 budget for top, and one of each resource. */
async function world(t: Test): Promise<World> {
  const api = await receivablesApp(t);
  const ok = (response: LightMyRequestResponse) => {
    if (response.statusCode !== 201) throw new Error(`setup failed: ${response.body}`);
    return response.json() as { id: string };
  };
  ok(await api.request(api.tokens.treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: { lines: [{ line: 'rent', label: 'Huur', amount: '10680.00' }] } }));
  const pledge = await makePledge(api, { amount: '1000.00' });
  const invoice = ok(await issue(api, { lines: [{ description: 'Bijdrage 2020', amount: '1000.00' }] })).id;
  const payment = ok(await api.post(api.tokens.treasurer, '/payments/received', { date: '2020-06-12', amount: '500.00', allocations: [] })).id;
  ok(await api.post(api.tokens.treasurer, '/kamers/top/petty-cash/transfers', { date: '2020-06-02', amount: '100.00' }));
  const entry = ok(await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', { volunteer: 'v-017', date: '2020-06-10', hours: '2.5', kind: 'resident' })).id;
  ok(await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative/bank-accounts', payload: { accounts: [CRAFTED_ACCOUNT] } }));
  const debit = craftedStatement([{ amount: '890.00', direction: 'DBIT', entryReference: 'NTRY-DEBIT-1', creditorName: 'Mitros' }], 'BWK-WORLD');
  const imported = await api.request(api.tokens.treasurer, { method: 'POST', url: '/bank-statements', payload: debit, headers: { 'content-type': 'application/xml' } });
  const paymentMade = (imported.json() as { entries: Array<{ id: string }> }).entries[0]!.id;
  return { api, pledge, invoice, payment, entry, paymentMade };
}

interface WriteRoute {
  /** As the OpenAPI document names it: "post /pledges/{id}/status". */
  readonly route: string;
  readonly method: 'POST' | 'PUT';
  url(w: World): string;
  body(w: World): Record<string, unknown>;
  /** The same request with one thing changed, for "same key, another body". */
  otherBody(w: World): Record<string, unknown>;
  /** Bodies that add an unknown field, with the path the refusal must name. */
  unknown(w: World): Array<[Record<string, unknown>, string]>;
}

const PLEDGE = { financier: 'doen', kamer: 'top', year: 2020, amount: '500.00', form: 'cash', status: 'proposed' };
const INVOICE = { financier: 'portaal', kamer: 'top', year: 2020, lines: [{ description: 'Tweede termijn', amount: '10.00' }] };
const RECEIVED = { date: '2020-06-12', amount: '50.00', allocations: [] };
const EXPENSE = { date: '2020-06-01', kamer: 'top', line: 'rent', amount: '890.00', payee: 'Mitros', description: 'huur juni' };
const SPENDING = { date: '2020-06-12', category: 'A', amount: '12.50', description: 'koffie en thee' };
const HOURS = { volunteer: 'v-018', date: '2020-06-11', hours: '3', kind: 'professional' };

const ROUTES: readonly WriteRoute[] = [
  {
    route: 'post /kamers',
    method: 'POST',
    url: () => '/kamers',
    body: () => ({ id: 'hart', name: 'Hart voor Leidsche Rijn' }),
    otherBody: () => ({ id: 'hart', name: 'Hart' }),
    unknown: () => [[{ id: 'hart', name: 'Hart', colour: 'red' }, 'colour']],
  },
  {
    route: 'post /financiers',
    method: 'POST',
    url: () => '/financiers',
    body: () => ({ id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' }),
    otherBody: () => ({ id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'none' }),
    unknown: () => [[{ id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice', vatNumber: 'NL0001' }, 'vatNumber']],
  },
  {
    route: 'put /kamers/{kamer}/budgets/{year}',
    method: 'PUT',
    url: () => '/kamers/top/budgets/2021',
    body: () => ({ lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }] }),
    otherBody: () => ({ lines: [{ line: 'rent', label: 'Huur', amount: '9500.00' }] }),
    unknown: () => [
      [{ lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }], year: 2021 }, 'year'],
      [{ lines: [{ line: 'rent', label: 'Huur', amount: '9000.00', note: 'x' }] }, 'lines.0.note'],
    ],
  },
  {
    route: 'post /valuation-rates',
    method: 'POST',
    url: () => '/valuation-rates',
    body: () => ({ year: 2020, kind: 'resident', perHour: '11.00' }),
    otherBody: () => ({ year: 2020, kind: 'resident', perHour: '10.04' }),
    unknown: () => [[{ year: 2020, kind: 'resident', perHour: '11.00', currency: 'EUR' }, 'currency']],
  },
  {
    route: 'post /pledges',
    method: 'POST',
    url: () => '/pledges',
    body: () => PLEDGE,
    otherBody: () => ({ ...PLEDGE, amount: '600.00' }),
    unknown: () => {
      const { amount: _amount, ...withoutAmount } = PLEDGE;
      return [
        [{ ...PLEDGE, financierName: 'Stichting DOEN' }, 'financierName'],
        [{ ...withoutAmount, share: { numerator: 1, denominator: 3, percent: 33 } }, 'share.percent'],
      ];
    },
  },
  {
    route: 'post /pledges/{id}/status',
    method: 'POST',
    url: (w) => `/pledges/${w.pledge}/status`,
    // withdrawn is final: run twice without the key, the second is a 422 PLEDGE_WITHDRAWN
    body: () => ({ status: 'withdrawn' }),
    otherBody: () => ({ status: 'withdrawn', note: 'bestuur zegt nee' }),
    unknown: () => [[{ status: 'withdrawn', reason: 'bestuur zegt nee' }, 'reason']],
  },
  {
    route: 'post /pledges/{id}/amendments',
    method: 'POST',
    url: (w) => `/pledges/${w.pledge}/amendments`,
    // run twice without the key, the second is a 400: the amount is already 1200.00
    body: () => ({ amount: '1200.00', reason: 'extra activiteiten' }),
    otherBody: () => ({ amount: '1300.00', reason: 'extra activiteiten' }),
    unknown: () => [[{ amount: '1200.00', reason: 'x', note: 'y' }, 'note']],
  },
  {
    route: 'post /invoices',
    method: 'POST',
    url: () => '/invoices',
    body: () => INVOICE,
    otherBody: () => ({ ...INVOICE, lines: [{ description: 'Tweede termijn', amount: '10.01' }] }),
    unknown: () => [
      [{ ...INVOICE, vat: '21' }, 'vat'],
      [{ ...INVOICE, lines: [{ description: 'x', amount: '1.00', vat: '0.21' }] }, 'lines.0.vat'],
    ],
  },
  {
    route: 'post /invoices/{id}/credit-notes',
    method: 'POST',
    url: (w) => `/invoices/${w.invoice}/credit-notes`,
    body: () => ({ amount: '100.00', reason: 'te veel gefactureerd' }),
    otherBody: () => ({ amount: '100.00', reason: 'iets anders' }),
    unknown: (w) => [[{ amount: '100.00', reason: 'x', invoice: w.invoice }, 'invoice']],
  },
  {
    route: 'post /payments/received',
    method: 'POST',
    url: () => '/payments/received',
    body: () => RECEIVED,
    otherBody: () => ({ ...RECEIVED, amount: '50.01' }),
    unknown: () => [
      [{ ...RECEIVED, currency: 'EUR' }, 'currency'],
      [{ ...RECEIVED, allocations: [{ invoice: '2020-0001', amount: '1.00', note: 'x' }] }, 'allocations.0.note'],
    ],
  },
  {
    route: 'post /payments/{id}/allocations',
    method: 'POST',
    url: (w) => `/payments/${w.payment}/allocations`,
    body: () => ({ invoice: '2020-0001', amount: '100.00' }),
    otherBody: () => ({ invoice: '2020-0001', amount: '100.01' }),
    unknown: () => [[{ invoice: '2020-0001', amount: '1.00', note: 'x' }, 'note']],
  },
  {
    route: 'post /payments/made',
    method: 'POST',
    url: () => '/payments/made',
    body: () => EXPENSE,
    otherBody: () => ({ ...EXPENSE, amount: '890.01' }),
    unknown: () => [[{ ...EXPENSE, iban: 'NL91ABNA0417164300' }, 'iban']],
  },
  {
    route: 'put /cooperative/bank-accounts',
    method: 'PUT',
    url: () => '/cooperative/bank-accounts',
    body: () => ({ accounts: [CRAFTED_ACCOUNT, 'NL02ABNA0123456789'] }),
    otherBody: () => ({ accounts: ['NL02ABNA0123456789'] }),
    unknown: () => [[{ accounts: [CRAFTED_ACCOUNT], bank: 'ABN AMRO' }, 'bank']],
  },
  {
    route: 'post /payments/made/{id}/assignment',
    method: 'POST',
    url: (w) => `/payments/made/${w.paymentMade}/assignment`,
    // run twice without the key, the second is a 409: the payment is already assigned
    body: () => ({ kamer: 'top', line: 'rent' }),
    otherBody: () => ({ account: 'bank-costs' }),
    unknown: () => [[{ kamer: 'top', line: 'rent', note: 'huur' }, 'note']],
  },
  {
    route: 'post /kamers/{kamer}/petty-cash/transfers',
    method: 'POST',
    url: () => '/kamers/top/petty-cash/transfers',
    body: () => ({ date: '2020-06-03', amount: '50.00' }),
    otherBody: () => ({ date: '2020-06-03', amount: '50.01' }),
    unknown: () => [[{ date: '2020-06-03', amount: '50.00', category: 'A' }, 'category']],
  },
  {
    route: 'post /kamers/{kamer}/petty-cash/spending',
    method: 'POST',
    url: () => '/kamers/top/petty-cash/spending',
    body: () => SPENDING,
    otherBody: () => ({ ...SPENDING, category: 'B' }),
    unknown: () => [[{ ...SPENDING, month: '2020-06' }, 'month']],
  },
  {
    route: 'post /kamers/{kamer}/volunteer-hours',
    method: 'POST',
    url: () => '/kamers/top/volunteer-hours',
    body: () => HOURS,
    otherBody: () => ({ ...HOURS, hours: '3.25' }),
    unknown: () => [[{ ...HOURS, name: 'Jan' }, 'name']],
  },
  {
    route: 'post /volunteer-hours/{id}/corrections',
    method: 'POST',
    url: (w) => `/volunteer-hours/${w.entry}/corrections`,
    // run twice without the key, the second is a 400: the entry already records 3.00 hours
    body: () => ({ hours: '3', reason: 'pauze meegeteld' }),
    otherBody: () => ({ hours: '3.5', reason: 'pauze meegeteld' }),
    unknown: () => [[{ hours: '3', reason: 'x', date: '2020-06-11' }, 'date']],
  },
];

/** camt.053 is XML, not a zod object: it has no unknown fields, but it has the Idempotency-Key rule. */
const STATEMENT_ROUTE = 'post /bank-statements';

function send(w: World, route: WriteRoute, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return w.api.request(w.api.tokens.treasurer, { method: route.method, url: route.url(w), payload: body, headers });
}

t.test('the table names every write route of the OpenAPI document', async (t) => {
  const w = await world(t);
  const document = (await w.api.get(w.api.tokens.accountant, '/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
  const writes = Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).filter((method) => ['post', 'put', 'patch', 'delete'].includes(method)).map((method) => `${method} ${path}`))
    .sort();
  t.same(writes, [...ROUTES.map((route) => route.route), STATEMENT_ROUTE].sort());
});

t.test('every write route refuses an unknown field with 400, names its path, and writes nothing', async (t) => {
  for (const route of ROUTES) {
    t.test(route.route, async (t) => {
      const w = await world(t);
      const before = (await w.api.allEvents()).length;
      const cases = route.unknown(w);
      t.ok(cases.length > 0);
      for (const [body, path] of cases) {
        const response = await send(w, route, body);
        t.equal(response.statusCode, 400, `${path}: ${response.body}`);
        t.match(response.headers['content-type'], /application\/problem\+json/);
        const problem = response.json() as { code: string; errors?: Array<{ path: string; message: string }> };
        t.equal(problem.code, 'VALIDATION_FAILED');
        t.ok(problem.errors?.some((error) => error.path === path && /not a known field/.test(error.message)), `names ${path} as unknown: ${response.body}`);
      }
      t.equal((await w.api.allEvents()).length, before, 'the log is unchanged');
      // The same body without the unknown field is accepted: the refusal was about that field.
      const valid = await send(w, route, route.body(w));
      t.equal(valid.statusCode, 201, `the body without it is fine: ${valid.body}`);
    });
  }
});

t.test('every write route: an Idempotency-Key repeat returns the first response and writes nothing; another body is a 409', async (t) => {
  for (const route of ROUTES) {
    t.test(route.route, async (t) => {
      const w = await world(t);
      const headers = { 'idempotency-key': `key:${route.route.replace(/\s/g, ':')}` };
      const first = await send(w, route, route.body(w), headers);
      t.equal(first.statusCode, 201, first.body);
      const afterFirst = await w.api.allEvents();
      t.ok(afterFirst.at(-1)!.metadata.idempotencyKey === headers['idempotency-key'], 'the key is in the event metadata');

      const repeat = await send(w, route, route.body(w), headers);
      t.equal(repeat.statusCode, 201, repeat.body);
      t.equal(repeat.body, first.body, 'byte for byte the first response');
      t.equal(repeat.headers['idempotent-replayed'], 'true');
      t.equal((await w.api.allEvents()).length, afterFirst.length, 'the repeat wrote nothing');

      const other = await send(w, route, route.otherBody(w), headers);
      t.equal(other.statusCode, 409, other.body);
      t.match(other.headers['content-type'], /application\/problem\+json/);
      t.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED');
      t.equal((await w.api.allEvents()).length, afterFirst.length, 'the 409 wrote nothing');
    });
  }
});

t.test('a bank statement sent again with the same Idempotency-Key gets the first answer; another statement with it is a 409', async (t) => {
  const w = await world(t);
  const headers = { 'content-type': 'application/xml', 'idempotency-key': 'afschrift-1' };
  const statement = craftedStatement([{ amount: '25.00', entryReference: 'NTRY-IDEM-1', remittance: ['Gift'] }]);
  const post = (xml: string) => w.api.request(w.api.tokens.treasurer, { method: 'POST', url: '/bank-statements', payload: xml, headers });
  const first = await post(statement);
  t.equal(first.statusCode, 201, first.body);
  t.match(first.json(), { imported: 1, duplicates: 0 });
  const afterFirst = (await w.api.allEvents()).length;
  const repeat = await post(statement);
  // Without the key this would answer imported: 0, duplicates: 1.
  t.equal(repeat.body, first.body, 'the first answer, not a re-import');
  t.equal((await w.api.allEvents()).length, afterFirst);
  const other = await post(craftedStatement([{ amount: '30.00', entryReference: 'NTRY-IDEM-2', remittance: ['Gift'] }]));
  t.equal(other.statusCode, 409, other.body);
  t.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED');
  t.equal((await w.api.allEvents()).length, afterFirst);
});

t.test('one key on another route, or with a refused first request, does not replay', async (t) => {
  const w = await world(t);
  const headers = { 'idempotency-key': 'shared-key' };
  const kamer = await w.api.post(w.api.tokens.treasurer, '/kamers', { id: 'hart', name: 'Hart' }, headers);
  t.equal(kamer.statusCode, 201);
  const before = (await w.api.allEvents()).length;
  // The key names one request: used on another route it is a conflict, not a replay of the room.
  const financier = await w.api.post(w.api.tokens.treasurer, '/financiers', { id: 'hart', name: 'Hart', kind: 'fund', pays: 'invoice' }, headers);
  t.equal(financier.statusCode, 409, financier.body);
  t.equal(financier.json().code, 'IDEMPOTENCY_KEY_REUSED');
  t.equal((await w.api.allEvents()).length, before);

  // A refused request keeps nothing: after the cause is fixed, the same key and body go through.
  const transfer = { date: '2020-06-03', amount: '150.01' };
  const refusal = await w.api.post(w.api.tokens.treasurer, '/kamers/top/petty-cash/transfers', transfer, { 'idempotency-key': 'transfer-1' });
  // 100.00 already transferred for June: 150.01 would make 250.01
  t.equal(refusal.statusCode, 422, refusal.body);
  t.equal(refusal.json().code, 'PETTY_CASH_MONTHLY_LIMIT');
  const again = await w.api.post(w.api.tokens.treasurer, '/kamers/top/petty-cash/transfers', transfer, { 'idempotency-key': 'transfer-1' });
  t.equal(again.statusCode, 422, 'the refusal is decided again, not replayed as a success or a conflict');
  t.equal((await w.api.allEvents()).length, before);
});

/**
 * Money is a string with exactly two decimals. Every amount field of every write route refuses
 * anything else (never rounds it), and refuses zero or less where an amount must be positive.
 */
interface AmountField {
  readonly route: string;
  readonly path: string;
  /** Zero and negative amounts make no sense here (all but a budget line). */
  readonly positive: boolean;
  /** The route's body with `value` at `path`. */
  body(w: World, value: unknown): Record<string, unknown>;
}

function routeNamed(name: string): WriteRoute {
  const route = ROUTES.find((candidate) => candidate.route === name);
  if (!route) throw new Error(`no route ${name} in the table`);
  return route;
}

const at = (name: string, key: string, positive = true): AmountField => ({
  route: name,
  path: key,
  positive,
  body: (w, value) => ({ ...routeNamed(name).body(w), [key]: value }),
});

const AMOUNT_FIELDS: readonly AmountField[] = [
  {
    route: 'put /kamers/{kamer}/budgets/{year}',
    path: 'lines.0.amount',
    positive: false,
    body: (_w, value) => ({ lines: [{ line: 'rent', label: 'Huur', amount: value }] }),
  },
  at('post /valuation-rates', 'perHour'),
  at('post /pledges', 'amount'),
  at('post /pledges/{id}/amendments', 'amount'),
  { route: 'post /invoices', path: 'lines.0.amount', positive: true, body: (_w, value) => ({ ...INVOICE, lines: [{ description: 'x', amount: value }] }) },
  at('post /invoices/{id}/credit-notes', 'amount'),
  at('post /payments/received', 'amount'),
  {
    route: 'post /payments/received',
    path: 'allocations.0.amount',
    positive: true,
    body: (_w, value) => ({ ...RECEIVED, allocations: [{ invoice: '2020-0001', amount: value }] }),
  },
  at('post /payments/{id}/allocations', 'amount'),
  at('post /payments/made', 'amount'),
  at('post /kamers/{kamer}/petty-cash/transfers', 'amount'),
  at('post /kamers/{kamer}/petty-cash/spending', 'amount'),
];

/** Not money on the wire: more or fewer than two decimals, a JSON number, a comma, an exponent, spaces. */
const NOT_MONEY: readonly unknown[] = ['10.005', '10.5', '10', '.50', 10, 10.5, '10,00', '1e3', ' 10.00', '10.00 ', '+10.00'];
const NOT_POSITIVE: readonly string[] = ['0.00', '-10.00', '-0.01'];

t.test('every amount field refuses what is not money with two decimals (never rounding it), and zero or less where that makes no sense', async (t) => {
  for (const field of AMOUNT_FIELDS) {
    t.test(`${field.route} ${field.path}`, async (t) => {
      const w = await world(t);
      const route = routeNamed(field.route);
      const before = (await w.api.allEvents()).length;
      const refused = field.positive ? [...NOT_MONEY, ...NOT_POSITIVE] : [...NOT_MONEY, '-0.01', '-10.00'];
      for (const value of refused) {
        const response = await send(w, route, field.body(w, value));
        t.equal(response.statusCode, 400, `${JSON.stringify(value)}: ${response.body}`);
        const problem = response.json() as { code: string; errors?: Array<{ path: string }> };
        t.equal(problem.code, 'VALIDATION_FAILED', JSON.stringify(value));
        t.ok(problem.errors?.some((error) => error.path === field.path), `${JSON.stringify(value)} names ${field.path}: ${response.body}`);
      }
      t.equal((await w.api.allEvents()).length, before, 'the log is unchanged');
      // Two decimals go through exactly as sent.
      const accepted = await send(w, route, field.body(w, field.positive ? '1.01' : '0.00'));
      t.equal(accepted.statusCode, 201, accepted.body);
      const written = JSON.stringify((await w.api.allEvents()).slice(before).map((event) => event.data));
      t.match(written, field.positive ? /"1\.01"/ : /"0\.00"/, 'the amount is written as sent');
    });
  }
});
