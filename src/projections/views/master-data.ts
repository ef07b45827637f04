import type { FinancierKind } from '../../domain/events.js';
import type { BudgetRecord, FinancierRecord, KamerRecord, RegistryState } from '../registry.js';
import { pageOf, present, type Page, type PageRequest } from './paging.js';

export interface KamerView {
  readonly id: string;
  readonly name: string;
  readonly teamLeaderIban?: string;
}

export interface KamerFilter {
  /** Only this room (a team leader's own). */
  readonly only?: string | undefined;
  /** The team leader's IBAN is for the treasurer and the accountant only. */
  readonly withIban: boolean;
}

const byId = <R>(key: (row: R) => string) => (a: R, b: R) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The rooms, by id. */
export function listKamers(registry: RegistryState, filter: KamerFilter, page: PageRequest): Page<KamerView> {
  const rows = [...registry.kamers.values()].filter((kamer) => filter.only === undefined || kamer.kamerId === filter.only).sort(byId((kamer: KamerRecord) => kamer.kamerId));
  return pageOf(rows, page, (kamer) => ({ id: kamer.kamerId, name: kamer.name, ...(filter.withIban ? present('teamLeaderIban', kamer.teamLeaderIban) : {}) }));
}

export type FinancierView = Omit<FinancierRecord, 'financierId'> & { readonly id: string };

export interface FinancierFilter {
  /** Only this financier (a financier's own). */
  readonly only?: string | undefined;
  readonly kind?: FinancierKind | undefined;
}

/** The financiers with their details as registered or last changed, by id. */
export function listFinanciers(registry: RegistryState, filter: FinancierFilter, page: PageRequest): Page<FinancierView> {
  const rows = [...registry.financiers.values()]
    .filter((financier) => (filter.only === undefined || financier.financierId === filter.only) && (filter.kind === undefined || financier.kind === filter.kind))
    .sort(byId((financier: FinancierRecord) => financier.financierId));
  return pageOf(rows, page, ({ financierId, ...rest }) => ({ id: financierId, ...rest }));
}

export interface BudgetView {
  readonly year: number;
  readonly lines: BudgetRecord['lines'];
  readonly total: string;
}

/** A room's budgets as they stand (the latest PUT of each year), by year. */
export function listBudgets(registry: RegistryState, kamer: string, year: number | undefined, page: PageRequest): Page<BudgetView> {
  const rows: BudgetView[] = [];
  for (const [key, budget] of registry.budgets) {
    const separator = key.lastIndexOf('|');
    if (key.slice(0, separator) !== kamer) continue;
    const budgetYear = Number(key.slice(separator + 1));
    if (year === undefined || budgetYear === year) rows.push({ year: budgetYear, lines: budget.lines, total: budget.total });
  }
  return pageOf(
    rows.sort((a, b) => a.year - b.year),
    page,
    (row) => row,
  );
}
