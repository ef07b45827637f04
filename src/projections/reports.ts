/**
 * The reports the accountant replays the ledger into, assembled from the projections: the year's
 * journal (and from it the trial balance), every room's budget balance and every financier's
 * position. The HTTP routes and `npm run cli -- replay` both read them through here, so a figure
 * on the command line is the figure the API gives.
 */
import { dateInAmsterdam, yearOf } from '../domain/calendar.js';
import { yearPledgesProjection } from './pledges.js';
import type { TimeCut } from './projection.js';
import { yearReceivablesProjection } from './receivables.js';
import { registryProjection } from './registry.js';
import { yearRoomsProjection } from './rooms.js';
import type { ProjectionRunner } from './runner.js';
import { windowIsComplete, yearJournalOf, yearJournalProjection, yearJournalWithOpenings, yearWindowProjection, yearWindowScanProjection } from './year-journal.js';
import { yearOpeningsProjection } from './year-openings.js';
import { trialBalance, yearBounds, type TrialBalance, type YearCut, type YearJournal } from './trial-balance.js';
import { yearBalanceProjection, yearBalanceTrialBalance } from './year-balance.js';
import { roomBudgetView, type RoomBudgetView } from './views/budget.js';
import { financierPositionView, type FinancierPositionView } from './views/financier-position.js';

export interface YearCutQuery {
  readonly year: number;
  readonly asOf?: string | undefined;
  readonly knownAt?: string | undefined;
}

/**
 * The year's journal through the projection runner: year-journal.ts's fold of the log through
 * the year's last day (or `asOf`), so an event dated later is not even parsed where the reader
 * knows its date. The fold cuts the entries by date itself as well: every entry is dated with
 * its event's business date, and undated events (registrations, rates, pledges) pass the cut.
 */
export async function readYearJournal(projections: ProjectionRunner, query: YearCutQuery): Promise<YearJournal> {
  const cut = { year: query.year, ...(query.asOf === undefined ? {} : { asOf: query.asOf }) };
  const { startDate, lastDate } = yearBounds(cut);
  // The openings are of the whole log as it stands: usable when the cut keeps all that is dated before the year.
  if (query.knownAt === undefined && lastDate >= startDate) {
    const journal = await yearJournalFromOpenings(projections, cut, lastDate);
    if (journal) return journal;
  }
  const state = await projections.read(yearJournalProjection(cut), { asOf: lastDate, ...(query.knownAt === undefined ? {} : { knownAt: query.knownAt }) });
  // The runner's state is shared: turn it into an answer now, in this tick.
  return yearJournalOf(state, cut);
}

/**
 * The year's window fold (its own events and the undated ones) with the year-openings
 * projection's sums of everything before, both at one position of the log; undefined when a
 * write landed between the two reads and they do not meet (the caller then folds it all).
 *
 * The window is read from the store's business-date index first. The index is derived data, so
 * the window is held against the openings' counts of the year's events (`windowIsComplete`):
 * if it came up short, it is read again from the whole log, and if even that disagrees the
 * caller folds everything. A damaged index costs time, never an event in an export.
 */
async function yearJournalFromOpenings(projections: ProjectionRunner, cut: YearCut, lastDate: string): Promise<YearJournal | undefined> {
  // Caught up first: the window's replay then finds every event validated and skips the earlier years unparsed.
  await projections.readMany([yearOpeningsProjection]);
  for (const windowProjection of [yearWindowProjection(cut), yearWindowScanProjection(cut)]) {
    const window = await projections.readMany([windowProjection] as const, { asOf: lastDate });
    const openings = await projections.readMany([yearOpeningsProjection] as const);
    if (openings.position !== window.position) return undefined;
    // The runner's states are shared: turn them into an answer now, in this tick.
    if (windowIsComplete(window.states[0], openings.states[0], cut)) return yearJournalWithOpenings(window.states[0], openings.states[0], cut);
  }
  return undefined;
}

export interface ReplayReports {
  readonly year: number;
  readonly asOf?: string;
  readonly knownAt?: string;
  /** The date invoices are aged on (overdue, days overdue). */
  readonly referenceDate: string;
  readonly rooms: RoomBudgetView[];
  readonly financiers: FinancierPositionView[];
  readonly trialBalance: TrialBalance;
}

/**
 * Where the trial balance comes from. 'journal' (the service): the journal projection it keeps
 * anyway for the exports and pages. 'fold' (`foldedTrialBalance`): a fold of sums per account
 * that rides along the same pass and holds no entries, so a replay's memory does not grow with
 * the log (year-balance.ts; both give the same figures, see its property test). Or the trial
 * balance itself, folded elsewhere (the accountant's replay folds it in a worker thread,
 * replay-worker.ts).
 */
export type TrialBalanceSource = 'journal' | 'fold' | Promise<TrialBalance>;

export function cutOf(query: YearCutQuery): TimeCut {
  return { ...(query.asOf === undefined ? {} : { asOf: query.asOf }), ...(query.knownAt === undefined ? {} : { knownAt: query.knownAt }) };
}

export function yearCutOf(query: YearCutQuery): YearCut {
  return { year: query.year, ...(query.asOf === undefined ? {} : { asOf: query.asOf }) };
}

/** The year's trial balance from the fold of sums (year-balance.ts), replayed through the query's cut. */
export async function foldedTrialBalance(projections: ProjectionRunner, query: YearCutQuery): Promise<TrialBalance> {
  const folded = await projections.read(yearBalanceProjection(yearCutOf(query)), cutOf(query));
  return yearBalanceTrialBalance(folded, yearCutOf(query));
}

/**
 * Everything for one year at one cut: each registered room's budget balance, each registered
 * financier's position for the year and the trial balance. `referenceDate` is `asOf` when given
 * (the caller decides otherwise: today, or the day of `knownAt`).
 */
export async function replayReports(
  projections: ProjectionRunner,
  query: YearCutQuery & { referenceDate: string },
  trialBalanceFrom: TrialBalanceSource = 'journal',
): Promise<ReplayReports> {
  const cut = cutOf(query);
  // Requested in the same tick: the runner folds them all in one pass over the log. Only the
  // year's pledges, invoices and room figures are kept: the reports show no others, and a
  // replay's memory must not grow with the years in the log.
  const [registry, pledges, receivables, rooms, folded] = await Promise.all([
    projections.read(registryProjection, cut),
    projections.read(yearPledgesProjection(query.year), cut),
    projections.read(yearReceivablesProjection(query.year), cut),
    projections.read(yearRoomsProjection(query.year), cut),
    trialBalanceFrom === 'fold' ? foldedTrialBalance(projections, query) : undefined,
  ]);
  // Built in this tick: the runner's states are shared (see ProjectionRunner.read).
  const roomViews = [...registry.kamers.keys()].sort().map((kamer) => roomBudgetView({ registry, pledges, rooms }, kamer, query.year));
  const financierViews = [...registry.financiers.keys()]
    .sort()
    .map((financier) => financierPositionView({ pledges, receivables, rooms }, financier, query.year, query.referenceDate));
  const balance = folded ?? (typeof trialBalanceFrom === 'string' ? trialBalance(await readYearJournal(projections, query)) : await trialBalanceFrom);
  return {
    year: query.year,
    ...(query.asOf === undefined ? {} : { asOf: query.asOf }),
    ...(query.knownAt === undefined ? {} : { knownAt: query.knownAt }),
    referenceDate: query.referenceDate,
    rooms: roomViews,
    financiers: financierViews,
    trialBalance: balance,
  };
}

/** The year a replay reports on when none is named: the year of `asOf`, else of the reference date. */
export function defaultReplayYear(asOf: string | undefined, referenceDate: string): number {
  return yearOf(asOf ?? referenceDate);
}

/**
 * The date statuses are judged on (overdue, days overdue): `asOf` when given; else the day of
 * `knownAt` (a report reproduced as the books stood then also ages invoices as of then); else
 * today in Amsterdam.
 */
export function referenceDateFor(query: { asOf?: string | undefined; knownAt?: string | undefined }, now: Date): string {
  if (query.asOf !== undefined) return query.asOf;
  if (query.knownAt !== undefined) {
    const knownAt = new Date(query.knownAt);
    return dateInAmsterdam(knownAt < now ? knownAt : now);
  }
  return dateInAmsterdam(now);
}
