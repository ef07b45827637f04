/**
 * Builders of domain events for the read-side tests (registry, pledges, receivables, rooms,
 * petty cash), a way to append them to a real SqliteEventStore the way the write side names
 * its streams, and a pure fold for unit tests of one projection.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Test } from 'tap';
import { dueDateFor } from '../../src/domain/calendar.js';
import { streams, type DomainEvent, type EventData, type PettyCashCategory, type PledgeStatus, type VolunteerKind } from '../../src/domain/events.js';
import { formatAmount, sum } from '../../src/domain/money.js';
import type { Projection, ProjectedEvent } from '../../src/projections/projection.js';
import type { EventStore } from '../../src/store/port.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';

export function streamOf(event: DomainEvent): string {
  switch (event.type) {
    case 'KamerRegistered':
      return streams.kamer(event.data.kamerId);
    case 'FinancierRegistered':
    case 'FinancierDetailsChanged':
      return streams.financier(event.data.financierId);
    case 'CooperativeDetailsSet':
      return streams.cooperative();
    case 'ReminderSent':
      return streams.reminders(event.data.invoiceId);
    case 'BudgetSet':
      return streams.budget(event.data.kamerId, event.data.year);
    case 'ValuationRateSet':
      return streams.valuationRates(event.data.year);
    case 'PledgeMade':
    case 'PledgeStatusChanged':
    case 'PledgeAmended':
      return streams.pledge(event.data.pledgeId);
    case 'InvoiceIssued':
    case 'CreditNoteIssued':
    case 'PaymentReceived':
    case 'PaymentAllocated':
    case 'BankAccountsSet':
    case 'BankOpeningBalanceRecorded':
    case 'BankEntryBooked':
    case 'BankEntryAssigned':
    case 'BankStatementReconciled':
      return streams.receivables();
    case 'ExpensePaid':
      return streams.expenses(event.data.kamerId, event.data.year);
    case 'PettyCashTransferred':
    case 'PettyCashSpent':
      return streams.pettyCash(event.data.kamerId);
    case 'VolunteerHoursRecorded':
    case 'VolunteerHoursReversed':
      return streams.volunteerEntry(event.data.entryId);
    case 'YearChecked':
    case 'YearApproved':
    case 'YearClosed':
    case 'YearReopened':
      return streams.year(event.data.year);
  }
}

export async function appendEvents(store: EventStore, events: readonly DomainEvent[], recordedBy = 'treasurer(test)'): Promise<void> {
  for (const event of events) {
    await store.append(streamOf(event), [{ type: event.type, data: event.data, metadata: { recordedBy } }], 'any');
  }
}

/** A settable clock for the store's recordedAt (the knownAt axis). */
export function recordingClock(start = '2020-06-15T10:00:00.000Z'): { now: () => Date; set(instant: string): void } {
  let current = new Date(start);
  return { now: () => new Date(current), set: (instant) => (current = new Date(instant)) };
}

/** A real SQLite store in the test's own directory, closed after the test. */
export function testStore(t: Test, now?: () => Date): SqliteEventStore {
  const store = new SqliteEventStore(join(t.testdir(), `read-model-${randomUUID()}.db`), now ? { now } : {});
  t.teardown(() => store.close());
  return store;
}

/** Folds events straight into a projection, positions 1, 2, 3…, for unit tests of a pure fold. */
export function fold<S>(projection: Projection<S>, events: readonly DomainEvent[]): S {
  return events.reduce((state, event, index) => projection.apply(state, projected(event, String(index + 1))), projection.initial());
}

export function projected(event: DomainEvent, position: string, recordedAt = '2020-06-15T10:00:00.000Z'): ProjectedEvent {
  return { position, stream: streamOf(event), recordedAt, recordedBy: 'treasurer(test)', event };
}

// Builders ----------------------------------------------------------------------------------------

export const kamer = (kamerId: string, name = kamerId.toUpperCase()): DomainEvent => ({ type: 'KamerRegistered', data: { kamerId, name } });

export const financier = (financierId: string, pays: 'invoice' | 'subsidy-decision' | 'none' = 'invoice'): DomainEvent => ({
  type: 'FinancierRegistered',
  data: { financierId, name: financierId, kind: 'fund', pays },
});

export function budget(kamerId: string, year: number, lines: Array<[line: string, amount: string]>): DomainEvent {
  return {
    type: 'BudgetSet',
    data: {
      kamerId,
      year,
      lines: lines.map(([line, amount]) => ({ line, label: line, amount })),
      total: formatAmount(sum(lines.map(([, amount]) => amount))),
    },
  };
}

export const rate = (year: number, kind: VolunteerKind, perHour: string): DomainEvent => ({ type: 'ValuationRateSet', data: { year, kind, perHour } });

export interface PledgeSpec {
  readonly id?: string;
  readonly financier: string;
  readonly kamer: string;
  readonly year: number;
  readonly amount?: string;
  readonly share?: { numerator: number; denominator: number };
  readonly form?: 'cash' | 'in-kind';
  readonly status?: Exclude<PledgeStatus, 'withdrawn'>;
}

export type PledgeMadeEvent = DomainEvent & { type: 'PledgeMade' };

export function pledge(spec: PledgeSpec): PledgeMadeEvent {
  const data: EventData<'PledgeMade'> = {
    pledgeId: spec.id ?? randomUUID(),
    financierId: spec.financier,
    kamerId: spec.kamer,
    year: spec.year,
    ...(spec.share ? { share: spec.share } : { amount: spec.amount ?? '1000.00' }),
    form: spec.form ?? 'cash',
    status: spec.status ?? 'committed',
  };
  return { type: 'PledgeMade', data };
}

export function statusChanged(made: DomainEvent, from: PledgeStatus, to: PledgeStatus): DomainEvent {
  if (made.type !== 'PledgeMade') throw new Error('statusChanged needs a PledgeMade');
  const { pledgeId, financierId, kamerId, year } = made.data;
  return { type: 'PledgeStatusChanged', data: { pledgeId, financierId, kamerId, year, from, to } };
}

export function amended(made: DomainEvent, previousAmount: string, amount: string): DomainEvent {
  if (made.type !== 'PledgeMade') throw new Error('amended needs a PledgeMade');
  const { pledgeId, financierId, kamerId, year } = made.data;
  return { type: 'PledgeAmended', data: { pledgeId, financierId, kamerId, year, previousAmount, amount, reason: 'test' } };
}

export interface InvoiceSpec {
  readonly id?: string;
  readonly number: string;
  readonly financier: string;
  readonly kamer: string;
  readonly year: number;
  readonly issueDate: string;
  readonly total: string;
  readonly pledge?: string;
}

export function invoice(spec: InvoiceSpec): DomainEvent & { type: 'InvoiceIssued' } {
  return {
    type: 'InvoiceIssued',
    data: {
      invoiceId: spec.id ?? randomUUID(),
      number: spec.number,
      financierId: spec.financier,
      kamerId: spec.kamer,
      year: spec.year,
      ...(spec.pledge === undefined ? {} : { pledgeId: spec.pledge }),
      issueDate: spec.issueDate,
      dueDate: dueDateFor(spec.issueDate),
      lines: [{ description: 'bijdrage', amount: spec.total }],
      total: spec.total,
    },
  };
}

export function creditNote(of: DomainEvent & { type: 'InvoiceIssued' }, number: string, amount: string, issueDate = of.data.issueDate): DomainEvent {
  const { invoiceId, financierId, kamerId, year } = of.data;
  return {
    type: 'CreditNoteIssued',
    data: { creditNoteId: randomUUID(), number, invoiceId, invoiceNumber: of.data.number, financierId, kamerId, year, issueDate, amount, reason: 'correctie' },
  };
}

export function payment(date: string, amount: string, id: string = randomUUID()): DomainEvent & { type: 'PaymentReceived' } {
  return { type: 'PaymentReceived', data: { paymentId: id, date, amount, source: 'manual' } };
}

export function allocation(
  paid: DomainEvent & { type: 'PaymentReceived' },
  to: { invoice: DomainEvent & { type: 'InvoiceIssued' } } | { pledge: PledgeMadeEvent },
  amount: string,
): DomainEvent {
  const target = 'invoice' in to
    ? { invoiceId: to.invoice.data.invoiceId, invoiceNumber: to.invoice.data.number, financierId: to.invoice.data.financierId, kamerId: to.invoice.data.kamerId, year: to.invoice.data.year }
    : { pledgeId: to.pledge.data.pledgeId, financierId: to.pledge.data.financierId, kamerId: to.pledge.data.kamerId, year: to.pledge.data.year };
  return {
    type: 'PaymentAllocated',
    data: { allocationId: randomUUID(), paymentId: paid.data.paymentId, paymentDate: paid.data.date, amount, ...target, matchedBy: 'treasurer' },
  };
}

export function expense(kamerId: string, year: number, line: string, date: string, amount: string): DomainEvent {
  return { type: 'ExpensePaid', data: { expenseId: randomUUID(), kamerId, year, line, date, amount, payee: 'Verhuurder', description: line } };
}

export function pettyCashTransfer(kamerId: string, date: string, amount: string, month = date.slice(0, 7)): DomainEvent {
  return { type: 'PettyCashTransferred', data: { transferId: randomUUID(), kamerId, date, month, amount } };
}

export function pettyCashSpent(kamerId: string, date: string, category: PettyCashCategory, amount: string): DomainEvent {
  return { type: 'PettyCashSpent', data: { spendingId: randomUUID(), kamerId, date, category, amount, description: 'koffie' } };
}

export function hours(kamerId: string, volunteerId: string, date: string, amount: string, kind: VolunteerKind = 'resident', entryId = randomUUID()): DomainEvent {
  return { type: 'VolunteerHoursRecorded', data: { entryId, kamerId, volunteerId, date, hours: amount, kind } };
}

export function hoursReversed(recorded: DomainEvent): DomainEvent {
  if (recorded.type !== 'VolunteerHoursRecorded') throw new Error('hoursReversed needs a VolunteerHoursRecorded');
  return { type: 'VolunteerHoursReversed', data: { ...recorded.data, reason: 'correctie' } };
}
