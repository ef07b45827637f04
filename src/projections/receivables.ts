import type { EventData } from '../domain/events.js';
import { cents, NO_CENTS, type Cents } from './cents.js';
import type { Projection } from './projection.js';
import { roomYearKey } from './registry.js';

export interface CreditNoteRecord {
  readonly id: string;
  readonly number: string;
  readonly issueDate: string;
  readonly amount: Cents;
}

export interface InvoiceRecord {
  readonly id: string;
  readonly number: string;
  readonly financierId: string;
  readonly kamerId: string;
  readonly year: number;
  readonly pledgeId: string | undefined;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly total: Cents;
  /** The financier's reference and the RF payment reference, when the invoice has them. */
  readonly reference: string | undefined;
  readonly paymentReference: string | undefined;
  credited: Cents;
  /** Allocations of received payments to this invoice. */
  paid: Cents;
  /** The latest bank date among those allocations: the day it became fully paid, once it is. */
  lastPaymentDate: string | undefined;
  /** Absent until the first credit note: most invoices never get one. */
  creditNotes: CreditNoteRecord[] | undefined;
}

/** A received payment while some of it is still unallocated; a fully allocated one is dropped. */
export interface PaymentRecord {
  readonly id: string;
  readonly date: string;
  readonly amount: Cents;
  allocated: Cents;
  readonly payerName: string | undefined;
  readonly payerIban: string | undefined;
  readonly description: string | undefined;
  readonly bankReference: string | undefined;
  readonly source: EventData<'PaymentReceived'>['source'];
}

/** A financier's money for one room and year (the year of the pledge or invoice, not of the bank date). */
export interface FinancierRoomYearTotals {
  readonly financierId: string;
  readonly kamerId: string;
  readonly year: number;
  invoiced: Cents;
  credited: Cents;
  paidOnInvoices: Cents;
  /** Paid straight against a pledge, without an invoice (a subsidy decision, own income). */
  paidOnPledges: Cents;
}

export interface ReceivablesState {
  /** In the order they were issued. */
  readonly invoices: Map<string, InvoiceRecord>;
  /** Invoice number (2019-0001) → invoice id. */
  readonly invoiceIdsByNumber: Map<string, string>;
  readonly invoicesByFinancier: Map<string, InvoiceRecord[]>;
  /** Only payments with money left to allocate: the rest can never be allocated again. */
  readonly payments: Map<string, PaymentRecord>;
  /**
   * Per financier, then per `roomYearKey`: totals folded from the events themselves (they carry
   * financier, room and year), independent of the per-invoice records above.
   */
  readonly financierTotals: Map<string, Map<string, FinancierRoomYearTotals>>;
}

function totalsFor(state: ReceivablesState, data: { financierId: string; kamerId: string; year: number }): FinancierRoomYearTotals {
  let perRoomYear = state.financierTotals.get(data.financierId);
  if (!perRoomYear) {
    perRoomYear = new Map();
    state.financierTotals.set(data.financierId, perRoomYear);
  }
  const key = roomYearKey(data.kamerId, data.year);
  let totals = perRoomYear.get(key);
  if (!totals) {
    const { financierId, kamerId, year } = data;
    totals = { financierId, kamerId, year, invoiced: NO_CENTS, credited: NO_CENTS, paidOnInvoices: NO_CENTS, paidOnPledges: NO_CENTS };
    perRoomYear.set(key, totals);
  }
  return totals;
}

function invoiceIssued(state: ReceivablesState, data: EventData<'InvoiceIssued'>, scope: ReceivablesScope): void {
  const total = cents(data.total);
  const totals = totalsFor(state, data);
  totals.invoiced += total;
  if (scope.year !== undefined && data.year !== scope.year) return;
  const invoice: InvoiceRecord = {
    id: data.invoiceId,
    number: data.number,
    // The totals' copies of these ids, so thousands of invoices share one string each.
    financierId: totals.financierId,
    kamerId: totals.kamerId,
    year: data.year,
    pledgeId: data.pledgeId,
    issueDate: data.issueDate,
    dueDate: data.dueDate,
    total,
    reference: data.reference,
    paymentReference: data.paymentReference,
    credited: NO_CENTS,
    paid: NO_CENTS,
    lastPaymentDate: undefined,
    creditNotes: undefined,
  };
  state.invoices.set(invoice.id, invoice);
  state.invoiceIdsByNumber.set(invoice.number, invoice.id);
  const list = state.invoicesByFinancier.get(invoice.financierId);
  if (list) list.push(invoice);
  else state.invoicesByFinancier.set(invoice.financierId, [invoice]);
}

function creditNoteIssued(state: ReceivablesState, data: EventData<'CreditNoteIssued'>): void {
  const amount = cents(data.amount);
  const invoice = state.invoices.get(data.invoiceId);
  // An "as of" cut can hold a credit note without its invoice only if the log is odd; count it in the totals anyway.
  if (invoice) {
    invoice.credited += amount;
    (invoice.creditNotes ??= []).push({ id: data.creditNoteId, number: data.number, issueDate: data.issueDate, amount });
  }
  const totals = totalsFor(state, data);
  totals.credited += amount;
}

function paymentAllocated(state: ReceivablesState, data: EventData<'PaymentAllocated'>): void {
  const amount = cents(data.amount);
  const payment = state.payments.get(data.paymentId);
  if (payment) {
    payment.allocated += amount;
    if (payment.allocated >= payment.amount) state.payments.delete(payment.id);
  }
  const totals = totalsFor(state, data);
  if (data.invoiceId === undefined) {
    totals.paidOnPledges += amount;
    return;
  }
  totals.paidOnInvoices += amount;
  // A payment dated before its invoice's issue date can be in an "as of" cut without the invoice.
  const invoice = state.invoices.get(data.invoiceId);
  if (!invoice) return;
  invoice.paid += amount;
  if (invoice.lastPaymentDate === undefined || data.paymentDate > invoice.lastPaymentDate) invoice.lastPaymentDate = data.paymentDate;
}

/**
 * Which records a receivables fold keeps. The service keeps every invoice and every payment with
 * money left (its lists and pages show them). A report on one year (the accountant's replay)
 * lists only that year's invoices and no payments: keeping the others would make its memory grow
 * with the log. The totals per financier, room and year are kept for every year either way (a
 * handful per room and year).
 */
interface ReceivablesScope {
  /** Keep only the invoice records of this year (the invoice's year), and no payment records. */
  readonly year?: number;
}

function receivablesFold(name: string, scope: ReceivablesScope): Projection<ReceivablesState> {
  return {
    name,
    // Without payment records, a received payment changes nothing: a replay then skips it unparsed.
    eventTypes: scope.year === undefined ? ['InvoiceIssued', 'CreditNoteIssued', 'PaymentReceived', 'PaymentAllocated'] : ['InvoiceIssued', 'CreditNoteIssued', 'PaymentAllocated'],
    initial: () => ({ invoices: new Map(), invoiceIdsByNumber: new Map(), invoicesByFinancier: new Map(), payments: new Map(), financierTotals: new Map() }),
    apply(state, { event }) {
      switch (event.type) {
        case 'InvoiceIssued':
          invoiceIssued(state, event.data, scope);
          break;
        case 'CreditNoteIssued':
          creditNoteIssued(state, event.data);
          break;
        case 'PaymentReceived':
          if (scope.year === undefined) paymentReceived(state, event.data);
          break;
        case 'PaymentAllocated':
          paymentAllocated(state, event.data);
          break;
        default:
          break;
      }
      return state;
    },
  };
}

function paymentReceived(state: ReceivablesState, data: EventData<'PaymentReceived'>): void {
  state.payments.set(data.paymentId, {
    id: data.paymentId,
    date: data.date,
    amount: cents(data.amount),
    allocated: NO_CENTS,
    payerName: data.payerName,
    payerIban: data.payerIban,
    description: data.description,
    bankReference: data.bankReference,
    source: data.source,
  });
}

/** Invoices, credit notes, received payments and their allocations: the receivables stream, folded. */
export const receivablesProjection: Projection<ReceivablesState> = receivablesFold('receivables', {});

/** The receivables as a report on one year needs them: that year's invoices, every year's totals, no payments. */
export function yearReceivablesProjection(year: number): Projection<ReceivablesState> {
  return receivablesFold(`receivables:${year}`, { year });
}
