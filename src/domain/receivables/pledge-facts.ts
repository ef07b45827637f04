import type { DomainEvent } from '../events.js';
import { yearOf } from '../calendar.js';
import { formatAmount, roundToCents, sum, money, type Money } from '../money.js';
import type { PledgeFacts } from './commands.js';
import { claimedOnPledge, type ReceivablesState } from './state.js';

/**
 * What an invoice needs to know of a pledge, folded from the pledge's own stream. Deliberately a
 * small read of one stream rather than the pledge decider: invoicing needs four facts, not the
 * pledge's rules. Events of other types are not the pledge's and are ignored.
 */
export function pledgeFactsFrom(events: Iterable<DomainEvent>): PledgeFacts | undefined {
  let facts: PledgeFacts | undefined;
  for (const event of events) {
    switch (event.type) {
      case 'PledgeMade': {
        const { pledgeId, financierId, kamerId, year, form, status, amount, share } = event.data;
        facts = { pledgeId, financierId, kamerId, year, form, status, ...(amount === undefined ? {} : { amount }), ...(share === undefined ? {} : { share }) };
        break;
      }
      case 'PledgeStatusChanged':
        if (facts) facts = { ...facts, status: event.data.to };
        break;
      case 'PledgeAmended':
        if (facts) facts = { ...facts, amount: event.data.amount };
        break;
      default:
        break;
    }
  }
  return facts;
}

/**
 * A room's actual costs in a year: expenses paid from the cooperative's account plus petty cash
 * spent (not transferred: a transfer only moves money to the team leader's account).
 */
export function actualCostsFrom(expenses: Iterable<DomainEvent>, pettyCash: Iterable<DomainEvent>, year: number): string {
  const amounts: string[] = [];
  for (const event of expenses) if (event.type === 'ExpensePaid' && event.data.year === year) amounts.push(event.data.amount);
  for (const event of pettyCash) if (event.type === 'PettyCashSpent' && yearOf(event.data.date) === year) amounts.push(event.data.amount);
  return formatAmount(sum(amounts));
}

/** A share pledge's euros: numerator/denominator of the actual costs, rounded half-even to cents. */
export function shareOf(actualCosts: string, share: { numerator: number; denominator: number }): Money {
  return roundToCents(money(actualCosts).times(share.numerator).dividedBy(share.denominator));
}

/**
 * What a pledge is worth in euros now: its current amount (after amendments), or for a share
 * pledge its share of the actual costs, which the caller reads from the room's streams.
 */
export function pledgedAmount(pledge: PledgeFacts, actualCosts: string | undefined): Money {
  if (!pledge.share) return money(pledge.amount ?? '0.00');
  if (actualCosts === undefined) throw new Error(`pledge ${pledge.pledgeId} is a share: its euros need the actual costs`);
  return shareOf(actualCosts, pledge.share);
}

/** What may still be claimed of a pledge, by invoice or by allocating money to it directly. */
export function pledgeLeft(state: ReceivablesState, pledge: PledgeFacts, actualCosts: string | undefined): Money {
  return pledgedAmount(pledge, actualCosts).minus(claimedOnPledge(state, pledge.pledgeId));
}
