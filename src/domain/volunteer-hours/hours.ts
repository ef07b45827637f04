import { z } from 'zod';
import { refuse } from '../errors.js';
import { money } from '../money.js';

/**
 * Volunteer hours are decimal strings, like money: a JS number would turn 0.1 + 0.2 hours into
 * 0.30000000000000004 and the valuation would drift. They are computed with the same decimal
 * clone as money (money.ts) but are not euros.
 */
export const HOURS_PATTERN = /^\d{1,2}(\.\d{1,2})?$/;
/** No one volunteers more than a day in a day. */
export const MAX_HOURS_PER_ENTRY = 24;

function isWithinOneDay(value: string): boolean {
  const hours = money(value);
  return hours.greaterThan(0) && hours.lessThanOrEqualTo(MAX_HOURS_PER_ENTRY);
}

/** Hours as a request carries them: "2.5", "2.50" or "24"; more than 0 and at most 24. */
export const HoursSchema = z
  .string()
  .regex(HOURS_PATTERN, 'must be hours as a string with at most two decimals, e.g. "2.50"')
  // Guarded: zod runs this check even when the pattern failed, and money() cannot read "abc".
  .refine((value) => !HOURS_PATTERN.test(value) || isWithinOneDay(value), `must be more than 0 and at most ${MAX_HOURS_PER_ENTRY}`);

/**
 * The one form hours take in events: exactly two decimals ("2.5" → "2.50"), so that equal hours
 * are equal strings. Refuses (INVALID_INPUT on `field`) what HoursSchema would refuse.
 */
export function normaliseHours(value: string, field = 'hours'): string {
  const parsed = HoursSchema.safeParse(value);
  if (!parsed.success) refuse('INVALID_INPUT', `hours ${JSON.stringify(value)} ${parsed.error.issues[0]?.message ?? 'are invalid'}`, field);
  return money(value).toFixed(2);
}
