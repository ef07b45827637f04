import type { Decider } from '../decider.js';
import { unexpectedEvent } from '../decider.js';
import { refuse } from '../errors.js';
import type { EventData, EventOf } from '../events.js';
import { formatAmount, sum } from '../money.js';

// Rooms -------------------------------------------------------------------------------------------
export interface RegisterKamer {
  readonly type: 'RegisterKamer';
  readonly kamerId: string;
  readonly name: string;
  readonly teamLeaderIban?: string;
}
export type KamerState = { readonly registered: false } | { readonly registered: true; readonly kamer: EventData<'KamerRegistered'> };

export const kamerDecider: Decider<RegisterKamer, KamerState, EventOf<'KamerRegistered'>> = {
  name: 'kamer',
  initialState: { registered: false },
  decide(command, state) {
    if (state.registered) refuse('DUPLICATE_ID', `a kamer with id ${command.kamerId} already exists`, 'id');
    return [
      {
        type: 'KamerRegistered',
        data: {
          kamerId: command.kamerId,
          name: command.name,
          ...(command.teamLeaderIban ? { teamLeaderIban: command.teamLeaderIban } : {}),
        },
      },
    ];
  },
  evolve(state, event) {
    if (event.type !== 'KamerRegistered' || state.registered) return unexpectedEvent('kamer', event);
    return { registered: true, kamer: event.data };
  },
};

// Financiers --------------------------------------------------------------------------------------
export interface RegisterFinancier {
  readonly type: 'RegisterFinancier';
  readonly financier: EventData<'FinancierRegistered'>;
}
export type FinancierState =
  | { readonly registered: false }
  | { readonly registered: true; readonly financier: EventData<'FinancierRegistered'> };

export const financierDecider: Decider<RegisterFinancier, FinancierState, EventOf<'FinancierRegistered'>> = {
  name: 'financier',
  initialState: { registered: false },
  decide(command, state) {
    if (state.registered) refuse('DUPLICATE_ID', `a financier with id ${command.financier.financierId} already exists`, 'id');
    return [{ type: 'FinancierRegistered', data: command.financier }];
  },
  evolve(state, event) {
    if (event.type !== 'FinancierRegistered' || state.registered) return unexpectedEvent('financier', event);
    return { registered: true, financier: event.data };
  },
};

// Budgets (begroting) -----------------------------------------------------------------------------
export interface SetBudget {
  readonly type: 'SetBudget';
  readonly kamerId: string;
  readonly year: number;
  readonly lines: EventData<'BudgetSet'>['lines'];
  /** Looked up by the caller: a budget for a room that does not exist is refused. */
  readonly kamerExists: boolean;
}
export interface BudgetState {
  readonly budget?: EventData<'BudgetSet'>;
}

export const budgetDecider: Decider<SetBudget, BudgetState, EventOf<'BudgetSet'>> = {
  name: 'budget',
  initialState: {},
  decide(command) {
    if (!command.kamerExists) refuse('NOT_FOUND', `no kamer ${command.kamerId}`, 'kamer');
    const seen = new Set<string>();
    command.lines.forEach((line, index) => {
      if (seen.has(line.line)) refuse('INVALID_INPUT', `budget line ${line.line} appears twice`, `lines.${index}.line`);
      seen.add(line.line);
    });
    const total = formatAmount(sum(command.lines.map((line) => line.amount)));
    return [{ type: 'BudgetSet', data: { kamerId: command.kamerId, year: command.year, lines: command.lines, total } }];
  },
  evolve(_state, event) {
    if (event.type !== 'BudgetSet') return unexpectedEvent('budget', event);
    return { budget: event.data };
  },
};

// Valuation rates for volunteer hours ---------------------------------------------------------------
export interface SetValuationRate {
  readonly type: 'SetValuationRate';
  readonly rate: EventData<'ValuationRateSet'>;
}
export interface ValuationRatesState {
  readonly perHour: Partial<Record<'resident' | 'professional', string>>;
}

export const valuationRatesDecider: Decider<SetValuationRate, ValuationRatesState, EventOf<'ValuationRateSet'>> = {
  name: 'valuation-rates',
  initialState: { perHour: {} },
  decide(command) {
    return [{ type: 'ValuationRateSet', data: command.rate }];
  },
  evolve(state, event) {
    if (event.type !== 'ValuationRateSet') return unexpectedEvent('valuation-rates', event);
    return { perHour: { ...state.perHour, [event.data.kind]: event.data.perHour } };
  },
};
