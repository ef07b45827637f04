import { parseDomainEvent, streams, type DomainEvent } from '../domain/events.js';
import type { PettyCashTransferFact, PledgeFacts, PledgeReference } from '../domain/receivables/commands.js';
import { actualCostsFrom, pledgeFactsFrom } from '../domain/receivables/pledge-facts.js';
import type { EventStore } from '../store/port.js';

/**
 * The reads of other streams that invoicing and allocating need: a pledge as it stands, and a
 * room's actual costs for a share pledge. Each reads its stream afresh, so a retried command sees
 * a pledge that changed meanwhile.
 */
export class ReceivablesLookups {
  constructor(private readonly store: EventStore) {}

  async pledge(pledgeId: string): Promise<PledgeFacts | undefined> {
    return pledgeFactsFrom(await this.events(streams.pledge(pledgeId)));
  }

  async pledgeReference(pledgeId: string): Promise<PledgeReference> {
    return { pledgeId, facts: await this.pledge(pledgeId) };
  }

  /** Expenses paid for the room in `year` plus its petty cash spent with a date in `year`. */
  async actualCosts(kamerId: string, year: number): Promise<string> {
    const [expenses, pettyCash] = await Promise.all([this.events(streams.expenses(kamerId, year)), this.events(streams.pettyCash(kamerId))]);
    return actualCostsFrom(expenses, pettyCash, year);
  }

  /** Every petty-cash transfer of these rooms: a statement debit to a team leader may be one of them. */
  async pettyCashTransfers(kamerIds: readonly string[]): Promise<PettyCashTransferFact[]> {
    const perRoom = await Promise.all(kamerIds.map((kamerId) => this.events(streams.pettyCash(kamerId))));
    return perRoom.flat().flatMap((event) => {
      if (event.type !== 'PettyCashTransferred') return [];
      const { transferId, kamerId, date, amount } = event.data;
      return [{ transferId, kamerId, date, amount }];
    });
  }

  private async events(stream: string): Promise<DomainEvent[]> {
    const events: DomainEvent[] = [];
    for await (const recorded of this.store.readStream(stream)) events.push(parseDomainEvent(recorded));
    return events;
  }
}
