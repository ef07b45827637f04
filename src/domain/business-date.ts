import type { DomainEvent, DomainEventType, EventData } from './events.js';

/**
 * Where each event type keeps its business date: a top-level field of its data, `none` for
 * declarations without a date of their own, `statement` for a reconciliation (the closing
 * balance's date, else the opening's). One table, so `businessDateOf` on a parsed event and
 * `peekBusinessDay` on its raw JSON cannot disagree on a type.
 */
const DATE_FIELD = {
  InvoiceIssued: 'issueDate',
  CreditNoteIssued: 'issueDate',
  PaymentReceived: 'date',
  BankOpeningBalanceRecorded: 'date',
  BankEntryBooked: 'date',
  BankEntryAssigned: 'date',
  ReminderSent: 'date',
  ExpensePaid: 'date',
  PettyCashTransferred: 'date',
  PettyCashSpent: 'date',
  VolunteerHoursRecorded: 'date',
  VolunteerHoursReversed: 'date',
  PaymentAllocated: 'paymentDate',
  BankStatementReconciled: 'statement',
  BankAccountsSet: 'none',
  KamerRegistered: 'none',
  FinancierRegistered: 'none',
  FinancierDetailsChanged: 'none',
  CooperativeDetailsSet: 'none',
  BudgetSet: 'none',
  ValuationRateSet: 'none',
  PledgeMade: 'none',
  PledgeStatusChanged: 'none',
  PledgeAmended: 'none',
  // A year's check, approval, closing and reopening are about the year, not dated in it.
  YearChecked: 'none',
  YearApproved: 'none',
  YearClosed: 'none',
  YearReopened: 'none',
} as const satisfies Record<DomainEventType, 'issueDate' | 'date' | 'paymentDate' | 'statement' | 'none'>;

/** Every event type of the domain (the table above has one row per type, checked by the compiler). */
export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = Object.keys(DATE_FIELD) as DomainEventType[];

/**
 * The business date an event is "as of": the invoice date, the payment's bank date, the
 * transfer date, the hours' date. Declarations without a date of their own (registrations,
 * budgets, rates, pledges and their status) return undefined: an `asOf` cut keeps them, and only
 * `knownAt` (when they were recorded) cuts them.
 */
export function businessDateOf(event: DomainEvent): string | undefined {
  const field: string | undefined = DATE_FIELD[event.type];
  if (field === undefined) throw new Error(`no business date rule for ${event.type}`);
  if (field === 'none') return undefined;
  if (field === 'statement') {
    const data = event.data as EventData<'BankStatementReconciled'>;
    return data.closing?.date ?? data.opening?.date;
  }
  return (event.data as unknown as Record<string, string>)[field];
}

/**
 * The business date of an already validated event from its data's JSON text, without parsing
 * it, as a yyyymmdd number (0: the type has none); undefined when the text does not tell it
 * plainly (then parse). A replay through an `asOf` cut skips the events dated after it unparsed
 * this way, where the reader has not learnt their dates itself (after a start from a checkpoint).
 *
 * Safe on validated JSON: the type's date field is required at the top level, a key cannot occur
 * inside a string value (its quotes would be escaped), and the key is used only when it occurs
 * exactly once (so no nested object of the same key can be taken for it). Text with any escape
 * is left to the parser: a key can be spelt with one (`"dat\u0065"`), which JSON.parse reads as
 * the date field and this search would not see (JSON.stringify never writes such a key, but a
 * row this service did not write can hold one).
 */
export function peekBusinessDay(type: string, json: string): number | undefined {
  const key = DATE_KEY.get(type);
  if (key === undefined) return undefined;
  if (key === NO_DATE) return 0;
  const at = json.indexOf(key);
  if (at < 0 || json.indexOf(key, at + key.length) >= 0 || json.includes('\\')) return undefined;
  const from = at + key.length;
  // YYYY-MM-DD and its closing quote, or nothing. Read digit by digit: it runs once per event of a replay.
  if (json.charCodeAt(from + 10) !== QUOTE || json.charCodeAt(from + 4) !== DASH || json.charCodeAt(from + 7) !== DASH) return undefined;
  let day = 0;
  for (const offset of DIGIT_OFFSETS) {
    const digit = json.charCodeAt(from + offset) - ZERO;
    if (digit < 0 || digit > 9) return undefined;
    day = day * 10 + digit;
  }
  return day > 0 ? day : undefined;
}

/** The JSON key that opens each type's date (`"date":"`), NO_DATE for a type without one; none for a statement. */
const NO_DATE = '';
const DATE_KEY: ReadonlyMap<string, string> = new Map(
  Object.entries(DATE_FIELD)
    .filter(([, field]) => field !== 'statement')
    .map(([type, field]) => [type, field === 'none' ? NO_DATE : `"${field}":"`]),
);
/** Where YYYYMMDD's digits are in YYYY-MM-DD. */
const DIGIT_OFFSETS = [0, 1, 2, 3, 5, 6, 8, 9] as const;
const ZERO = 48;
const QUOTE = 34;
const DASH = 45;

/**
 * The business day of a stored event from its type and data's JSON text, as a yyyymmdd number,
 * 0 when it has none: what the store's business-date index keeps (src/store/sqlite-business-days.ts).
 * The same rule as `businessDateOf`: the date is peeked off the JSON where it plainly can be,
 * else the data is parsed. A type this build does not know, data that does not parse or a date
 * that is not YYYY-MM-DD counts as 0, undated: an undated event is read with every year, so
 * when in doubt an event is read too often, never left out.
 */
export function businessDayOfStored(type: string, json: string): number {
  const peeked = peekBusinessDay(type, json);
  if (peeked !== undefined) return peeked;
  if (!(type in DATE_FIELD)) return 0;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return 0;
  }
  if (typeof data !== 'object' || data === null) return 0;
  const date = businessDateOf({ type, data } as DomainEvent);
  return typeof date === 'string' ? (dayNumberOf(date) ?? 0) : 0;
}

/** A YYYY-MM-DD date as the number yyyymmdd, which orders like the text; undefined for any other text. */
export function dayNumberOf(date: string): number | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? Number(date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10)) : undefined;
}

/** The year of a yyyymmdd business day (0, undated, stays 0). */
export function yearOfDay(day: number): number {
  return Math.floor(day / 10_000);
}
