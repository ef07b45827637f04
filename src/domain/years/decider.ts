/**
 * A year's accountability, one stream per year (`year-<year>`): the kascommissie checks it, the
 * accountant approves it, the treasurer closes it, and only the accountant reopens it.
 *
 *   open ──check──▶ checked ──approve──▶ approved ──close──▶ closed
 *                                                   ◀──reopen── (withdraws the approval)
 *
 * Checks and approvals carry the log position and digest they were made at; the caller verified
 * the log up to there (the `verification` in the command) and this decider refuses when it did not.
 * A reopened year keeps its checks (they are records of what the kascommissie saw) but needs a new
 * approval before it can be closed again.
 */
import type { Decider } from '../decider.js';
import { unexpectedEvent } from '../decider.js';
import { refuse } from '../errors.js';
import type { DomainEvent, EventData, EventOf } from '../events.js';

export type YearEvent = EventOf<'YearChecked'> | EventOf<'YearApproved'> | EventOf<'YearClosed'> | EventOf<'YearReopened'>;

export type YearStatus = 'open' | 'checked' | 'approved' | 'closed';

export interface YearState {
  readonly status: YearStatus;
  /** Checks recorded, ever: a reopening does not undo what the kascommissie saw. */
  readonly checks: number;
}

/** What the caller found when it verified the log just before deciding (src/store/integrity.ts). */
export type LogVerification =
  | { readonly ok: true; readonly position: string; readonly digest: string; readonly events: number }
  | { readonly ok: false; readonly problem: string };

export interface CheckYear {
  readonly type: 'CheckYear';
  readonly year: number;
  readonly remarks: string;
  /** Today in Amsterdam: a year can be checked only once it has ended. */
  readonly today: string;
  readonly verification: LogVerification;
}

export interface ApproveYear {
  readonly type: 'ApproveYear';
  readonly year: number;
  readonly note?: string;
  readonly today: string;
  readonly verification: LogVerification;
}

export interface CloseYear {
  readonly type: 'CloseYear';
  readonly closing: EventData<'YearClosed'>;
}

export interface ReopenYear {
  readonly type: 'ReopenYear';
  readonly year: number;
  readonly reason: string;
}

export type YearCommand = CheckYear | ApproveYear | CloseYear | ReopenYear;

export const initialYearState: YearState = { status: 'open', checks: 0 };

function refuseClosed(state: YearState, year: number): void {
  if (state.status === 'closed') refuse('PERIOD_CLOSED', `${year} is closed; the accountant can reopen it (POST /years/${year}/reopen)`, 'year');
}

function refuseUnended(year: number, today: string): void {
  if (today <= `${year}-12-31`) refuse('YEAR_NOT_ENDED', `${year} has not ended yet (today is ${today}): it can be checked and approved from 1 January ${year + 1}`, 'year');
}

function verified(verification: LogVerification): Extract<LogVerification, { ok: true }> {
  if (!verification.ok) refuse('LOG_NOT_VERIFIED', `the log does not verify, so nothing can be vouched for: ${verification.problem}`);
  return verification;
}

function check(command: CheckYear, state: YearState): readonly YearEvent[] {
  refuseClosed(state, command.year);
  refuseUnended(command.year, command.today);
  const { position, digest, events } = verified(command.verification);
  return [{ type: 'YearChecked', data: { year: command.year, remarks: command.remarks, position, digest, events } }];
}

function approve(command: ApproveYear, state: YearState): readonly YearEvent[] {
  refuseClosed(state, command.year);
  refuseUnended(command.year, command.today);
  if (state.checks === 0) refuse('YEAR_NOT_CHECKED', `the kascommissie has not checked ${command.year} yet (POST /years/${command.year}/checks)`, 'year');
  const { position, digest, events } = verified(command.verification);
  const note = command.note === undefined ? {} : { note: command.note };
  return [{ type: 'YearApproved', data: { year: command.year, position, digest, events, ...note } }];
}

function close(command: CloseYear, state: YearState): readonly YearEvent[] {
  const { year } = command.closing;
  refuseClosed(state, year);
  if (state.status !== 'approved') refuse('YEAR_NOT_APPROVED', `${year} is ${state.status}: the accountant approves it before it can be closed`, 'year');
  return [{ type: 'YearClosed', data: command.closing }];
}

function reopen(command: ReopenYear, state: YearState): readonly YearEvent[] {
  if (state.status !== 'closed') refuse('YEAR_NOT_CLOSED', `${command.year} is ${state.status}, not closed: there is nothing to reopen`, 'year');
  if (command.reason.trim() === '') refuse('INVALID_INPUT', 'a reopening needs a reason', 'reason');
  return [{ type: 'YearReopened', data: { year: command.year, reason: command.reason } }];
}

function decide(command: YearCommand, state: YearState): readonly YearEvent[] {
  switch (command.type) {
    case 'CheckYear':
      return check(command, state);
    case 'ApproveYear':
      return approve(command, state);
    case 'CloseYear':
      return close(command, state);
    case 'ReopenYear':
      return reopen(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`unknown year command ${(unhandled as { type: string }).type}`);
    }
  }
}

export function evolveYear(state: YearState, event: DomainEvent): YearState {
  switch (event.type) {
    case 'YearChecked':
      if (state.status === 'closed') unexpectedEvent('years', event, 'follows a closing');
      return { status: state.status === 'open' ? 'checked' : state.status, checks: state.checks + 1 };
    case 'YearApproved':
      if (state.checks === 0 || state.status === 'closed') unexpectedEvent('years', event, `cannot follow status ${state.status}`);
      return { ...state, status: 'approved' };
    case 'YearClosed':
      if (state.status !== 'approved') unexpectedEvent('years', event, `cannot follow status ${state.status}`);
      return { ...state, status: 'closed' };
    case 'YearReopened':
      if (state.status !== 'closed') unexpectedEvent('years', event, `cannot follow status ${state.status}`);
      // The approval is withdrawn; the checks stand.
      return { ...state, status: 'checked' };
    default:
      return unexpectedEvent('years', event);
  }
}

export const yearsDecider: Decider<YearCommand, YearState, YearEvent> = {
  name: 'years',
  initialState: initialYearState,
  decide,
  evolve: evolveYear,
};
