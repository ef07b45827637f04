import { monthOf } from '../calendar.js';
import { unexpectedEvent } from '../decider.js';
import type { DomainEvent } from '../events.js';
import { money, ZERO, type Money } from '../money.js';

/**
 * One stream per room (`petty-cash-<kamerId>`) holds both rules of petty cash: at most €250 of
 * transfers per calendar month, and a balance that is never below zero on any date. Appending
 * with the stream's expected revision makes both hold under concurrent requests.
 */
export interface PettyCashState {
  /** The room of this stream, from its first event: every later event must agree. */
  readonly kamerId?: string;
  /** Transfers per month they count against (YYYY-MM), not per month of their date. */
  readonly transferredByMonth: ReadonlyMap<string, Money>;
  /**
   * Net movement per day (YYYY-MM-DD: transfers dated that day minus spending dated that day),
   * grouped by month (YYYY-MM). One entry per day with a movement is all it takes to rebuild the
   * balance on any date. Grouped so that folding an event copies the months and one month's days,
   * not every day of the stream's history: a room's ten years fold in milliseconds, not seconds.
   */
  readonly netByMonth: ReadonlyMap<string, ReadonlyMap<string, Money>>;
  /** All transfers minus all spending so far, whatever their dates. */
  readonly balance: Money;
}

export const initialPettyCashState: PettyCashState = { transferredByMonth: new Map(), netByMonth: new Map(), balance: ZERO };

export function transferredIn(state: PettyCashState, month: string): Money {
  return state.transferredByMonth.get(month) ?? ZERO;
}

/** The balance at the end of `date`: transfers dated on or before it less spending dated on or before it. */
export function balanceOn(state: PettyCashState, date: string): Money {
  const month = monthOf(date);
  let balance = ZERO;
  for (const [someMonth, days] of state.netByMonth) {
    if (someMonth > month) continue;
    for (const [day, net] of days) if (day <= date) balance = balance.plus(net);
  }
  return balance;
}

export interface DatedBalance {
  readonly date: string;
  readonly balance: Money;
}

/**
 * The balance at the end of `from` and at the end of every later day with a movement, in date
 * order. Between two such days the balance does not change, so these are all the balances a
 * spending dated `from` would lower.
 */
export function balancesFrom(state: PettyCashState, from: string): DatedBalance[] {
  let balance = balanceOn(state, from);
  const balances: DatedBalance[] = [{ date: from, balance }];
  const months = [...state.netByMonth.keys()].filter((month) => month >= monthOf(from)).sort();
  for (const month of months) {
    const days = state.netByMonth.get(month)!;
    for (const day of [...days.keys()].filter((day) => day > from).sort()) {
      balance = balance.plus(days.get(day)!);
      balances.push({ date: day, balance });
    }
  }
  return balances;
}

function withMovement(state: PettyCashState, date: string, amount: Money): PettyCashState['netByMonth'] {
  const month = monthOf(date);
  const days = new Map(state.netByMonth.get(month));
  days.set(date, (days.get(date) ?? ZERO).plus(amount));
  const netByMonth = new Map(state.netByMonth);
  netByMonth.set(month, days);
  return netByMonth;
}

function assertSameRoom(state: PettyCashState, event: Extract<DomainEvent, { type: 'PettyCashTransferred' | 'PettyCashSpent' }>): void {
  if (state.kamerId !== undefined && state.kamerId !== event.data.kamerId) {
    unexpectedEvent('petty-cash', event, `belongs to kamer ${event.data.kamerId}, not to ${state.kamerId}`);
  }
}

/**
 * Folds what happened; it does not re-check the limit or the balance, because those rules belong
 * to the moment of deciding (an imported history or a later rule change may differ).
 */
export function evolvePettyCash(state: PettyCashState, event: DomainEvent): PettyCashState {
  switch (event.type) {
    case 'PettyCashTransferred': {
      assertSameRoom(state, event);
      const amount = money(event.data.amount);
      const transferredByMonth = new Map(state.transferredByMonth);
      transferredByMonth.set(event.data.month, transferredIn(state, event.data.month).plus(amount));
      return {
        kamerId: event.data.kamerId,
        transferredByMonth,
        netByMonth: withMovement(state, event.data.date, amount),
        balance: state.balance.plus(amount),
      };
    }
    case 'PettyCashSpent': {
      assertSameRoom(state, event);
      const amount = money(event.data.amount);
      return {
        ...state,
        kamerId: event.data.kamerId,
        netByMonth: withMovement(state, event.data.date, amount.negated()),
        balance: state.balance.minus(amount),
      };
    }
    default:
      return unexpectedEvent('petty-cash', event);
  }
}
