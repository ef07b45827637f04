import t from 'tap';
import type { TestApp } from '../helpers/app.js';
import { CRAFTED_ACCOUNT, craftedStatement, sampleStatement } from '../bank/camt053.fixtures.js';
import { money, sum } from '../../src/domain/money.js';
import { assertRefused, issue, makePledge, ownBankAccounts, receivablesApp } from './receivables.fixtures.js';

/** The accounts of the two real samples: de Volksbank (a), and Rabobank's two (b). */
const SAMPLE_ACCOUNTS = ['NL14SNSB0012345678', 'NL17RABO0310029597', 'NL59RABO3181240869'];

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** Two open invoices: 2020-0001 for 100.00 and 2020-0002 for 250.00. */
async function withTwoInvoices(api: TestApp): Promise<[string, string]> {
  const first = await issue(api, { lines: [{ description: 'Bijdrage', amount: '100.00' }] });
  const second = await issue(api, { lines: [{ description: 'Bijdrage', amount: '250.00' }] });
  return [first.json().id as string, second.json().id as string];
}

function receive(api: TestApp, body: Record<string, unknown>) {
  return api.post(api.tokens.treasurer, '/payments/received', { date: '2020-06-12', amount: '100.00', ...body });
}

function importStatement(api: TestApp, xml: string, contentType = 'application/xml', query = '') {
  return api.request(api.tokens.treasurer, { method: 'POST', url: `/bank-statements${query}`, payload: xml, headers: { 'content-type': contentType } });
}

t.test('a payment naming an invoice number pays it up to its open amount; the overpayment stays unallocated', async (t) => {
  const api = await receivablesApp(t);
  const [first] = await withTwoInvoices(api);
  const response = await receive(api, { amount: '120.00', payerName: 'Portaal', payerIban: 'NL91 ABNA 0417 1643 00', description: 'Factuur 2020-0001', bankReference: 'BANK-1' });
  t.equal(response.statusCode, 201, response.body);
  t.match(response.json(), {
    id: /^[0-9a-f-]{36}$/,
    date: '2020-06-12',
    amount: '120.00',
    payerIban: 'NL91ABNA0417164300',
    source: 'manual',
    allocations: [{ invoice: first, invoiceNumber: '2020-0001', amount: '100.00', matchedBy: 'invoice-number-in-description' }],
    // 120.00 − 100.00
    unallocated: '20.00',
    position: /^\d+$/,
  });
  const events = await api.allEvents();
  t.same(events.slice(-2).map((event) => event.type), ['PaymentReceived', 'PaymentAllocated']);
  t.equal(events.at(-1)!.metadata.correlationId, events.at(-2)!.metadata.correlationId, 'written together, by one request');
});

t.test('a payment without a number it can match waits unallocated', async (t) => {
  const api = await receivablesApp(t);
  await withTwoInvoices(api);
  const response = await receive(api, { description: 'bijdrage TOP' });
  t.equal(response.statusCode, 201, response.body);
  t.has(response.json(), { allocations: [], unallocated: '100.00' });
});

t.test('explicit allocations pay invoices by id or number and pledges, in the same append as the payment', async (t) => {
  const api = await receivablesApp(t);
  const [, second] = await withTwoInvoices(api);
  const pledge = await makePledge(api, { financier: 'gemeente', amount: '5000.00', reference: '5675239' });
  const response = await receive(api, {
    amount: '400.00',
    allocations: [
      { invoice: '2020-0001', amount: '100.00' },
      { invoice: second, amount: '200.00' },
      { pledge, amount: '50.00' },
    ],
  });
  t.equal(response.statusCode, 201, response.body);
  t.match(response.json(), {
    allocations: [
      { invoiceNumber: '2020-0001', amount: '100.00', matchedBy: 'treasurer' },
      { invoice: second, invoiceNumber: '2020-0002', amount: '200.00' },
      { pledge, amount: '50.00' },
    ],
    // 400.00 − 100.00 − 200.00 − 50.00
    unallocated: '50.00',
  });
});

t.test('a payment is refused, writing nothing, when its allocations overreach or name unknown things', async (t) => {
  const api = await receivablesApp(t);
  await withTwoInvoices(api);
  await receive(api, { bankReference: 'BANK-7', description: 'x' });
  const before = (await api.allEvents()).length;
  assertRefused(t, await receive(api, { allocations: [{ invoice: '2020-0002', amount: '60.00' }, { invoice: '2020-0001', amount: '40.01' }] }), 422, 'ALLOCATION_EXCEEDS_PAYMENT', 'allocations.1.amount');
  assertRefused(t, await receive(api, { amount: '500.00', allocations: [{ invoice: '2020-0001', amount: '100.01' }] }), 422, 'ALLOCATION_EXCEEDS_INVOICE', 'allocations.0.amount');
  assertRefused(t, await receive(api, { allocations: [{ invoice: '2020-0042', amount: '1.00' }] }), 422, 'UNKNOWN_INVOICE', 'allocations.0.invoice');
  assertRefused(t, await receive(api, { allocations: [{ pledge: NO_SUCH_ID, amount: '1.00' }] }), 422, 'UNKNOWN_PLEDGE', 'allocations.0.pledge');
  assertRefused(t, await receive(api, { bankReference: 'BANK-7' }), 409, 'DUPLICATE_ID', 'bankReference');
  assertRefused(t, await receive(api, { date: '2020-06-16' }), 422, 'DATE_IN_FUTURE', 'date');
  t.equal((await api.allEvents()).length, before);
});

t.test('malformed payments are refused with the field named', async (t) => {
  const api = await receivablesApp(t);
  await withTwoInvoices(api);
  const before = (await api.allEvents()).length;
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ amount: 100 }, 'amount'],
    [{ amount: '-5.00' }, 'amount'],
    [{ date: '12-06-2020' }, 'date'],
    [{ payerIban: 'NL00BANK0123456789' }, 'payerIban'],
    [{ allocations: [{ invoice: '2020-0001', pledge: NO_SUCH_ID, amount: '1.00' }] }, 'allocations.0.invoice'],
    [{ allocations: [{ amount: '1.00' }] }, 'allocations.0.invoice'],
    [{ allocations: [{ invoice: '2020-0001', amount: '1.001' }] }, 'allocations.0.amount'],
    [{ allocations: [{ invoice: '2020-0001', amount: '1.00', note: 'x' }] }, 'allocations.0.note'],
    [{ source: 'camt053' }, 'source'],
  ];
  for (const [body, path] of cases) assertRefused(t, await receive(api, body), 400, 'VALIDATION_FAILED', path);
  t.equal((await api.allEvents()).length, before);
});

t.test("a later allocation takes from the payment's remainder and never overpays the invoice", async (t) => {
  const api = await receivablesApp(t);
  const [first, second] = await withTwoInvoices(api);
  const payment = (await receive(api, { amount: '300.00', description: 'zonder kenmerk' })).json();
  const allocate = (id: string, body: Record<string, unknown>) => api.post(api.tokens.treasurer, `/payments/${id}/allocations`, body);
  const response = await allocate(payment.id, { invoice: '2020-0002', amount: '250.00' });
  t.equal(response.statusCode, 201, response.body);
  t.match(response.json(), {
    id: /^[0-9a-f-]{36}$/,
    payment: payment.id,
    invoice: second,
    invoiceNumber: '2020-0002',
    amount: '250.00',
    matchedBy: 'treasurer',
    // 300.00 − 250.00 left of the payment; 250.00 − 250.00 open
    paymentUnallocated: '50.00',
    invoiceOpenAmount: '0.00',
    position: /^\d+$/,
  });
  const before = (await api.allEvents()).length;
  assertRefused(t, await allocate(payment.id, { invoice: first, amount: '50.01' }), 422, 'ALLOCATION_EXCEEDS_PAYMENT', 'amount');
  assertRefused(t, await allocate(payment.id, { invoice: second, amount: '0.01' }), 422, 'ALLOCATION_EXCEEDS_INVOICE', 'amount');
  assertRefused(t, await allocate(payment.id, { invoice: NO_SUCH_ID, amount: '1.00' }), 422, 'UNKNOWN_INVOICE', 'invoice');
  assertRefused(t, await allocate(payment.id, { pledge: NO_SUCH_ID, amount: '1.00' }), 422, 'UNKNOWN_PLEDGE', 'pledge');
  assertRefused(t, await allocate(NO_SUCH_ID, { invoice: first, amount: '1.00' }), 404, 'NOT_FOUND');
  assertRefused(t, await allocate('not-a-uuid', { invoice: first, amount: '1.00' }), 400, 'VALIDATION_FAILED', 'params.id');
  assertRefused(t, await allocate(payment.id, { invoice: first }), 400, 'VALIDATION_FAILED', 'amount');
  t.equal((await api.allEvents()).length, before);
  const rest = await allocate(payment.id, { invoice: first, amount: '50.00' });
  t.has(rest.json(), { paymentUnallocated: '0.00', invoiceOpenAmount: '50.00' });
});

t.test('the real camt.053 samples import once, each of their accounts reconciled; a statement of an account not configured is refused', async (t) => {
  // The samples book money from January to April 2026: import them on a later day (a statement of the future is refused).
  const api = await receivablesApp(t, { start: '2026-05-04T10:00:00Z' });
  await ownBankAccounts(api, SAMPLE_ACCOUNTS);
  const before = (await api.allEvents()).length;
  // example-a holds statements of two de Volksbank accounts; the second is not configured yet
  const refused = await importStatement(api, sampleStatement('example-a.xml'));
  assertRefused(t, refused, 422, 'BANK_ACCOUNT_UNKNOWN', 'Stmt.1.Acct.Id.IBAN');
  t.match(refused.json().detail, /NL78SNSB0022446688/);
  t.equal((await api.allEvents()).length, before, 'the refused import wrote nothing');
  await ownBankAccounts(api, [...SAMPLE_ACCOUNTS, 'NL78SNSB0022446688']);

  const a = await importStatement(api, sampleStatement('example-a.xml'));
  t.equal(a.statusCode, 201, a.body);
  // NL14…: one credit transfer, three account fees (CHRG), three other debits; NL78…: one debit, three interest credits (INTR)
  t.match(a.json(), { id: 'CAMT053SNS987654321647', imported: 1, duplicates: 0, matched: 0, unmatched: 1, debits: 7, bankCosts: 3, interest: 3, unassigned: 4, position: /^\d+$/ });
  t.has(a.json().payments[0], { date: '2026-01-26', amount: '500.00', payerName: 'GreatExample BV', bankReference: '20260126-394900', source: 'camt053', unallocated: '500.00' });
  t.same(a.json().openingBalances, [
    { account: 'NL14SNSB0012345678', date: '2026-01-23', amount: '203.69' },
    { account: 'NL78SNSB0022446688', date: '2026-01-23', amount: '1859.13' },
  ]);
  const closingA = money('203.69').plus('500.00').minus(sum(['6.05', '7.95', '6.05', '7.95', '6.05', '7.95']));
  const closingB = money('1859.13').minus('500.00').plus(sum(['103.98', '93.84', '103.92']));
  t.match(a.json().reconciliations, [
    { account: 'NL14SNSB0012345678', closing: { date: '2026-04-08', statement: '661.69', ledger: closingA.toFixed(2) }, difference: '0.00', differenceAccepted: false },
    { account: 'NL78SNSB0022446688', closing: { date: '2026-04-08', statement: '1660.87', ledger: closingB.toFixed(2) }, difference: '0.00', differenceAccepted: false },
  ]);
  // example-b: 132 daily statements (66 per account) of two Rabobank accounts, which do add up
  const b = await importStatement(api, sampleStatement('example-b.xml'), 'text/xml');
  t.equal(b.statusCode, 201, b.body);
  t.match(b.json(), { id: 'CAMT053RIB000001048085', imported: 4, duplicates: 0, debits: 5, unassigned: 5 });
  t.ok(b.json().reconciliations.every((reconciliation: { difference: string }) => reconciliation.difference === '0.00'), 'every daily statement agrees with the ledger');
  const afterFirstImports = (await api.allEvents()).length;
  const againA = await importStatement(api, sampleStatement('example-a.xml'));
  t.equal(againA.statusCode, 201, againA.body);
  t.match(againA.json(), { imported: 0, duplicates: 11, matched: 0, unmatched: 0, debits: 0, payments: [], entries: [] });
  t.match((await importStatement(api, sampleStatement('example-b.xml'))).json(), { imported: 0, duplicates: 9 });
  t.equal((await api.allEvents()).length, afterFirstImports, 'the re-imports wrote nothing');
  const payments = (await api.allEvents()).filter((event) => event.type === 'PaymentReceived');
  t.equal(payments.length, 5);
  t.match(payments[0]!.metadata.reason, /CAMT053SNS987654321647/, 'the import names its statement in the audit trail');
});

t.test('a statement naming invoice numbers is matched, in one append, and a manual payment with an imported reference is a duplicate', async (t) => {
  const api = await receivablesApp(t);
  const [first, second] = await withTwoInvoices(api);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const before = (await api.allEvents()).length;
  const xml = craftedStatement([
    { amount: '100.00', entryReference: 'NTRY-1', debtorName: 'Portaal', debtorIban: 'NL91ABNA0417164300', remittance: ['Factuur 2020-0001'] },
    { amount: '300.00', entryReference: 'NTRY-2', debtorName: 'Portaal', remittance: ['Betaling factuur', '2020-0002 buurtwerkkamer TOP'] },
    { amount: '25.00', entryReference: 'NTRY-3', debtorName: 'Buurtbewoner', remittance: ['Gift'] },
    { amount: '40.00', entryReference: 'NTRY-4', direction: 'DBIT', remittance: ['Koffie'] },
  ]);
  const response = await importStatement(api, xml);
  t.equal(response.statusCode, 201, response.body);
  t.match(response.json(), { id: 'BWK-TEST-0001', imported: 3, duplicates: 0, matched: 2, unmatched: 1, debits: 1, unassigned: 1 });
  t.match(response.json().payments, [
    { bankReference: 'NTRY-1', allocations: [{ invoice: first, amount: '100.00', matchedBy: 'invoice-number-in-description' }], unallocated: '0.00' },
    // 300.00 pays the 250.00 of 2020-0002; 50.00 stays unallocated
    { bankReference: 'NTRY-2', allocations: [{ invoice: second, amount: '250.00' }], unallocated: '50.00' },
    { bankReference: 'NTRY-3', allocations: [], unallocated: '25.00' },
  ]);
  const written = (await api.allEvents()).slice(before);
  t.same(written.map((event) => event.type), ['PaymentReceived', 'PaymentAllocated', 'PaymentReceived', 'PaymentAllocated', 'PaymentReceived', 'BankEntryBooked', 'BankStatementReconciled']);
  t.equal(new Set(written.map((event) => event.metadata.correlationId)).size, 1, 'one request');
  t.same(written.map((event) => event.revision), written.map((_event, index) => written[0]!.revision + index), 'consecutive in the receivables stream');
  t.match((await importStatement(api, xml)).json(), { imported: 0, duplicates: 4 });
  assertRefused(t, await receive(api, { bankReference: 'NTRY-3' }), 409, 'DUPLICATE_ID', 'bankReference');
  t.equal((await api.allEvents()).length, before + written.length);
});

t.test('a body that is not a camt.053 statement is refused with 400 and writes nothing', async (t) => {
  const api = await receivablesApp(t);
  const before = (await api.allEvents()).length;
  assertRefused(t, await importStatement(api, '<Document><BkToCstmrStmt>'), 400, 'BANK_STATEMENT_INVALID');
  assertRefused(t, await importStatement(api, '<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'), 400, 'BANK_STATEMENT_INVALID');
  assertRefused(t, await importStatement(api, craftedStatement([{ amount: '1.00', entryReference: 'X', currency: 'USD' }])), 400, 'BANK_STATEMENT_INVALID');
  const json = await api.post(api.tokens.treasurer, '/bank-statements', { statement: 'x' });
  t.equal(json.statusCode, 400, json.body);
  t.equal((await api.allEvents()).length, before);
});

t.test('only the treasurer records payments, allocations and statements', async (t) => {
  const api = await receivablesApp(t);
  await withTwoInvoices(api);
  const payment = (await receive(api, {})).json();
  const before = (await api.allEvents()).length;
  for (const token of [api.tokens.accountant, api.tokens.financier('portaal'), api.tokens.teamleader('top')]) {
    assertRefused(t, await api.post(token, '/payments/received', { date: '2020-06-12', amount: '1.00' }), 403, 'FORBIDDEN');
    assertRefused(t, await api.post(token, `/payments/${payment.id}/allocations`, { invoice: '2020-0001', amount: '1.00' }), 403, 'FORBIDDEN');
    const statement = await api.request(token, { method: 'POST', url: '/bank-statements', payload: craftedStatement([]), headers: { 'content-type': 'application/xml' } });
    assertRefused(t, statement, 403, 'FORBIDDEN');
  }
  t.equal((await api.allEvents()).length, before);
});

async function withdraw(api: TestApp, pledge: string) {
  const response = await api.post(api.tokens.treasurer, `/pledges/${pledge}/status`, { status: 'withdrawn' });
  if (response.statusCode !== 201) throw new Error(`withdraw failed: ${response.body}`);
}

t.test('money allocated to a pledge never exceeds what is left of it, and a withdrawn pledge takes none; a refusal writes nothing', async (t) => {
  const api = await receivablesApp(t);
  const subsidy = await makePledge(api, { financier: 'gemeente', amount: '1000.00', reference: '5675239' });
  const onInvoices = await makePledge(api, { amount: '1000.00' });
  t.equal((await issue(api, { pledge: onInvoices, lines: [{ description: 'Eerste termijn', amount: '600.00' }] })).statusCode, 201);
  const before = (await api.allEvents()).length;
  assertRefused(t, await receive(api, { amount: '1500.00', allocations: [{ pledge: subsidy, amount: '1000.01' }] }), 422, 'ALLOCATION_EXCEEDS_PLEDGE', 'allocations.0.amount');
  // 1000.00 pledged − 600.00 invoiced = 400.00 left to pay on the pledge directly
  assertRefused(t, await receive(api, { amount: '500.00', allocations: [{ pledge: onInvoices, amount: '400.01' }] }), 422, 'ALLOCATION_EXCEEDS_PLEDGE', 'allocations.0.amount');
  t.equal((await api.allEvents()).length, before, 'nothing was written');
  const exact = await receive(api, { amount: '1400.00', allocations: [{ pledge: subsidy, amount: '1000.00' }, { pledge: onInvoices, amount: '400.00' }] });
  t.equal(exact.statusCode, 201, exact.body);
  t.has(exact.json(), { allocations: [{ pledge: subsidy, amount: '1000.00' }, { pledge: onInvoices, amount: '400.00' }], unallocated: '0.00' });
  const later = (await receive(api, { amount: '50.00', description: 'nog een bijdrage' })).json();
  const afterPayment = (await api.allEvents()).length;
  const allocate = (pledge: string, amount: string) => api.post(api.tokens.treasurer, `/payments/${later.id}/allocations`, { pledge, amount });
  assertRefused(t, await allocate(subsidy, '0.01'), 422, 'ALLOCATION_EXCEEDS_PLEDGE', 'amount');
  const amended = await api.post(api.tokens.treasurer, `/pledges/${subsidy}/amendments`, { amount: '1020.00', reason: 'aanvullende beschikking' });
  t.equal(amended.statusCode, 201, amended.body);
  const withdrawn = await makePledge(api, { financier: 'gemeente', amount: '500.00' });
  await withdraw(api, withdrawn);
  const afterPledgeChanges = (await api.allEvents()).length;
  t.equal(afterPledgeChanges, afterPayment + 3, 'only the pledges changed');
  assertRefused(t, await allocate(withdrawn, '1.00'), 422, 'PLEDGE_WITHDRAWN', 'pledge');
  // amended to 1020.00: 1020.00 − 1000.00 = 20.00 left
  assertRefused(t, await allocate(subsidy, '20.01'), 422, 'ALLOCATION_EXCEEDS_PLEDGE', 'amount');
  t.equal((await api.allEvents()).length, afterPledgeChanges, 'the refusals wrote nothing');
  const rest = await allocate(subsidy, '20.00');
  t.equal(rest.statusCode, 201, rest.body);
  t.has(rest.json(), { pledge: subsidy, amount: '20.00', paymentUnallocated: '30.00' });
});

t.test('a pledge is not amended below, nor withdrawn over, what was paid on it; an in-kind pledge takes no money', async (t) => {
  // Before, the limit held only when money was allocated: amending or withdrawing the pledge
  // afterwards left 1000.00 received on a withdrawn 100.00 pledge.
  const api = await receivablesApp(t);
  const subsidy = await makePledge(api, { financier: 'gemeente', amount: '1000.00', reference: '5675239' });
  const paid = await receive(api, { amount: '1000.00', allocations: [{ pledge: subsidy, amount: '1000.00' }] });
  t.equal(paid.statusCode, 201, paid.body);
  const before = (await api.allEvents()).length;
  assertRefused(t, await api.post(api.tokens.treasurer, `/pledges/${subsidy}/amendments`, { amount: '100.00', reason: 'lager besluit' }), 422, 'PLEDGE_BELOW_CLAIMED', 'amount');
  assertRefused(t, await api.post(api.tokens.treasurer, `/pledges/${subsidy}/status`, { status: 'withdrawn' }), 422, 'PLEDGE_BELOW_CLAIMED', 'status');
  t.equal((await api.allEvents()).length, before, 'the refusals wrote nothing');
  const raised = await api.post(api.tokens.treasurer, `/pledges/${subsidy}/amendments`, { amount: '1200.00', reason: 'aanvullende beschikking' });
  t.equal(raised.statusCode, 201, 'an amendment above what was paid is fine');

  const rentDiscount = await makePledge(api, { financier: 'portaal', amount: '6600.00', form: 'in-kind' });
  const onKind = await receive(api, { amount: '300.00', allocations: [{ pledge: rentDiscount, amount: '300.00' }] });
  assertRefused(t, onKind, 422, 'PLEDGE_IN_KIND_NOT_PAYABLE', 'allocations.0.pledge');
});

/** Kansfonds pays on invoices from NL44RABO0123456789; Portaal has no account registered. */
const KANSFONDS_IBAN = 'NL44RABO0123456789';

async function withKansfonds(api: TestApp): Promise<void> {
  const response = await api.post(api.tokens.treasurer, '/financiers', { id: 'kansfonds', name: 'Kansfonds', kind: 'fund', pays: 'invoice', iban: 'NL44 RABO 0123 4567 89' });
  if (response.statusCode !== 201) throw new Error(`financier failed: ${response.body}`);
}

t.test("money from one financier's account goes to another financier's invoice only with a reason, which is recorded", async (t) => {
  const api = await receivablesApp(t);
  await withKansfonds(api);
  await withTwoInvoices(api);
  const before = (await api.allEvents()).length;
  const mismatch = await receive(api, { payerIban: KANSFONDS_IBAN, allocations: [{ invoice: '2020-0001', amount: '100.00' }] });
  assertRefused(t, mismatch, 422, 'ALLOCATION_PAYER_MISMATCH', 'allocations.0.reason');
  t.match(mismatch.json().detail, /kansfonds.*portaal/, 'names both financiers');
  const unallocated = (await receive(api, { payerIban: KANSFONDS_IBAN, amount: '250.00', allocations: [] })).json();
  const afterPayment = (await api.allEvents()).length;
  t.equal(afterPayment, before + 1, 'only the unallocated payment was written');
  const allocate = (body: Record<string, unknown>) => api.post(api.tokens.treasurer, `/payments/${unallocated.id}/allocations`, body);
  assertRefused(t, await allocate({ invoice: '2020-0002', amount: '250.00' }), 422, 'ALLOCATION_PAYER_MISMATCH', 'reason');
  assertRefused(t, await allocate({ invoice: '2020-0002', amount: '250.00', reason: '' }), 400, 'VALIDATION_FAILED', 'reason');
  assertRefused(t, await allocate({ invoice: '2020-0002', amount: '250.00', reason: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED', 'reason');
  t.equal((await api.allEvents()).length, afterPayment, 'the refusals wrote nothing');
  const reason = 'Kansfonds betaalt de bijdrage van Portaal (mail 10 juni)';
  const allocated = await allocate({ invoice: '2020-0002', amount: '250.00', reason });
  t.equal(allocated.statusCode, 201, allocated.body);
  t.has(allocated.json(), { invoiceNumber: '2020-0002', amount: '250.00', reason });
  const event = (await api.allEvents()).at(-1)!;
  t.match(event, { type: 'PaymentAllocated', data: { invoiceNumber: '2020-0002', financierId: 'portaal', reason } });
  const withReason = await receive(api, { payerIban: KANSFONDS_IBAN, allocations: [{ invoice: '2020-0001', amount: '100.00', reason }] });
  t.equal(withReason.statusCode, 201, withReason.body);
  t.match(withReason.json().allocations, [{ invoiceNumber: '2020-0001', reason }]);
});

t.test("a payer's own invoice needs no reason; automatic matching leaves another financier's invoice unallocated and says so", async (t) => {
  const api = await receivablesApp(t);
  await withKansfonds(api);
  await withTwoInvoices(api);
  const own = await issue(api, { financier: 'kansfonds', lines: [{ description: 'Bijdrage', amount: '80.00' }] });
  t.equal(own.json().number, '2020-0003');
  const response = await receive(api, { payerIban: KANSFONDS_IBAN, amount: '180.00', description: 'facturen 2020-0001 en 2020-0003' });
  t.equal(response.statusCode, 201, response.body);
  t.match(response.json(), {
    allocations: [{ invoiceNumber: '2020-0003', amount: '80.00', matchedBy: 'invoice-number-in-description' }],
    // 180.00 − 80.00: the 100.00 meant for Portaal's 2020-0001 waits for the treasurer
    unallocated: '100.00',
    notMatched: [{ invoiceNumber: '2020-0001', financier: 'portaal', payerFinanciers: ['kansfonds'] }],
  });
  t.equal(response.json().allocations.length, 1);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const xml = craftedStatement([{ amount: '250.00', entryReference: 'NTRY-K', debtorName: 'Kansfonds', debtorIban: KANSFONDS_IBAN, remittance: ['Factuur 2020-0002'] }]);
  const imported = await importStatement(api, xml);
  t.equal(imported.statusCode, 201, imported.body);
  t.match(imported.json(), { imported: 1, matched: 0, unmatched: 1 });
  t.has(imported.json().payments, [{ allocations: [], unallocated: '250.00', notMatched: [{ invoiceNumber: '2020-0002', financier: 'portaal' }] }]);
});
