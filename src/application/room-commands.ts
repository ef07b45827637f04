import { randomUUID } from 'node:crypto';
import { v7 as timeOrderedId } from 'uuid';
import type { CommandHandler, CommandMetadata, CommandResult } from './command-handler.js';
import { Lookups } from './lookups.js';
import { dateInAmsterdam, monthOf, yearOf } from '../domain/calendar.js';
import { streams, type EventData } from '../domain/events.js';
import { pettyCashDecider } from '../domain/petty-cash/decider.js';
import type { PettyCashState } from '../domain/petty-cash/state.js';
import { volunteerEntryDecider, type VolunteerEntryState } from '../domain/volunteer-hours/decider.js';

/**
 * A room's writes that the API and the pages (treasurer's and team leader's) share: transferring
 * and spending petty cash and recording volunteer hours. The routes only translate HTTP to these
 * and their outcome back.
 */
export interface RoomCommandDependencies {
  readonly commands: CommandHandler;
  readonly clock: () => Date;
}

type Answer<Outcome> = (outcome: Outcome) => { readonly status: number; readonly body: string };

export interface TransferInput {
  readonly date: string;
  readonly amount: string;
  /** The month the transfer counts against; default: the month of `date`. */
  readonly month?: string | undefined;
}

export interface TransferOutcome {
  readonly transfer: EventData<'PettyCashTransferred'>;
  readonly state: PettyCashState;
  readonly position: string | undefined;
}

export interface SpendingInput {
  readonly date: string;
  readonly category: EventData<'PettyCashSpent'>['category'];
  readonly amount: string;
  readonly description: string;
  readonly receipt?: string | undefined;
}

/** As a transfer's outcome, with the spending instead of the transfer. */
export type SpendingOutcome = Omit<TransferOutcome, 'transfer'> & { readonly spending: EventData<'PettyCashSpent'> };

export interface VolunteerHoursInput {
  /** Only an import names the id (derived from its file, so a second upload finds its rows); default: a fresh UUID. */
  readonly entryId?: string | undefined;
  readonly volunteer: string;
  readonly date: string;
  readonly hours: string;
  readonly kind: EventData<'VolunteerHoursRecorded'>['kind'];
  readonly activity?: string | undefined;
}

export interface VolunteerHoursOutcome {
  readonly entryId: string;
  readonly state: VolunteerEntryState;
  readonly position: string | undefined;
  /** The year's hourly rates, read while the command was built, so the answer needs no I/O. */
  readonly rates: Partial<Record<'resident' | 'professional', string>>;
}

export class RoomCommands {
  private readonly lookups: Lookups;

  constructor(private readonly deps: RoomCommandDependencies) {
    this.lookups = new Lookups(deps.commands);
  }

  private today(): string {
    return dateInAmsterdam(this.deps.clock());
  }

  private async kamerExists(kamer: string): Promise<boolean> {
    return (await this.lookups.kamer(kamer)) !== undefined;
  }

  async transferPettyCash(kamer: string, input: TransferInput, metadata: CommandMetadata, answer?: Answer<TransferOutcome>): Promise<CommandResult<PettyCashState> & { transfer: TransferOutcome['transfer'] }> {
    const { date, amount } = input;
    const transfer = { transferId: randomUUID(), kamerId: kamer, date, month: input.month ?? monthOf(date), amount };
    const result = await this.deps.commands.execute(
      pettyCashDecider,
      streams.pettyCash(kamer),
      async () => ({ type: 'TransferPettyCash' as const, transfer, today: this.today(), kamerExists: await this.kamerExists(kamer) }),
      metadata,
      answer && (({ state, position }) => answer({ transfer, state, position })),
    );
    return { ...result, transfer };
  }

  async spendPettyCash(kamer: string, input: SpendingInput, metadata: CommandMetadata, answer?: Answer<SpendingOutcome>): Promise<CommandResult<PettyCashState> & { spending: SpendingOutcome['spending'] }> {
    const { receipt, ...rest } = input;
    const spending = { spendingId: randomUUID(), kamerId: kamer, ...rest, ...(receipt === undefined ? {} : { receipt }) };
    const result = await this.deps.commands.execute(
      pettyCashDecider,
      streams.pettyCash(kamer),
      async () => ({ type: 'SpendPettyCash' as const, spending, today: this.today(), kamerExists: await this.kamerExists(kamer) }),
      metadata,
      answer && (({ state, position }) => answer({ spending, state, position })),
    );
    return { ...result, spending };
  }

  async recordVolunteerHours(kamer: string, input: VolunteerHoursInput, metadata: CommandMetadata, answer?: Answer<VolunteerHoursOutcome>): Promise<CommandResult<VolunteerEntryState> & { entryId: string }> {
    const { volunteer, date, hours, kind, activity } = input;
    const entryId = input.entryId ?? timeOrderedId();
    let rates: VolunteerHoursOutcome['rates'] = {};
    const result = await this.deps.commands.execute(
      volunteerEntryDecider,
      streams.volunteerEntry(entryId),
      async () => {
        rates = await this.lookups.valuationRates(yearOf(date));
        return {
          type: 'RecordVolunteerHours' as const,
          entry: { entryId, kamerId: kamer, volunteerId: volunteer, date, hours, kind, ...(activity === undefined ? {} : { activity }) },
          today: this.today(),
          kamerExists: await this.kamerExists(kamer),
        };
      },
      metadata,
      answer && (({ state, position }) => answer({ entryId, state, position, rates })),
      undefined,
      // An entry id of our own is a stream nobody has written; one the caller names may exist.
      { newStream: input.entryId === undefined },
    );
    return { ...result, entryId };
  }
}
