import type { EventStore } from '../store/port.js';
import { comparePositionStrings } from './log-reader.js';
import { EMPTY_LOG } from './runner.js';

/**
 * What a view of one financier or one room depends on, named by the ids events carry. A view
 * lists the parts it read (`financierPart`, `kamerPart`); every view also depends on
 * `EVERYTHING`, the part an event touches when it names neither (a valuation rate, a bank
 * statement, a year closing).
 */
export const financierPart = (financierId: string): string => `financier:${financierId}`;
export const kamerPart = (kamerId: string): string => `kamer:${kamerId}`;
export const EVERYTHING = '*';

/**
 * The event types whose effect on the read projections is confined to the financier and the
 * room their data names (checked against src/projections: each of these changes only the pledge,
 * invoice, payment allocation, room-year or registry record of that financier or room). Any other
 * type, including one added later and not listed here, touches EVERYTHING: forgetting a type
 * here costs a cache miss, never a stale answer.
 */
const CONFINED_TYPES: ReadonlySet<string> = new Set([
  'KamerRegistered',
  'FinancierRegistered',
  'FinancierDetailsChanged',
  'BudgetSet',
  'PledgeMade',
  'PledgeStatusChanged',
  'PledgeAmended',
  'InvoiceIssued',
  'CreditNoteIssued',
  'PaymentAllocated',
  'ReminderSent',
  'ExpensePaid',
  'PettyCashTransferred',
  'PettyCashSpent',
  'VolunteerHoursRecorded',
  'VolunteerHoursReversed',
]);

/** The parts an event of `type` with this JSON `data` changes. */
export function partsTouchedBy(type: string, data: string): readonly string[] {
  if (!CONFINED_TYPES.has(type)) return [EVERYTHING];
  const ids = JSON.parse(data) as { financierId?: unknown; kamerId?: unknown };
  const parts: string[] = [];
  if (typeof ids.financierId === 'string') parts.push(financierPart(ids.financierId));
  if (typeof ids.kamerId === 'string') parts.push(kamerPart(ids.kamerId));
  return parts.length === 0 ? [EVERYTHING] : parts;
}

const SCAN_BATCH = 256;
const perStore = new WeakMap<EventStore, LogChanges>();

/**
 * The log position of the last event that touched each part, for the events after the first
 * position it was asked about (it keeps no history: a view computed before that position is
 * never asked about). Lets a cached view of one financier outlive writes about the others: a
 * view computed at position P is still the answer at Q when no event in (P, Q] touched a part it
 * depends on. It reads the new events itself (one small query per read that meets a new position),
 * so the projections and their checkpoints are not changed by it.
 */
export class LogChanges {
  /** The first position asked about; undefined until then. */
  private startedAt: string | undefined;
  /** The last event read (EMPTY_LOG: none yet, the log was empty when it started). */
  private readThrough = EMPTY_LOG;
  private readonly lastTouched = new Map<string, string>();
  private reading: Promise<void> | undefined;

  private constructor(private readonly store: EventStore) {}

  /** One per store, shared by every route that caches views: the log is read once for all. */
  static of(store: EventStore): LogChanges {
    let changes = perStore.get(store);
    if (!changes) {
      changes = new LogChanges(store);
      perStore.set(store, changes);
    }
    return changes;
  }

  /**
   * False when `catchUp(position)` has nothing to do (it started, reads nothing now, and has read
   * through `position`): a hot read at an unchanged position then skips an async call, its promise
   * and the turn awaiting it.
   */
  mustCatchUp(position: string): boolean {
    return this.startedAt === undefined || this.reading !== undefined || positionIsAfter(position, this.readThrough);
  }

  /**
   * Reads the events after where it stands, at least up to `position`, before a read at
   * `position` asks `changedSince`. The first call only sets where it starts.
   */
  async catchUp(position: string): Promise<void> {
    if (this.startedAt === undefined) {
      this.startedAt = position;
      this.readThrough = position;
      return;
    }
    // One reader at a time; a read arriving meanwhile reads on after it (its position may be further).
    while (this.reading) await this.reading;
    if (!positionIsAfter(position, this.readThrough)) return;
    this.reading = this.readOnPast(position).finally(() => (this.reading = undefined));
    await this.reading;
  }

  /**
   * True when an event after `position` touched one of `parts` or EVERYTHING, as far as read (at
   * least to the position of the last catch-up, possibly past it: then a view may be recomputed
   * without need, never served stale). Also true for a position before the first one
   * it was asked about, whose later events it never read.
   */
  changedSince(position: string, parts: readonly string[]): boolean {
    if (this.startedAt === undefined || positionIsAfter(this.startedAt, position)) return true;
    const touchedSince = (part: string) => {
      const touched = this.lastTouched.get(part);
      return touched !== undefined && positionIsAfter(touched, position);
    };
    return touchedSince(EVERYTHING) || parts.some(touchedSince);
  }

  /**
   * Reads on from where it stands, in batches, until it has passed `position`: no further than
   * the reads need, so a read during a long catch-up (a bulk import) does not read the whole
   * backlog ahead of the projections.
   */
  private async readOnPast(position: string): Promise<void> {
    for await (const rows of this.store.scanAll(this.readThrough === EMPTY_LOG ? undefined : this.readThrough, SCAN_BATCH)) {
      for (const [at, , type, data] of rows) {
        for (const part of partsTouchedBy(type, data)) this.lastTouched.set(part, at);
        this.readThrough = at;
      }
      if (!positionIsAfter(position, this.readThrough)) return;
    }
  }
}

/** `a` comes after `b` in the log (EMPTY_LOG before every position). */
export function positionIsAfter(a: string, b: string): boolean {
  if (a === EMPTY_LOG) return false;
  return b === EMPTY_LOG || comparePositionStrings(a, b) > 0;
}
