import type { Decider } from '../decider.js';
import { unexpectedEvent } from '../decider.js';
import { refuse } from '../errors.js';
import type { DomainEvent, EventData, EventOf, PledgeStatus, Share } from '../events.js';
import { money } from '../money.js';
import { assertStatusTransition, isAllowedTransition } from './status.js';

/**
 * One stream per pledge (`pledge-<pledgeId>`): its status machine and its amendments are the only
 * rules it keeps, and neither spans pledges.
 */
export type PledgeEvent = EventOf<'PledgeMade'> | EventOf<'PledgeStatusChanged'> | EventOf<'PledgeAmended'>;
export type InitialPledgeStatus = Exclude<PledgeStatus, 'withdrawn'>;

export interface MakePledge {
  readonly type: 'MakePledge';
  /** Exactly one of `amount` and `share`; the rest is PledgeMade's data as the request gave it. */
  readonly pledge: EventData<'PledgeMade'>;
  /** Looked up by the caller: a pledge by an unknown financier or for an unknown room is refused. */
  readonly financierExists: boolean;
  readonly kamerExists: boolean;
}

export interface ChangePledgeStatus {
  readonly type: 'ChangePledgeStatus';
  readonly pledgeId: string;
  readonly status: PledgeStatus;
  readonly note?: string;
  /**
   * What was already invoiced on the pledge (net of credit notes) and paid on it directly, from
   * the receivables stream, read fresh on every attempt: a pledge with claims is not withdrawn.
   */
  readonly claimed: string;
}

export interface AmendPledge {
  readonly type: 'AmendPledge';
  readonly pledgeId: string;
  readonly amount: string;
  readonly reason: string;
  /** As for ChangePledgeStatus: an amendment never takes the pledge below what was claimed on it. */
  readonly claimed: string;
}

export type PledgeCommand = MakePledge | ChangePledgeStatus | AmendPledge;

/** What invoicing and the read side need of a pledge: who, where, when, how firm, how much. */
export interface Pledge {
  readonly pledgeId: string;
  readonly financierId: string;
  readonly kamerId: string;
  readonly year: number;
  readonly form: EventData<'PledgeMade'>['form'];
  readonly status: PledgeStatus;
  /** The current amount (after amendments), or undefined for a share pledge. */
  readonly amount?: string;
  /** "One third of the actual costs": a fraction in (0, 1], never amended. */
  readonly share?: Share;
  readonly reference?: string;
  readonly referenceDate?: string;
  readonly note?: string;
}

export type PledgeState = { readonly made: false } | { readonly made: true; readonly pledge: Pledge };

function assertAmountOrShare(pledge: EventData<'PledgeMade'>): void {
  const { amount, share } = pledge;
  if ((amount === undefined) === (share === undefined)) {
    refuse('INVALID_INPUT', 'a pledge has exactly one of amount and share', amount === undefined ? 'amount' : 'share');
  }
  if (amount !== undefined && !money(amount).greaterThan(0)) refuse('INVALID_INPUT', 'a pledged amount must be more than 0.00', 'amount');
  if (share !== undefined) {
    const whole = Number.isInteger(share.numerator) && Number.isInteger(share.denominator);
    if (!whole || share.numerator < 1 || share.denominator < 1 || share.numerator > share.denominator) {
      refuse('INVALID_INPUT', 'a share is a fraction of positive whole numbers, more than 0 and at most 1 (e.g. 1/3)', 'share');
    }
  }
}

function makePledge(command: MakePledge, state: PledgeState): readonly PledgeEvent[] {
  const { pledge } = command;
  if (state.made) refuse('DUPLICATE_ID', `a pledge with id ${pledge.pledgeId} already exists`, 'id');
  // Input first (400), then references (422): a malformed pledge is malformed whoever it names.
  assertAmountOrShare(pledge);
  if (!command.financierExists) refuse('UNKNOWN_FINANCIER', `no financier ${pledge.financierId}`, 'financier');
  if (!command.kamerExists) refuse('UNKNOWN_KAMER', `no kamer ${pledge.kamerId}`, 'kamer');
  return [{ type: 'PledgeMade', data: pledge }];
}

function livePledge(state: PledgeState, pledgeId: string): Pledge {
  if (!state.made) return refuse('NOT_FOUND', `no pledge ${pledgeId}`);
  return state.pledge;
}

/** Every pledge event repeats who, where and when, so projections fold it without a lookup. */
function denormalised(pledge: Pledge) {
  return { pledgeId: pledge.pledgeId, financierId: pledge.financierId, kamerId: pledge.kamerId, year: pledge.year };
}

function changeStatus(command: ChangePledgeStatus, state: PledgeState): readonly PledgeEvent[] {
  const pledge = livePledge(state, command.pledgeId);
  assertStatusTransition(pledge.status, command.status, pledge.pledgeId);
  if (command.status === 'withdrawn' && money(command.claimed).greaterThan(0)) {
    refuse(
      'PLEDGE_BELOW_CLAIMED',
      `${command.claimed} was already invoiced on pledge ${pledge.pledgeId} or paid on it directly; credit those invoices and reallocate those payments before withdrawing it`,
      'status',
    );
  }
  const note = command.note?.trim();
  return [
    {
      type: 'PledgeStatusChanged',
      data: { ...denormalised(pledge), from: pledge.status, to: command.status, ...(note ? { note } : {}) },
    },
  ];
}

function amend(command: AmendPledge, state: PledgeState): readonly PledgeEvent[] {
  const pledge = livePledge(state, command.pledgeId);
  if (pledge.status === 'withdrawn') refuse('PLEDGE_WITHDRAWN', `pledge ${pledge.pledgeId} was withdrawn; it can no longer be amended`);
  if (pledge.amount === undefined) {
    refuse('PLEDGE_SHARE_NOT_AMENDABLE', `pledge ${pledge.pledgeId} is a share of the actual costs, not an amount; it has nothing to amend`, 'amount');
  }
  if (!money(command.amount).greaterThan(0)) refuse('INVALID_INPUT', 'an amended amount must be more than 0.00', 'amount');
  if (money(command.amount).lessThan(command.claimed)) {
    refuse(
      'PLEDGE_BELOW_CLAIMED',
      `${command.claimed} was already invoiced on pledge ${pledge.pledgeId} or paid on it directly; its amount cannot go below that (not ${command.amount})`,
      'amount',
    );
  }
  if (money(command.amount).equals(pledge.amount)) {
    refuse('INVALID_INPUT', `pledge ${pledge.pledgeId} is already ${pledge.amount}; an amendment must change the amount`, 'amount');
  }
  const reason = command.reason.trim();
  if (reason === '') refuse('INVALID_INPUT', 'an amendment needs a reason', 'reason');
  return [{ type: 'PledgeAmended', data: { ...denormalised(pledge), previousAmount: pledge.amount, amount: command.amount, reason } }];
}

function evolve(state: PledgeState, event: DomainEvent): PledgeState {
  switch (event.type) {
    case 'PledgeMade':
      if (state.made) return unexpectedEvent('pledge', event, 'follows an earlier PledgeMade');
      return { made: true, pledge: { ...event.data } };
    case 'PledgeStatusChanged': {
      if (!state.made || event.data.pledgeId !== state.pledge.pledgeId) return unexpectedEvent('pledge', event, 'has no pledge to change');
      const { from, to } = event.data;
      if (from !== state.pledge.status || !isAllowedTransition(from, to)) {
        return unexpectedEvent('pledge', event, `moves ${from} → ${to} while the pledge is ${state.pledge.status}`);
      }
      return { made: true, pledge: { ...state.pledge, status: to } };
    }
    case 'PledgeAmended': {
      if (!state.made || event.data.pledgeId !== state.pledge.pledgeId) return unexpectedEvent('pledge', event, 'has no pledge to amend');
      const { pledge } = state;
      if (pledge.status === 'withdrawn' || pledge.amount === undefined || !money(pledge.amount).equals(event.data.previousAmount)) {
        return unexpectedEvent('pledge', event, `does not amend the pledge's current amount ${pledge.amount ?? '(a share)'}`);
      }
      return { made: true, pledge: { ...pledge, amount: event.data.amount } };
    }
    default:
      return unexpectedEvent('pledge', event);
  }
}

export const pledgeDecider: Decider<PledgeCommand, PledgeState, PledgeEvent> = {
  name: 'pledge',
  initialState: { made: false },
  decide(command, state) {
    switch (command.type) {
      case 'MakePledge':
        return makePledge(command, state);
      case 'ChangePledgeStatus':
        return changeStatus(command, state);
      case 'AmendPledge':
        return amend(command, state);
      default: {
        const unknown: never = command;
        throw new Error(`pledge: unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
  evolve,
};
