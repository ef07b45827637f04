import { unexpectedEvent } from '../decider.js';
import type { DomainEvent } from '../events.js';
import { money, ZERO, type Money } from '../money.js';

/**
 * One stream per room (`petty-cash-<kamerId>`) holds both rules of petty cash: at most €250 of
 * transfers per calendar month, and never more spent than transferred. Appending with the
 * stream's expected revision makes both hold under concurrent requests.
 */
export interface PettyCashState {
  /** The room of this stream, from its first event: every later event must agree. */
  readonly kamerId?: string;
  /** Transfers per month they count against (YYYY-MM), not per month of their date. */
  readonly transferredByMonth: ReadonlyMap<string, Money>;
  /** All transfers minus all spending so far, whatever their dates. */
  readonly balance: Money;
}

export const initialPettyCashState: PettyCashState = { transferredByMonth: new Map(), balance: ZERO };

export function transferredIn(state: PettyCashState, month: string): Money {
  return state.transferredByMonth.get(month) ?? ZERO;
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
      return { kamerId: event.data.kamerId, transferredByMonth, balance: state.balance.plus(amount) };
    }
    case 'PettyCashSpent':
      assertSameRoom(state, event);
      return { ...state, kamerId: event.data.kamerId, balance: state.balance.minus(money(event.data.amount)) };
    default:
      return unexpectedEvent('petty-cash', event);
  }
}
