import type { Decider } from '../decider.js';
import { unexpectedEvent } from '../decider.js';
import { refuse } from '../errors.js';
import type { DomainEvent, EventData, EventOf } from '../events.js';
import { yearOf } from '../calendar.js';
import { isPositive } from '../money.js';

/**
 * Money out (the cooperative pays a room's expense from its single bank account), one stream per
 * room and year (`expenses-<kamerId>-<year>`, the year of the payment's date): expenses share no
 * rule with each other, and a room-year stream is exactly what the budget balance reads.
 */
export type Expense = Omit<EventData<'ExpensePaid'>, 'year'>;

export interface PayExpense {
  readonly type: 'PayExpense';
  readonly expense: Expense;
  /** Today in Amsterdam, from the caller's clock: a payment cannot be booked before its day. */
  readonly today: string;
  /** Looked up by the caller: an expense for a room that does not exist is refused. */
  readonly kamerExists: boolean;
  /** The lines of the room's current budget for the year of the date; undefined: no budget yet. */
  readonly budgetLines: readonly string[] | undefined;
}

export interface ExpensesState {
  /** The room and year of this stream, from its first event: every later event must agree. */
  readonly kamerId?: string;
  readonly year?: number;
  readonly expenseCount: number;
}

function budgetLineRefusal(expense: Expense, budgetLines: readonly string[] | undefined): string | undefined {
  const year = yearOf(expense.date);
  if (budgetLines === undefined) {
    return `kamer ${expense.kamerId} has no budget for ${year}; set the ${year} budget before paying against its line ${expense.line}`;
  }
  if (budgetLines.includes(expense.line)) return undefined;
  const known = budgetLines.length === 0 ? '(none)' : budgetLines.join(', ');
  return `the ${year} budget of kamer ${expense.kamerId} has no line ${expense.line}; known lines: ${known}`;
}

function payExpense(command: PayExpense): readonly EventOf<'ExpensePaid'>[] {
  const { expense } = command;
  if (!command.kamerExists) refuse('UNKNOWN_KAMER', `no kamer ${expense.kamerId}`, 'kamer');
  if (!isPositive(expense.amount)) refuse('INVALID_INPUT', `an expense must be more than 0.00, not ${expense.amount}`, 'amount');
  if (expense.payee.trim() === '') refuse('INVALID_INPUT', 'an expense needs a payee', 'payee');
  if (expense.description.trim() === '') refuse('INVALID_INPUT', 'an expense needs a description', 'description');
  if (expense.date > command.today) {
    refuse('DATE_IN_FUTURE', `a payment on ${expense.date} cannot be booked before that day (today is ${command.today})`, 'date');
  }
  const lineRefusal = budgetLineRefusal(expense, command.budgetLines);
  if (lineRefusal !== undefined) refuse('UNKNOWN_BUDGET_LINE', lineRefusal, 'line');
  return [{ type: 'ExpensePaid', data: { ...expense, year: yearOf(expense.date) } }];
}

function evolve(state: ExpensesState, event: DomainEvent): ExpensesState {
  if (event.type !== 'ExpensePaid') return unexpectedEvent('expenses', event);
  const { kamerId, year, date } = event.data;
  if (yearOf(date) !== year) return unexpectedEvent('expenses', event, `is dated ${date} but booked in ${year}`);
  if (state.expenseCount > 0 && (kamerId !== state.kamerId || year !== state.year)) {
    return unexpectedEvent('expenses', event, `belongs to ${kamerId} ${year}, not to ${state.kamerId} ${state.year}`);
  }
  return { kamerId, year, expenseCount: state.expenseCount + 1 };
}

export const expensesDecider: Decider<PayExpense, ExpensesState, EventOf<'ExpensePaid'>> = {
  name: 'expenses',
  initialState: { expenseCount: 0 },
  decide: (command) => payExpense(command),
  evolve,
};
