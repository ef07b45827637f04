/**
 * A year of the journal, with its opening balance, and the trial balance (proefbalans) over it.
 * The exports (XAF, hledger, CSV) read the same `YearJournal`, so every figure they show is the
 * trial balance's.
 *
 * The opening balance on 1 January carries every balance-sheet account forward; the results of
 * earlier years (income, expense and the memorandum accounts) close into equity (0900), so the
 * opening balance balances and the year's income and expense start at zero. There is no separate
 * closing entry: it is computed, never stored.
 *
 * Signs: `opening` and `balance` are debit minus credit (a credit balance is negative).
 */
import { formatAmount, money, sum, ZERO, type Money } from '../domain/money.js';
import { ACCOUNT, carriesForward, describeAccounts, type Account, type AccountType } from './chart-of-accounts.js';
import { unvaluedHoursNotes, type Journal, type JournalEntry, type JournalLine, type LedgerNote, type UnvaluedHours } from './journal.js';

export interface YearCut {
  readonly year: number;
  /** Business-date cut: entries dated after it are left out (the year's end when absent). */
  readonly asOf?: string;
}

export interface YearJournal {
  readonly year: number;
  readonly startDate: string;
  readonly endDate: string;
  /** Per account, the balance on 1 January as a debit or credit line. */
  readonly opening: readonly JournalLine[];
  /** The year's entries up to the cut, by date, then in log order. */
  readonly entries: readonly JournalEntry[];
  /** Every account the opening balance or the entries use, by id. */
  readonly accounts: ReadonlyMap<string, Account>;
  readonly notes: readonly LedgerNote[];
  readonly context: Journal['context'];
}

/** Years already cut from a journal (a journal is immutable once built), a few per journal. */
const cutYears = new WeakMap<Journal, Map<string, YearJournal>>();
const YEARS_KEPT_PER_JOURNAL = 16;

export function yearJournal(journal: Journal, cut: YearCut): YearJournal {
  const key = `${cut.year}|${cut.asOf ?? ''}`;
  const cached = cutYears.get(journal) ?? new Map<string, YearJournal>();
  cutYears.set(journal, cached);
  const found = cached.get(key);
  if (found) return found;
  const built = buildYearJournal(journal, cut);
  if (cached.size >= YEARS_KEPT_PER_JOURNAL) cached.delete(cached.keys().next().value!);
  cached.set(key, built);
  return built;
}

/** The year's first and last day, and the last day the cut admits (asOf, or the year's end). */
export function yearBounds(cut: YearCut): { startDate: string; endDate: string; lastDate: string } {
  const startDate = `${cut.year}-01-01`;
  const endDate = `${cut.year}-12-31`;
  return { startDate, endDate, lastDate: cut.asOf !== undefined && cut.asOf < endDate ? cut.asOf : endDate };
}

function buildYearJournal(journal: Journal, cut: YearCut): YearJournal {
  const { startDate, lastDate } = yearBounds(cut);
  const earlier = journal.entries.filter((entry) => entry.date < startDate && entry.date <= lastDate);
  const entries = inDateOrder(journal.entries.filter((entry) => entry.date >= startDate && entry.date <= lastDate));
  const unvalued = journal.unvaluedHours.filter((item) => item.date >= startDate && item.date <= lastDate);
  return assembleYearJournal(cut, earlier.flatMap((entry) => entry.lines), entries, journal.context, journal.notes, unvalued);
}

/** Books read in date order; entries of one day stay in log order (the sort is stable). Sorts in place. */
export function inDateOrder(entries: JournalEntry[]): JournalEntry[] {
  return entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The year from what the cut admits: the lines dated before the year (they make the opening
 * balance), the year's entries, every note (those of the year are kept) and the year's unvalued
 * hours. year-balance.ts calls it with sums instead of every entry.
 */
export function assembleYearJournal(
  cut: YearCut,
  earlierLines: readonly JournalLine[],
  entries: readonly JournalEntry[],
  context: Journal['context'],
  notes: readonly LedgerNote[],
  unvalued: readonly UnvaluedHours[],
): YearJournal {
  const { startDate, endDate } = yearBounds(cut);
  const usedIds = new Set([...earlierLines.map((line) => line.account), ...entries.flatMap((entry) => entry.lines.map((line) => line.account))]);
  usedIds.add(ACCOUNT.retainedResult);
  const known = describeAccounts(usedIds, context);
  const opening = openingLines(earlierLines, known);
  const usedNow = new Set([...opening.map((line) => line.account), ...entries.flatMap((entry) => entry.lines.map((line) => line.account))]);
  const accounts = new Map([...known].filter(([id]) => usedNow.has(id)).sort(([a], [b]) => a.localeCompare(b)));
  const yearNotes = [...notes.filter((note) => note.year === cut.year), ...unvaluedHoursNotes(unvalued, cut.year)];
  return { year: cut.year, startDate, endDate, opening, entries, accounts, notes: yearNotes, context };
}

/** Debit minus credit per account over some lines. */
export function balancesOf(lines: Iterable<JournalLine>): Map<string, Money> {
  const balances = new Map<string, Money>();
  for (const line of lines) {
    const signed = line.side === 'debit' ? money(line.amount) : money(line.amount).negated();
    balances.set(line.account, (balances.get(line.account) ?? ZERO).plus(signed));
  }
  return balances;
}

function openingLines(earlierLines: readonly JournalLine[], accounts: ReadonlyMap<string, Account>): JournalLine[] {
  const balances = balancesOf(earlierLines);
  let closedResult = ZERO;
  const carried: Array<[string, Money]> = [];
  for (const [account, balance] of balances) {
    if (carriesForward(accounts.get(account)!.type) && account !== ACCOUNT.retainedResult) carried.push([account, balance]);
    else closedResult = closedResult.plus(balance);
  }
  carried.push([ACCOUNT.retainedResult, closedResult]);
  return carried
    .filter(([, balance]) => !balance.isZero())
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([account, balance]) => ({ account, side: balance.isNegative() ? 'credit' : 'debit', amount: formatAmount(balance.abs()) }));
}

export interface TrialBalanceRow {
  readonly account: string;
  readonly name: string;
  readonly type: AccountType;
  readonly opening: string;
  readonly debit: string;
  readonly credit: string;
  readonly balance: string;
}

export interface TrialBalance {
  readonly year: number;
  readonly accounts: TrialBalanceRow[];
  readonly totals: { readonly opening: string; readonly debit: string; readonly credit: string; readonly balance: string };
  readonly notes: string[];
}

export function trialBalance(year: YearJournal): TrialBalance {
  const opening = balancesOf(year.opening);
  const movements = new Map<string, { debit: Money; credit: Money }>();
  for (const entry of year.entries) {
    for (const line of entry.lines) {
      const current = movements.get(line.account) ?? { debit: ZERO, credit: ZERO };
      movements.set(line.account, { ...current, [line.side]: current[line.side].plus(line.amount) });
    }
  }
  const rows = [...year.accounts.values()].map((account): TrialBalanceRow => {
    const { debit, credit } = movements.get(account.id) ?? { debit: ZERO, credit: ZERO };
    const start = opening.get(account.id) ?? ZERO;
    return {
      account: account.id,
      name: account.name,
      type: account.type,
      opening: formatAmount(start),
      debit: formatAmount(debit),
      credit: formatAmount(credit),
      balance: formatAmount(start.plus(debit).minus(credit)),
    };
  });
  const total = (field: 'opening' | 'debit' | 'credit' | 'balance') => formatAmount(sum(rows.map((row) => row[field])));
  return {
    year: year.year,
    accounts: rows,
    totals: { opening: total('opening'), debit: total('debit'), credit: total('credit'), balance: total('balance') },
    notes: year.notes.map((note) => note.text),
  };
}
