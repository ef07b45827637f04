import type { EventData, VolunteerKind } from '../domain/events.js';
import type { Projection } from './projection.js';

export type KamerRecord = EventData<'KamerRegistered'>;
export type FinancierRecord = EventData<'FinancierRegistered'>;
export interface BudgetRecord {
  readonly lines: EventData<'BudgetSet'>['lines'];
  readonly total: string;
}

/** Master data as the projections need it: which rooms and financiers exist, budgets, hour rates. */
export interface RegistryState {
  readonly kamers: Map<string, KamerRecord>;
  readonly financiers: Map<string, FinancierRecord>;
  /** Keyed by `roomYearKey`: the latest BudgetSet replaces the earlier one. */
  readonly budgets: Map<string, BudgetRecord>;
  /** Per year, the latest rate per kind. */
  readonly valuationRates: Map<number, Partial<Record<VolunteerKind, string>>>;
}

/** The key of a room's year in every projection's maps. */
export function roomYearKey(kamerId: string, year: number): string {
  return `${kamerId}|${year}`;
}

export const registryProjection: Projection<RegistryState> = {
  name: 'registry',
  eventTypes: ['KamerRegistered', 'FinancierRegistered', 'FinancierDetailsChanged', 'BudgetSet', 'ValuationRateSet'],
  initial: () => ({ kamers: new Map(), financiers: new Map(), budgets: new Map(), valuationRates: new Map() }),
  apply(state, { event }) {
    switch (event.type) {
      case 'KamerRegistered':
        state.kamers.set(event.data.kamerId, event.data);
        break;
      case 'FinancierRegistered':
        state.financiers.set(event.data.financierId, event.data);
        break;
      case 'FinancierDetailsChanged': {
        const registered = state.financiers.get(event.data.financierId);
        const { address: _address, email: _email, eInvoiceId: _eInvoiceId, requiresBuyerReference: _requires, ...identity } = registered ?? event.data;
        const { financierId: _financierId, ...details } = event.data;
        if (registered) state.financiers.set(event.data.financierId, { ...(identity as FinancierRecord), ...details });
        break;
      }
      case 'BudgetSet':
        state.budgets.set(roomYearKey(event.data.kamerId, event.data.year), { lines: event.data.lines, total: event.data.total });
        break;
      case 'ValuationRateSet': {
        const rates = state.valuationRates.get(event.data.year) ?? {};
        rates[event.data.kind] = event.data.perHour;
        state.valuationRates.set(event.data.year, rates);
        break;
      }
      default:
        break;
    }
    return state;
  },
};
