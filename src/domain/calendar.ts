import { DateTime } from 'luxon';
import { z } from 'zod';

/** Business dates are calendar days in the Netherlands. */
export const ZONE = 'Europe/Amsterdam';
/** Financiers that pay on invoice pay "within four weeks of invoicing". */
export const PAYMENT_TERM_DAYS = 28;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** The years the ledger accepts, for business dates and for `year` fields alike. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

function parseDate(value: string): DateTime {
  return DateTime.fromISO(value, { zone: ZONE });
}

/**
 * Whether a YYYY-MM-DD string names a day that exists (no 2019-02-30). Plain arithmetic rather
 * than luxon: every event's dates are checked on every replay, and building a zoned DateTime per
 * date made a 1M-event replay four times slower.
 */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

export function isCalendarDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const year = Number(value.slice(0, 4));
  // The ledger's years (YearSchema): an invoice dated 0202 would get a number no reader accepts.
  if (year < MIN_YEAR || year > MAX_YEAR) return false;
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export const DateSchema = z
  .string()
  .regex(DATE_PATTERN, 'must be a date YYYY-MM-DD')
  .refine(isCalendarDate, `must be a real calendar date in the years ${MIN_YEAR}–${MAX_YEAR}`);

export const MonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');

export const YearSchema = z.number().int().min(MIN_YEAR).max(MAX_YEAR);

const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An extended-format instant with an explicit offset: without one, "2020-01-01T00:00" would mean
 * a different moment on every server. The date part must exist and Date must read it the same
 * way luxon does (offsets beyond ±23:59 are refused by both).
 */
function isInstant(value: string): boolean {
  return INSTANT_PATTERN.test(value) && isCalendarDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value)) && DateTime.fromISO(value, { setZone: true }).isValid;
}

/** An ISO 8601 instant with an offset, e.g. 2020-01-05T10:00:00Z. */
export const InstantSchema = z
  .string()
  .refine(isInstant, 'must be an ISO 8601 instant with a time zone offset, e.g. 2020-01-05T10:00:00Z');

export function addDays(date: string, days: number): string {
  return parseDate(date).plus({ days }).toISODate()!;
}

export function dueDateFor(issueDate: string): string {
  return addDays(issueDate, PAYMENT_TERM_DAYS);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(parseDate(to).diff(parseDate(from), 'days').days);
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The calendar month before a YYYY-MM month. */
export function previousMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const number = Number(month.slice(5, 7));
  return number === 1 ? `${year - 1}-12` : `${year}-${String(number - 1).padStart(2, '0')}`;
}

/** The calendar month after a YYYY-MM month. */
export function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const number = Number(month.slice(5, 7));
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/**
 * Today's date in Amsterdam for a given instant (the instant comes from the caller: no clock here).
 * Every write asks, and luxon's zone arithmetic was ~5% of a write's CPU: the last answer is kept
 * for its minute (time zones move by whole minutes, so all of a UTC minute has one local date).
 */
export function dateInAmsterdam(instant: Date): string {
  const minute = Math.floor(instant.getTime() / 60_000);
  if (minute !== lastAmsterdamDate.minute) lastAmsterdamDate = { minute, date: DateTime.fromJSDate(instant, { zone: ZONE }).toISODate()! };
  return lastAmsterdamDate.date;
}
let lastAmsterdamDate = { minute: Number.NaN, date: '' };

/** The instant a day begins in Amsterdam (midnight local time, 22:00 or 23:00 UTC the day before). */
export function startOfDayInAmsterdam(date: string): Date {
  return parseDate(date).startOf('day').toJSDate();
}

/** Dates compare correctly as strings because they are all YYYY-MM-DD. */
export function isOnOrBefore(date: string, limit: string): boolean {
  return date <= limit;
}
