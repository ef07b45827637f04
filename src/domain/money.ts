import { Decimal } from 'decimal.js';
import { z } from 'zod';

/**
 * The one decimal type for money. A private clone so no other configuration of decimal.js can
 * change how our amounts round. Amounts travel everywhere else (events, JSON) as strings with
 * exactly two decimals; a JS number never holds money.
 */
const Money = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = InstanceType<typeof Money>;

export const MONEY_PATTERN = /^-?\d{1,13}\.\d{2}$/;

/** A money string as it appears on the wire and in events: "1234.50". */
export const AmountSchema = z
  .string()
  .regex(MONEY_PATTERN, 'must be an amount with exactly two decimals, as a string, e.g. "1234.50"');

/**
 * The largest single amount a request may carry. Events and answers hold up to 13 integer digits;
 * one entered amount is kept far below that, so the totals the ledger adds up from entered amounts
 * (an invoice's lines, a year's pledges) always fit. No amount of this cooperative nears a billion.
 */
export const MAX_ENTERED_AMOUNT = '999999999.99';

// zod runs a refinement even when the pattern failed: a string that is no number ("1,00", "abc")
// must get the pattern's message, not reach decimal.js (which throws on it).
const isAmount = (value: string): boolean => MONEY_PATTERN.test(value);

/** A refinement: the amount is at most `limit` (a malformed one is left to the pattern's message). */
export function amountAtMost(limit: string): (value: string) => boolean {
  return (value) => !isAmount(value) || money(value).lessThanOrEqualTo(limit);
}
const withinEnteredLimit = amountAtMost(MAX_ENTERED_AMOUNT);

/** An amount entered in a request: more than zero, at most MAX_ENTERED_AMOUNT. */
export const PositiveAmountSchema = AmountSchema.refine((value) => !isAmount(value) || money(value).greaterThan(0), 'must be greater than 0.00').refine(
  withinEnteredLimit,
  `must be at most ${MAX_ENTERED_AMOUNT}`,
);
/** An amount entered in a request that may be zero (a budget line): at most MAX_ENTERED_AMOUNT. */
export const NonNegativeAmountSchema = AmountSchema.refine((value) => !isAmount(value) || !money(value).isNegative(), 'must not be negative').refine(
  withinEnteredLimit,
  `must be at most ${MAX_ENTERED_AMOUNT}`,
);

export function money(value: string | Money | number): Money {
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new Error('money() takes only integer numbers; pass fractional amounts as strings');
  }
  return new Money(value);
}

export const ZERO: Money = new Money(0);

/** Formats to the two-decimal wire form; throws rather than rounding away a cent. */
export function formatAmount(value: Money): string {
  if (!value.decimalPlaces() || value.decimalPlaces() <= 2) return value.toFixed(2);
  throw new Error(`amount ${value.toString()} has more than two decimals; round explicitly first`);
}

/** Rounds half-to-even to cents: only where a rule says so (valuation, shares). */
export function roundToCents(value: Money): Money {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
}

export function sum(values: Iterable<string | Money>): Money {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

export function add(a: string, b: string): string {
  return formatAmount(money(a).plus(b));
}

export function subtract(a: string, b: string): string {
  return formatAmount(money(a).minus(b));
}

export function min(a: Money, b: Money): Money {
  return a.lessThan(b) ? a : b;
}

export function isPositive(value: string | Money): boolean {
  return money(value).greaterThan(0);
}

/** A ratio as a decimal string in [0, 1] (e.g. the financiers' share), four decimals. */
export function formatRatio(numerator: Money, denominator: Money): string {
  if (denominator.isZero()) return '0.0000';
  return numerator.dividedBy(denominator).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4);
}

export { Money as MoneyDecimal };
