import type { EventData } from '../domain/events.js';
import { comparePositionStrings } from './log-reader.js';
import type { Projection } from './projection.js';

/** A statement entry that is not a received payment, and whether the treasurer assigned it yet. */
export interface BankEntryRow extends EventData<'BankEntryBooked'> {
  assigned: EventData<'BankEntryAssigned'>['assignment'] | undefined;
}

export interface BankEntriesState {
  /** In log order. */
  readonly byId: Map<string, BankEntryRow>;
  lastPosition: string | undefined;
}

/** Money out (and the bank's own costs and interest) from statements, for the treasurer's work list. */
export const bankEntriesProjection: Projection<BankEntriesState> = {
  name: 'bank-entries',
  eventTypes: ['BankEntryBooked', 'BankEntryAssigned'],
  initial: () => ({ byId: new Map(), lastPosition: undefined }),
  apply(state, source) {
    // Redelivery of an event already folded changes nothing.
    if (state.lastPosition !== undefined && comparePositionStrings(source.position, state.lastPosition) <= 0) return state;
    state.lastPosition = source.position;
    const event = source.event;
    if (event.type === 'BankEntryBooked') state.byId.set(event.data.entryId, { ...event.data, assigned: undefined });
    else if (event.type === 'BankEntryAssigned') {
      const row = state.byId.get(event.data.entryId);
      if (row) row.assigned = event.data.assignment;
    }
    return state;
  },
};

/** Payments made that wait for the treasurer, oldest first. */
export function unassignedPaymentsMade(state: BankEntriesState): EventData<'BankEntryBooked'>[] {
  return [...state.byId.values()]
    .filter((row) => row.booking === 'unassigned' && row.assigned === undefined)
    .sort((a, b) => a.date.localeCompare(b.date) || a.bankReference.localeCompare(b.bankReference))
    .map(({ assigned: _assigned, ...entry }) => entry);
}

/** Every expense the treasurer recorded as paid from the bank: a statement debit may be one of them. */
export interface ExpensesPaidState {
  readonly expenses: EventData<'ExpensePaid'>[];
  lastPosition: string | undefined;
}

export const expensesPaidProjection: Projection<ExpensesPaidState> = {
  name: 'expenses-paid',
  eventTypes: ['ExpensePaid'],
  initial: () => ({ expenses: [], lastPosition: undefined }),
  apply(state, source) {
    if (state.lastPosition !== undefined && comparePositionStrings(source.position, state.lastPosition) <= 0) return state;
    state.lastPosition = source.position;
    if (source.event.type === 'ExpensePaid') state.expenses.push(source.event.data);
    return state;
  },
};
