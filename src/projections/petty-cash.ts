import type { PettyCashCategory } from '../domain/events.js';
import { monthOf } from '../domain/calendar.js';
import { cents, NO_CENTS, type Cents } from './cents.js';
import type { Projection } from './projection.js';
import { zeroPerCategory } from './rooms.js';

export interface PettyCashMonth {
  /** Transfers that count against this month's €250 (their `month`, which may differ from their date). */
  transferred: Cents;
  /**
   * Transfers by the month of their date: the money on the team leader's account from then on.
   * The balance runs on these, as the rule that keeps it from going below zero does.
   */
  transferredByDate: Cents;
  /** Spending by the month of its date. */
  readonly spent: Record<PettyCashCategory, Cents>;
}

export interface PettyCashState {
  /** kamerId → month (YYYY-MM) → figures. */
  readonly byRoom: Map<string, Map<string, PettyCashMonth>>;
}

function monthFor(state: PettyCashState, kamerId: string, month: string): PettyCashMonth {
  let months = state.byRoom.get(kamerId);
  if (!months) {
    months = new Map();
    state.byRoom.set(kamerId, months);
  }
  let figures = months.get(month);
  if (!figures) {
    figures = { transferred: NO_CENTS, transferredByDate: NO_CENTS, spent: zeroPerCategory() };
    months.set(month, figures);
  }
  return figures;
}

/** Handgeld per room and month: what the treasurer transferred and what the team leader spent, per category. */
export const pettyCashProjection: Projection<PettyCashState> = {
  name: 'petty-cash',
  eventTypes: ['PettyCashTransferred', 'PettyCashSpent'],
  initial: () => ({ byRoom: new Map() }),
  apply(state, { event }) {
    if (event.type === 'PettyCashTransferred') {
      const amount = cents(event.data.amount);
      monthFor(state, event.data.kamerId, event.data.month).transferred += amount;
      monthFor(state, event.data.kamerId, monthOf(event.data.date)).transferredByDate += amount;
    } else if (event.type === 'PettyCashSpent') {
      const figures = monthFor(state, event.data.kamerId, monthOf(event.data.date));
      figures.spent[event.data.category] += cents(event.data.amount);
    }
    return state;
  },
};
