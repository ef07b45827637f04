import t from 'tap';
import { receivablesDecider } from '../../src/domain/receivables/decider.js';
import type { EventOf } from '../../src/domain/events.js';
import { money } from '../../src/domain/money.js';
import { specFor } from '../helpers/decider.js';
import { bankAccountsSet, bankEntry, fieldsOf, importStatement, invoiceIssued, OWN_ACCOUNT, paymentAllocated, paymentReceived, pledge, receivePayment, uuid } from './receivables.fixtures.js';

const OTHER_ACCOUNT = 'NL02ABNA0123456789';
const TEAM_LEADER = 'NL39RABO0300065264';

t.test('a statement of an account that is not the cooperative\'s is refused, and so is any statement before accounts are set', async (t) => {
  const credits = [{ bankReference: 'R-1', date: '2020-06-12', amount: '10.00' }];
  specFor(t, receivablesDecider).given([]).when(importStatement(credits)).thenFails('BANK_ACCOUNT_UNKNOWN', 'Stmt.0.Acct.Id.IBAN');
  specFor(t, receivablesDecider).given([bankAccountsSet([OTHER_ACCOUNT])]).when(importStatement(credits)).thenFails('BANK_ACCOUNT_UNKNOWN', 'Stmt.0.Acct.Id.IBAN');
  specFor(t, receivablesDecider).given([bankAccountsSet([OTHER_ACCOUNT, OWN_ACCOUNT])]).when(importStatement(credits)).then((events) => t.equal(events[0]?.type, 'PaymentReceived'));
});

t.test('an entry re-sent with its reference but another amount, date or direction is a conflict, not a duplicate', async (t) => {
  const history = [bankAccountsSet(), paymentReceived({ bankReference: 'R-1', amount: '10.00', date: '2020-06-12' })];
  const spec = specFor(t, receivablesDecider).given(history);
  spec.when(importStatement([{ bankReference: 'R-1', date: '2020-06-12', amount: '10.01' }])).thenFails('BANK_ENTRY_CONFLICT', 'Stmt.0.Ntry.0');
  spec.when(importStatement([{ bankReference: 'R-1', date: '2020-06-11', amount: '10.00' }])).thenFails('BANK_ENTRY_CONFLICT');
  spec
    .when(importStatement([], 400, { statements: [{ account: OWN_ACCOUNT, entries: [bankEntry({ bankReference: 'R-1', amount: '10.00', direction: 'debit' })] }] }))
    .thenFails('BANK_ENTRY_CONFLICT');
});

t.test('debits wait unassigned, bank costs and interest are booked as such, a debit to a team leader matches its petty-cash transfer', async (t) => {
  const entries = [
    bankEntry({ bankReference: 'D-1', amount: '890.00', direction: 'debit', counterpartyName: 'Mitros', description: 'huur juni' }),
    bankEntry({ bankReference: 'D-2', amount: '7.95', direction: 'debit', kind: 'bank-costs' }),
    bankEntry({ bankReference: 'C-1', amount: '1.20', kind: 'interest' }),
    bankEntry({ bankReference: 'D-3', amount: '150.00', direction: 'debit', counterpartyIban: TEAM_LEADER, date: '2020-06-03' }),
    // a second debit of the same amount: the one transfer is matched only once
    bankEntry({ bankReference: 'D-4', amount: '150.00', direction: 'debit', counterpartyIban: TEAM_LEADER, date: '2020-06-04' }),
  ];
  const command = importStatement([], 400, {
    statements: [{ account: OWN_ACCOUNT, entries }],
    teamLeaders: new Map([[TEAM_LEADER, 'top']]),
    pettyCashTransfers: [{ transferId: uuid(900), kamerId: 'top', date: '2020-06-01', amount: '150.00' }],
  });
  specFor(t, receivablesDecider)
    .given([bankAccountsSet()])
    .when(command)
    .then((events) => {
      const booked = fieldsOf(events.filter((event) => event.type === 'BankEntryBooked'));
      t.same(
        booked.map((entry) => [entry.bankReference, entry.direction, entry.booking, entry.kamerId]),
        [
          ['D-1', 'debit', 'unassigned', undefined],
          ['D-2', 'debit', 'bank-costs', undefined],
          ['C-1', 'credit', 'interest', undefined],
          ['D-3', 'debit', 'petty-cash', 'top'],
          ['D-4', 'debit', 'unassigned', undefined],
        ],
      );
      t.equal(booked[3]?.pettyCashTransferId, uuid(900));
    });
});

t.test('a debit of an expense the treasurer already recorded is matched to it once, within five days', async (t) => {
  const rent = { expenseId: uuid(950), kamerId: 'top', date: '2020-06-01', amount: '890.00' };
  const entries = [
    bankEntry({ bankReference: 'D-1', amount: '890.00', direction: 'debit', date: '2020-06-02' }),
    bankEntry({ bankReference: 'D-2', amount: '890.00', direction: 'debit', date: '2020-06-03' }),
    bankEntry({ bankReference: 'D-3', amount: '890.00', direction: 'debit', date: '2020-06-12' }),
  ];
  const late = { ...rent, expenseId: uuid(951), date: '2020-06-01' };
  specFor(t, receivablesDecider)
    .given([bankAccountsSet()])
    .when(importStatement([], 400, { statements: [{ account: OWN_ACCOUNT, entries }], expensesPaid: [rent, late] }))
    .then((events) => {
      const booked = fieldsOf(events.filter((event) => event.type === 'BankEntryBooked'));
      t.same(
        booked.map((entry) => [entry.bankReference, entry.booking, entry.expenseId]),
        [
          ['D-1', 'expense', uuid(950)],
          ['D-2', 'expense', uuid(951)],
          // eleven days after both expenses: not theirs
          ['D-3', 'unassigned', undefined],
        ],
      );
    });
});

t.test("the first statement books the account's opening balance; later ones must agree with the ledger, or the difference is accepted explicitly", async (t) => {
  const first = importStatement([{ bankReference: 'R-1', date: '2020-06-10', amount: '100.00' }], 400, {
    part: { opening: { amount: '500.00', date: '2020-06-09' }, closing: { amount: '600.00', date: '2020-06-10' } },
  });
  const firstEvents = specFor(t, receivablesDecider)
    .given([bankAccountsSet()])
    .when(first)
    .then((events) => {
      t.same(events[0], { type: 'BankOpeningBalanceRecorded', data: { account: OWN_ACCOUNT, date: '2020-06-09', amount: '500.00', messageId: 'MSG-1' } });
      // 500.00 opening + 100.00 received = 600.00: agrees, nothing to book
      t.has(events.at(-1), { type: 'BankStatementReconciled', data: { closing: { statement: '600.00', ledger: '600.00' }, difference: '0.00', differenceAccepted: false } });
    });
  const history = [bankAccountsSet(), ...firstEvents];
  // the next statement says the account held 610.00 on 10 June; the ledger says 600.00
  const opening = { amount: '610.00', date: '2020-06-10' };
  const closing = { amount: '560.00', date: '2020-06-11' };
  const debit = bankEntry({ bankReference: 'D-1', amount: '50.00', direction: 'debit', date: '2020-06-11' });
  const second = (acceptDifference: boolean) => importStatement([], 500, { acceptDifference, statements: [{ account: OWN_ACCOUNT, entries: [debit], opening, closing }] });
  specFor(t, receivablesDecider).given(history).when(second(false)).thenFails('BANK_BALANCE_MISMATCH', 'Bal');
  specFor(t, receivablesDecider)
    .given(history)
    .when(second(true))
    .then((events) => {
      const reconciled = events.at(-1) as EventOf<'BankStatementReconciled'>;
      const ledgerClosing = money('600.00').minus('50.00');
      t.same(reconciled.data.opening, { date: '2020-06-10', statement: '610.00', ledger: '600.00' });
      t.same(reconciled.data.closing, { date: '2020-06-11', statement: '560.00', ledger: ledgerClosing.toFixed(2) });
      t.equal(reconciled.data.difference, money('560.00').minus(ledgerClosing).toFixed(2));
      t.equal(reconciled.data.differenceAccepted, true);
    });
});

t.test('a payment made that waits is assigned once, to a budget line of its room and year, or to bank costs', async (t) => {
  const history = [
    bankAccountsSet(),
    ...specFor(t, receivablesDecider)
      .given([bankAccountsSet()])
      .when(importStatement([], 400, { statements: [{ account: OWN_ACCOUNT, entries: [bankEntry({ bankReference: 'D-1', amount: '890.00', direction: 'debit' })] }] }))
      .then(() => undefined),
  ];
  const entryId = uuid(400);
  const line = (overrides = {}) => ({ kind: 'budget-line' as const, kamerId: 'top', kamerExists: true, line: 'rent', budgetLines: ['rent', 'coordination'], ...overrides });
  const spec = specFor(t, receivablesDecider).given(history);
  spec.when({ type: 'AssignBankEntry', entryId, target: line() }).then([
    { type: 'BankEntryAssigned', data: { entryId, date: '2020-06-12', amount: '890.00', assignment: 'budget-line', kamerId: 'top', line: 'rent', year: 2020 } },
  ]);
  spec.when({ type: 'AssignBankEntry', entryId, target: line({ line: 'catering' }) }).thenFails('UNKNOWN_BUDGET_LINE', 'line');
  spec.when({ type: 'AssignBankEntry', entryId, target: line({ budgetLines: undefined }) }).thenFails('UNKNOWN_BUDGET_LINE', 'line');
  spec.when({ type: 'AssignBankEntry', entryId, target: line({ kamerExists: false }) }).thenFails('UNKNOWN_KAMER', 'kamer');
  spec.when({ type: 'AssignBankEntry', entryId: uuid(999), target: { kind: 'bank-costs' } }).thenFails('NOT_FOUND');
  const assigned = spec.when({ type: 'AssignBankEntry', entryId, target: { kind: 'bank-costs' } }).then(() => undefined);
  specFor(t, receivablesDecider)
    .given([...history, ...assigned])
    .when({ type: 'AssignBankEntry', entryId, target: { kind: 'interest' } })
    .thenFails('BANK_ENTRY_ALREADY_ASSIGNED');
});

t.test('matching takes 2020/0002 and 2020/2 for invoice 2020-0002, but not 2020-2 nor a date like 2020/02/15', async (t) => {
  const invoices = [invoiceIssued({ invoiceId: uuid(1), number: '2020-0001', total: '100.00' }), invoiceIssued({ invoiceId: uuid(2), number: '2020-0002', total: '250.00' })];
  const matched = (description: string) =>
    specFor(t, receivablesDecider)
      .given(invoices)
      .when(receivePayment({ amount: '50.00', description }))
      .then(() => undefined)
      .flatMap((event) => (event.type === 'PaymentAllocated' ? [event.data.invoiceNumber] : []));
  t.same(matched('factuur 2020/0002'), ['2020-0002']);
  t.same(matched('factuur 2020/2'), ['2020-0002']);
  t.same(matched('fact 2020/1 en 2020-0002'), ['2020-0001'], 'in order; the money ran out on the first');
  t.same(matched('factuur 2020-2'), []);
  t.same(matched('betaald op 2020/02/15'), []);
});

t.test("a subsidy decision's kenmerk in the text pays its pledge, up to what the pledge still awaits", async (t) => {
  const subsidy = pledge({ pledgeId: uuid(50), financierId: 'gemeente', amount: '5000.00' });
  const pledgesByReference = new Map([['5675239', subsidy]]);
  const earlier = paymentAllocated({ allocationId: uuid(60), paymentId: uuid(200), pledgeId: uuid(50), invoiceId: undefined, invoiceNumber: undefined, amount: '4800.00' });
  specFor(t, receivablesDecider)
    .given([paymentReceived({ amount: '4800.00' }), earlier])
    .when(receivePayment({ paymentId: uuid(201), amount: '300.00', description: 'Subsidie SPDO kenmerk 5675239' }, { pledgesByReference }))
    .then((events) => {
      // 5000.00 pledged − 4800.00 paid before = 200.00 awaited; the other 100.00 waits unallocated
      const allocation = events.find((event) => event.type === 'PaymentAllocated');
      t.has(allocation?.data, { pledgeId: uuid(50), amount: money('5000.00').minus('4800.00').toFixed(2), matchedBy: 'pledge-reference-in-description' });
    });
  specFor(t, receivablesDecider)
    .given([])
    .when(receivePayment({ amount: '300.00', description: 'kenmerk 5675240' }, { pledgesByReference }))
    .then((events) => t.same(events.map((event) => event.type), ['PaymentReceived'], 'another kenmerk matches nothing'));
});

t.test('the BANK_ACCOUNTS setting names the accounts until the treasurer records a list, which then decides', async (t) => {
  const credits = [{ bankReference: 'R-1', date: '2020-06-12', amount: '10.00' }];
  specFor(t, receivablesDecider)
    .given([])
    .when(importStatement(credits, 400, { configuredAccounts: [OWN_ACCOUNT] }))
    .then((events) => t.match(events[0], { type: 'PaymentReceived', data: { account: OWN_ACCOUNT } }));
  specFor(t, receivablesDecider).given([]).when(importStatement(credits, 400, { configuredAccounts: [OTHER_ACCOUNT] })).thenFails('BANK_ACCOUNT_UNKNOWN');
  specFor(t, receivablesDecider)
    .given([bankAccountsSet([OTHER_ACCOUNT])])
    .when(importStatement(credits, 400, { configuredAccounts: [OWN_ACCOUNT] }))
    .thenFails('BANK_ACCOUNT_UNKNOWN', 'Stmt.0.Acct.Id.IBAN');
});
