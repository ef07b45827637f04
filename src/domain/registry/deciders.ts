import type { Decider } from '../decider.js';
import { unexpectedEvent } from '../decider.js';
import { refuse } from '../errors.js';
import type { EventData, EventOf, FinancierDetails } from '../events.js';
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
/** Replaces the financier's address, e-mail, e-invoice id and buyer-reference rule (absent = not known). */
export interface ChangeFinancierDetails {
  readonly type: 'ChangeFinancierDetails';
  readonly financierId: string;
  readonly details: FinancierDetails;
}
export type FinancierCommand = RegisterFinancier | ChangeFinancierDetails;
export type FinancierState =
  | { readonly registered: false }
  | { readonly registered: true; readonly financier: EventData<'FinancierRegistered'> };
type FinancierEvent = EventOf<'FinancierRegistered'> | EventOf<'FinancierDetailsChanged'>;

const DETAIL_KEYS = ['address', 'email', 'eInvoiceId', 'requiresBuyerReference'] as const;

/** The financier with its four details replaced by `details`. */
function withDetails(financier: EventData<'FinancierRegistered'>, details: FinancierDetails): EventData<'FinancierRegistered'> {
  const rest = Object.fromEntries(Object.entries(financier).filter(([key]) => !(DETAIL_KEYS as readonly string[]).includes(key)));
  return { ...(rest as EventData<'FinancierRegistered'>), ...definedOnly(details) };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

export const financierDecider: Decider<FinancierCommand, FinancierState, FinancierEvent> = {
  name: 'financier',
  initialState: { registered: false },
  decide(command, state) {
    switch (command.type) {
      case 'RegisterFinancier':
        if (state.registered) refuse('DUPLICATE_ID', `a financier with id ${command.financier.financierId} already exists`, 'id');
        return [{ type: 'FinancierRegistered', data: definedOnly(command.financier) }];
      case 'ChangeFinancierDetails':
        if (!state.registered) return refuse('NOT_FOUND', `no financier ${command.financierId}`);
        return [{ type: 'FinancierDetailsChanged', data: { financierId: command.financierId, ...definedOnly(command.details) } }];
      default: {
        const unhandled: never = command;
        throw new Error(`financier: unknown command ${(unhandled as { type: string }).type}`);
      }
    }
  },
  evolve(state, event) {
    if (event.type === 'FinancierRegistered' && !state.registered) return { registered: true, financier: event.data };
    if (event.type === 'FinancierDetailsChanged' && state.registered) {
      const { financierId: _financierId, ...details } = event.data;
      return { registered: true, financier: withDetails(state.financier, details) };
    }
    return unexpectedEvent('financier', event);
  },
};

// The cooperative itself ------------------------------------------------------------------------------
export interface SetCooperativeDetails {
  readonly type: 'SetCooperativeDetails';
  readonly details: EventData<'CooperativeDetailsSet'>;
}
export interface CooperativeState {
  /** The latest details, and the stream revision of the event that set them (0 for the first). */
  readonly current?: { readonly details: EventData<'CooperativeDetailsSet'>; readonly revision: number };
}

export const cooperativeDecider: Decider<SetCooperativeDetails, CooperativeState, EventOf<'CooperativeDetailsSet'>> = {
  name: 'cooperative',
  initialState: {},
  decide(command) {
    return [{ type: 'CooperativeDetailsSet', data: definedOnly(command.details) }];
  },
  evolve(state, event) {
    if (event.type !== 'CooperativeDetailsSet') return unexpectedEvent('cooperative', event);
    return { current: { details: event.data, revision: state.current === undefined ? 0 : state.current.revision + 1 } };
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
