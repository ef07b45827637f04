import type { PettyCashCategory } from '../../domain/events.js';
import { formatCents, NO_CENTS, type Cents } from '../cents.js';
import type { PettyCashMonth, PettyCashState } from '../petty-cash.js';
import { PETTY_CASH_CATEGORIES, zeroPerCategory } from '../rooms.js';

export interface PettyCashMonthView {
  readonly month: string;
  /** Transfers that count against this month's limit (a transfer's `month`). */
  readonly transferred: string;
  /** Transfers dated in this month, whatever month they count against: what the balance adds. */
  readonly transferredByDate: string;
  readonly spent: Record<PettyCashCategory, string>;
  readonly spentTotal: string;
  /**
   * The team leader's petty cash at the end of this month: the opening balance plus transfers by
   * date minus spending of every month so far. By date, not by counted month, so that it is the
   * balance the spending rule keeps from going below zero.
   */
  readonly balance: string;
}

export interface PettyCashView {
  readonly kamer: string;
  readonly year: number;
  /** Left over from earlier years. */
  readonly openingBalance: string;
  readonly months: PettyCashMonthView[];
  readonly totals: { transferred: string; transferredByDate: string; spent: Record<PettyCashCategory, string>; spentTotal: string };
  readonly closingBalance: string;
}

function spentIn(figures: PettyCashMonth | undefined): Cents {
  let total = NO_CENTS;
  for (const category of PETTY_CASH_CATEGORIES) total += figures?.spent[category] ?? NO_CENTS;
  return total;
}

function formatCategories(values: Record<PettyCashCategory, Cents>): Record<PettyCashCategory, string> {
  const formatted = {} as Record<PettyCashCategory, string>;
  for (const category of PETTY_CASH_CATEGORIES) formatted[category] = formatCents(values[category]);
  return formatted;
}

/** Twelve months of a room's handgeld: transferred, spent per category, and the running balance. */
export function pettyCashView(state: PettyCashState, kamerId: string, year: number): PettyCashView {
  const months = state.byRoom.get(kamerId) ?? new Map<string, PettyCashMonth>();
  const firstMonth = `${year}-01`;
  let balance = NO_CENTS;
  for (const [month, figures] of months) {
    if (month < firstMonth) balance += figures.transferredByDate - spentIn(figures);
  }
  const openingBalance = balance;
  let transferredTotal = NO_CENTS;
  let transferredByDateTotal = NO_CENTS;
  const spentTotals = zeroPerCategory();
  const monthViews: PettyCashMonthView[] = [];
  for (let monthNumber = 1; monthNumber <= 12; monthNumber += 1) {
    const month = `${year}-${String(monthNumber).padStart(2, '0')}`;
    const figures = months.get(month);
    const transferred = figures?.transferred ?? NO_CENTS;
    const transferredByDate = figures?.transferredByDate ?? NO_CENTS;
    const spent = spentIn(figures);
    balance += transferredByDate - spent;
    transferredTotal += transferred;
    transferredByDateTotal += transferredByDate;
    for (const category of PETTY_CASH_CATEGORIES) spentTotals[category] += figures?.spent[category] ?? NO_CENTS;
    monthViews.push({
      month,
      transferred: formatCents(transferred),
      transferredByDate: formatCents(transferredByDate),
      spent: formatCategories(figures?.spent ?? zeroPerCategory()),
      spentTotal: formatCents(spent),
      balance: formatCents(balance),
    });
  }
  let spentTotal = NO_CENTS;
  for (const category of PETTY_CASH_CATEGORIES) spentTotal += spentTotals[category];
  return {
    kamer: kamerId,
    year,
    openingBalance: formatCents(openingBalance),
    months: monthViews,
    totals: { transferred: formatCents(transferredTotal), transferredByDate: formatCents(transferredByDateTotal), spent: formatCategories(spentTotals), spentTotal: formatCents(spentTotal) },
    closingBalance: formatCents(balance),
  };
}
