import { refuse } from '../errors.js';
import type { PledgeStatus } from '../events.js';

/**
 * A pledge (toezegging) only ever firms up: proposed (voorstel) → conditional → committed
 * (toegezegd). Skipping a step is allowed, because a financier may decide straight from a
 * proposal (a fund's board says yes in spring without a conditional phase). Any live pledge can be
 * withdrawn; a withdrawn pledge is final: a financier that changes its mind makes a new pledge,
 * so the history keeps the withdrawal.
 */
const FIRMNESS: Record<Exclude<PledgeStatus, 'withdrawn'>, number> = { proposed: 0, conditional: 1, committed: 2 };

/** Refuses a move the status machine does not allow; returns nothing when it is allowed. */
export function assertStatusTransition(from: PledgeStatus, to: PledgeStatus, pledgeId: string): void {
  if (from === 'withdrawn') refuse('PLEDGE_WITHDRAWN', `pledge ${pledgeId} was withdrawn; a withdrawal is final`, 'status');
  if (to === 'withdrawn') return;
  if (FIRMNESS[to] <= FIRMNESS[from]) {
    const why = to === from ? `is already ${from}` : `cannot go back from ${from} to ${to}`;
    refuse('PLEDGE_STATUS_TRANSITION', `pledge ${pledgeId} ${why}; a pledge only moves forward (proposed → conditional → committed) or is withdrawn`, 'status');
  }
}

/** For evolve: the same rule as a yes/no, so a stream that breaks it is reported as corrupt. */
export function isAllowedTransition(from: PledgeStatus, to: PledgeStatus): boolean {
  if (from === 'withdrawn') return false;
  return to === 'withdrawn' || FIRMNESS[to] > FIRMNESS[from];
}
