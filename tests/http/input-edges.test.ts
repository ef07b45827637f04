/**
 * Input that is well-formed field by field but must still be refused cleanly: a problem+json 4xx
 * naming the field, never a 500, and nothing written. Each case here once reached a 500 or wrote
 * an event no reader could parse (found in a review); they stay as regressions.
 */
import t, { type Test } from 'tap';
import { CRAFTED_ACCOUNT, craftedStatement } from '../bank/camt053.fixtures.js';
import { receivablesApp } from './receivables.fixtures.js';
import type { TestApp } from '../helpers/app.js';

type Response = Awaited<ReturnType<TestApp['post']>>;

async function expectRefused(t: Test, api: TestApp, send: () => Promise<Response>, status: number, code: string, field: string): Promise<void> {
  const before = (await api.allEvents()).length;
  const response = await send();
  t.equal(response.statusCode, status, response.statusCode === status ? `${code} on ${field}` : response.body);
  t.match(response.headers['content-type'], /application\/problem\+json/);
  const problem = response.json() as { code: string; errors?: Array<{ path: string; message: string }> };
  t.equal(problem.code, code);
  t.ok(problem.errors?.some((error) => error.path === field), `names ${field}`);
  t.equal((await api.allEvents()).length, before, 'nothing written');
}

t.test('an amount that is not a number ("1,00", "abc", "", " 1.00") is a 400 naming the field, on every kind of write', async (t) => {
  const api = await receivablesApp(t);
  const treasurer = api.tokens.treasurer;
  for (const amount of ['1,00', 'abc', '', ' 1.00', '1.00 ']) {
    await expectRefused(t, api, () => api.post(treasurer, '/payments/received', { date: '2020-06-01', amount }), 400, 'VALIDATION_FAILED', 'amount');
    await expectRefused(t, api, () => api.post(treasurer, '/kamers/top/petty-cash/transfers', { date: '2020-06-01', amount }), 400, 'VALIDATION_FAILED', 'amount');
    await expectRefused(t, api, () => api.post(treasurer, '/invoices', { financier: 'portaal', kamer: 'top', year: 2020, lines: [{ description: 'x', amount }] }), 400, 'VALIDATION_FAILED', 'lines.0.amount');
  }
});

t.test('an entered amount above 999999999.99 is refused; totals of entered amounts therefore always fit', async (t) => {
  const api = await receivablesApp(t);
  const treasurer = api.tokens.treasurer;
  await expectRefused(t, api, () => api.post(treasurer, '/payments/received', { date: '2020-06-01', amount: '1000000000.00' }), 400, 'VALIDATION_FAILED', 'amount');
  await expectRefused(
    t,
    api,
    () => api.request(treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: { lines: [{ line: 'rent', label: 'Huur', amount: '9999999999999.99' }] } }),
    400,
    'VALIDATION_FAILED',
    'lines.0.amount',
  );
  const twoLargeLines = await api.post(treasurer, '/invoices', {
    financier: 'portaal',
    kamer: 'top',
    year: 2020,
    lines: [{ description: 'a', amount: '999999999.99' }, { description: 'b', amount: '999999999.99' }],
  });
  t.equal(twoLargeLines.statusCode, 201, 'the largest lines still add up to a valid total');
  t.equal(twoLargeLines.json().total, '1999999999.98');
  t.equal((await api.get(treasurer, '/invoices')).statusCode, 200, 'and every reader can still read the log');
});

t.test('a date outside 2000–2100 is a 400: an invoice dated 0202 would have been numbered "202-0001"', async (t) => {
  const api = await receivablesApp(t);
  await expectRefused(
    t,
    api,
    () => api.post(api.tokens.treasurer, '/invoices', { financier: 'portaal', kamer: 'top', year: 2020, issueDate: '0202-06-15', lines: [{ description: 'a', amount: '1.00' }] }),
    400,
    'VALIDATION_FAILED',
    'issueDate',
  );
  t.equal((await api.get(api.tokens.treasurer, '/invoices')).statusCode, 200);
});

t.test('knownAt must be an ISO instant with an offset; one Date cannot read is a 400, not a 500', async (t) => {
  const api = await receivablesApp(t);
  for (const knownAt of ['20200101T000000Z', '2020-W01-1T00:00Z', '2020-001T00:00Z', '2020-01-01T00:00:00%2B25:00', '2020-01-01T00:00:00']) {
    for (const url of [`/invoices?knownAt=${knownAt}`, `/reports/trial-balance?year=2020&knownAt=${knownAt}`]) {
      const response = await api.get(api.tokens.treasurer, url);
      t.equal(response.statusCode, 400, url);
      t.ok((response.json().errors as Array<{ path: string }>).some((error) => error.path === 'querystring.knownAt'), 'names knownAt');
    }
  }
  t.equal((await api.get(api.tokens.treasurer, '/invoices?knownAt=2020-01-01T00:00:00%2B01:00')).statusCode, 200, 'an offset is fine');
});

t.test('a petty-cash transfer counts only against its own or a neighbouring month: no dodging the 250.00 limit', async (t) => {
  const api = await receivablesApp(t);
  const transfer = (month: string) => api.post(api.tokens.treasurer, '/kamers/top/petty-cash/transfers', { date: '2020-06-01', amount: '250.00', month });
  await expectRefused(t, api, () => transfer('2099-01'), 400, 'INVALID_INPUT', 'month');
  await expectRefused(t, api, () => transfer('2020-04'), 400, 'INVALID_INPUT', 'month');
  t.equal((await transfer('2020-05')).statusCode, 201, 'late, for May');
  t.equal((await transfer('2020-06')).statusCode, 201);
  await expectRefused(t, api, () => transfer('2020-06'), 422, 'PETTY_CASH_MONTHLY_LIMIT', 'amount');
});

t.test('a volunteer-hour rate above 999.99 is refused, so a valuation can never overflow after the entry is written', async (t) => {
  const api = await receivablesApp(t);
  await expectRefused(t, api, () => api.post(api.tokens.treasurer, '/valuation-rates', { year: 2020, kind: 'resident', perHour: '9999999999999.99' }), 400, 'VALIDATION_FAILED', 'perHour');
  t.equal((await api.post(api.tokens.treasurer, '/valuation-rates', { year: 2020, kind: 'resident', perHour: '999.99' })).statusCode, 201);
});

t.test('a bank statement booking money after today is refused whole', async (t) => {
  const api = await receivablesApp(t, { bankAccounts: [CRAFTED_ACCOUNT] });
  const before = (await api.allEvents()).length;
  const xml = craftedStatement([
    { amount: '10.00', bookingDate: '2020-06-12', entryReference: 'NTRY-1' },
    { amount: '10.00', bookingDate: '2099-01-01', entryReference: 'NTRY-2' },
  ]);
  const response = await api.request(api.tokens.treasurer, { method: 'POST', url: '/bank-statements', payload: xml, headers: { 'content-type': 'application/xml' } });
  t.equal(response.statusCode, 400, response.body);
  t.equal(response.json().code, 'BANK_STATEMENT_INVALID');
  t.match(response.json().detail, /2099-01-01, after today/);
  t.equal((await api.allEvents()).length, before, 'nothing imported');
});
