import type { AnswerBuilder, CommandHandler, CommandMetadata } from './command-handler.js';
import { financierDecider, kamerDecider, type FinancierState, type KamerState } from '../domain/registry/deciders.js';
import { streams, type EventData } from '../domain/events.js';

/**
 * Registering a room or a financier: the one command path that POST /kamers, POST /financiers and
 * the treasurer's page forms all run, so a form can never record what the API would refuse.
 */
export interface KamerInput {
  readonly id: string;
  readonly name: string;
  readonly teamLeaderIban?: string | undefined;
}

export function registerKamer(commands: CommandHandler, input: KamerInput, metadata: CommandMetadata, answer?: AnswerBuilder<KamerState>) {
  const { id, name, teamLeaderIban } = input;
  return commands.execute(
    kamerDecider,
    streams.kamer(id),
    () => ({ type: 'RegisterKamer' as const, kamerId: id, name, ...(teamLeaderIban ? { teamLeaderIban } : {}) }),
    metadata,
    answer,
  );
}

/** The API's financier body: its `id` becomes the event's `financierId`; an empty IBAN is left out. */
export type FinancierInput = Omit<EventData<'FinancierRegistered'>, 'financierId' | 'iban'> & { readonly id: string; readonly iban?: string | undefined };

export function registerFinancier(commands: CommandHandler, input: FinancierInput, metadata: CommandMetadata, answer?: AnswerBuilder<FinancierState>) {
  const { id, iban, ...rest } = input;
  const financier = { financierId: id, ...rest, ...(iban ? { iban } : {}) };
  return commands.execute(financierDecider, streams.financier(id), () => ({ type: 'RegisterFinancier' as const, financier }), metadata, answer);
}
