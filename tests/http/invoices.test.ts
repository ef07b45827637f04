import t from 'tap';
import { assertRefused, expensePaid, issue, makePledge, pettyCashSpent, receivablesApp, record, streams } from './receivables.fixtures.js';

t.test('the treasurer issues invoices numbered per year of their issue date, due 28 days later', async (t) => {
  const api = await receivablesApp(t);
  const first = await issue(api, { lines: [{ description: 'Huur', amount: '600.00' }, { description: 'Energie', amount: '150.25' }] });
  t.equal(first.statusCode, 201, first.body);
  t.match(first.json(), {
    id: /^[0-9a-f-]{36}$/,
    number: '2020-0001',
    financier: 'portaal',
    kamer: 'top',
    year: 2020,
    // the clock stands at 2020-06-15 in Amsterdam; + 28 days
    issueDate: '2020-06-15',
    dueDate: '2020-07-13',
    total: '750.25',
    position: /^\d+$/,
  });
  const second = await issue(api);
  t.equal(second.json().number, '2020-0002');
  const backdated = await issue(api, { issueDate: '2019-12-30', year: 2019 });
  t.match(backdated.json(), { number: '2019-0001', dueDate: '2020-01-27' });
  const events = (await api.allEvents()).filter((event) => event.stream === streams.receivables());
  t.same(events.map((event) => event.type), ['InvoiceIssued', 'InvoiceIssued', 'InvoiceIssued']);
  t.match(events[0]!.metadata.recordedBy, /^treasurer/);
});

t.test('an invoice is refused, writing nothing, for an unknown or non-invoicing financier, an unknown room or a future date', async (t) => {
  const api = await receivablesApp(t);
  const before = (await api.allEvents()).length;
  assertRefused(t, await issue(api, { financier: 'onbekend' }), 422, 'UNKNOWN_FINANCIER', 'financier');
  assertRefused(t, await issue(api, { financier: 'gemeente' }), 422, 'FINANCIER_DOES_NOT_PAY_BY_INVOICE', 'financier');
  assertRefused(t, await issue(api, { kamer: 'nergens' }), 422, 'UNKNOWN_KAMER', 'kamer');
  assertRefused(t, await issue(api, { issueDate: '2020-06-16' }), 422, 'DATE_IN_FUTURE', 'issueDate');
  assertRefused(t, await issue(api, { lines: undefined }), 400, 'INVALID_INPUT', 'lines');
  t.equal((await api.allEvents()).length, before, 'the log is unchanged');
});

t.test('malformed invoices are refused with the field named', async (t) => {
  const api = await receivablesApp(t);
  const before = (await api.allEvents()).length;
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ lines: [{ description: 'x', amount: 100 }] }, 'lines.0.amount'],
    [{ lines: [{ description: 'x', amount: '100.005' }] }, 'lines.0.amount'],
    [{ lines: [{ description: 'x', amount: '0.00' }] }, 'lines.0.amount'],
    [{ lines: [{ description: ' ', amount: '1.00' }] }, 'lines.0.description'],
    [{ lines: [] }, 'lines'],
    [{ pledge: 'not-a-uuid' }, 'pledge'],
    [{ issueDate: '2020-02-30' }, 'issueDate'],
    [{ vat: '21' }, 'vat'],
  ];
  for (const [body, path] of cases) assertRefused(t, await issue(api, body), 400, 'VALIDATION_FAILED', path);
  t.equal((await api.allEvents()).length, before);
});

t.test('an invoice on a pledge must match it, and never exceed what is left of it', async (t) => {
  const api = await receivablesApp(t);
  const pledge = await makePledge(api, { amount: '1000.00' });
  t.equal((await issue(api, { pledge, lines: [{ description: 'Eerste termijn', amount: '600.00' }] })).statusCode, 201);
  const before = (await api.allEvents()).length;
  // 1000.00 − 600.00 = 400.00 left
  assertRefused(t, await issue(api, { pledge, lines: [{ description: 'Tweede termijn', amount: '400.01' }] }), 422, 'INVOICE_EXCEEDS_PLEDGE', 'lines');
  assertRefused(t, await issue(api, { pledge, financier: 'doen' }), 422, 'PLEDGE_DOES_NOT_MATCH', 'pledge');
  assertRefused(t, await issue(api, { pledge, kamer: 'de-klop' }), 422, 'PLEDGE_DOES_NOT_MATCH', 'pledge');
  assertRefused(t, await issue(api, { pledge, year: 2019 }), 422, 'PLEDGE_DOES_NOT_MATCH', 'pledge');
  assertRefused(t, await issue(api, { pledge: '00000000-0000-4000-8000-000000000000' }), 422, 'UNKNOWN_PLEDGE', 'pledge');
  t.equal((await api.allEvents()).length, before);
  const rest = await issue(api, { pledge, lines: [{ description: 'Tweede termijn', amount: '400.00' }] });
  t.equal(rest.statusCode, 201, rest.body);
  t.equal(rest.json().pledge, pledge);
});

t.test('a withdrawn pledge and a pledge in kind are not invoiced', async (t) => {
  const api = await receivablesApp(t);
  const withdrawn = await makePledge(api, { amount: '500.00' });
  const status = await api.post(api.tokens.treasurer, `/pledges/${withdrawn}/status`, { status: 'withdrawn' });
  t.equal(status.statusCode, 201, status.body);
  const inKind = await makePledge(api, { amount: '6600.00', form: 'in-kind' });
  const before = (await api.allEvents()).length;
  assertRefused(t, await issue(api, { pledge: withdrawn, lines: [{ description: 'x', amount: '1.00' }] }), 422, 'PLEDGE_WITHDRAWN', 'pledge');
  assertRefused(t, await issue(api, { pledge: inKind, lines: [{ description: 'x', amount: '1.00' }] }), 422, 'PLEDGE_IN_KIND_NOT_INVOICEABLE', 'pledge');
  t.equal((await api.allEvents()).length, before);
});

t.test("an invoice on a share pledge without lines invoices the share of the room's actual costs of the year", async (t) => {
  const api = await receivablesApp(t);
  const pledge = await makePledge(api, { financier: 'doen', share: { numerator: 1, denominator: 3 } });
  await record(api, streams.expenses('top', 2020), [expensePaid('top', '2020-02-01', '900.00'), expensePaid('top', '2020-03-01', '95.00')]);
  await record(api, streams.pettyCash('top'), [pettyCashSpent('top', '2020-02-10', '5.00'), pettyCashSpent('top', '2019-12-30', '300.00')]);
  // 2020 costs: 900.00 + 95.00 + 5.00 = 1000.00 (the 2019 spending does not count); a third: 333.33
  const invoice = await issue(api, { financier: 'doen', pledge, lines: undefined });
  t.equal(invoice.statusCode, 201, invoice.body);
  t.same(invoice.json().lines, [{ description: 'Aandeel 1/3 van de werkelijke kosten 2020', amount: '333.33' }]);
  const before = (await api.allEvents()).length;
  assertRefused(t, await issue(api, { financier: 'doen', pledge, lines: undefined }), 422, 'INVOICE_HAS_NO_AMOUNT', 'lines');
  t.equal((await api.allEvents()).length, before);
  // costs rise by 300.00: a third of 1300.00 is 433.33, so 100.00 more
  await record(api, streams.expenses('top', 2020), [expensePaid('top', '2020-04-01', '300.00')]);
  const more = await issue(api, { financier: 'doen', pledge, lines: undefined });
  t.equal(more.json().total, '100.00');
});

t.test('explicit lines on a share pledge may not exceed its share of the actual costs less what was invoiced', async (t) => {
  const api = await receivablesApp(t);
  const pledge = await makePledge(api, { financier: 'doen', share: { numerator: 1, denominator: 4 } });
  await record(api, streams.expenses('top', 2020), [expensePaid('top', '2020-02-01', '1000.00'), expensePaid('top', '2020-03-01', '201.00')]);
  // 2020 costs 1201.00; a quarter is 300.25
  const first = await issue(api, { financier: 'doen', pledge, lines: [{ description: 'Voorschot', amount: '300.00' }] });
  t.equal(first.statusCode, 201, first.body);
  const before = (await api.allEvents()).length;
  // 300.25 − 300.00 = 0.25 left
  assertRefused(t, await issue(api, { financier: 'doen', pledge, lines: [{ description: 'Rest', amount: '0.26' }] }), 422, 'INVOICE_EXCEEDS_PLEDGE', 'lines');
  t.equal((await api.allEvents()).length, before, 'the log is unchanged');
  const rest = await issue(api, { financier: 'doen', pledge, lines: undefined });
  t.equal(rest.statusCode, 201, rest.body);
  t.equal(rest.json().total, '0.25');
});

t.test('a financier that pays nothing (own income) is not invoiced', async (t) => {
  const api = await receivablesApp(t);
  t.equal((await api.post(api.tokens.treasurer, '/financiers', { id: 'eigen', name: 'Eigen inkomsten', kind: 'own-income', pays: 'none' })).statusCode, 201);
  const before = (await api.allEvents()).length;
  assertRefused(t, await issue(api, { financier: 'eigen' }), 422, 'FINANCIER_DOES_NOT_PAY_BY_INVOICE', 'financier');
  t.equal((await api.allEvents()).length, before);
});

t.test('a credit note credits the open amount by default, takes the next number, and never exceeds what is open', async (t) => {
  const api = await receivablesApp(t);
  const invoice = (await issue(api, { lines: [{ description: 'Bijdrage', amount: '500.00' }] })).json();
  const partial = await api.post(api.tokens.treasurer, `/invoices/${invoice.id}/credit-notes`, { amount: '200.00', reason: 'Verkeerd bedrag' });
  t.equal(partial.statusCode, 201, partial.body);
  t.match(partial.json(), {
    id: /^[0-9a-f-]{36}$/,
    number: '2020-0002',
    amount: '200.00',
    creditedInvoice: invoice.id,
    creditedInvoiceNumber: '2020-0001',
    reason: 'Verkeerd bedrag',
    issueDate: '2020-06-15',
    // 500.00 − 200.00
    invoiceOpenAmount: '300.00',
    position: /^\d+$/,
  });
  const before = (await api.allEvents()).length;
  assertRefused(t, await api.post(api.tokens.treasurer, `/invoices/${invoice.id}/credit-notes`, { amount: '300.01', reason: 'te veel' }), 422, 'CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT', 'amount');
  assertRefused(t, await api.post(api.tokens.treasurer, '/invoices/00000000-0000-4000-8000-000000000000/credit-notes', { reason: 'x' }), 404, 'NOT_FOUND');
  assertRefused(t, await api.post(api.tokens.treasurer, '/invoices/2020-0099/credit-notes', { reason: 'x' }), 404, 'NOT_FOUND');
  assertRefused(t, await api.post(api.tokens.treasurer, `/invoices/${invoice.id}/credit-notes`, { amount: '10.00' }), 400, 'VALIDATION_FAILED', 'reason');
  assertRefused(t, await api.post(api.tokens.treasurer, `/invoices/${invoice.id}/credit-notes`, { reason: 'x', issueDate: '2020-06-16' }), 422, 'DATE_IN_FUTURE', 'issueDate');
  t.equal((await api.allEvents()).length, before);
  const rest = await api.post(api.tokens.treasurer, '/invoices/2020-0001/credit-notes', { reason: 'Factuur vervalt' });
  t.equal(rest.statusCode, 201, rest.body);
  t.has(rest.json(), { number: '2020-0003', amount: '300.00', invoiceOpenAmount: '0.00' });
  const again = await api.post(api.tokens.treasurer, `/invoices/${invoice.id}/credit-notes`, { reason: 'nog eens' });
  assertRefused(t, again, 422, 'CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT', 'amount');
  const next = await issue(api);
  t.equal(next.json().number, '2020-0004', 'invoices continue after the credit notes');
});

t.test('only the treasurer issues invoices and credit notes', async (t) => {
  const api = await receivablesApp(t);
  const invoice = (await issue(api)).json();
  const before = (await api.allEvents()).length;
  for (const token of [api.tokens.accountant, api.tokens.financier('portaal'), api.tokens.teamleader('top')]) {
    assertRefused(t, await api.post(token, '/invoices', { financier: 'portaal', kamer: 'top', year: 2020, lines: [{ description: 'x', amount: '1.00' }] }), 403, 'FORBIDDEN');
    assertRefused(t, await api.post(token, `/invoices/${invoice.id}/credit-notes`, { reason: 'x' }), 403, 'FORBIDDEN');
  }
  t.equal((await api.allEvents()).length, before);
});

t.test('an invoice repeated with the same Idempotency-Key is issued once', async (t) => {
  const api = await receivablesApp(t);
  const body = { financier: 'portaal', kamer: 'top', year: 2020, lines: [{ description: 'Bijdrage', amount: '10.00' }] };
  const first = await api.post(api.tokens.treasurer, '/invoices', body, { 'idempotency-key': 'factuur-1' });
  const repeat = await api.post(api.tokens.treasurer, '/invoices', body, { 'idempotency-key': 'factuur-1' });
  t.same(repeat.json(), first.json());
  t.equal((await api.allEvents()).filter((event) => event.type === 'InvoiceIssued').length, 1);
});

t.test('an invoice or credit note dated before the previous number of its series is refused, writing nothing; the same date is fine', async (t) => {
  const api = await receivablesApp(t);
  const creditNote = (invoice: string, issueDate: string) => api.post(api.tokens.treasurer, `/invoices/${invoice}/credit-notes`, { amount: '10.00', reason: 'correctie', issueDate });
  t.equal((await issue(api, { issueDate: '2020-06-01' })).json().number, '2020-0001');
  t.equal((await issue(api, { issueDate: '2020-06-10' })).json().number, '2020-0002');
  const before = (await api.allEvents()).length;
  const early = await issue(api, { issueDate: '2020-03-15' });
  assertRefused(t, early, 422, 'INVOICE_DATE_BEFORE_PREVIOUS', 'issueDate');
  t.match(early.json().detail, /2020-0002.*2020-06-10/, 'names the previous number and its date');
  // after the invoice it credits (2020-06-01), but before 2020-0002
  assertRefused(t, await creditNote('2020-0001', '2020-06-05'), 422, 'INVOICE_DATE_BEFORE_PREVIOUS', 'issueDate');
  t.equal((await api.allEvents()).length, before, 'the log is unchanged');
  const sameDay = await creditNote('2020-0001', '2020-06-10');
  t.equal(sameDay.statusCode, 201, sameDay.body);
  t.equal(sameDay.json().number, '2020-0003', 'the same date as 2020-0002');
  assertRefused(t, await issue(api, { issueDate: '2020-06-09' }), 422, 'INVOICE_DATE_BEFORE_PREVIOUS', 'issueDate');
  const next = await issue(api, { issueDate: '2020-06-10' });
  t.equal(next.statusCode, 201, next.body);
  t.equal(next.json().number, '2020-0004');
});
