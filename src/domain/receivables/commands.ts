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

export interface ReceivePayment {
  readonly type: 'ReceivePayment';
  readonly payment: IncomingPayment;
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

/** One credit entry of a bank statement, already parsed; it always has a bank reference. */
export type BankCredit = Omit<IncomingPayment, 'paymentId' | 'bankReference'> & { readonly bankReference: string };

export interface ImportBankStatement {
  readonly type: 'ImportBankStatement';
  readonly credits: readonly BankCredit[];
  readonly financiersByIban: FinanciersByIban;
  /** Today in Amsterdam: a statement cannot book money on a later day. */
  readonly today: string;
  readonly newId: () => string;
}

export type ReceivablesCommand = IssueInvoice | IssueCreditNote | ReceivePayment | AllocatePayment | ImportBankStatement;
