import { PAYMENT_TERM_DAYS } from '../../domain/calendar.js';

const MS_PER_DAY = 86_400_000;

function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/**
 * Whole calendar days from `from` to `to`, like calendar.daysBetween but without luxon: a
 * calendar date has no time of day, so counting days on the UTC calendar gives the same answer
 * in Amsterdam across daylight-saving changes (tests/projections/views.test.ts checks it), and a
 * report over thousands of invoices should not ask the time-zone database for each one.
 */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Paid within the agreed four weeks of invoicing. */
export function paidOnTime(daysToPay: number): boolean {
  return daysToPay <= PAYMENT_TERM_DAYS;
}
