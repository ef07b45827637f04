/**
 * How the accountant's replay splits the checking of the log and the trial balance's fold between
 * its two threads (replay-worker.ts), by event type.
 *
 * The main thread parses the invoices and expenses of every year anyway (receivables and room
 * figures): it checks those against the event contract itself and posts their share of the trial
 * balance. The worker skips them unparsed, checks every other event and posts the rest. Both
 * follow the posting context (rooms, financiers, rates, pledges: `CONTEXT_EVENT_TYPES`), which the
 * worker checks. The trial balance is the two shares added up (`mergeYearBalances`: bigint cents,
 * so the order does not matter).
 *
 * The set balances the two threads' CPU on a 1M-event log (default shape of bench/build-log.ts):
 * before the split the worker parsed every event and took 6 s against the main thread's 3.6 s.
 * With allocations, credit notes and petty-cash transfers on the main thread too (it parses them
 * as well), the main thread became the slower one (5.1 s against 3.9 s); as it is, both take ~4.5 s.
 * Any set gives the same figures (tests/projections/replay-split.test.ts): it is a matter of speed.
 */
import type { DomainEventType } from '../domain/events.js';
import { failureAt } from './log-reader.js';
import { CONTEXT_EVENT_TYPES } from './journal.js';
import type { YearCut } from './trial-balance.js';
import { yearBalanceProjection, type BalanceShare, type YearBalanceState } from './year-balance.js';
import type { Projection } from './projection.js';
import type { ProjectionRunnerOptions } from './runner.js';

/** Checked and posted on the main thread; the worker never parses them. */
export const MAIN_THREAD_TYPES: ReadonlySet<string> = new Set<DomainEventType>(['InvoiceIssued', 'ExpensePaid']);

const MAIN_SHARE: BalanceShare = {
  name: 'main-thread',
  posts: MAIN_THREAD_TYPES,
  eventTypes: [...(MAIN_THREAD_TYPES as ReadonlySet<DomainEventType>), ...CONTEXT_EVENT_TYPES],
};

/** The main thread's share of the trial balance's fold. */
export function mainThreadShare(cut: YearCut): Projection<YearBalanceState> {
  return yearBalanceProjection(cut, MAIN_SHARE);
}

/**
 * The worker's share: it posts whatever it is given, which is every event but the main thread's
 * (its reader skips those unparsed, `typesCheckedElsewhere`).
 */
export function workerShare(cut: YearCut): Projection<YearBalanceState> {
  return yearBalanceProjection(cut, { name: 'worker' });
}

/**
 * The main thread's runner: it trusts the log up to the head it started at as checked by the
 * worker, except for its own types, which it checks itself (the log beyond is checked whole).
 */
export function mainThreadRunnerOptions(head: string): ProjectionRunnerOptions {
  return { validatedElsewhereThrough: head, typesCheckedHere: MAIN_THREAD_TYPES };
}

/** The worker's runner: it checks every event but the main thread's types, which it skips unparsed, and reads the log once. */
export const WORKER_RUNNER_OPTIONS: ProjectionRunnerOptions = { onePass: true, typesCheckedElsewhere: MAIN_THREAD_TYPES };

/** Where a failed check or fold stopped: a log position, or after the whole log when no event caused it. */
export interface Failure {
  readonly message: string;
  readonly position?: string;
}

export function failureOf(error: unknown): Failure {
  const position = failureAt(error);
  return { message: error instanceof Error ? error.message : String(error), ...(position === undefined ? {} : { position }) };
}
