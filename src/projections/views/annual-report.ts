import type { PettyCashCategory } from '../../domain/events.js';
import { PETTY_CASH_CATEGORY_LABELS } from '../../domain/petty-cash/categories.js';
import { cents, formatCents, NO_CENTS, type Cents } from '../cents.js';
import type { PledgesState } from '../pledges.js';
import type { ReceivablesState } from '../receivables.js';
import { roomYearKey, type RegistryState } from '../registry.js';
import { PETTY_CASH_CATEGORIES, type RoomsState } from '../rooms.js';
import { roomBudgetView, type RoomBudgetView } from './budget.js';
import { financierPositionView, type FinancierPositionView } from './financier-position.js';
import { formatByStatus, sumByStatus } from './pledges.js';

/**
 * The annual report (jaarrapportage) of a year: per room the budget against actual spending, what
 * each financier pledged, was invoiced and paid, the volunteers and the funding result; per
 * financier its invoices with when they were paid. Every figure is taken from the views the other
 * reads answer with (roomBudgetView, financierPositionView, sumByStatus), never recomputed, so the
 * report cannot disagree with GET /kamers/:kamer/budget/:year or GET /financiers/:id/position.
 */
export interface AnnualReportInputs {
  readonly registry: RegistryState;
  readonly pledges: PledgesState;
  readonly receivables: ReceivablesState;
  readonly rooms: RoomsState;
}

export interface BudgetLineResult {
  readonly line: string;
  readonly label: string;
  readonly budgeted: string;
  readonly spent: string;
  /** budgeted − spent: what is left of the line (negative when overspent). */
  readonly remaining: string;
}

export interface RoomFinancierRow {
  readonly financier: string;
  readonly name: string;
  readonly pledgedByStatus: ReturnType<typeof formatByStatus>;
  readonly invoiced: string;
  readonly paid: string;
  readonly open: string;
  readonly overdue: string;
}

export interface AnnualReportRoom {
  readonly kamer: string;
  readonly name: string;
  readonly budgetLines: BudgetLineResult[];
  readonly pettyCash: Array<{ category: PettyCashCategory; label: string; spent: string }>;
  readonly budgetTotal: string;
  readonly spentTotal: string;
  readonly financiers: RoomFinancierRow[];
  readonly pledged: RoomBudgetView['pledged'];
  readonly invoiced: string;
  readonly received: string;
  readonly outstanding: string;
  readonly volunteers: RoomBudgetView['volunteers'];
  readonly popularBudget: string;
  readonly financiersShare: string;
  readonly fundingResult: FundingResult;
}

/** Did the money promised cover the plan and what was actually spent? */
export interface FundingResult {
  readonly budgeted: string;
  /** Committed pledges, cash and in kind. */
  readonly committed: string;
  /** budgeted − committed: the funding gap of the plan (negative when over-funded). */
  readonly fundingGap: string;
  readonly spent: string;
  /** committed − spent: a surplus (positive) or shortfall (negative) against actual spending. */
  readonly result: string;
  /** received − expenses − petty cash transferred: the room's money on the cooperative's account. */
  readonly cash: string;
}

export interface AnnualReportFinancier {
  readonly financier: string;
  readonly name: string;
  readonly pledged: string;
  readonly pledgedByStatus: FinancierPositionView['pledgedByStatus'];
  readonly invoiced: string;
  readonly paid: string;
  readonly open: string;
  readonly overdue: string;
  readonly fourWeeks: FinancierPositionView['fourWeeks'];
  readonly invoices: FinancierPositionView['invoices'];
}

export interface AnnualReportView {
  readonly year: number;
  /** The financier the report is for; null for the cooperative's full report. */
  readonly financier: string | null;
  /** The day open invoices are judged overdue on: `asOf`, else 31 December of the year (today while the year runs). */
  readonly referenceDate: string;
  readonly rooms: AnnualReportRoom[];
  readonly financiers: AnnualReportFinancier[];
  readonly totals: AnnualReportTotals;
}

export interface AnnualReportTotals {
  readonly budgeted: string;
  readonly spent: string;
  readonly committed: string;
  readonly inKind: string;
  readonly invoiced: string;
  readonly received: string;
  readonly volunteerValue: string;
  readonly popularBudget: string;
  readonly fundingGap: string;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The financiers with a pledge or an invoice for the room's year, in id order. */
function financiersOfRoom(inputs: AnnualReportInputs, kamer: string, year: number): string[] {
  const ids = new Set((inputs.pledges.byRoomYear.get(roomYearKey(kamer, year)) ?? []).map((pledge) => pledge.financierId));
  for (const [financier, invoices] of inputs.receivables.invoicesByFinancier) {
    if (invoices.some((invoice) => invoice.kamerId === kamer && invoice.year === year)) ids.add(financier);
  }
  return [...ids].sort(byId);
}

/** Rooms with anything in the year: a budget, a pledge, an invoice, spending or hours. */
function roomsOfYear(inputs: AnnualReportInputs, year: number): string[] {
  return [...inputs.registry.kamers.keys()]
    .filter(
      (kamer) =>
        inputs.registry.budgets.has(roomYearKey(kamer, year)) ||
        inputs.pledges.byRoomYear.has(roomYearKey(kamer, year)) ||
        inputs.rooms.byRoom.get(kamer)?.has(year) === true,
    )
    .sort(byId);
}

function budgetLines(budget: RoomBudgetView): BudgetLineResult[] {
  const labels = new Map(budget.budget.lines.map((line) => [line.line, line]));
  // Budgeted lines in the budget's order, then lines spent on without a budget.
  const lines = [...budget.budget.lines.map((line) => line.line), ...Object.keys(budget.spent.byLine).filter((line) => !labels.has(line)).sort(byId)];
  return lines.map((line) => {
    const budgeted = cents(labels.get(line)?.amount ?? '0.00');
    const spent = cents(budget.spent.byLine[line] ?? '0.00');
    return { line, label: labels.get(line)?.label ?? line, budgeted: formatCents(budgeted), spent: formatCents(spent), remaining: formatCents(budgeted - spent) };
  });
}

function financierRow(inputs: AnnualReportInputs, position: FinancierPositionView, kamer: string, year: number): RoomFinancierRow {
  const figures = position.rooms.find((room) => room.kamer === kamer && room.year === year);
  const pledges = (inputs.pledges.byFinancier.get(position.financier) ?? []).filter((pledge) => pledge.kamerId === kamer && pledge.year === year);
  return {
    financier: position.financier,
    name: inputs.registry.financiers.get(position.financier)?.name ?? position.financier,
    pledgedByStatus: formatByStatus(sumByStatus(pledges, inputs.rooms)),
    invoiced: figures?.invoiced ?? '0.00',
    paid: figures?.paid ?? '0.00',
    open: figures?.open ?? '0.00',
    overdue: figures?.overdue ?? '0.00',
  };
}

function roomReport(inputs: AnnualReportInputs, kamer: string, year: number, positions: ReadonlyMap<string, FinancierPositionView>): AnnualReportRoom {
  const budget = roomBudgetView(inputs, kamer, year);
  const financiers = financiersOfRoom(inputs, kamer, year).flatMap((financier) => {
    const position = positions.get(financier);
    return position ? [financierRow(inputs, position, kamer, year)] : [];
  });
  return {
    kamer,
    name: inputs.registry.kamers.get(kamer)?.name ?? kamer,
    budgetLines: budgetLines(budget),
    pettyCash: PETTY_CASH_CATEGORIES.map((category) => ({ category, label: PETTY_CASH_CATEGORY_LABELS[category], spent: budget.spent.pettyCash[category] })),
    budgetTotal: budget.budget.total,
    spentTotal: budget.spent.total,
    financiers,
    pledged: budget.pledged,
    invoiced: budget.invoiced,
    received: budget.received,
    outstanding: budget.outstanding,
    volunteers: budget.volunteers,
    popularBudget: budget.popularBudget,
    financiersShare: budget.financiersShare,
    fundingResult: {
      budgeted: budget.budget.total,
      committed: budget.pledged.committed,
      fundingGap: budget.fundingGap,
      spent: budget.spent.total,
      result: formatCents(cents(budget.pledged.committed) - cents(budget.spent.total)),
      cash: budget.cash,
    },
  };
}

function totalsOf(rooms: readonly AnnualReportRoom[]): AnnualReportTotals {
  const add = (pick: (room: AnnualReportRoom) => string): string => formatCents(rooms.reduce<Cents>((total, room) => total + cents(pick(room)), NO_CENTS));
  return {
    budgeted: add((room) => room.budgetTotal),
    spent: add((room) => room.spentTotal),
    committed: add((room) => room.pledged.committed),
    inKind: add((room) => room.pledged.inKind),
    invoiced: add((room) => room.invoiced),
    received: add((room) => room.received),
    volunteerValue: add((room) => room.volunteers.value),
    popularBudget: add((room) => room.popularBudget),
    fundingGap: add((room) => room.fundingResult.fundingGap),
  };
}

/**
 * The report for a year. With a financier: only the rooms it pledged to or was invoiced for, and
 * only its own pledges, invoices and payments. The rooms' own figures (budget, spending,
 * volunteers, funding result) stay whole: they are the accountability the financier is owed.
 */
export function annualReportView(inputs: AnnualReportInputs, year: number, financier: string | undefined, referenceDate: string): AnnualReportView {
  const positions = new Map<string, FinancierPositionView>();
  const rooms = roomsOfYear(inputs, year).filter((kamer) => financier === undefined || financiersOfRoom(inputs, kamer, year).includes(financier));
  for (const kamer of rooms) {
    for (const id of financiersOfRoom(inputs, kamer, year)) {
      if ((financier === undefined || id === financier) && !positions.has(id)) positions.set(id, financierPositionView(inputs, id, year, referenceDate));
    }
  }
  const roomReports = rooms.map((kamer) => roomReport(inputs, kamer, year, positions));
  const financiers = [...positions.values()]
    .sort((a, b) => byId(a.financier, b.financier))
    .map((position) => ({
      financier: position.financier,
      name: inputs.registry.financiers.get(position.financier)?.name ?? position.financier,
      pledged: position.pledged,
      pledgedByStatus: position.pledgedByStatus,
      invoiced: position.invoiced,
      paid: position.paid,
      open: position.open,
      overdue: position.overdue,
      fourWeeks: position.fourWeeks,
      invoices: position.invoices,
    }));
  return { year, financier: financier ?? null, referenceDate, rooms: roomReports, financiers, totals: totalsOf(roomReports) };
}
