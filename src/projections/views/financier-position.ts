import { cents, formatCents, NO_CENTS, type Cents } from '../cents.js';
import type { PledgeRecord, PledgesState } from '../pledges.js';
import type { ReceivablesState } from '../receivables.js';
import { roomYearKey } from '../registry.js';
import type { RoomsState } from '../rooms.js';
import { invoiceStatus, invoiceView, openAmountOf } from './invoices.js';
import { countedAmount, formatByStatus, sumByStatus } from './pledges.js';

export interface PositionInputs {
  readonly pledges: PledgesState;
  readonly receivables: ReceivablesState;
  readonly rooms: RoomsState;
}

interface Figures {
  pledged: Cents;
  invoiced: Cents;
  paid: Cents;
  open: Cents;
  overdue: Cents;
}

const zeroFigures = (): Figures => ({ pledged: NO_CENTS, invoiced: NO_CENTS, paid: NO_CENTS, open: NO_CENTS, overdue: NO_CENTS });

function formatFigures(figures: Figures): Record<keyof Figures, string> {
  return {
    pledged: formatCents(figures.pledged),
    invoiced: formatCents(figures.invoiced),
    paid: formatCents(figures.paid),
    open: formatCents(figures.open),
    overdue: formatCents(figures.overdue),
  };
}

export interface PositionInvoice {
  readonly id: string;
  readonly number: string;
  readonly kamer: string;
  readonly year: number;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly total: string;
  readonly credited: string;
  readonly paidAmount: string;
  readonly openAmount: string;
  readonly paidOn: string | null;
  readonly daysToPay: number | null;
  readonly onTime: boolean | null;
  readonly status: ReturnType<typeof invoiceStatus>;
}

export interface FinancierPositionView extends Record<keyof Figures, string> {
  readonly financier: string;
  readonly year: number | null;
  readonly pledgedByStatus: ReturnType<typeof formatByStatus>;
  readonly paidWithoutInvoice: string;
  readonly rooms: Array<{ kamer: string; year: number } & Record<keyof Figures, string>>;
  readonly invoices: PositionInvoice[];
  readonly fourWeeks: FourWeekSummary;
  readonly byMonth: MonthFigures[];
}

/** The agreement's four-week rule over the invoices of a position. */
export interface FourWeekSummary {
  /** Paid in full within four weeks of the issue date. */
  readonly paidOnTime: number;
  /** Paid in full, later than four weeks after the issue date. */
  readonly paidLate: number;
  /** Not yet paid in full (open, partly paid or overdue), and how much they still ask. */
  readonly open: number;
  readonly openAmount: string;
  /** Of those, past their due date on the reference date, and how much they still ask. */
  readonly overdue: number;
  readonly overdueAmount: string;
}

/** Invoiced (by issue month, after credit notes) against paid (by the month an invoice was paid in full). */
export interface MonthFigures {
  readonly month: string;
  readonly invoiced: string;
  readonly paid: string;
}

export function fourWeekSummary(invoices: readonly PositionInvoice[]): FourWeekSummary {
  let openAmount = NO_CENTS;
  let overdueAmount = NO_CENTS;
  let open = 0;
  let overdue = 0;
  for (const invoice of invoices) {
    const asks = cents(invoice.openAmount);
    if (asks <= NO_CENTS) continue;
    open += 1;
    openAmount += asks;
    if (invoice.status === 'overdue') {
      overdue += 1;
      overdueAmount += asks;
    }
  }
  return {
    paidOnTime: invoices.filter((invoice) => invoice.onTime === true).length,
    paidLate: invoices.filter((invoice) => invoice.onTime === false).length,
    open,
    openAmount: formatCents(openAmount),
    overdue,
    overdueAmount: formatCents(overdueAmount),
  };
}

export function figuresByMonth(invoices: readonly PositionInvoice[]): MonthFigures[] {
  const months = new Map<string, { invoiced: Cents; paid: Cents }>();
  const at = (month: string) => {
    let figures = months.get(month);
    if (!figures) {
      figures = { invoiced: NO_CENTS, paid: NO_CENTS };
      months.set(month, figures);
    }
    return figures;
  };
  for (const invoice of invoices) {
    at(invoice.issueDate.slice(0, 7)).invoiced += cents(invoice.total) - cents(invoice.credited);
    if (invoice.paidOn !== null) at(invoice.paidOn.slice(0, 7)).paid += cents(invoice.paidAmount);
  }
  return [...months.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([month, figures]) => ({ month, invoiced: formatCents(figures.invoiced), paid: formatCents(figures.paid) }));
}

function figuresFor(byRoomYear: Map<string, Figures>, kamer: string, year: number): Figures {
  const key = roomYearKey(kamer, year);
  let figures = byRoomYear.get(key);
  if (!figures) {
    figures = zeroFigures();
    byRoomYear.set(key, figures);
  }
  return figures;
}

/**
 * A financier's position, optionally for one year (the pledge's or invoice's year):
 * - pledged: its committed pledges, cash and in kind (a share pledge at its share of actual
 *   spending); proposed and conditional ones are no promise yet and appear only in pledgedByStatus;
 * - invoiced: invoice totals − credit notes; paid: all money of it allocated to its invoices and
 *   pledges (paidWithoutInvoice: the part allocated straight to pledges, e.g. a subsidy decision);
 * - open: what its invoices still ask; overdue: the open amount of its invoices past due on the
 *   reference date.
 */
export function financierPositionView(inputs: PositionInputs, financierId: string, year: number | undefined, referenceDate: string): FinancierPositionView {
  const inYear = (candidate: number) => year === undefined || candidate === year;
  const byRoomYear = new Map<string, Figures>();
  const pledges: PledgeRecord[] = (inputs.pledges.byFinancier.get(financierId) ?? []).filter((pledge) => inYear(pledge.year));
  for (const pledge of pledges) {
    // Every room the financier pledged to gets a row, whatever the pledge's status.
    const figures = figuresFor(byRoomYear, pledge.kamerId, pledge.year);
    if (pledge.status === 'committed') figures.pledged += countedAmount(pledge, inputs.rooms);
  }
  let paidWithoutInvoice = NO_CENTS;
  for (const totals of inputs.receivables.financierTotals.get(financierId)?.values() ?? []) {
    if (!inYear(totals.year)) continue;
    const figures = figuresFor(byRoomYear, totals.kamerId, totals.year);
    figures.invoiced += totals.invoiced - totals.credited;
    figures.paid += totals.paidOnInvoices + totals.paidOnPledges;
    paidWithoutInvoice += totals.paidOnPledges;
  }
  const invoices: PositionInvoice[] = [];
  for (const invoice of inputs.receivables.invoicesByFinancier.get(financierId) ?? []) {
    if (!inYear(invoice.year)) continue;
    const figures = figuresFor(byRoomYear, invoice.kamerId, invoice.year);
    const open = openAmountOf(invoice);
    figures.open += open;
    const view = invoiceView(invoice, referenceDate);
    if (view.status === 'overdue') figures.overdue += open;
    invoices.push({
      id: view.id,
      number: view.number,
      kamer: view.kamer,
      year: view.year,
      issueDate: view.issueDate,
      dueDate: view.dueDate,
      total: view.total,
      credited: view.credited,
      paidAmount: view.paidAmount,
      openAmount: view.openAmount,
      paidOn: view.paidOn ?? null,
      daysToPay: view.daysToPay ?? null,
      onTime: view.onTime ?? null,
      status: view.status,
    });
  }
  const total = zeroFigures();
  const rooms = [...byRoomYear.entries()].map(([key, figures]) => {
    for (const field of Object.keys(total) as Array<keyof Figures>) total[field] += figures[field];
    const [kamer, roomYear] = key.split('|') as [string, string];
    return { kamer, year: Number(roomYear), ...formatFigures(figures) };
  });
  rooms.sort((a, b) => a.year - b.year || (a.kamer < b.kamer ? -1 : a.kamer > b.kamer ? 1 : 0));
  return {
    financier: financierId,
    year: year ?? null,
    ...formatFigures(total),
    pledgedByStatus: formatByStatus(sumByStatus(pledges, inputs.rooms)),
    paidWithoutInvoice: formatCents(paidWithoutInvoice),
    rooms,
    invoices,
    fourWeeks: fourWeekSummary(invoices),
    byMonth: figuresByMonth(invoices),
  };
}
