/**
 * Bank statements through the real HTTP stack and SQLite store: hostile input, the cooperative's
 * own accounts, debits and their assignment, bank costs and interest in the journal, petty cash,
 * balance reconciliation, and a large statement that does not hold up other requests.
 */
import t from 'tap';
import type { TestApp } from '../helpers/app.js';
import { CRAFTED_ACCOUNT, craftedStatement, type CraftedEntry, type CraftedOptions } from '../bank/camt053.fixtures.js';
import { money, sum } from '../../src/domain/money.js';
import { assertRefused, issue, makePledge, ownBankAccounts, receivablesApp } from './receivables.fixtures.js';
import { largeStatement } from '../../bench/statement.js';
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { XAF_XSD } from '../helpers/shared.js';
import { parseCamt053 } from '../../src/bank/camt053.js';

const OTHER_ACCOUNT = 'NL02ABNA0123456789';
const TEAM_LEADER_IBAN = 'NL39RABO0300065264';

function importStatement(api: TestApp, xml: string, query = '') {
  return api.request(api.tokens.treasurer, { method: 'POST', url: `/bank-statements${query}`, payload: xml, headers: { 'content-type': 'application/xml' } });
}

function statement(entries: readonly CraftedEntry[], options: CraftedOptions = {}) {
  return craftedStatement(entries, options);
}

interface TrialRow {
  readonly account: string;
  readonly balance: string;
}

/** The year's XML Auditfile Financieel, checked against its XSD. */
async function xafErrors(api: TestApp, year = 2020): Promise<string[]> {
  const response = await api.get(api.tokens.accountant, `/exports/xaf?year=${year}`);
  if (response.statusCode !== 200) return [`GET /exports/xaf: ${response.statusCode}`];
  const result = await validateXML({ xml: [{ fileName: 'export.xaf', contents: response.body }], schema: [readFileSync(XAF_XSD, 'utf8')] });
  return result.errors.map((error) => error.message);
}

async function trialBalance(api: TestApp, year = 2020) {
  const response = await api.get(api.tokens.accountant, `/reports/trial-balance?year=${year}`);
  const body = response.json() as { rows?: TrialRow[]; accounts?: TrialRow[]; totals: { debit: string; credit: string } };
  const rows = body.rows ?? body.accounts ?? [];
  return { status: response.statusCode, body, balanceOf: (account: string) => rows.find((row) => row.account === account)?.balance ?? '0.00' };
}

t.test('hostile statements get a 4xx naming the rule, never a 500, and write nothing', async (t) => {
  const api = await receivablesApp(t);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const before = (await api.allEvents()).length;
  // as deep as fits in the 5 MB body limit (the tester's 750,000 levels; each level is 7 bytes)
  const depth = 700_000;
  const deep = statement([]).replace('<Stmt>', `<Stmt>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`);
  const deepResponse = await importStatement(api, deep);
  assertRefused(t, deepResponse, 400, 'BANK_STATEMENT_INVALID');
  t.match(deepResponse.json().detail, /nested more than 100 deep/);
  const huge = await importStatement(api, statement([{ amount: '9999999999999.99', entryReference: 'HUGE' }]));
  assertRefused(t, huge, 400, 'BANK_STATEMENT_INVALID', 'Stmt.0.Ntry.0.Amt');
  t.match(huge.json().detail, /at most 999999999\.99/);
  assertRefused(t, await importStatement(api, statement([{ amount: '1.00', remittance: ['&bogus;'] }])), 400, 'BANK_STATEMENT_INVALID');
  t.equal((await api.allEvents()).length, before);
  const trial = await trialBalance(api);
  t.equal(trial.status, 200, 'the trial balance still answers');
});

t.test('entities in a statement are stored decoded', async (t) => {
  const api = await receivablesApp(t);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const response = await importStatement(api, statement([{ amount: '10.00', entryReference: 'E-1', debtorName: 'Bo-Ex &amp; Mitros', remittance: ['Caf&#233; TOP'] }]));
  t.equal(response.statusCode, 201, response.body);
  t.match(response.json().payments[0], { payerName: 'Bo-Ex & Mitros', description: 'Café TOP' });
  const stored = (await api.allEvents()).find((event) => event.type === 'PaymentReceived');
  t.match(stored?.data, { payerName: 'Bo-Ex & Mitros', description: 'Café TOP', account: CRAFTED_ACCOUNT });
});

t.test("a statement of an account that is not the cooperative's is refused, naming both; with none configured, it says how", async (t) => {
  const api = await receivablesApp(t);
  const xml = statement([{ amount: '10.00', entryReference: 'A-1' }]);
  const before = (await api.allEvents()).length;
  const none = await importStatement(api, xml);
  assertRefused(t, none, 422, 'BANK_ACCOUNT_UNKNOWN', 'Stmt.0.Acct.Id.IBAN');
  t.match(none.json().detail, /PUT \/cooperative\/bank-accounts/);
  await ownBankAccounts(api, [OTHER_ACCOUNT]);
  const other = await importStatement(api, xml);
  assertRefused(t, other, 422, 'BANK_ACCOUNT_UNKNOWN');
  t.match(other.json().detail, new RegExp(`${CRAFTED_ACCOUNT}.*${OTHER_ACCOUNT}`));
  t.equal((await api.allEvents()).length, before + 1, 'only the accounts were recorded');
  assertRefused(t, await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative/bank-accounts', payload: { accounts: ['NL00BANK0123456789'] } }), 400, 'VALIDATION_FAILED', 'accounts.0');
  const accountant = await api.request(api.tokens.accountant, { method: 'PUT', url: '/cooperative/bank-accounts', payload: { accounts: [CRAFTED_ACCOUNT] } });
  assertRefused(t, accountant, 403, 'FORBIDDEN');
  await ownBankAccounts(api, [OTHER_ACCOUNT, CRAFTED_ACCOUNT]);
  t.equal((await importStatement(api, xml)).statusCode, 201);
});

t.test('an entry re-sent with the same reference and another amount is a 409 naming the reference and both amounts', async (t) => {
  const api = await receivablesApp(t);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  t.equal((await importStatement(api, statement([{ amount: '100.00', entryReference: 'NTRY-9' }]))).statusCode, 201);
  const before = (await api.allEvents()).length;
  const conflict = await importStatement(api, statement([{ amount: '1000.00', entryReference: 'NTRY-9' }], { messageId: 'BWK-TEST-0002' }));
  assertRefused(t, conflict, 409, 'BANK_ENTRY_CONFLICT', 'Stmt.0.Ntry.0');
  t.match(conflict.json().detail, /NTRY-9.*100\.00.*1000\.00/);
  assertRefused(t, await importStatement(api, statement([{ amount: '100.00', entryReference: 'NTRY-9', direction: 'DBIT' }])), 409, 'BANK_ENTRY_CONFLICT');
  t.equal((await api.allEvents()).length, before);
});

t.test('debits wait unassigned until the treasurer assigns a room and budget line; bank costs and interest book to their own accounts', async (t) => {
  const api = await receivablesApp(t);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const budget = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: { lines: [{ line: 'rent', label: 'Huur', amount: '10680.00' }] } });
  t.equal(budget.statusCode, 201, budget.body);
  const entries: CraftedEntry[] = [
    { amount: '890.00', direction: 'DBIT', entryReference: 'D-RENT', creditorName: 'Mitros', remittance: ['huur juni TOP'] },
    { amount: '7.95', direction: 'DBIT', entryReference: 'D-COST', family: 'MDOP', subFamily: 'CHRG' },
    { amount: '1.20', entryReference: 'C-INT', family: 'MCOP', subFamily: 'INTR' },
    { amount: '12.00', direction: 'DBIT', entryReference: 'D-ODD', remittance: ['onbekend'] },
  ];
  const imported = await importStatement(api, statement(entries));
  t.equal(imported.statusCode, 201, imported.body);
  t.match(imported.json(), { imported: 0, debits: 3, bankCosts: 1, interest: 1, unassigned: 2 });

  const waiting = await api.get(api.tokens.treasurer, '/payments/made/unassigned');
  t.equal(waiting.statusCode, 200, waiting.body);
  const payments = waiting.json().payments as Array<{ id: string; bankReference: string; amount: string }>;
  t.same(payments.map((payment) => [payment.bankReference, payment.amount]), [['D-ODD', '12.00'], ['D-RENT', '890.00']].sort());
  const rent = payments.find((payment) => payment.bankReference === 'D-RENT')!;
  const odd = payments.find((payment) => payment.bankReference === 'D-ODD')!;
  const assign = (id: string, body: Record<string, unknown>) => api.post(api.tokens.treasurer, `/payments/made/${id}/assignment`, body);
  const before = (await api.allEvents()).length;
  assertRefused(t, await assign(rent.id, { kamer: 'top', line: 'catering' }), 422, 'UNKNOWN_BUDGET_LINE', 'line');
  assertRefused(t, await assign(rent.id, { kamer: 'de-klop', line: 'rent' }), 422, 'UNKNOWN_BUDGET_LINE', 'line');
  assertRefused(t, await assign(rent.id, { kamer: 'nergens', line: 'rent' }), 422, 'UNKNOWN_KAMER', 'kamer');
  assertRefused(t, await assign(rent.id, { kamer: 'top' }), 400, 'VALIDATION_FAILED', 'kamer');
  assertRefused(t, await assign(rent.id, { kamer: 'top', line: 'rent', account: 'bank-costs' }), 400, 'VALIDATION_FAILED', 'kamer');
  assertRefused(t, await assign('00000000-0000-4000-8000-000000000000', { account: 'bank-costs' }), 404, 'NOT_FOUND');
  assertRefused(t, await api.post(api.tokens.teamleader('top'), `/payments/made/${rent.id}/assignment`, { kamer: 'top', line: 'rent' }), 403, 'FORBIDDEN');
  t.equal((await api.allEvents()).length, before);
  api.clock.set('2020-06-15T11:00:00Z');
  const assigned = await assign(rent.id, { kamer: 'top', line: 'rent' });
  t.equal(assigned.statusCode, 201, assigned.body);
  t.has(assigned.json(), { id: rent.id, assignment: 'budget-line', kamer: 'top', line: 'rent', year: 2020, amount: '890.00' });
  assertRefused(t, await assign(rent.id, { account: 'bank-costs' }), 409, 'BANK_ENTRY_ALREADY_ASSIGNED');
  t.equal((await assign(odd.id, { account: 'bank-costs' })).statusCode, 201);
  t.same((await api.get(api.tokens.treasurer, '/payments/made/unassigned')).json().payments, []);
  // bitemporal: before the assignments were recorded both waited; before their bank date neither existed
  const knownBefore = await api.get(api.tokens.accountant, '/payments/made/unassigned?knownAt=2020-06-15T10:30:00Z');
  t.same(knownBefore.json().payments.map((payment: { bankReference: string }) => payment.bankReference), ['D-ODD', 'D-RENT']);
  t.same((await api.get(api.tokens.accountant, '/payments/made/unassigned?asOf=2020-06-11&knownAt=2020-06-15T10:30:00Z')).json().payments, []);

  const trial = await trialBalance(api);
  t.equal(trial.status, 200);
  t.equal(trial.body.totals.debit, trial.body.totals.credit, 'balanced');
  t.equal(trial.balanceOf('1100'), money('1.20').minus(sum(['890.00', '7.95', '12.00'])).toFixed(2), 'the bank: interest in, three debits out');
  t.equal(trial.balanceOf('4000:rent'), '890.00');
  t.equal(trial.balanceOf('4700'), sum(['7.95', '12.00']).toFixed(2), 'the bank costs and the odd payment assigned to them');
  t.equal(trial.balanceOf('8700'), '-1.20', 'interest is income: a credit balance');
  t.equal(trial.balanceOf('1910'), '0.00', 'nothing left waiting');
  const hledger = await api.get(api.tokens.accountant, '/exports/hledger?year=2020');
  t.equal(hledger.statusCode, 200);
  t.match(hledger.body, /4700/);
  t.same(await xafErrors(api), [], 'the auditfile with bank costs, interest and assignments is valid against its XSD');
});

t.test("a debit to a team leader's account is matched to the room's petty-cash transfer, and the bank is not paid out twice", async (t) => {
  const api = await receivablesApp(t);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  t.equal((await api.post(api.tokens.treasurer, '/kamers', { id: 'hart', name: 'Hart voor Leidsche Rijn', teamLeaderIban: TEAM_LEADER_IBAN })).statusCode, 201);
  const transfer = await api.post(api.tokens.treasurer, '/kamers/hart/petty-cash/transfers', { date: '2020-06-02', amount: '200.00' });
  t.equal(transfer.statusCode, 201, transfer.body);
  const xml = statement([
    { amount: '200.00', direction: 'DBIT', entryReference: 'D-HG', creditorIban: TEAM_LEADER_IBAN, bookingDate: '2020-06-03' },
    // the same amount again: there is no second transfer, so it waits
    { amount: '200.00', direction: 'DBIT', entryReference: 'D-HG2', creditorIban: TEAM_LEADER_IBAN, bookingDate: '2020-06-04' },
  ]);
  const imported = await importStatement(api, xml);
  t.equal(imported.statusCode, 201, imported.body);
  t.match(imported.json(), { debits: 2, pettyCash: 1, unassigned: 1 });
  t.match(imported.json().entries, [{ bankReference: 'D-HG', booking: 'petty-cash', kamer: 'hart', pettyCashTransfer: transfer.json().id }, { bankReference: 'D-HG2', booking: 'unassigned' }]);
  const trial = await trialBalance(api);
  t.equal(trial.balanceOf('1100'), money('-200.00').minus('200.00').toFixed(2), 'the transfer once, plus the unmatched debit waiting on 1910');
  t.equal(trial.balanceOf('1910'), '200.00');
});

t.test('a debit of an expense recorded before with POST /payments/made is matched to it, so the bank is not paid out twice', async (t) => {
  const api = await receivablesApp(t);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  await api.request(api.tokens.treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: { lines: [{ line: 'rent', label: 'Huur', amount: '10680.00' }] } });
  const expense = await api.post(api.tokens.treasurer, '/payments/made', { date: '2020-06-01', kamer: 'top', line: 'rent', amount: '890.00', payee: 'Mitros', description: 'huur juni' });
  t.equal(expense.statusCode, 201, expense.body);
  const imported = await importStatement(api, statement([{ amount: '890.00', direction: 'DBIT', entryReference: 'D-RENT', creditorName: 'Mitros', bookingDate: '2020-06-02' }]));
  t.equal(imported.statusCode, 201, imported.body);
  t.match(imported.json(), { debits: 1, expenses: 1, unassigned: 0 });
  t.match(imported.json().entries, [{ booking: 'expense', expense: expense.json().id, kamer: 'top' }]);
  const trial = await trialBalance(api);
  t.equal(trial.balanceOf('1100'), '-890.00', 'paid once');
  t.equal(trial.balanceOf('4000:rent'), '890.00');
});

t.test("balances: the first statement books the account's opening balance; a later one that differs is refused unless the difference is accepted, and then booked and reported", async (t) => {
  const api = await receivablesApp(t);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const first = statement([{ amount: '100.00', entryReference: 'R-1', bookingDate: '2020-06-10' }], {
    opening: { amount: '1500.00', date: '2020-06-09' },
    closing: { amount: '1600.00', date: '2020-06-10' },
  });
  const firstResponse = await importStatement(api, first);
  t.equal(firstResponse.statusCode, 201, firstResponse.body);
  t.match(firstResponse.json(), {
    openingBalances: [{ account: CRAFTED_ACCOUNT, date: '2020-06-09', amount: '1500.00' }],
    reconciliations: [{ opening: { statement: '1500.00', ledger: '1500.00' }, closing: { statement: '1600.00', ledger: '1600.00' }, difference: '0.00', differenceAccepted: false }],
  });
  // the bank says 1650.00 at the end of 10 June; the ledger knows 1600.00
  const second = statement([{ amount: '25.00', direction: 'DBIT', entryReference: 'D-1', bookingDate: '2020-06-11' }], {
    messageId: 'BWK-TEST-0002',
    opening: { amount: '1650.00', date: '2020-06-10' },
    closing: { amount: '1625.00', date: '2020-06-11' },
  });
  const before = (await api.allEvents()).length;
  const refused = await importStatement(api, second);
  assertRefused(t, refused, 422, 'BANK_BALANCE_MISMATCH', 'Bal');
  const ledgerClosing = money('1600.00').minus('25.00');
  t.match(refused.json().detail, /opening balance on 2020-06-10: statement 1650\.00, ledger 1600\.00, difference 50\.00/);
  t.match(refused.json().detail, new RegExp(`closing balance on 2020-06-11: statement 1625\\.00, ledger ${ledgerClosing.toFixed(2).replace('.', '\\.')}`));
  t.equal((await api.allEvents()).length, before);
  const accepted = await importStatement(api, second, '?acceptDifference=true');
  t.equal(accepted.statusCode, 201, accepted.body);
  const difference = money('1625.00').minus(ledgerClosing);
  t.has(accepted.json().reconciliations, [{ difference: difference.toFixed(2), differenceAccepted: true, closing: { statement: '1625.00', ledger: ledgerClosing.toFixed(2) } }]);
  const trial = await trialBalance(api);
  t.equal(trial.balanceOf('1100'), '1625.00', "the ledger's bank now agrees with the statement");
  t.equal(trial.balanceOf('1950'), difference.negated().toFixed(2), 'the accepted difference waits on 1950, to be explained');
  t.equal(trial.balanceOf('0900'), '-1500.00', 'the opening balance came from before the ledger');
  t.equal(trial.body.totals.debit, trial.body.totals.credit);
  t.same(await xafErrors(api), [], 'the auditfile with an opening balance and an accepted difference is valid against its XSD');
  assertRefused(t, await importStatement(api, second, '?acceptDifference=maybe'), 400, 'VALIDATION_FAILED');
});

t.test('a large statement is parsed off the event loop: GET /health is answered while it is being imported', async (t) => {
  const api = await receivablesApp(t);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const xml = largeStatement(15_000, CRAFTED_ACCOUNT);
  // How long this document holds the thread when parsed in place (what the import used to do).
  const parsedAt = performance.now();
  parseCamt053(xml);
  const inPlaceMs = performance.now() - parsedAt;
  const finished: string[] = [];
  const started = performance.now();
  const importing = importStatement(api, xml).then((response) => {
    finished.push('import');
    return response;
  });
  const health = await api.app.inject({ method: 'GET', url: '/health' });
  const healthMs = performance.now() - started;
  finished.push('health');
  const imported = await importing;
  t.equal(health.statusCode, 200);
  t.equal(imported.statusCode, 201, imported.body.slice(0, 300));
  t.equal(imported.json().imported, 15_000);
  t.same(finished, ['health', 'import'], 'the health check did not wait for the import');
  t.ok(healthMs < inPlaceMs / 2, `answered in ${healthMs.toFixed(0)} ms; parsing in place alone holds the thread ${inPlaceMs.toFixed(0)} ms`);
});

t.test("a statement's remittance texts match 2020/0001-style invoice numbers and a subsidy decision's kenmerk", async (t) => {
  const api = await receivablesApp(t);
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const invoice = await issue(api, { lines: [{ description: 'Bijdrage', amount: '100.00' }] });
  t.equal(invoice.statusCode, 201, invoice.body);
  const pledge = await makePledge(api, { financier: 'gemeente', amount: '5000.00', reference: '5675239' });
  const imported = await importStatement(
    api,
    statement([
      { amount: '100.00', entryReference: 'C-1', debtorName: 'Portaal', remittance: ['Factuur 2020/1'] },
      { amount: '2500.00', entryReference: 'C-2', debtorName: 'Gemeente Utrecht', remittance: ['Subsidie SPDO beschikking 5675239 eerste termijn'] },
      { amount: '40.00', entryReference: 'C-3', remittance: ['Factuur 2020-1'] },
    ]),
  );
  t.equal(imported.statusCode, 201, imported.body);
  t.match(imported.json(), { imported: 3, matched: 2, unmatched: 1 });
  t.match(imported.json().payments, [
    { bankReference: 'C-1', allocations: [{ invoiceNumber: '2020-0001', amount: '100.00', matchedBy: 'invoice-number-in-description' }], unallocated: '0.00' },
    { bankReference: 'C-2', allocations: [{ pledge, amount: '2500.00', matchedBy: 'pledge-reference-in-description' }], unallocated: '0.00' },
    { bankReference: 'C-3', allocations: [], unallocated: '40.00' },
  ]);
});
