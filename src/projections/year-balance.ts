/**
 * The trial balance of one year folded straight from the log, in memory that does not grow with
 * the log: what the accountant's `replay` prints. The journal projection (journal.ts) keeps every
 * entry, because the exports and the journal pages list them; a trial balance needs only sums.
 *
 * Per account it keeps, in bigint cents: debit minus credit of the entries dated before the year
 * (the opening balance), and the debits and credits of the year's entries up to the cut. Besides
 * that only what a later event can still need: the posting context (names, rates, pledges) and
 * the year's notes. Volunteer hours are valued at the rates known when the balance is read (see
 * journal.ts), so they are counted, not posted, per (before/in the year, year, kind, hours,
 * recorded/reversed): a handful of buckets, each valued and rounded per entry at the end, exactly
 * as the journal values each entry.
 *
 * Postings come from journal.ts's `postingsFor`, and the figures leave through trial-balance.ts's
 * `assembleYearJournal` and `trialBalance`, so this fold and the journal cannot disagree on a rule.
 */
import { yearOf } from '../domain/calendar.js';
import type { DomainEventType, VolunteerKind } from '../domain/events.js';
import { ACCOUNT } from './chart-of-accounts.js';
import { cents, formatCents, NO_CENTS, type Cents } from './cents.js';
import {
  emptyContext,
  evolveContext,
  postingsFor,
  unpostableNote,
  volunteerValue,
  type JournalEntry,
  type JournalLine,
  type LedgerNote,
  type PostingContext,
  type UnvaluedHours,
} from './journal.js';
import { comparePositionStrings } from './log-reader.js';
import type { Projection } from './projection.js';
import { assembleYearJournal, trialBalance, yearBounds, type TrialBalance, type YearCut } from './trial-balance.js';

export type Period = 'before' | 'in';

/** Volunteer entries that post the same value on the same accounts, and how many there are. */
export interface HoursBucket {
  readonly period: Period;
  readonly year: number;
  readonly kind: VolunteerKind;
  readonly hours: string;
  readonly direction: 'recorded' | 'reversed';
  count: number;
}

export interface YearBalanceState {
  readonly context: PostingContext;
  /** Debit minus credit per account of the entries dated before the year (and on or before the cut). */
  readonly before: Map<string, Cents>;
  /** The year's debits and credits per account, up to the cut. */
  readonly debit: Map<string, Cents>;
  readonly credit: Map<string, Cents>;
  readonly hours: Map<string, HoursBucket>;
  /** The year's notes about what could not be posted. */
  readonly notes: LedgerNote[];
}

/**
 * The fold for one year and business-date cut. Read it through the runner with the replay's cut
 * (asOf and knownAt): every dated event's entries carry its business date, and the undated ones
 * (registrations, rates, pledges) pass an asOf cut, so the cut removes only entries this fold
 * would leave out by their date anyway; the fold still checks every entry's date itself.
 */
export function yearBalanceProjection(cut: YearCut, share?: BalanceShare): Projection<YearBalanceState> {
  const { startDate, lastDate } = yearBounds(cut);
  const posts = share?.posts;
  return {
    name: `year-balance:${cut.year}:${cut.asOf ?? ''}${share === undefined ? '' : `:${share.name}`}`,
    ...(share?.eventTypes === undefined ? {} : { eventTypes: share.eventTypes }),
    initial: emptyYearBalance,
    apply(state, source) {
      const event = source.event;
      if (posts !== undefined && !posts.has(event.type)) {
        // Another share posts it; the context still follows every event this share is given.
      } else if (event.type === 'VolunteerHoursRecorded' || event.type === 'VolunteerHoursReversed') {
        const { date, kind, hours } = event.data;
        if (date <= lastDate) countHours(state, date < startDate ? 'before' : 'in', yearOf(date), kind, hours, event.type === 'VolunteerHoursRecorded' ? 'recorded' : 'reversed');
      } else {
        for (const entry of postingsFor(source, state.context, 'amounts')) addEntry(state, entry, startDate, lastDate);
        const note = unpostableNote(source, state.context);
        if (note && note.year === cut.year) state.notes.push(note);
      }
      evolveContext(state.context, source);
      return state;
    },
  };
}

/**
 * A part of the fold that posts only some event types (the replay folds the trial balance on two
 * threads, replay-split.ts). Each share must be given every event that moves the posting context
 * (evolveContext) besides the ones it posts; `mergeYearBalances` adds the shares up.
 */
export interface BalanceShare {
  /** Tells the shares' projections apart. */
  readonly name: string;
  /** The types this share posts (counts, for volunteer hours; notes, for pledges); every type it is given when absent. */
  readonly posts?: ReadonlySet<string>;
  /** The types its projection reads (Projection.eventTypes): every type it posts and every context type. */
  readonly eventTypes?: readonly DomainEventType[];
}

/**
 * Shares of one fold added up: sums per account in bigint cents, hours buckets by count, notes in
 * log order. The context is the first share's (every share followed the same context events).
 * Builds new maps and leaves the shares as they are.
 */
export function mergeYearBalances(first: YearBalanceState, ...others: readonly YearBalanceState[]): YearBalanceState {
  const merged: YearBalanceState = {
    context: first.context,
    before: new Map(first.before),
    debit: new Map(first.debit),
    credit: new Map(first.credit),
    hours: new Map([...first.hours].map(([key, bucket]) => [key, { ...bucket }])),
    notes: [...first.notes],
  };
  for (const other of others) {
    for (const [account, amount] of other.before) add(merged.before, account, amount);
    for (const [account, amount] of other.debit) add(merged.debit, account, amount);
    for (const [account, amount] of other.credit) add(merged.credit, account, amount);
    for (const [key, bucket] of other.hours) {
      const found = merged.hours.get(key);
      if (found) found.count += bucket.count;
      else merged.hours.set(key, { ...bucket });
    }
    merged.notes.push(...other.notes);
  }
  // Every note of this fold has its pledge event's position; the sort is stable.
  merged.notes.sort((a, b) => comparePositionStrings(a.position ?? '', b.position ?? ''));
  return merged;
}

export function emptyYearBalance(): YearBalanceState {
  return { context: emptyContext(), before: new Map(), debit: new Map(), credit: new Map(), hours: new Map(), notes: [] };
}

export function countHours(state: Pick<YearBalanceState, 'hours'>, period: Period, year: number, kind: VolunteerKind, hours: string, direction: HoursBucket['direction']): void {
  const key = `${period}|${year}|${kind}|${hours}|${direction}`;
  const bucket = state.hours.get(key);
  if (bucket) bucket.count += 1;
  else state.hours.set(key, { period, year, kind, hours, direction, count: 1 });
}

export function addEntry(state: YearBalanceState, entry: Pick<JournalEntry, 'date' | 'lines'>, startDate: string, lastDate: string, times = 1n): void {
  if (entry.date > lastDate) return;
  for (const line of entry.lines) {
    const amount = cents(line.amount) * times;
    if (entry.date < startDate) add(state.before, line.account, line.side === 'debit' ? amount : -amount);
    else add(line.side === 'debit' ? state.debit : state.credit, line.account, amount);
  }
}

/** Adds debit minus credit of an entry's lines to sums per account. */
export function addSigned(sums: Map<string, Cents>, entry: Pick<JournalEntry, 'lines'>): void {
  for (const line of entry.lines) {
    const amount = cents(line.amount);
    add(sums, line.account, line.side === 'debit' ? amount : -amount);
  }
}

export function add(sums: Map<string, Cents>, account: string, amount: Cents): void {
  sums.set(account, (sums.get(account) ?? NO_CENTS) + amount);
}

/**
 * The trial balance as it stands: the volunteer buckets valued at the rates known now, then the
 * sums handed to trial-balance.ts as one opening line and one year's line per account and side.
 * Builds new maps: the state itself is left as the runner shares it.
 */
export function yearBalanceTrialBalance(state: YearBalanceState, cut: YearCut): TrialBalance {
  const { startDate } = yearBounds(cut);
  const { valued, unvalued } = valueHours(state, cut);
  const year: JournalLine[] = [
    ...[...valued.debit].map(([account, amount]): JournalLine => ({ account, side: 'debit', amount: formatCents(amount) })),
    ...[...valued.credit].map(([account, amount]): JournalLine => ({ account, side: 'credit', amount: formatCents(amount) })),
  ];
  return trialBalance(assembleYearJournal(cut, earlierLinesOf(valued), [sumsEntry(startDate, year)], state.context, state.notes, unvalued));
}

/**
 * The sums with the hours buckets added at the rates known now (each entry valued and rounded on
 * its own, as the journal does), and the year's hours no rate values. Copies the maps it adds to.
 */
function valueHours(state: YearBalanceState, cut: YearCut): { valued: YearBalanceState; unvalued: UnvaluedHours[] } {
  const { startDate, lastDate } = yearBounds(cut);
  const valued: YearBalanceState = { ...state, before: new Map(state.before), debit: new Map(state.debit), credit: new Map(state.credit) };
  const unvalued: UnvaluedHours[] = [];
  for (const bucket of state.hours.values()) {
    const data = { date: `${bucket.year}-01-01`, kind: bucket.kind, hours: bucket.hours };
    const value = volunteerValue(data, state.context);
    if (value === undefined) {
      if (bucket.period === 'in') unvalued.push({ ...data, hours: formatCents(cents(bucket.hours) * BigInt(bucket.direction === 'recorded' ? bucket.count : -bucket.count)) });
      continue;
    }
    // journal.ts posts no entry for a zero value: it then names no account either.
    if (cents(value) === NO_CENTS) continue;
    const [debited, credited] = bucket.direction === 'recorded' ? [ACCOUNT.volunteerValue, ACCOUNT.volunteerContra] : [ACCOUNT.volunteerContra, ACCOUNT.volunteerValue];
    const lines: JournalLine[] = [
      { account: debited, side: 'debit', amount: value },
      { account: credited, side: 'credit', amount: value },
    ];
    addEntry(valued, { date: bucket.period === 'before' ? BEFORE_ANY_YEAR : startDate, lines }, startDate, lastDate, BigInt(bucket.count));
  }
  return { valued, unvalued };
}

/** One signed line per account of what was posted before the year: trial-balance.ts makes the opening balance of them. */
function earlierLinesOf(state: YearBalanceState): JournalLine[] {
  return [...state.before].map(([account, balance]): JournalLine => signedLine(account, balance));
}

/**
 * The lines the opening balance is made of, for a state whose hours buckets are all from before
 * the year (year-journal.ts keeps the year's own hours as events): the sums before the year and
 * those buckets valued at the rates known now.
 */
export function openingLinesOf(state: YearBalanceState, cut: YearCut): JournalLine[] {
  return earlierLinesOf(valueHours(state, cut).valued);
}

/** Sorts before every real date: a bucket of hours dated before the year. */
const BEFORE_ANY_YEAR = '0000-01-01';

function signedLine(account: string, balance: Cents): JournalLine {
  return balance < NO_CENTS ? { account, side: 'credit', amount: formatCents(-balance) } : { account, side: 'debit', amount: formatCents(balance) };
}

/** The year's sums as one entry: `trialBalance` adds lines per account and side, whatever entry holds them. */
function sumsEntry(date: string, lines: JournalLine[]): JournalEntry {
  return {
    id: 'sums',
    journal: 'memorial',
    date,
    description: 'sums per account',
    source: { position: '0', type: 'ExpensePaid', recordedAt: '', recordedBy: '' },
    lines,
  };
}

