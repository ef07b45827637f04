import type { CommandHandler } from './command-handler.js';
import { streams } from '../domain/events.js';
import { pledgeDecider, type Pledge } from '../domain/pledges/decider.js';

/**
 * A pledge as its own stream says it is now: financier, room, year, form, status and the current
 * amount (or share). Invoicing reads it to decide; it goes through the command handler's state
 * cache, so a lookup reads only the events appended since the last one.
 */
export async function loadPledge(commands: CommandHandler, pledgeId: string): Promise<Pledge | undefined> {
  const { state } = await commands.load(pledgeDecider, streams.pledge(pledgeId));
  return state.made ? state.pledge : undefined;
}

/** The same lookup in the shape of `Lookups`, for routes that hold one per plugin. */
export class PledgeLookups {
  constructor(private readonly commands: CommandHandler) {}

  pledge(pledgeId: string): Promise<Pledge | undefined> {
    return loadPledge(this.commands, pledgeId);
  }
}
