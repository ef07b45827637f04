import type { Decider } from '../decider.js';
import { monthOf, nextMonth, previousMonth } from '../calendar.js';
import { refuse } from '../errors.js';
import type { EventData, EventOf } from '../events.js';
import { formatAmount, isPositive, min, money, ZERO } from '../money.js';
import { balancesFrom, evolvePettyCash, initialPettyCashState, transferredIn, type PettyCashState } from './state.js';

/** Each room gets at most €250 of petty cash per calendar month (cooperation agreement). */
export const PETTY_CASH_MONTHLY_LIMIT = '250.00';

export type PettyCashEvent = EventOf<'PettyCashTransferred'> | EventOf<'PettyCashSpent'>;

export interface TransferPettyCash {
  readonly type: 'TransferPettyCash';
  /** `month` is the month the transfer counts against: the caller defaults it to the date's month. */
  readonly transfer: EventData<'PettyCashTransferred'>;
  /** Today in Amsterdam, from the caller's clock. */
  readonly today: string;
  readonly kamerExists: boolean;
}

export interface SpendPettyCash {
  readonly type: 'SpendPettyCash';
  readonly spending: EventData<'PettyCashSpent'>;
  readonly today: string;
  readonly kamerExists: boolean;
}

export type PettyCashCommand = TransferPettyCash | SpendPettyCash;

/** The checks both commands share: the room (in the path, hence NOT_FOUND), the amount and the date. */
function refuseCommon(command: PettyCashCommand, data: { kamerId: string; date: string; amount: string }, what: string): void {
  if (!command.kamerExists) refuse('NOT_FOUND', `no kamer ${data.kamerId}`, 'kamer');
  if (!isPositive(data.amount)) refuse('INVALID_INPUT', `${what} must be more than 0.00, not ${data.amount}`, 'amount');
  if (data.date > command.today) {
    refuse('DATE_IN_FUTURE', `${what} on ${data.date} cannot be recorded before that day (today is ${command.today})`, 'date');
  }
}

/**
 * A transfer counts against the month it is made in, or against a neighbouring one: made late
 * for the month before (on 1 June for May) or early for the month after (on 25 June for July).
 * Any month further away would let one day's transfers each count against another month and so
 * pass the monthly limit as often as one likes.
 */
function refuseUnrelatedMonth(date: string, month: string): void {
  const own = monthOf(date);
  const before = previousMonth(own);
  const after = nextMonth(own);
  if (month !== own && month !== before && month !== after) {
    refuse('INVALID_INPUT', `a transfer on ${date} counts against ${own}, or ${before} (late) or ${after} (early); not ${month}`, 'month');
  }
}

function transfer(command: TransferPettyCash, state: PettyCashState): readonly PettyCashEvent[] {
  const { transfer } = command;
  refuseCommon(command, transfer, 'a petty-cash transfer');
  refuseUnrelatedMonth(transfer.date, transfer.month);
  const already = transferredIn(state, transfer.month);
  const stillPossible = money(PETTY_CASH_MONTHLY_LIMIT).minus(already);
  if (money(transfer.amount).greaterThan(stillPossible)) {
    const possible = stillPossible.isNegative() ? ZERO : stillPossible;
    refuse(
      'PETTY_CASH_MONTHLY_LIMIT',
      `kamer ${transfer.kamerId} has had ${formatAmount(already)} transferred for ${transfer.month}; ` +
        `at most ${PETTY_CASH_MONTHLY_LIMIT} a month, so at most ${formatAmount(possible)} more is possible that month, not ${transfer.amount}`,
      'amount',
    );
  }
  return [{ type: 'PettyCashTransferred', data: transfer }];
}

function spend(command: SpendPettyCash, state: PettyCashState): readonly PettyCashEvent[] {
  const { spending } = command;
  refuseCommon(command, spending, 'petty-cash spending');
  if (spending.description.trim() === '') refuse('INVALID_INPUT', 'petty-cash spending needs a description', 'description');
  refuseBelowZero(spending, state);
  return [{ type: 'PettyCashSpent', data: spending }];
}

/**
 * Spending dated D lowers the balance on D and on every later day, so it must fit on all of them:
 * a backdated receipt may be fine on its own day and still overdraw a day on which later spending
 * was already recorded. Only the all-time balance would miss both (issue 9).
 */
function refuseBelowZero(spending: SpendPettyCash['spending'], state: PettyCashState): void {
  const amount = money(spending.amount);
  const balances = balancesFrom(state, spending.date);
  const short = balances.find((dated) => dated.balance.lessThan(amount));
  if (short === undefined) return;
  const ownDay = balances[0]!;
  const lowest = balances.reduce((low, dated) => min(low, dated.balance), ownDay.balance);
  const spendable = lowest.isNegative() ? ZERO : lowest;
  const laterDay = short.date === spending.date ? '' : `, though on ${spending.date} itself it has ${formatAmount(ownDay.balance)}`;
  refuse(
    'PETTY_CASH_INSUFFICIENT',
    `${spending.amount} spent on ${spending.date} would take the petty cash of kamer ${spending.kamerId} below zero on ${short.date}: ` +
      `it has ${formatAmount(short.balance)} then (transfers minus spending dated up to that day), ` +
      `${formatAmount(short.balance.minus(amount))} after this spending${laterDay}; ` +
      `at most ${formatAmount(spendable)} can be spent on ${spending.date} without any day going below zero`,
    'amount',
  );
}

export const pettyCashDecider: Decider<PettyCashCommand, PettyCashState, PettyCashEvent> = {
  name: 'petty-cash',
  initialState: initialPettyCashState,
  decide(command, state) {
    switch (command.type) {
      case 'TransferPettyCash':
        return transfer(command, state);
      case 'SpendPettyCash':
        return spend(command, state);
      default: {
        const unknown: never = command;
        throw new Error(`petty-cash: unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
  evolve: evolvePettyCash,
};
