import { refuse } from '../errors.js';
import type { VolunteerKind } from '../events.js';
import { formatAmount, money, roundToCents } from '../money.js';

/** An active volunteer (actieve vrijwilliger) gives at least this many hours a year. */
export const ACTIVE_VOLUNTEER_HOURS = 250;

/** The euro value of an hour per kind, for one year: the ValuationRateSet values (Lookups.valuationRates). */
export type ValuationRates = Partial<Record<VolunteerKind, string>>;

/**
 * The euro value of volunteer hours for the popular budget (populaire begroting): hours × the
 * rate for the entry's year and kind, rounded half-to-even to cents. A missing rate is refused,
 * never guessed: last year's minimum wage is not this year's.
 */
export function valueOf(hours: string, kind: VolunteerKind, year: number, rates: ValuationRates): string {
  const perHour = rates[kind];
  if (perHour === undefined) {
    refuse('VALUATION_RATE_MISSING', `no valuation rate for ${kind} hours in ${year}; set one with POST /valuation-rates`);
  }
  return formatAmount(roundToCents(money(hours).times(perHour)));
}

/** Whether a volunteer's hours in a year (a decimal string) make them an active volunteer. */
export function isActiveVolunteer(hoursInYear: string): boolean {
  return money(hoursInYear).greaterThanOrEqualTo(ACTIVE_VOLUNTEER_HOURS);
}
