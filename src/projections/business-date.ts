import type { DomainEvent } from '../domain/events.js';

/**
 * The business date an event is "as of": the invoice date, the payment's bank date, the
 * transfer date, the hours' date. Declarations without a date of their own (registrations,
 * budgets, rates, pledges and their status) return undefined: an `asOf` cut keeps them, and only
 * `knownAt` (when they were recorded) cuts them.
 */
export function businessDateOf(event: DomainEvent): string | undefined {
  switch (event.type) {
    case 'InvoiceIssued':
    case 'CreditNoteIssued':
      return event.data.issueDate;
    case 'PaymentReceived':
    case 'BankOpeningBalanceRecorded':
    case 'BankEntryBooked':
    case 'BankEntryAssigned':
    case 'ReminderSent':
    case 'ExpensePaid':
    case 'PettyCashTransferred':
    case 'PettyCashSpent':
    case 'VolunteerHoursRecorded':
    case 'VolunteerHoursReversed':
      return event.data.date;
    case 'PaymentAllocated':
      return event.data.paymentDate;
    case 'BankStatementReconciled':
      return event.data.closing?.date ?? event.data.opening?.date;
    case 'BankAccountsSet':
      return undefined;
    case 'KamerRegistered':
    case 'FinancierRegistered':
    case 'FinancierDetailsChanged':
    case 'CooperativeDetailsSet':
    case 'BudgetSet':
    case 'ValuationRateSet':
    case 'PledgeMade':
    case 'PledgeStatusChanged':
    case 'PledgeAmended':
    // A year's check, approval, closing and reopening are about the year, not dated in it.
    case 'YearChecked':
    case 'YearApproved':
    case 'YearClosed':
    case 'YearReopened':
      return undefined;
    default: {
      const unhandled: never = event;
      throw new Error(`no business date rule for ${(unhandled as DomainEvent).type}`);
    }
  }
}
