/**
 * Builders for the receivables decider tests: commands and events with sensible defaults, so each
 * test states only what its rule is about.
 */
import type { EventData, EventOf } from '../../src/domain/events.js';
import type {
  AllocatePayment,
  FinanciersByIban,
  BankEntry,
  BankStatementPart,
  ImportBankStatement,
  IssueCreditNote,
  IssueInvoice,
  PledgeFacts,
  ReceivePayment,
} from '../../src/domain/receivables/commands.js';

export const TODAY = '2020-06-15';

/** Readable fixed ids: uuid(1) = 00000000-0000-4000-8000-000000000001. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A deterministic id generator for commands that create allocations. */
export function idsFrom(start: number): () => string {
  let next = start;
  return () => uuid(next++);
}

export const PLEDGE_ID = uuid(900);

export function pledge(overrides: Partial<PledgeFacts> = {}): PledgeFacts {
  return { pledgeId: PLEDGE_ID, financierId: 'portaal', kamerId: 'top', year: 2020, form: 'cash', status: 'committed', amount: '1000.00', ...overrides };
}

export function issueInvoice(overrides: Partial<IssueInvoice> = {}): IssueInvoice {
  return {
    type: 'IssueInvoice',
    invoiceId: uuid(1),
    financierId: 'portaal',
    financier: { pays: 'invoice' },
    kamerId: 'top',
    kamerExists: true,
    year: 2020,
    issueDate: '2020-06-01',
    today: TODAY,
    lines: [{ description: 'Bijdrage 2020', amount: '1000.00' }],
    ...overrides,
  };
}

export function invoiceIssued(overrides: Partial<EventData<'InvoiceIssued'>> = {}): EventOf<'InvoiceIssued'> {
  const total = overrides.total ?? '1000.00';
  return {
    type: 'InvoiceIssued',
    data: {
      invoiceId: uuid(1),
      number: '2020-0001',
      financierId: 'portaal',
      kamerId: 'top',
      year: 2020,
      issueDate: '2020-06-01',
      dueDate: '2020-06-29',
      lines: [{ description: 'Bijdrage 2020', amount: total }],
      total,
      ...overrides,
    },
  };
}

export function creditNoteIssued(overrides: Partial<EventData<'CreditNoteIssued'>> = {}): EventOf<'CreditNoteIssued'> {
  return {
    type: 'CreditNoteIssued',
    data: {
      creditNoteId: uuid(50),
      number: '2020-0002',
      invoiceId: uuid(1),
      invoiceNumber: '2020-0001',
      financierId: 'portaal',
      kamerId: 'top',
      year: 2020,
      issueDate: '2020-06-10',
      amount: '100.00',
      reason: 'te veel gefactureerd',
      ...overrides,
    },
  };
}

export function issueCreditNote(overrides: Partial<IssueCreditNote> = {}): IssueCreditNote {
  return { type: 'IssueCreditNote', creditNoteId: uuid(50), invoice: uuid(1), reason: 'te veel gefactureerd', issueDate: TODAY, today: TODAY, ...overrides };
}

export function paymentReceived(overrides: Partial<EventData<'PaymentReceived'>> = {}): EventOf<'PaymentReceived'> {
  return { type: 'PaymentReceived', data: { paymentId: uuid(200), date: '2020-06-10', amount: '1000.00', source: 'manual', ...overrides } };
}

export function paymentAllocated(overrides: Partial<EventData<'PaymentAllocated'>> = {}): EventOf<'PaymentAllocated'> {
  return {
    type: 'PaymentAllocated',
    data: {
      allocationId: uuid(300),
      paymentId: uuid(200),
      paymentDate: '2020-06-10',
      amount: '1000.00',
      invoiceId: uuid(1),
      invoiceNumber: '2020-0001',
      financierId: 'portaal',
      kamerId: 'top',
      year: 2020,
      matchedBy: 'treasurer',
      ...overrides,
    },
  };
}

/** Money allocated to a pledge directly (no invoice), from payment uuid(200) unless overridden. */
export function pledgeAllocated(amount: string, overrides: Partial<EventData<'PaymentAllocated'>> = {}): EventOf<'PaymentAllocated'> {
  return {
    type: 'PaymentAllocated',
    data: {
      allocationId: uuid(300),
      paymentId: uuid(200),
      paymentDate: '2020-06-10',
      amount,
      pledgeId: PLEDGE_ID,
      financierId: 'portaal',
      kamerId: 'top',
      year: 2020,
      matchedBy: 'treasurer',
      ...overrides,
    },
  };
}

/** Registered accounts: Portaal's and DOEN's IBANs (valid mod-97), as the registry would give them. */
export const PORTAAL_IBAN = 'NL91ABNA0417164300';
export const DOEN_IBAN = 'NL44RABO0123456789';
export const FINANCIERS_BY_IBAN: FinanciersByIban = new Map([
  [PORTAAL_IBAN, ['portaal']],
  [DOEN_IBAN, ['doen']],
]);

export function receivePayment(payment: Partial<ReceivePayment['payment']> = {}, overrides: Partial<Omit<ReceivePayment, 'payment'>> = {}): ReceivePayment {
  return {
    type: 'ReceivePayment',
    payment: { paymentId: uuid(200), date: '2020-06-10', amount: '1000.00', ...payment },
    today: TODAY,
    newId: idsFrom(300),
    financiersByIban: new Map(),
    ...overrides,
  };
}

export function allocatePayment(target: AllocatePayment['target'], overrides: Partial<AllocatePayment> = {}): AllocatePayment {
  return { type: 'AllocatePayment', allocationId: uuid(300), paymentId: uuid(200), target, financiersByIban: new Map(), ...overrides };
}

/** The account of the statements in decider tests; `bankAccountsSet` makes it the cooperative's. */
export const OWN_ACCOUNT = 'NL91ABNA0417164300';

export function bankAccountsSet(accounts: readonly string[] = [OWN_ACCOUNT]): EventOf<'BankAccountsSet'> {
  return { type: 'BankAccountsSet', data: { accounts: [...accounts] } };
}

type CreditInput = { bankReference: string; date: string; amount: string; payerName?: string; payerIban?: string; description?: string; creditorReference?: string };

/** A statement entry: a credit transfer unless told otherwise. */
export function bankEntry(entry: Partial<BankEntry> & { bankReference: string; amount: string }): BankEntry {
  return { direction: 'credit', date: '2020-06-12', kind: 'transfer', ...entry };
}

export function importStatement(
  credits: readonly CreditInput[],
  firstId = 400,
  overrides: Partial<ImportBankStatement> & { part?: Partial<BankStatementPart> } = {},
): ImportBankStatement {
  const entries = credits.map(({ payerName, payerIban, ...credit }) =>
    bankEntry({ ...credit, ...(payerName === undefined ? {} : { counterpartyName: payerName }), ...(payerIban === undefined ? {} : { counterpartyIban: payerIban }) }),
  );
  const { part, ...rest } = overrides;
  return {
    type: 'ImportBankStatement',
    messageId: 'MSG-1',
    statements: [{ account: OWN_ACCOUNT, entries, ...part }],
    acceptDifference: false,
    configuredAccounts: [],
    teamLeaders: new Map(),
    pettyCashTransfers: [],
    financiersByIban: new Map(),
    today: TODAY,
    newId: idsFrom(firstId),
    ...rest,
  };
}

/** The data of decided events as plain records, for tests that inspect a field whatever the event's type. */
export function fieldsOf(events: readonly { readonly data: object }[]): Array<Record<string, unknown>> {
  return events.map((event) => event.data as Record<string, unknown>);
}
