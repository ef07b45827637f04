/**
 * Closed years refuse writes dated in them, whatever the route (issue 12). Every write goes
 * through CommandHandler.execute, which asks `closedYearsGuard` for the events it is about to
 * append; the guard reads the years' streams inside the append (on SQLite: inside its transaction),
 * so a write decided just before a close cannot commit after it (docs/years.md).
 *
 * A write is year-bound when one of its events has a business date (the invoice date, the bank
 * date, the day of the hours…) or belongs to a year by declaration (a budget, a valuation rate, a
 * pledge of that year). Registrations and details (rooms, financiers, the cooperative, the
 * bank-account list) and the year's own events have no date and no year: they are never refused.
 */
import { yearOf } from '../domain/calendar.js';
import { refuse } from '../domain/errors.js';
import { parseDomainEvent, streams, type DomainEvent } from '../domain/events.js';
import { foldEvents } from '../domain/decider.js';
import { yearsDecider } from '../domain/years/decider.js';
import { businessDateOf } from '../domain/business-date.js';
import type { AppendGuard } from '../store/port.js';

export interface YearBinding {
  readonly year: number;
  /** The event's field that puts it in that year, named in the refusal. */
  readonly field: string;
}

/** The fields that carry a dated event's business date when it is not `date` (see business-date.ts). */
const DATE_FIELD: Partial<Record<DomainEvent['type'], string>> = {
  InvoiceIssued: 'issueDate',
  CreditNoteIssued: 'issueDate',
  PaymentAllocated: 'paymentDate',
};

export function yearBindingsOf(event: DomainEvent): YearBinding[] {
  switch (event.type) {
    // Declared for a year, without a business date of their own.
    case 'BudgetSet':
    case 'ValuationRateSet':
    case 'PledgeMade':
    case 'PledgeStatusChanged':
    case 'PledgeAmended':
      return [{ year: event.data.year, field: 'year' }];
    case 'BankStatementReconciled':
      // A statement can run over New Year: both of its ends must lie in open years.
      return [
        ...(event.data.opening ? [{ year: yearOf(event.data.opening.date), field: 'opening.date' }] : []),
        ...(event.data.closing ? [{ year: yearOf(event.data.closing.date), field: 'closing.date' }] : []),
      ];
    default: {
      const date = businessDateOf(event);
      return date === undefined ? [] : [{ year: yearOf(date), field: DATE_FIELD[event.type] ?? 'date' }];
    }
  }
}

/** Every distinct year a batch of events writes into, each with the first field that puts it there. */
export function yearsWrittenBy(events: readonly DomainEvent[]): YearBinding[] {
  const byYear = new Map<number, YearBinding>();
  for (const binding of events.flatMap(yearBindingsOf)) if (!byYear.has(binding.year)) byYear.set(binding.year, binding);
  return [...byYear.values()];
}

/**
 * The guard a write's append carries: undefined when its events belong to no year. It refuses with
 * 409 PERIOD_CLOSED, naming the field that dates the write, when one of those years is closed.
 */
export function closedYearsGuard(events: readonly DomainEvent[]): AppendGuard | undefined {
  const bindings = yearsWrittenBy(events);
  if (bindings.length === 0) return undefined;
  return {
    streams: bindings.map((binding) => streams.year(binding.year)),
    check(snapshot) {
      for (const binding of bindings) {
        const state = foldEvents(yearsDecider, snapshot.events(streams.year(binding.year)).map(parseDomainEvent));
        if (state.status !== 'closed') continue;
        refuse(
          'PERIOD_CLOSED',
          `${binding.year} is closed: nothing dated in it (${binding.field}) can be recorded. Book a correction in an open year, referring to what it corrects`,
          binding.field,
        );
      }
    },
  };
}

/** Both guards when there are two: the year's and the caller's own. */
export function bothGuards(first: AppendGuard | undefined, second: AppendGuard | undefined): AppendGuard | undefined {
  if (!first || !second) return first ?? second;
  return {
    streams: [...first.streams, ...second.streams],
    ...(second.readsAfter ? { readsAfter: second.readsAfter } : first.readsAfter ? { readsAfter: first.readsAfter } : {}),
    check(snapshot) {
      first.check(snapshot);
      second.check(snapshot);
    },
  };
}
