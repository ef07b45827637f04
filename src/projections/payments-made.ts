import type { EventData } from '../domain/events.js';
import { cents, type Cents } from './cents.js';
import type { Projection } from './projection.js';

/**
 * Money that left the cooperative's bank account for a room or for the bank itself:
 * - `expense`: recorded by the treasurer with POST /payments/made, against a room's budget line;
 * - `bank-statement`: a debit from a statement that no recorded expense or petty-cash transfer
 *   explained (waiting for the treasurer to assign it), or the bank's own costs.
 * A statement debit that matched a recorded expense or petty-cash transfer is not listed again:
 * the expense is, and the transfer is a petty-cash entry.
 */
export interface PaymentMadeRecord {
  readonly id: string;
  readonly source: 'expense' | 'bank-statement';
  readonly date: string;
  readonly amount: Cents;
  /** Where it is booked: an expense's own line, a statement debit's once the treasurer assigns it. */
  kamerId?: string | undefined;
  year?: number | undefined;
  line?: string | undefined;
  assignment?: 'budget-line' | 'bank-costs' | 'interest' | undefined;
  readonly payee?: string | undefined;
  readonly description?: string | undefined;
  /** A statement debit's bank reference and the cooperative's account it left. */
  readonly bankReference?: string | undefined;
  readonly account?: string | undefined;
}

export interface PaymentsMadeState {
  /** In log order. */
  readonly byId: Map<string, PaymentMadeRecord>;
}

function fromExpense({ expenseId, date, amount, kamerId, year, line, payee, description }: EventData<'ExpensePaid'>): PaymentMadeRecord {
  return { id: expenseId, source: 'expense', date, amount: cents(amount), kamerId, year, line, assignment: 'budget-line', payee, description };
}

function fromStatement({ entryId, date, amount, booking, counterpartyName, description, bankReference, account }: EventData<'BankEntryBooked'>): PaymentMadeRecord {
  const assignment = booking === 'bank-costs' ? 'bank-costs' : undefined;
  return { id: entryId, source: 'bank-statement', date, amount: cents(amount), assignment, payee: counterpartyName, description, bankReference, account };
}

export const paymentsMadeProjection: Projection<PaymentsMadeState> = {
  name: 'payments-made',
  eventTypes: ['ExpensePaid', 'BankEntryBooked', 'BankEntryAssigned'],
  initial: () => ({ byId: new Map() }),
  apply(state, { event }) {
    if (event.type === 'ExpensePaid') state.byId.set(event.data.expenseId, fromExpense(event.data));
    else if (event.type === 'BankEntryBooked') {
      const { data } = event;
      if (data.direction === 'debit' && (data.booking === 'unassigned' || data.booking === 'bank-costs')) state.byId.set(data.entryId, fromStatement(data));
    } else if (event.type === 'BankEntryAssigned') {
      const record = state.byId.get(event.data.entryId);
      if (record) {
        record.assignment = event.data.assignment;
        record.kamerId = event.data.kamerId;
        record.year = event.data.year;
        record.line = event.data.line;
      }
    }
    return state;
  },
};
