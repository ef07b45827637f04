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
import t from 'tap';
import { craftedStatement } from '../bank/camt053.fixtures.js';
import { INVOICE, RECEIVED, ROUTES, send, STATEMENT_ROUTE, world, type World, type WriteRoute } from './write-routes.js';

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
