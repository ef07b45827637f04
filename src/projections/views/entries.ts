import type { PettyCashCategory, VolunteerKind } from '../../domain/events.js';
import { formatCents } from '../cents.js';
import type { PaymentMadeRecord, PaymentsMadeState } from '../payments-made.js';
import type { ReceiptAllocationRecord, ReceiptRecord, ReceiptsState } from '../receipts.js';
import type { PettyCashEntryRecord, RoomEntriesState, VolunteerHoursEntryRecord } from '../room-entries.js';
import { datedPage, inDateRange, present, type DateRange, type PageRequest } from './paging.js';

export const ALLOCATION_STATES = ['unallocated', 'partially-allocated', 'allocated'] as const;
export type AllocationState = (typeof ALLOCATION_STATES)[number];

export interface ReceiptFilter extends DateRange {
  /** Receipts with an allocation to this financier; for a financier's token always its own. */
  readonly financier?: string | undefined;
  /** Part of the payer's name (any case) or the payer's IBAN (spaces ignored). */
  readonly payer?: string | undefined;
  readonly allocation?: AllocationState | undefined;
}

function allocationStateOf(receipt: ReceiptRecord): AllocationState {
  if (receipt.allocated === 0n) return 'unallocated';
  return receipt.allocated >= receipt.amount ? 'allocated' : 'partially-allocated';
}

function payerMatches(receipt: ReceiptRecord, payer: string): boolean {
  const name = payer.toLowerCase();
  const iban = payer.replace(/\s+/g, '').toUpperCase();
  const { payerName, payerIban } = receipt.payment;
  return (payerName?.toLowerCase().includes(name) ?? false) || payerIban?.replace(/\s+/g, '').toUpperCase() === iban;
}

function allocationView(allocation: ReceiptAllocationRecord) {
  return {
    id: allocation.id,
    ...present('invoice', allocation.invoiceId),
    ...present('invoiceNumber', allocation.invoiceNumber),
    ...present('pledge', allocation.pledgeId),
    financier: allocation.financierId,
    kamer: allocation.kamerId,
    year: allocation.year,
    amount: formatCents(allocation.amount),
    matchedBy: allocation.matchedBy,
  };
}

/**
 * Every received payment, oldest bank date first, with how much of it is allocated and to what.
 * `allocated`/`unallocated` are the same sums GET /payments/unallocated answers. Filtered by a
 * financier, only that financier's allocations are listed (a payment split between financiers
 * does not show the other's invoices).
 */
export function listReceipts(state: ReceiptsState, filter: ReceiptFilter, page: PageRequest) {
  const keep = (receipt: ReceiptRecord): boolean =>
    inDateRange(receipt.date, filter) &&
    (filter.financier === undefined || receipt.allocations.some((allocation) => allocation.financierId === filter.financier)) &&
    (filter.payer === undefined || payerMatches(receipt, filter.payer)) &&
    (filter.allocation === undefined || allocationStateOf(receipt) === filter.allocation);
  return datedPage(state.byId, keep, page, (receipt) => ({
    id: receipt.payment.paymentId,
    date: receipt.date,
    amount: formatCents(receipt.amount),
    allocated: formatCents(receipt.allocated),
    unallocated: formatCents(receipt.amount - receipt.allocated),
    allocation: allocationStateOf(receipt),
    ...present('payerName', receipt.payment.payerName),
    ...present('payerIban', receipt.payment.payerIban),
    ...present('description', receipt.payment.description),
    ...present('bankReference', receipt.payment.bankReference),
    source: receipt.payment.source,
    allocations: receipt.allocations.filter((allocation) => filter.financier === undefined || allocation.financierId === filter.financier).map(allocationView),
  }));
}
export type ReceiptView = ReturnType<typeof listReceipts>['items'][number];

export interface PaymentMadeFilter extends DateRange {
  readonly kamer?: string | undefined;
  /** true: booked against a budget line, bank costs or interest; false: a statement debit still waiting. */
  readonly assigned?: boolean | undefined;
}

function paymentMadeView({ id, source, date, amount, assignment, kamerId, year, line, payee, description, bankReference, account }: PaymentMadeRecord) {
  const booking = { ...present('assignment', assignment), ...present('kamer', kamerId), ...present('year', year), ...present('line', line) };
  const details = { ...present('payee', payee), ...present('description', description), ...present('bankReference', bankReference), ...present('account', account) };
  return { id, source, date, amount: formatCents(amount), assigned: assignment !== undefined, ...booking, ...details };
}

/** Money paid out: recorded expenses and statement debits, oldest first. */
export function listPaymentsMade(state: PaymentsMadeState, filter: PaymentMadeFilter, page: PageRequest) {
  const keep = (payment: PaymentMadeRecord): boolean =>
    inDateRange(payment.date, filter) &&
    (filter.kamer === undefined || payment.kamerId === filter.kamer) &&
    (filter.assigned === undefined || (payment.assignment !== undefined) === filter.assigned);
  return datedPage(state.byId, keep, page, paymentMadeView);
}
export type PaymentMadeView = ReturnType<typeof paymentMadeView>;

/** A year, a month (YYYY-MM), or both; a date passes when it lies in each one given. */
export interface PeriodFilter {
  readonly year?: number | undefined;
  readonly month?: string | undefined;
}

function inPeriod(date: string, period: PeriodFilter): boolean {
  return (period.year === undefined || date.startsWith(`${period.year}-`)) && (period.month === undefined || date.startsWith(`${period.month}-`));
}

export interface VolunteerHoursFilter extends PeriodFilter {
  readonly kind?: VolunteerKind | undefined;
}

function volunteerHoursView(entry: VolunteerHoursEntryRecord) {
  return {
    id: entry.id,
    volunteer: entry.volunteerId,
    date: entry.date,
    hours: formatCents(entry.reversed ? 0n : entry.hours),
    kind: entry.kind,
    ...present('activity', entry.activity),
    corrections: entry.corrections,
  };
}

/** A room's volunteer-hour entries as they count now (corrected hours), by date. */
export function listVolunteerHours(state: RoomEntriesState, kamer: string, filter: VolunteerHoursFilter, page: PageRequest) {
  const keep = (entry: VolunteerHoursEntryRecord): boolean => inPeriod(entry.date, filter) && (filter.kind === undefined || entry.kind === filter.kind);
  return datedPage(state.byRoom.get(kamer)?.volunteerHours ?? [], keep, page, volunteerHoursView);
}
export type VolunteerHoursView = ReturnType<typeof volunteerHoursView>;

export interface PettyCashEntryFilter extends PeriodFilter {
  /** Spending of this category only (transfers have none). */
  readonly category?: PettyCashCategory | undefined;
  readonly kind?: PettyCashEntryRecord['kind'] | undefined;
}

function pettyCashEntryView(entry: PettyCashEntryRecord) {
  const common = { id: entry.id, kind: entry.kind, date: entry.date, amount: formatCents(entry.amount) };
  if (entry.kind === 'transfer') return { ...common, month: entry.month };
  return { ...common, category: entry.category, description: entry.description, ...present('receipt', entry.receipt) };
}

/** A room's petty-cash transfers and spending, by date (a month filter takes the date's month). */
export function listPettyCashEntries(state: RoomEntriesState, kamer: string, filter: PettyCashEntryFilter, page: PageRequest) {
  const keep = (entry: PettyCashEntryRecord): boolean =>
    inPeriod(entry.date, filter) &&
    (filter.kind === undefined || entry.kind === filter.kind) &&
    (filter.category === undefined || (entry.kind === 'spending' && entry.category === filter.category));
  return datedPage(state.byRoom.get(kamer)?.pettyCash ?? [], keep, page, pettyCashEntryView);
}
export type PettyCashEntryView = ReturnType<typeof pettyCashEntryView>;
