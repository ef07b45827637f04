/**
 * What every year's opening balance is made of, kept by the service as a checkpointed standard
 * projection: per year of the entries' dates, debit minus credit per account (bigint cents) and
 * the volunteer hours counted in buckets (year-balance.ts), plus the posting context it needs
 * to post. Small: a few dozen accounts and buckets per year, whatever the log's length.
 *
 * Why: the first export of a year used to fold every event dated before the year to sum them
 * (parsing half a large log); with these sums at hand, the year's fold (year-journal.ts,
 * `yearWindowProjection`) reads only the year's own events and the undated ones, and the
 * opening is the sum of the years before (`openingsBefore`).
 *
 * It gives what the year's fold would have summed: an event dated on a day posts its entries on
 * that day, so the entries before a year are those of the events dated before it plus those of
 * undated events (pledges) dated before it; undated events pass every business-date cut, and
 * the posting context changes only on undated events, so every event posts here with the
 * context it posts with in the year's fold (a property test holds the journals equal).
 */
import { businessDateOf, dayNumberOf } from '../domain/business-date.js';
import { yearOf } from '../domain/calendar.js';
import type { DomainEvent } from '../domain/events.js';
import type { Cents } from './cents.js';
import { emptyContext, evolveContext, JOURNAL_EVENT_TYPES, postingsFor, type PostingContext } from './journal.js';
import type { Projection } from './projection.js';
import { add, addSigned, countHours, type HoursBucket } from './year-balance.js';

export interface YearSums {
  /** Debit minus credit per account of the entries dated in the year. */
  readonly sums: Map<string, Cents>;
  /** The year's volunteer hours in buckets keyed as year-balance.ts keys its 'before' buckets. */
  readonly hours: Map<string, HoursBucket>;
}

export interface YearOpeningsState {
  readonly context: PostingContext;
  readonly years: Map<number, YearSums>;
  /**
   * How many journal events the log holds per business day (yyyymmdd) and without a business
   * date: what a year's window fold, which reads the store's business-date index (derived
   * data), must have been given (year-journal.ts `windowIsComplete`). A few thousand days.
   */
  readonly counts: { byDay: Map<number, number>; undated: number };
}

const JOURNAL_TYPES: ReadonlySet<string> = new Set(JOURNAL_EVENT_TYPES);

export const yearOpeningsProjection: Projection<YearOpeningsState> = {
  name: 'year-openings',
  eventTypes: JOURNAL_EVENT_TYPES,
  initial: () => ({ context: emptyContext(), years: new Map(), counts: { byDay: new Map(), undated: 0 } }),
  apply(state, source) {
    const event = source.event;
    // A live projection is offered every event (its position is the log's head): the others change nothing.
    if (!JOURNAL_TYPES.has(event.type)) return state;
    countEvent(state.counts, countedDay(event));
    if (event.type === 'VolunteerHoursRecorded' || event.type === 'VolunteerHoursReversed') {
      const { date, kind, hours } = event.data;
      const year = yearOf(date);
      countHours(yearSums(state, year), 'before', year, kind, hours, event.type === 'VolunteerHoursRecorded' ? 'recorded' : 'reversed');
    } else {
      for (const entry of postingsFor(source, state.context)) addSigned(yearSums(state, yearOf(entry.date)).sums, entry);
    }
    evolveContext(state.context, source);
    return state;
  },
};

function yearSums(state: YearOpeningsState, year: number): YearSums {
  let sums = state.years.get(year);
  if (!sums) {
    sums = { sums: new Map(), hours: new Map() };
    state.years.set(year, sums);
  }
  return sums;
}

/** The business day (yyyymmdd) an event is counted under, undefined when it has none: the window counts by the same. */
export function countedDay(event: DomainEvent): number | undefined {
  const date = businessDateOf(event);
  return date === undefined ? undefined : dayNumberOf(date);
}

function countEvent(counts: YearOpeningsState['counts'], day: number | undefined): void {
  if (day === undefined) counts.undated += 1;
  else counts.byDay.set(day, (counts.byDay.get(day) ?? 0) + 1);
}

/** How many journal events are dated from `startDate` through `lastDate` (YYYY-MM-DD). */
export function datedBetween(state: YearOpeningsState, startDate: string, lastDate: string): number {
  const from = dayNumberOf(startDate)!;
  const through = dayNumberOf(lastDate)!;
  let count = 0;
  for (const [day, events] of state.counts.byDay) if (day >= from && day <= through) count += events;
  return count;
}

/** Everything dated before `year`: the sums and hours buckets a year's fold would have gathered. New maps. */
export function openingsBefore(state: YearOpeningsState, year: number): YearSums {
  const before: YearSums = { sums: new Map(), hours: new Map() };
  for (const [other, sums] of state.years) {
    if (other >= year) continue;
    for (const [account, amount] of sums.sums) add(before.sums, account, amount);
    for (const [key, bucket] of sums.hours) before.hours.set(key, { ...bucket });
  }
  return before;
}
