import { formatCents, NO_CENTS, type Cents } from '../cents.js';
import type { InvoiceRecord, ReceivablesState } from '../receivables.js';
import { calendarDaysBetween, paidOnTime } from './dates.js';

export const INVOICE_STATUSES = ['open', 'paid', 'partially-paid', 'credited', 'overdue'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface InvoiceView {
  readonly id: string;
  readonly number: string;
  readonly financier: string;
  readonly kamer: string;
  readonly year: number;
  readonly pledge?: string;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly total: string;
  readonly reference?: string;
  readonly paymentReference?: string;
  readonly credited: string;
  readonly paidAmount: string;
  readonly openAmount: string;
  readonly status: InvoiceStatus;
  readonly paidOn?: string;
  readonly daysToPay?: number;
  readonly onTime?: boolean;
  readonly creditNotes: Array<{ id: string; number: string; issueDate: string; amount: string }>;
}

/** What is still to be paid: total − credit notes − allocated payments (never below zero). */
export function openAmountOf(invoice: InvoiceRecord): Cents {
  const open = invoice.total - invoice.credited - invoice.paid;
  return open < NO_CENTS ? NO_CENTS : open;
}

/**
 * An invoice's status on a reference date. Settled (nothing open): `paid` when payments settled
 * any of it, else `credited`. Still open: `overdue` after its due date, else `partially-paid`
 * when something was paid, else `open`.
 */
export function invoiceStatus(invoice: InvoiceRecord, referenceDate: string): InvoiceStatus {
  if (openAmountOf(invoice) === NO_CENTS) return invoice.paid === NO_CENTS ? 'credited' : 'paid';
  if (referenceDate > invoice.dueDate) return 'overdue';
  return invoice.paid === NO_CENTS ? 'open' : 'partially-paid';
}

/** Days overdue on the reference date (0 when not yet due). */
export function daysOverdue(invoice: InvoiceRecord, referenceDate: string): number {
  return Math.max(0, calendarDaysBetween(invoice.dueDate, referenceDate));
}

export function invoiceView(invoice: InvoiceRecord, referenceDate: string): InvoiceView {
  const status = invoiceStatus(invoice, referenceDate);
  // Paid on the bank date of the payment that completed it: the latest of its allocations.
  const paidOn = status === 'paid' ? invoice.lastPaymentDate : undefined;
  const daysToPay = paidOn === undefined ? undefined : calendarDaysBetween(invoice.issueDate, paidOn);
  return {
    id: invoice.id,
    number: invoice.number,
    financier: invoice.financierId,
    kamer: invoice.kamerId,
    year: invoice.year,
    ...(invoice.pledgeId === undefined ? {} : { pledge: invoice.pledgeId }),
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    total: formatCents(invoice.total),
    ...(invoice.reference === undefined ? {} : { reference: invoice.reference }),
    ...(invoice.paymentReference === undefined ? {} : { paymentReference: invoice.paymentReference }),
    credited: formatCents(invoice.credited),
    paidAmount: formatCents(invoice.paid),
    openAmount: formatCents(openAmountOf(invoice)),
    status,
    ...(paidOn === undefined ? {} : { paidOn }),
    ...(daysToPay === undefined ? {} : { daysToPay, onTime: paidOnTime(daysToPay) }),
    creditNotes: (invoice.creditNotes ?? []).map((note) => ({ id: note.id, number: note.number, issueDate: note.issueDate, amount: formatCents(note.amount) })),
  };
}

/** An invoice by its id or by its number (2019-0001). */
export function findInvoice(state: ReceivablesState, idOrNumber: string): InvoiceRecord | undefined {
  return state.invoices.get(state.invoiceIdsByNumber.get(idOrNumber) ?? idOrNumber);
}

export interface InvoiceFilter {
  readonly financier?: string | undefined;
  readonly kamer?: string | undefined;
  readonly year?: number | undefined;
  readonly status?: InvoiceStatus | undefined;
}

/** The invoices matching every given filter, in the order they were issued. */
export function listInvoices(state: ReceivablesState, filter: InvoiceFilter, referenceDate: string): InvoiceView[] {
  const candidates = filter.financier === undefined ? state.invoices.values() : (state.invoicesByFinancier.get(filter.financier) ?? []);
  const views: InvoiceView[] = [];
  for (const invoice of candidates) {
    if (filter.kamer !== undefined && invoice.kamerId !== filter.kamer) continue;
    if (filter.year !== undefined && invoice.year !== filter.year) continue;
    if (filter.status !== undefined && invoiceStatus(invoice, referenceDate) !== filter.status) continue;
    views.push(invoiceView(invoice, referenceDate));
  }
  return views;
}

export interface OverdueRow {
  readonly invoice: string;
  readonly number: string;
  readonly financier: string;
  readonly kamer: string;
  readonly year: number;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly daysOverdue: number;
  readonly openAmount: string;
}

/** Every invoice past its due date on the reference date and not fully paid; longest overdue first. */
export function overdueReport(state: ReceivablesState, referenceDate: string, financier?: string): OverdueRow[] {
  const candidates = financier === undefined ? state.invoices.values() : (state.invoicesByFinancier.get(financier) ?? []);
  const rows: OverdueRow[] = [];
  for (const invoice of candidates) {
    if (invoiceStatus(invoice, referenceDate) !== 'overdue') continue;
    rows.push({
      invoice: invoice.id,
      number: invoice.number,
      financier: invoice.financierId,
      kamer: invoice.kamerId,
      year: invoice.year,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      daysOverdue: daysOverdue(invoice, referenceDate),
      openAmount: formatCents(openAmountOf(invoice)),
    });
  }
  return rows.sort((a, b) => b.daysOverdue - a.daysOverdue || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
}
