import { unexpectedEvent } from '../decider.js';
import type { DomainEvent, EventData, EventOf } from '../events.js';
import { yearOf } from '../calendar.js';
import { formatAmount, money, type Money } from '../money.js';
import { PersistentMap } from './persistent-map.js';

/**
 * The state of the one receivables stream: everything its rules need, each behind an O(1)
 * lookup, and never mutated (the command handler caches it and may share it between commands).
 */
export interface InvoiceRecord {
  readonly invoiceId: string;
  readonly number: string;
  readonly financierId: string;
  readonly kamerId: string;
  readonly year: number;
  readonly pledgeId?: string;
  readonly issueDate: string;
  readonly total: string;
  /** The financier's reference, and the RF payment reference (electronic format), when the invoice has them. */
  readonly reference?: string;
  readonly paymentReference?: string;
  /** Sum of the credit notes against it. */
  readonly credited: string;
  /** Sum of the payments allocated to it. */
  readonly paid: string;
}

export interface PaymentRecord {
  readonly paymentId: string;
  readonly date: string;
  readonly amount: string;
  /** Sum of its allocations; the rest is unallocated. */
  readonly allocated: string;
  /** The account it came from, as the bank or the treasurer gave it. */
  readonly payerIban?: string;
}

export interface ReceivablesState {
  /** The last number used in each year's series (credit notes share it): 2019 → 12 means 2019-0012. */
  readonly lastNumberByYear: ReadonlyMap<number, number>;
  /** The issue date of that last number: the next number in the series may not be dated before it. */
  readonly lastIssueDateByYear: ReadonlyMap<number, string>;
  readonly invoices: PersistentMap<InvoiceRecord>;
  readonly invoiceIdByNumber: PersistentMap<string>;
  readonly payments: PersistentMap<PaymentRecord>;
  /** Per pledge: invoiced so far, net of credit notes. */
  readonly invoicedByPledge: PersistentMap<string>;
  /** Bank references of every payment received and bank entry booked, so a statement is never counted twice. */
  readonly bankReferences: PersistentMap<BankReferenceRecord>;
  /** The cooperative's own accounts (IBANs): only their statements are imported. */
  readonly bankAccounts: readonly string[];
  /** Statement entries that are not received payments (money out, costs, interest), by entry id. */
  readonly bankEntries: PersistentMap<BankEntryRecord>;
  /** Every movement of money on a bank account the stream knows, signed: the running bank balance. */
  readonly bankMovements: PersistentMap<BankMovement>;
  /** Per pledge: money allocated to it directly (a subsidy decision paid without an invoice). */
  readonly allocatedByPledge: PersistentMap<string>;
  /** Petty-cash transfers a statement debit was matched to: each at most once. */
  readonly matchedPettyCashTransfers: PersistentMap<true>;
  /** Expenses paid (recorded by hand) a statement debit was matched to: each at most once. */
  readonly matchedExpenses: PersistentMap<true>;
}

/** What a bank reference was recorded with: a re-sent entry must say the same. */
export interface BankReferenceRecord {
  readonly direction: 'credit' | 'debit';
  readonly amount: string;
  readonly date: string;
  /** The account of the statement it came from; absent for a payment recorded by hand. */
  readonly account?: string;
}

export interface BankEntryRecord {
  readonly entryId: string;
  readonly account: string;
  readonly direction: 'credit' | 'debit';
  readonly date: string;
  readonly amount: string;
  readonly bankReference: string;
  readonly booking: EventData<'BankEntryBooked'>['booking'];
  readonly counterpartyName?: string;
  readonly counterpartyIban?: string;
  readonly description?: string;
  /** Set once the treasurer assigned an unassigned entry. */
  readonly assigned?: EventData<'BankEntryAssigned'>['assignment'];
}

export interface BankMovement {
  /** Absent for a payment recorded by hand until a statement shows it on an account. */
  readonly account?: string;
  readonly date: string;
  /** Signed: money in positive, money out negative. */
  readonly amount: string;
}

export const initialReceivablesState: ReceivablesState = {
  lastNumberByYear: new Map(),
  lastIssueDateByYear: new Map(),
  invoices: PersistentMap.empty(),
  invoiceIdByNumber: PersistentMap.empty(),
  payments: PersistentMap.empty(),
  invoicedByPledge: PersistentMap.empty(),
  allocatedByPledge: PersistentMap.empty(),
  bankReferences: PersistentMap.empty(),
  bankAccounts: [],
  bankEntries: PersistentMap.empty(),
  bankMovements: PersistentMap.empty(),
  matchedPettyCashTransfers: PersistentMap.empty(),
  matchedExpenses: PersistentMap.empty(),
};

/** The account's balance at the end of `date`: every movement on it dated that day or earlier. */
export function bankBalanceThrough(state: ReceivablesState, account: string, date: string): Money {
  let balance = money(0);
  for (const movement of state.bankMovements.values()) {
    if (movement.account === account && movement.date <= date) balance = balance.plus(movement.amount);
  }
  return balance;
}

/** Whether the ledger knows any movement of the account: if not, its first statement brings the opening balance. */
export function hasBankHistory(state: ReceivablesState, account: string): boolean {
  for (const movement of state.bankMovements.values()) if (movement.account === account) return true;
  return false;
}

const referenceKey = (reference: string) => `ref:${reference}`;

/** Numbers run per year of the document's date: 2019-0001, 2019-0002, … */
export const MAX_NUMBER_IN_SERIES = 9999;

export function nextNumber(state: ReceivablesState, year: number): string {
  const next = (state.lastNumberByYear.get(year) ?? 0) + 1;
  return `${year}-${String(next).padStart(4, '0')}`;
}

export function openAmountOf(invoice: InvoiceRecord): Money {
  return money(invoice.total).minus(invoice.credited).minus(invoice.paid);
}

export function unallocatedOf(payment: PaymentRecord): Money {
  return money(payment.amount).minus(payment.allocated);
}

export function invoicedForPledge(state: ReceivablesState, pledgeId: string): Money {
  return money(state.invoicedByPledge.get(pledgeId) ?? '0.00');
}

export function allocatedToPledge(state: ReceivablesState, pledgeId: string): Money {
  return money(state.allocatedByPledge.get(pledgeId) ?? '0.00');
}

/**
 * What the cooperative has claimed of a pledge: invoiced (net of credit notes) plus money
 * allocated to the pledge directly. Payments allocated to the pledge's invoices are not added:
 * the invoice already counts them, and adding both would count the same euro twice.
 */
export function claimedOnPledge(state: ReceivablesState, pledgeId: string): Money {
  return invoicedForPledge(state, pledgeId).plus(allocatedToPledge(state, pledgeId));
}

/** The number and issue date of the last document in a year's series, if any. */
export function previousInSeries(state: ReceivablesState, year: number): { readonly number: string; readonly issueDate: string } | undefined {
  const last = state.lastNumberByYear.get(year);
  const issueDate = state.lastIssueDateByYear.get(year);
  if (last === undefined || issueDate === undefined) return undefined;
  return { number: `${year}-${String(last).padStart(4, '0')}`, issueDate };
}

/** An invoice named by its id or by its number ("2019-0001"): users know the number, the API the id. */
export function findInvoice(state: ReceivablesState, idOrNumber: string): InvoiceRecord | undefined {
  const invoiceId = state.invoiceIdByNumber.get(idOrNumber) ?? idOrNumber;
  return state.invoices.get(invoiceId);
}

/** The invoice whose RF payment reference this is (electronic format), if any. */
export function findInvoiceByPaymentReference(state: ReceivablesState, reference: string): InvoiceRecord | undefined {
  // The reference's body is the invoice number without its dash (RF34 2020 0001 → 2020-0001).
  const body = /^RF\d{2}(\d{4})(\d{4})$/.exec(reference);
  const invoice = body ? findInvoice(state, `${body[1]}-${body[2]}`) : undefined;
  return invoice?.paymentReference === reference ? invoice : undefined;
}

const plus = (a: string, b: string) => formatAmount(money(a).plus(b));
const minus = (a: string, b: string) => formatAmount(money(a).minus(b));

/**
 * Takes the series' next number, or reports the stream as corrupt when the event skips or repeats
 * one. A date before the previous number's is not asserted here: streams written before that rule
 * hold such documents, and they must still replay.
 */
function takeNumber(state: ReceivablesState, event: DomainEvent, date: string, number: string): Pick<ReceivablesState, 'lastNumberByYear' | 'lastIssueDateByYear'> {
  const year = yearOf(date);
  const expected = nextNumber(state, year);
  if (number !== expected) return unexpectedEvent('receivables', event, `carries number ${number} where the series expects ${expected}`);
  return {
    lastNumberByYear: new Map(state.lastNumberByYear).set(year, (state.lastNumberByYear.get(year) ?? 0) + 1),
    lastIssueDateByYear: new Map(state.lastIssueDateByYear).set(year, date),
  };
}

function withInvoice(state: ReceivablesState, event: EventOf<'InvoiceIssued'>): ReceivablesState {
  const invoice = event.data;
  if (state.invoices.has(invoice.invoiceId)) return unexpectedEvent('receivables', event, `repeats invoice id ${invoice.invoiceId}`);
  const record: InvoiceRecord = {
    invoiceId: invoice.invoiceId,
    number: invoice.number,
    financierId: invoice.financierId,
    kamerId: invoice.kamerId,
    year: invoice.year,
    ...(invoice.pledgeId === undefined ? {} : { pledgeId: invoice.pledgeId }),
    issueDate: invoice.issueDate,
    total: invoice.total,
    ...(invoice.reference === undefined ? {} : { reference: invoice.reference }),
    ...(invoice.paymentReference === undefined ? {} : { paymentReference: invoice.paymentReference }),
    credited: '0.00',
    paid: '0.00',
  };
  return {
    ...state,
    ...takeNumber(state, event, invoice.issueDate, invoice.number),
    invoices: state.invoices.set(invoice.invoiceId, record),
    invoiceIdByNumber: state.invoiceIdByNumber.set(invoice.number, invoice.invoiceId),
    invoicedByPledge:
      invoice.pledgeId === undefined
        ? state.invoicedByPledge
        : state.invoicedByPledge.update(invoice.pledgeId, (sofar) => plus(sofar ?? '0.00', invoice.total)),
  };
}

function withCreditNote(state: ReceivablesState, event: EventOf<'CreditNoteIssued'>): ReceivablesState {
  const note = event.data;
  const invoice = state.invoices.get(note.invoiceId);
  if (!invoice) return unexpectedEvent('receivables', event, `credits unknown invoice ${note.invoiceId}`);
  const amount = money(note.amount);
  if (!amount.greaterThan(0) || amount.greaterThan(openAmountOf(invoice))) {
    return unexpectedEvent('receivables', event, `credits ${note.amount}, outside what invoice ${invoice.number} has open`);
  }
  return {
    ...state,
    ...takeNumber(state, event, note.issueDate, note.number),
    invoices: state.invoices.set(invoice.invoiceId, { ...invoice, credited: plus(invoice.credited, note.amount) }),
    invoicedByPledge:
      invoice.pledgeId === undefined
        ? state.invoicedByPledge
        : state.invoicedByPledge.update(invoice.pledgeId, (sofar) => minus(sofar ?? '0.00', note.amount)),
  };
}

function withPayment(state: ReceivablesState, event: EventOf<'PaymentReceived'>): ReceivablesState {
  const payment = event.data;
  if (state.payments.has(payment.paymentId)) return unexpectedEvent('receivables', event, `repeats payment id ${payment.paymentId}`);
  if (payment.bankReference !== undefined && state.bankReferences.has(payment.bankReference)) {
    return unexpectedEvent('receivables', event, `repeats bank reference ${payment.bankReference}`);
  }
  const payments = state.payments.set(payment.paymentId, {
    paymentId: payment.paymentId,
    date: payment.date,
    amount: payment.amount,
    allocated: '0.00',
    ...(payment.payerIban === undefined ? {} : { payerIban: payment.payerIban }),
  });
  if (payment.bankReference === undefined) return { ...state, payments };
  const where = payment.account === undefined ? {} : { account: payment.account };
  return {
    ...state,
    payments,
    bankReferences: state.bankReferences.set(payment.bankReference, { direction: 'credit', amount: payment.amount, date: payment.date, ...where }),
    bankMovements: state.bankMovements.set(referenceKey(payment.bankReference), { date: payment.date, amount: payment.amount, ...where }),
  };
}

function withBankEntry(state: ReceivablesState, event: EventOf<'BankEntryBooked'>): ReceivablesState {
  const entry = event.data;
  if (state.bankReferences.has(entry.bankReference)) return unexpectedEvent('receivables', event, `repeats bank reference ${entry.bankReference}`);
  if (state.bankEntries.has(entry.entryId)) return unexpectedEvent('receivables', event, `repeats entry id ${entry.entryId}`);
  const transfer = entry.pettyCashTransferId;
  if (transfer !== undefined && state.matchedPettyCashTransfers.has(transfer)) {
    return unexpectedEvent('receivables', event, `matches petty-cash transfer ${transfer} a second time`);
  }
  if (entry.expenseId !== undefined && state.matchedExpenses.has(entry.expenseId)) {
    return unexpectedEvent('receivables', event, `matches expense ${entry.expenseId} a second time`);
  }
  const signed = entry.direction === 'credit' ? entry.amount : minus('0.00', entry.amount);
  const { entryId, account, direction, date, amount, bankReference, booking, counterpartyName, counterpartyIban, description } = entry;
  const record: BankEntryRecord = withoutUndefined({ entryId, account, direction, date, amount, bankReference, booking, counterpartyName, counterpartyIban, description });
  return {
    ...state,
    bankReferences: state.bankReferences.set(bankReference, { direction, amount, date, account }),
    bankEntries: state.bankEntries.set(entryId, record),
    bankMovements: state.bankMovements.set(referenceKey(bankReference), { account, date, amount: signed }),
    matchedPettyCashTransfers: transfer === undefined ? state.matchedPettyCashTransfers : state.matchedPettyCashTransfers.set(transfer, true),
    matchedExpenses: entry.expenseId === undefined ? state.matchedExpenses : state.matchedExpenses.set(entry.expenseId, true),
  };
}

function withBankAssignment(state: ReceivablesState, event: EventOf<'BankEntryAssigned'>): ReceivablesState {
  const entry = state.bankEntries.get(event.data.entryId);
  if (!entry || entry.booking !== 'unassigned' || entry.assigned !== undefined) {
    return unexpectedEvent('receivables', event, `assigns entry ${event.data.entryId}, which is unknown or not waiting`);
  }
  return { ...state, bankEntries: state.bankEntries.set(entry.entryId, { ...entry, assigned: event.data.assignment }) };
}

function withOpeningBalance(state: ReceivablesState, event: EventOf<'BankOpeningBalanceRecorded'>): ReceivablesState {
  const { account, date, amount } = event.data;
  const key = `opening:${account}`;
  if (state.bankMovements.has(key)) return unexpectedEvent('receivables', event, `opens account ${account} a second time`);
  return { ...state, bankMovements: state.bankMovements.set(key, { account, date, amount }) };
}

/** Payments recorded by hand that the statement shows join its account; an accepted difference is a movement too. */
function withReconciliation(state: ReceivablesState, event: EventOf<'BankStatementReconciled'>): ReceivablesState {
  const { account, confirmedReferences, difference } = event.data;
  let movements = state.bankMovements;
  let references = state.bankReferences;
  for (const reference of confirmedReferences) {
    const movement = movements.get(referenceKey(reference));
    const recorded = references.get(reference);
    if (!movement || !recorded || movement.account !== undefined) return unexpectedEvent('receivables', event, `confirms ${reference}, which is unknown or already on an account`);
    movements = movements.set(referenceKey(reference), { ...movement, account });
    references = references.set(reference, { ...recorded, account });
  }
  const date = event.data.closing?.date ?? event.data.opening?.date;
  if (!money(difference).isZero()) {
    if (date === undefined) return unexpectedEvent('receivables', event, 'books a difference without a balance date');
    movements = movements.set(`difference:${movements.size}`, { account, date, amount: difference });
  }
  return { ...state, bankMovements: movements, bankReferences: references };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function withAllocation(state: ReceivablesState, event: EventOf<'PaymentAllocated'>): ReceivablesState {
  const allocation: EventData<'PaymentAllocated'> = event.data;
  const payment = state.payments.get(allocation.paymentId);
  if (!payment) return unexpectedEvent('receivables', event, `allocates unknown payment ${allocation.paymentId}`);
  const amount = money(allocation.amount);
  if (!amount.greaterThan(0) || amount.greaterThan(unallocatedOf(payment))) {
    return unexpectedEvent('receivables', event, `allocates ${allocation.amount}, more than payment ${payment.paymentId} has unallocated`);
  }
  if ((allocation.invoiceId === undefined) === (allocation.pledgeId === undefined)) {
    return unexpectedEvent('receivables', event, 'must name exactly one of an invoice and a pledge');
  }
  const payments = state.payments.set(payment.paymentId, { ...payment, allocated: plus(payment.allocated, allocation.amount) });
  if (allocation.invoiceId === undefined) {
    const allocatedByPledge = state.allocatedByPledge.update(allocation.pledgeId!, (sofar) => plus(sofar ?? '0.00', allocation.amount));
    return { ...state, payments, allocatedByPledge };
  }
  const invoice = state.invoices.get(allocation.invoiceId);
  if (!invoice || amount.greaterThan(openAmountOf(invoice))) {
    return unexpectedEvent('receivables', event, `allocates ${allocation.amount} to invoice ${allocation.invoiceId}, which is unknown or has less open`);
  }
  return { ...state, payments, invoices: state.invoices.set(invoice.invoiceId, { ...invoice, paid: plus(invoice.paid, allocation.amount) }) };
}

export function evolveReceivables(state: ReceivablesState, event: DomainEvent): ReceivablesState {
  switch (event.type) {
    case 'InvoiceIssued':
      return withInvoice(state, event);
    case 'CreditNoteIssued':
      return withCreditNote(state, event);
    case 'PaymentReceived':
      return withPayment(state, event);
    case 'PaymentAllocated':
      return withAllocation(state, event);
    case 'BankAccountsSet':
      return { ...state, bankAccounts: [...event.data.accounts] };
    case 'BankOpeningBalanceRecorded':
      return withOpeningBalance(state, event);
    case 'BankEntryBooked':
      return withBankEntry(state, event);
    case 'BankEntryAssigned':
      return withBankAssignment(state, event);
    case 'BankStatementReconciled':
      return withReconciliation(state, event);
    default:
      return unexpectedEvent('receivables', event);
  }
}
