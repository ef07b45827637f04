import type { DocumentParties, EventData, PledgeStatus, Share } from '../events.js';

/**
 * The commands of the receivables stream. Whatever lives in other streams (the financier, the
 * room, a pledge, the room's actual costs) is read by the caller and arrives here as facts, so
 * `decide` stays pure; so do today's date and the id generator.
 */
export type InvoiceLine = EventData<'InvoiceIssued'>['lines'][number];

export interface FinancierFacts {
  readonly pays: EventData<'FinancierRegistered'>['pays'];
  /** Municipalities: an invoice without the buyer's reference is refused. */
  readonly requiresBuyerReference?: boolean;
}

/** A pledge as it stands now: its stream folded (see pledge-facts.ts). */
export interface PledgeFacts {
  readonly pledgeId: string;
  readonly financierId: string;
  readonly kamerId: string;
  readonly year: number;
  readonly form: 'cash' | 'in-kind';
  readonly status: PledgeStatus;
  readonly amount?: string;
  readonly share?: Share;
}

/** A pledge named in a request, with what its stream says (undefined: no such pledge). */
export interface PledgeReference {
  readonly pledgeId: string;
  readonly facts: PledgeFacts | undefined;
}

export interface IssueInvoice {
  readonly type: 'IssueInvoice';
  readonly invoiceId: string;
  readonly financierId: string;
  readonly financier: FinancierFacts | undefined;
  readonly kamerId: string;
  readonly kamerExists: boolean;
  readonly year: number;
  readonly issueDate: string;
  readonly today: string;
  /** May be left out only for a share pledge: then one line invoices all that is invoiceable. */
  readonly lines?: readonly InvoiceLine[];
  readonly pledge?: PledgeReference;
  /** For a share pledge only: the room's actual costs in the pledge's year (expenses + petty cash spent). */
  readonly actualCosts?: string;
  /** The financier's order number, subsidy decision kenmerk or buyer reference. */
  readonly reference?: string;
  /** The cooperative's and the financier's details as they stand now, copied into the invoice. */
  readonly parties?: DocumentParties;
}

export interface IssueCreditNote {
  readonly type: 'IssueCreditNote';
  readonly creditNoteId: string;
  /** The invoice's id or number. */
  readonly invoice: string;
  /** Default: all that is open. */
  readonly amount?: string;
  readonly reason: string;
  readonly issueDate: string;
  readonly today: string;
  /** Default: the credited invoice's reference. */
  readonly reference?: string;
  readonly parties?: DocumentParties;
}

/** One requested allocation: exactly one of `invoice` (id or number) and `pledge`. */
export interface AllocationTarget {
  readonly invoice?: string;
  readonly pledge?: PledgeReference;
  readonly amount: string;
  /** Why: required when the payer's IBAN is registered to another financier than the target's. */
  readonly reason?: string;
  /** For a share pledge only: the room's actual costs in the pledge's year, which set its euros. */
  readonly actualCosts?: string;
}

/**
 * Which financiers registered each IBAN (electronic format, "NL91ABNA0417164300"), read from the
 * registry: it tells whose account a payment came from. Usually one financier per IBAN.
 */
export type FinanciersByIban = ReadonlyMap<string, readonly string[]>;

export interface IncomingPayment {
  readonly paymentId: string;
  readonly date: string;
  readonly amount: string;
  readonly payerName?: string;
  readonly payerIban?: string;
  readonly description?: string;
  readonly bankReference?: string;
  /** A structured creditor reference from the bank (camt.053 CdtrRefInf/Ref). */
  readonly creditorReference?: string;
}

/** Pledges whose reference (a subsidy decision's kenmerk) occurs in a remittance text, by that reference. */
export type PledgesByReference = ReadonlyMap<string, PledgeFacts>;

export interface ReceivePayment {
  readonly type: 'ReceivePayment';
  readonly payment: IncomingPayment;
  /** For matching without allocations: pledges named by their kenmerk in the description. */
  readonly pledgesByReference?: PledgesByReference;
  /** Absent: match invoice numbers found in the description. Present (even empty): exactly these. */
  readonly allocations?: readonly AllocationTarget[];
  readonly financiersByIban: FinanciersByIban;
  readonly today: string;
  readonly newId: () => string;
}

export interface AllocatePayment {
  readonly type: 'AllocatePayment';
  readonly allocationId: string;
  readonly paymentId: string;
  readonly target: AllocationTarget;
  readonly financiersByIban: FinanciersByIban;
}

/** What a statement entry is, by its bank transaction code: a transfer, or the bank's own costs or interest. */
export type BankEntryKind = 'transfer' | 'bank-costs' | 'interest';

/** One booked entry of a statement (credit or debit), as parsed; it always has a bank reference. */
export interface BankEntry {
  readonly direction: 'credit' | 'debit';
  readonly date: string;
  /** Positive; `direction` says which way. */
  readonly amount: string;
  readonly bankReference: string;
  readonly kind: BankEntryKind;
  readonly counterpartyName?: string;
  readonly counterpartyIban?: string;
  readonly description?: string;
  /** The structured remittance's creditor reference (RmtInf/Strd/CdtrRefInf/Ref): an invoice's RF reference. */
  readonly creditorReference?: string;
}

/** A balance the statement reports: signed (a debit balance is negative), with its date when given. */
export interface StatementBalance {
  readonly amount: string;
  readonly date?: string;
}

/** One Stmt of a camt.053 document: one account, its booked entries and its balances. */
export interface BankStatementPart {
  /** The statement's own account (Acct/Id/IBAN), electronic format. */
  readonly account: string;
  readonly entries: readonly BankEntry[];
  readonly opening?: StatementBalance;
  readonly closing?: StatementBalance;
}

/** A petty-cash transfer recorded for a room whose team leader's account a statement debit went to. */
export interface PettyCashTransferFact {
  readonly transferId: string;
  readonly kamerId: string;
  readonly date: string;
  readonly amount: string;
}

/** An expense the treasurer recorded as paid from the bank (POST /payments/made): a statement debit may be it. */
export interface ExpensePaidFact {
  readonly expenseId: string;
  readonly kamerId: string;
  readonly date: string;
  readonly amount: string;
}

export interface ImportBankStatement {
  readonly type: 'ImportBankStatement';
  readonly messageId: string;
  readonly statements: readonly BankStatementPart[];
  readonly financiersByIban: FinanciersByIban;
  /** Today in Amsterdam: a statement cannot book money on a later day. */
  readonly today: string;
  /** The BANK_ACCOUNTS setting: the cooperative's accounts while the stream has recorded none. */
  readonly configuredAccounts: readonly string[];
  /** The treasurer accepts a difference between the statement's balances and the ledger's (it is booked and reported). */
  readonly acceptDifference: boolean;
  /** Team leaders' IBANs (electronic format) → their room: debits to them are petty cash. */
  readonly teamLeaders: ReadonlyMap<string, string>;
  /** The petty-cash transfers of those rooms, read from their streams. */
  readonly pettyCashTransfers: readonly PettyCashTransferFact[];
  /** Expenses recorded by hand with the amount of one of the statement's debits. */
  readonly expensesPaid?: readonly ExpensePaidFact[];
  /** Pledges named by their kenmerk in the statement's remittance texts. */
  readonly pledgesByReference?: PledgesByReference;
  readonly newId: () => string;
}

export interface SetBankAccounts {
  readonly type: 'SetBankAccounts';
  /** Valid IBANs, electronic format. */
  readonly accounts: readonly string[];
}

/** Where the treasurer assigns an unassigned payment made. */
export type BankEntryTarget =
  | { readonly kind: 'budget-line'; readonly kamerId: string; readonly kamerExists: boolean; readonly line: string; readonly budgetLines: readonly string[] | undefined }
  | { readonly kind: 'bank-costs' | 'interest' };

export interface AssignBankEntry {
  readonly type: 'AssignBankEntry';
  readonly entryId: string;
  readonly target: BankEntryTarget;
}

export type ReceivablesCommand =
  | IssueInvoice
  | IssueCreditNote
  | ReceivePayment
  | AllocatePayment
  | ImportBankStatement
  | SetBankAccounts
  | AssignBankEntry;
