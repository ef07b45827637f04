import type { PledgeStatus, Share } from '../../domain/events.js';
import { formatAmount, roundToCents } from '../../domain/money.js';
import { cents, formatCents, NO_CENTS, toMoney, type Cents } from '../cents.js';
import type { PledgeRecord, PledgesState } from '../pledges.js';
import { findRoomYear, PETTY_CASH_CATEGORIES, type RoomYearRecord, type RoomsState } from '../rooms.js';

/** What a room spent in a year: expenses paid by the cooperative plus petty cash spent by the team leader. */
export function spentTotalOf(record: RoomYearRecord | undefined): Cents {
  if (!record) return NO_CENTS;
  let total = record.expenses;
  for (const category of PETTY_CASH_CATEGORIES) total += record.pettyCashSpent[category];
  return total;
}

/**
 * The euros a pledge counts for. An amount pledge: its amount after amendments. A share pledge
 * ("one third of the actual costs"): the share of the room's actual spending in the pledge's
 * year so far (expenses + petty cash spent, within the same cut), rounded half-to-even to cents.
 */
export function countedAmount(pledge: PledgeRecord, rooms: RoomsState): Cents {
  if (pledge.amount !== undefined) return cents(pledge.amount);
  const share = pledge.share!;
  const spent = toMoney(spentTotalOf(findRoomYear(rooms, pledge.kamerId, pledge.year)));
  return cents(formatAmount(roundToCents(spent.times(share.numerator).dividedBy(share.denominator))));
}

export interface PledgedByStatus {
  committed: Cents;
  conditional: Cents;
  proposed: Cents;
  withdrawn: Cents;
  /** The in-kind part of committed, conditional and proposed. */
  inKind: Cents;
}

export function sumByStatus(pledges: Iterable<PledgeRecord>, rooms: RoomsState): PledgedByStatus {
  const totals: PledgedByStatus = { committed: NO_CENTS, conditional: NO_CENTS, proposed: NO_CENTS, withdrawn: NO_CENTS, inKind: NO_CENTS };
  for (const pledge of pledges) {
    const amount = countedAmount(pledge, rooms);
    totals[pledge.status] += amount;
    if (pledge.form === 'in-kind' && pledge.status !== 'withdrawn') totals.inKind += amount;
  }
  return totals;
}

export function formatByStatus(totals: PledgedByStatus): Record<PledgeStatus | 'inKind', string> {
  return {
    committed: formatCents(totals.committed),
    conditional: formatCents(totals.conditional),
    proposed: formatCents(totals.proposed),
    withdrawn: formatCents(totals.withdrawn),
    inKind: formatCents(totals.inKind),
  };
}

export interface PledgeView {
  readonly id: string;
  readonly financier: string;
  readonly kamer: string;
  readonly year: number;
  /** For a share pledge: the share of the room's actual spending so far. */
  readonly amount: string;
  readonly share?: Share;
  readonly form: PledgeRecord['form'];
  readonly status: PledgeStatus;
  readonly reference?: string;
  readonly referenceDate?: string;
  readonly note?: string;
}

export interface PledgeFilter {
  readonly financier?: string | undefined;
  readonly kamer?: string | undefined;
  readonly year?: number | undefined;
}

export function pledgeView(pledge: PledgeRecord, rooms: RoomsState): PledgeView {
  return {
    id: pledge.id,
    financier: pledge.financierId,
    kamer: pledge.kamerId,
    year: pledge.year,
    amount: formatCents(countedAmount(pledge, rooms)),
    ...(pledge.share === undefined ? {} : { share: pledge.share }),
    form: pledge.form,
    status: pledge.status,
    ...(pledge.reference === undefined ? {} : { reference: pledge.reference }),
    ...(pledge.referenceDate === undefined ? {} : { referenceDate: pledge.referenceDate }),
    ...(pledge.note === undefined ? {} : { note: pledge.note }),
  };
}

/** Pledges matching every given filter, in the order they were made. */
export function listPledges(state: PledgesState, rooms: RoomsState, filter: PledgeFilter): PledgeView[] {
  const candidates = filter.financier === undefined ? state.byId.values() : (state.byFinancier.get(filter.financier) ?? []);
  const views: PledgeView[] = [];
  for (const pledge of candidates) {
    if (filter.kamer !== undefined && pledge.kamerId !== filter.kamer) continue;
    if (filter.year !== undefined && pledge.year !== filter.year) continue;
    views.push(pledgeView(pledge, rooms));
  }
  return views;
}
