/**
 * One year's journal folded straight from the log: what the exports (XAF, hledger, CSV), the
 * trial-balance route and the accountant's page read. The journal projection (journal.ts) keeps
 * every entry of every year and a year was cut from all of them, so the first export of a year
 * from a large log built and sorted millions of entries; this fold keeps only the year's entries
 * and, for the opening balance, sums per account (year-balance.ts's fold) of everything before.
 *
 * It gives the very YearJournal that `yearJournal(journalOf(ledger), cut)` gives (a property
 * test holds the two equal, and the closed-year tests hold the files' SHA-256s):
 * - the year's financial entries as their events arrive, the year's volunteer hours kept as
 *   events and valued when the journal is read (at the rates known then, as journal.ts does);
 * - what was posted before the year as bigint sums per account, hours before the year counted
 *   in buckets (year-balance.ts): the opening balance needs nothing else;
 * - the posting context and the year's notes.
 *
 * Read it through `readYearJournal` (reports.ts), which asks the runner for the log through the
 * year's last day, so that an event dated after the year need not even be parsed.
 */
import { yearOf } from '../domain/calendar.js';
import type { JournalEntry } from './journal.js';
import { evolveContext, JOURNAL_EVENT_TYPES, postingsFor, unpostableNote, withMemorandum } from './journal.js';
import type { ProjectedEvent, Projection } from './projection.js';
import { assembleYearJournal, inDateOrder, yearBounds, type YearCut, type YearJournal } from './trial-balance.js';
import { addEntry, countHours, emptyYearBalance, openingLinesOf, type YearBalanceState } from './year-balance.js';
import { countedDay, datedBetween, openingsBefore, type YearOpeningsState } from './year-openings.js';
import { businessDayNumber } from './log-reader.js';

export interface YearJournalState {
  /** The context, the sums before the year, the hours buckets before the year and the year's notes. */
  readonly balance: YearBalanceState;
  /** The year's financial entries up to the cut, in log order. */
  readonly entries: JournalEntry[];
  /** The year's volunteer-hour events up to the cut, in log order: valued when read. */
  readonly volunteerEvents: ProjectedEvent[];
  /**
   * How many of the log's journal events the fold was given that are dated in the year up to
   * the cut, or undated: what `windowIsComplete` holds against year-openings' counts, since the
   * window reads the store's business-date index, which is derived data.
   */
  readonly seen: { dated: number; undated: number };
}

/**
 * One projection object per year and cut: the runner keys its caches by name and refuses two
 * different projections of one name. Tiny objects; a handful of years and dates are ever asked.
 */
const projections = new Map<string, Projection<YearJournalState>>();

/** The year's fold, the sums before it included: for any cut. */
export function yearJournalProjection(cut: YearCut): Projection<YearJournalState> {
  return projectionFor(`year-journal:${cut.year}:${cut.asOf ?? ''}`, cut, 'folded');
}

/**
 * The year's fold without what is dated before the year: its sums come from the service's
 * year-openings projection (`yearJournalWithOpenings`). It declares its `businessYear`, so a
 * replay of it reads only the year's events and the undated ones (the store's business-date
 * index). For a cut whose `asOf` is not before the year and without `knownAt` (the openings are
 * of the whole log: reports.ts's `readYearJournal` checks both).
 */
export function yearWindowProjection(cut: YearCut): Projection<YearJournalState> {
  return projectionFor(`year-window:${cut.year}:${cut.asOf ?? ''}`, cut, 'skipped', 'index');
}

/**
 * The same window read from the whole log, not the index: where `windowIsComplete` found the
 * index's window short. A replay of it skips every event dated before the year unparsed
 * (`admitsBusinessDay`), so it parses the year's events and the undated ones only.
 */
export function yearWindowScanProjection(cut: YearCut): Projection<YearJournalState> {
  return projectionFor(`year-window-scan:${cut.year}:${cut.asOf ?? ''}`, cut, 'skipped', 'scan');
}

function projectionFor(name: string, cut: YearCut, earlier: Earlier, read: 'index' | 'scan' = 'scan'): Projection<YearJournalState> {
  let projection = projections.get(name);
  if (!projection) {
    const fold = foldFor(name, cut, earlier);
    projection = read === 'index' ? { ...fold, businessYear: cut.year } : fold;
    projections.set(name, projection);
  }
  return projection;
}

/**
 * True when the window fold was given every journal event dated in the year up to its cut and
 * every undated one, as year-openings (folded from the whole log, at the same position) counts
 * them. The window reads the store's business-date index: a missing or wrong index row would
 * leave an event out, and the count then falls short (each event is counted by its own date,
 * never by the index's, so a row wrongly indexed into the year adds nothing).
 */
export function windowIsComplete(window: YearJournalState, openings: YearOpeningsState, cut: YearCut): boolean {
  const { startDate, lastDate } = yearBounds(cut);
  return window.seen.dated === datedBetween(openings, startDate, lastDate) && window.seen.undated === openings.counts.undated;
}

/** What the fold does with what is dated before the year: sums it, or leaves it to year-openings. */
type Earlier = 'folded' | 'skipped';

function foldFor(name: string, cut: YearCut, earlier: Earlier): Projection<YearJournalState> {
  const { startDate, lastDate } = yearBounds(cut);
  const startDay = businessDayNumber(startDate)!;
  const lastDay = businessDayNumber(lastDate)!;
  return {
    name,
    eventTypes: JOURNAL_EVENT_TYPES,
    ...(earlier === 'skipped' ? { admitsBusinessDay: (day: number) => day === 0 || day >= startDay } : {}),
    initial: () => ({ balance: emptyYearBalance(), entries: [], volunteerEvents: [], seen: { dated: 0, undated: 0 } }),
    apply(state, source) {
      const { balance } = state;
      const event = source.event;
      const day = countedDay(event);
      if (day === undefined) state.seen.undated += 1;
      else if (day >= startDay && day <= lastDay) state.seen.dated += 1;
      if (event.type === 'VolunteerHoursRecorded' || event.type === 'VolunteerHoursReversed') {
        const { date, kind, hours } = event.data;
        if (date < startDate && date <= lastDate) {
          if (earlier === 'folded') countHours(balance, 'before', yearOf(date), kind, hours, event.type === 'VolunteerHoursRecorded' ? 'recorded' : 'reversed');
        } else if (date >= startDate && date <= lastDate) state.volunteerEvents.push(source);
      } else {
        for (const entry of postingsFor(source, balance.context)) {
          if (entry.date >= startDate && entry.date <= lastDate) state.entries.push(entry);
          // Before the year (and the cut): only its sums count, for the opening balance.
          else if (earlier === 'folded') addEntry(balance, entry, startDate, lastDate);
        }
      }
      const note = unpostableNote(source, balance.context);
      if (note && note.year === cut.year) balance.notes.push(note);
      evolveContext(balance.context, source);
      return state;
    },
  };
}

/**
 * The year as the exports read it, from a state read through a cut (`readYearJournal`). Builds
 * new lists: the state is shared by the runner.
 */
export function yearJournalOf(state: YearJournalState, cut: YearCut): YearJournal {
  // A state read through a cut is never folded on (the runner replays a new one when the log
  // grows), so the journal made of it can be kept with it: a repeated download costs no rebuild.
  const made = madeFrom.get(state);
  if (made) return made;
  const journal = makeYearJournal(state, cut);
  madeFrom.set(state, journal);
  return journal;
}

/**
 * The year from its window fold (`yearWindowProjection`) and the openings (year-openings.ts)
 * read at the same position of the log. Kept with the window state like `yearJournalOf`: the
 * runner replays a new window state when the log grows, and the openings are of that position.
 */
export function yearJournalWithOpenings(window: YearJournalState, openings: YearOpeningsState, cut: YearCut): YearJournal {
  const made = madeFrom.get(window);
  if (made) return made;
  const before = openingsBefore(openings, cut.year);
  const balance: YearBalanceState = { ...window.balance, before: before.sums, hours: before.hours };
  const journal = makeYearJournal({ ...window, balance }, cut);
  madeFrom.set(window, journal);
  return journal;
}

/** The journal made of each state (the state's projection names one year and cut). */
const madeFrom = new WeakMap<YearJournalState, YearJournal>();

function makeYearJournal(state: YearJournalState, cut: YearCut): YearJournal {
  const { context, notes } = state.balance;
  const { entries, unvaluedHours } = withMemorandum(state.entries, state.volunteerEvents, context);
  return assembleYearJournal(cut, openingLinesOf(state.balance, cut), inDateOrder(entries), context, notes, unvaluedHours);
}
