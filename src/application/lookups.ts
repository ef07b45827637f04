import type { CommandHandler } from './command-handler.js';
import { budgetDecider, cooperativeDecider, financierDecider, kamerDecider, valuationRatesDecider, type CooperativeState } from '../domain/registry/deciders.js';
import { streams, type EventData } from '../domain/events.js';
import { formatAmount } from '../domain/money.js';
import { receivablesDecider } from '../domain/receivables/decider.js';
import { claimedOnPledge } from '../domain/receivables/state.js';

/**
 * Reads of other streams that a command needs to decide (does the room exist, does the
 * financier pay by invoice). They go through the command handler's state cache.
 */
export class Lookups {
  constructor(private readonly commands: CommandHandler) {}

  async kamer(kamerId: string): Promise<EventData<'KamerRegistered'> | undefined> {
    const { state } = await this.commands.load(kamerDecider, streams.kamer(kamerId));
    return state.registered ? state.kamer : undefined;
  }

  async financier(financierId: string): Promise<EventData<'FinancierRegistered'> | undefined> {
    const { state } = await this.commands.load(financierDecider, streams.financier(financierId));
    return state.registered ? state.financier : undefined;
  }

  /** The cooperative's details as they stand, with the revision of the event that set them. */
  async cooperative(): Promise<CooperativeState['current']> {
    const { state } = await this.commands.load(cooperativeDecider, streams.cooperative());
    return state.current;
  }

  async budget(kamerId: string, year: number): Promise<EventData<'BudgetSet'> | undefined> {
    const { state } = await this.commands.load(budgetDecider, streams.budget(kamerId, year));
    return state.budget;
  }

  async valuationRates(year: number): Promise<Partial<Record<'resident' | 'professional', string>>> {
    const { state } = await this.commands.load(valuationRatesDecider, streams.valuationRates(year));
    return state.perHour;
  }

  /** What was invoiced on a pledge (net of credit notes) and paid on it directly, as the receivables stream says now. */
  async claimedOnPledge(pledgeId: string): Promise<string> {
    const { state } = await this.commands.load(receivablesDecider, streams.receivables());
    return formatAmount(claimedOnPledge(state, pledgeId));
  }
}
