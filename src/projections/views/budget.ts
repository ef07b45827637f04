import type { PettyCashCategory, VolunteerKind } from '../../domain/events.js';
import { formatRatio } from '../../domain/money.js';
import { cents, formatCents, NO_CENTS, toMoney, type Cents } from '../cents.js';
import { isActiveVolunteer, valueOf } from '../../domain/volunteer-hours/valuation.js';
import type { PledgesState } from '../pledges.js';
import { roomYearKey, type RegistryState } from '../registry.js';
import { findRoomYear, PETTY_CASH_CATEGORIES, type RoomYearRecord, type RoomsState } from '../rooms.js';
import { formatByStatus, spentTotalOf, sumByStatus } from './pledges.js';

export interface RoomBudgetInputs {
  readonly registry: RegistryState;
  readonly pledges: PledgesState;
  readonly rooms: RoomsState;
}

export interface RoomBudgetView {
  readonly kamer: string;
  readonly year: number;
  readonly budget: { lines: Array<{ line: string; label: string; amount: string }>; total: string };
  readonly pledged: Record<'committed' | 'conditional' | 'proposed' | 'withdrawn' | 'inKind', string>;
  readonly invoiced: string;
  readonly received: string;
  readonly outstanding: string;
  readonly spent: { byLine: Record<string, string>; pettyCash: Record<PettyCashCategory, string>; total: string };
  readonly pettyCashTransferred: string;
  readonly cash: string;
  readonly fundingGap: string;
  readonly volunteers: { hours: Record<VolunteerKind, string>; value: string; activeVolunteers: number };
  readonly popularBudget: string;
  readonly financiersShare: string;
}

/**
 * The euro value of a room's volunteer hours at the year's rates. A kind without hours needs no
 * rate; a kind with hours and no rate is refused (VALUATION_RATE_MISSING), never guessed.
 */
function volunteerValue(record: RoomYearRecord | undefined, year: number, registry: RegistryState): Cents {
  if (!record) return NO_CENTS;
  const rates = registry.valuationRates.get(year) ?? {};
  let value = NO_CENTS;
  for (const kind of ['resident', 'professional'] as const) {
    if (record.volunteerHours[kind] <= NO_CENTS) continue;
    // Entry by entry, each rounded to cents, as the entry's own answer and the journal value it.
    for (const [hours, entries] of record.entriesByHours[kind]) {
      if (entries !== 0) value += BigInt(entries) * cents(valueOf(formatCents(hours), kind, year, rates));
    }
  }
  return value;
}

function activeVolunteers(record: RoomYearRecord | undefined): number {
  let count = 0;
  for (const hours of record?.hoursByVolunteer.values() ?? []) if (isActiveVolunteer(formatCents(hours))) count += 1;
  return count;
}

function spentByLine(record: RoomYearRecord | undefined, budgetLines: readonly { line: string }[]): Record<string, string> {
  const byLine: Record<string, string> = {};
  for (const { line } of budgetLines) byLine[line] = formatCents(record?.expensesByLine.get(line) ?? NO_CENTS);
  for (const [line, amount] of record?.expensesByLine ?? []) byLine[line] = formatCents(amount);
  return byLine;
}

/**
 * A room's budget balance for a year (GET /kamers/:kamer/budget/:year). Definitions:
 * - received: payments allocated to the room's invoices and pledges of that year;
 *   outstanding: invoiced (net of credit notes) − received on invoices;
 * - spent: expenses per budget line + petty cash spent per category (A–F);
 * - cash: money in for the room (received) − money out of the cooperative's account for it
 *   (expenses + petty cash transferred to the team leader); what the team leader spends from
 *   the transferred petty cash is already out of the cooperative's account;
 * - fundingGap: budget total − committed pledges (cash and in kind); negative when over-funded;
 * - popularBudget: budget total + volunteer value; financiersShare: committed ÷ popularBudget,
 *   four decimals, capped at 1, "0.0000" when the popular budget is zero.
 */
export function roomBudgetView(inputs: RoomBudgetInputs, kamerId: string, year: number): RoomBudgetView {
  const key = roomYearKey(kamerId, year);
  const budget = inputs.registry.budgets.get(key);
  const budgetTotal = cents(budget?.total ?? '0.00');
  const record = findRoomYear(inputs.rooms, kamerId, year);
  const pledged = sumByStatus(inputs.pledges.byRoomYear.get(key) ?? [], inputs.rooms);
  const invoicedNet = record ? record.invoiced - record.credited : NO_CENTS;
  const receivedOnInvoices = record?.receivedOnInvoices ?? NO_CENTS;
  const received = receivedOnInvoices + (record?.receivedOnPledges ?? NO_CENTS);
  const spentTotal = spentTotalOf(record);
  const pettyCashTransferred = record?.pettyCashTransferred ?? NO_CENTS;
  const volunteerEuros = volunteerValue(record, year, inputs.registry);
  const popularBudget = budgetTotal + volunteerEuros;
  const share = pledged.committed > popularBudget && popularBudget !== NO_CENTS ? '1.0000' : formatRatio(toMoney(pledged.committed), toMoney(popularBudget));
  const pettyCash = {} as Record<PettyCashCategory, string>;
  for (const category of PETTY_CASH_CATEGORIES) pettyCash[category] = formatCents(record?.pettyCashSpent[category] ?? NO_CENTS);
  return {
    kamer: kamerId,
    year,
    budget: { lines: (budget?.lines ?? []).map((line) => ({ ...line })), total: formatCents(budgetTotal) },
    pledged: formatByStatus(pledged),
    invoiced: formatCents(invoicedNet),
    received: formatCents(received),
    outstanding: formatCents(invoicedNet - receivedOnInvoices),
    spent: { byLine: spentByLine(record, budget?.lines ?? []), pettyCash, total: formatCents(spentTotal) },
    pettyCashTransferred: formatCents(pettyCashTransferred),
    cash: formatCents(received - (record?.expenses ?? NO_CENTS) - pettyCashTransferred),
    fundingGap: formatCents(budgetTotal - pledged.committed),
    volunteers: {
      hours: { resident: formatCents(record?.volunteerHours.resident ?? NO_CENTS), professional: formatCents(record?.volunteerHours.professional ?? NO_CENTS) },
      value: formatCents(volunteerEuros),
      activeVolunteers: activeVolunteers(record),
    },
    popularBudget: formatCents(popularBudget),
    financiersShare: share,
  };
}
