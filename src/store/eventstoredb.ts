import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type EventData,
  type JSONType,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { eventHash, GENESIS_HASH } from './hashing.js';
import {
  ConcurrencyError,
  expectedRevisionMatches,
  IdempotencyKeyTaken,
  type AppendAnswer,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ScannedRow,
  type RecordedEvent,
  type StoredResponse,
  type Subscription,
  type SubscriptionHandler,
} from './port.js';
import { scanAllByReadAll } from './scan.js';
import { runCatchUpSubscription, waitForAppendOrPoll } from './subscription.js';

const PAGE_SIZE = 2000;
/**
 * 'any' and 'stream-exists' appends retry when another writer slips in between reading the
 * stream's head and appending: the hash chain needs the true previous hash, so the store cannot
 * simply append "wherever the end is".
 */
const MAX_APPEND_ATTEMPTS = 10;
/** Commit positions at or above 2^63 are the server's "no position" marker (older servers on stream reads). */
const NO_POSITION_FLOOR = 1n << 63n;

export interface EventStoreDbEventStoreOptions {
  /** The clock stamped into `recordedAt`; injectable so tests can record "in the past". */
  readonly now?: () => Date;
}

interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

interface ForwardPage {
  /** The ledger's events of the page, system events left out. */
  readonly events: readonly RecordedEvent[];
  /** Position of the last event read, system or not: where the next page starts. */
  readonly last: Position | undefined;
  /** True when the page reached the end of the log. */
  readonly exhausted: boolean;
}

/**
 * The event-store port over an EventStoreDB/KurrentDB node or cluster (server 22.6 or later: older
 * servers return no $all position on stream reads).
 *
 * Positions are the decimal commit positions of `$all`. Every event appended over gRPC is its own
 * committed record, so its commit position equals its prepare position and is unique; the log has
 * gaps (positions are byte offsets), hence `positionsAreContiguous = false`.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  readonly positionsAreContiguous = false;
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly now: () => Date;
  private readonly appended = new EventEmitter();
  private closed = false;
  /**
   * Idempotent answers, for this process's life only: EventStoreDB has no transaction that could
   * hold them with the events. Event ids derived from the key (see the command handler) keep a
   * retry from being written twice by the server; sharing answers across instances is issue 14.
   */
  private readonly responses = new Map<string, StoredResponse>();

  /** `connection` is an `esdb://` or `esdb+discover://` connection string, or a client to use (and not dispose). */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.now = options.now ?? (() => new Date());
    this.appended.setMaxListeners(0);
  }

  static fromConnectionString(connectionString: string, options: EventStoreDbEventStoreOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(connectionString, options);
  }

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision, answer?: AppendAnswer): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error('append needs at least one event');
    const key = answer?.idempotency?.key;
    const taken = key === undefined ? undefined : this.responses.get(key);
    if (taken) throw new IdempotencyKeyTaken(taken);
    const appended = await this.appendEvents(stream, events, expected);
    if (!answer) return appended;
    const built = answer.build(appended);
    const response: StoredResponse = { requestHash: answer.idempotency?.requestHash ?? '', ...built };
    if (key !== undefined && !this.responses.has(key)) this.responses.set(key, response);
    return { ...appended, answer: response };
  }

  async idempotentResponse(key: string): Promise<StoredResponse | undefined> {
    return this.responses.get(key);
  }

  private async appendEvents(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const retryable = expected === 'any' || expected === 'stream-exists';
    for (let attempt = 1; ; attempt += 1) {
      const head = await this.readHead(stream);
      const actual = head ? head.revision : 'no-stream';
      if (!expectedRevisionMatches(expected, actual)) throw new ConcurrencyError(stream, expected, actual);
      const written = this.prepareEvents(stream, events, head);
      try {
        // The exact revision just read, never the caller's looser expectation: a writer that got in
        // between would otherwise leave this batch chained to a hash that is no longer the previous one.
        await this.client.appendToStream(stream, written.map((event) => event.data), {
          expectedRevision: head ? BigInt(head.revision) : NO_STREAM,
          requiresLeader: true,
        });
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (retryable && attempt < MAX_APPEND_ATTEMPTS) {
          await delay(Math.floor(Math.random() * 5 * attempt));
          continue;
        }
        throw new ConcurrencyError(stream, expected, toActualRevision(error.actualVersion));
      }
      const result = await this.withPositions(stream, written.map((event) => event.recorded));
      this.appended.emit('appended');
      return result;
    }
  }

  private prepareEvents(
    stream: string,
    events: readonly NewEvent[],
    head: StreamHead | undefined,
  ): { recorded: Omit<RecordedEvent, 'position'>; data: EventData }[] {
    let previousHash = head?.hash ?? GENESIS_HASH;
    let revision = head ? head.revision : -1;
    const recordedAt = this.now().toISOString();
    const correlationFallback = randomUUID();
    return events.map((event) => {
      revision += 1;
      const id = event.id ?? randomUUID();
      const metadata: EventMetadata = {
        ...event.metadata,
        recordedAt,
        correlationId: event.metadata.correlationId ?? correlationFallback,
        causationId: event.metadata.causationId ?? id,
      };
      const hash = eventHash(previousHash, { stream, revision, type: event.type, data: event.data, metadata });
      previousHash = hash;
      return {
        recorded: { id, stream, revision, type: event.type, data: event.data, metadata, hash },
        data: jsonEvent({ id, type: event.type, data: event.data as JSONType, metadata: { ...metadata, hash } }),
      };
    });
  }

  /**
   * The append answers with one position for the whole batch; each event's own $all position comes
   * from reading the just-written revisions back (they cannot have moved: the append was checked
   * against the exact revision before them).
   */
  private async withPositions(stream: string, written: readonly Omit<RecordedEvent, 'position'>[]): Promise<AppendResult> {
    const first = written[0]!;
    const stored = await collect(
      this.client.readStream(stream, {
        fromRevision: BigInt(first.revision),
        direction: FORWARDS,
        maxCount: written.length,
        requiresLeader: true,
      }),
    );
    const events = written.map((event, index): RecordedEvent => {
      const readBack = stored[index]?.event;
      if (readBack?.id !== event.id) {
        throw new Error(`stream ${stream}: revision ${event.revision} did not read back as the event just appended (${event.id})`);
      }
      return { ...event, position: positionString(readBack.position, readBack) };
    });
    const last = events[events.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position, events };
  }

  private async readHead(stream: string): Promise<StreamHead | undefined> {
    try {
      const [last] = await collect(
        this.client.readStream(stream, { fromRevision: END, direction: BACKWARDS, maxCount: 1, requiresLeader: true }),
      );
      if (!last?.event) return undefined;
      return { revision: revisionNumber(last.event.revision), hash: storedHash(last.event) };
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  async *readStream(stream: string, fromRevision = 0): AsyncIterable<RecordedEvent> {
    let next = BigInt(Math.max(0, fromRevision));
    for (;;) {
      this.assertOpen();
      let page: EsdbRecordedEvent[];
      try {
        page = (
          await collect(this.client.readStream(stream, { fromRevision: next, direction: FORWARDS, maxCount: PAGE_SIZE }))
        ).flatMap((resolved) => (resolved.event ? [resolved.event] : []));
      } catch (error) {
        if (error instanceof StreamNotFoundError) return;
        throw error;
      }
      for (const event of page) yield toRecorded(event);
      if (page.length < PAGE_SIZE) return;
      next = page[page.length - 1]!.revision + 1n;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = options.after === undefined ? undefined : positionFromString(options.after);
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const page = await this.readForwardPage(after, Math.min(PAGE_SIZE, remaining));
      for (const event of page.events) {
        if (remaining <= 0) return;
        yield event;
        remaining -= 1;
      }
      if (page.exhausted || page.last === undefined) return;
      after = page.last;
    }
  }

  /** The replay's batched scan: readAll's pages cut into batches (the client hands parsed JSON anyway). */
  scanAll(after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> {
    return scanAllByReadAll(this, after, batchSize);
  }

  /**
   * Up to `count` events of `$all` strictly after `after`. This client version cannot filter reads
   * of `$all` on the server, so system events (streams and types starting with `$`) are dropped
   * here; they still move the page's cursor.
   */
  private async readForwardPage(after: Position | undefined, count: number): Promise<ForwardPage> {
    this.assertOpen();
    // A read from a position includes the event at it: ask for one more and skip that one.
    const requested = after === undefined ? count : count + 1;
    const read = await collect(
      this.client.readAll({ fromPosition: after ?? START, direction: FORWARDS, maxCount: requested }),
    );
    const events: RecordedEvent[] = [];
    let last = after;
    for (const { event } of read) {
      if (!event?.position) continue;
      if (after !== undefined && compareEsdbPositions(event.position, after) <= 0) continue;
      last = event.position;
      if (!isSystemEvent(event)) events.push(toRecorded(event));
    }
    return { events, last, exhausted: read.length < requested };
  }

  subscribe(after: string | undefined, handler: SubscriptionHandler): Subscription {
    // Where the last page really ended, system events included, so a quiet log full of system
    // events is not scanned again on every poll.
    let cursor = { after, raw: after === undefined ? undefined : positionFromString(after) };
    return runCatchUpSubscription({
      after,
      handler,
      readPage: async (from) => {
        let raw = from === cursor.after ? cursor.raw : from === undefined ? undefined : positionFromString(from);
        for (;;) {
          const page = await this.readForwardPage(raw, PAGE_SIZE);
          raw = page.last;
          if (page.events.length > 0 || page.exhausted) {
            cursor = { after: page.events[page.events.length - 1]?.position ?? from, raw };
            return page.events;
          }
        }
      },
      waitForMore: (signal) => waitForAppendOrPoll(this.appended, signal),
    });
  }

  async lastPosition(): Promise<string | undefined> {
    this.assertOpen();
    let before: Position | undefined;
    // Usually the newest event is the ledger's own; otherwise walk back past system events.
    for (let count = 1; ; count = Math.min(count * 8, PAGE_SIZE)) {
      const read = await collect(this.client.readAll({ fromPosition: before ?? END, direction: BACKWARDS, maxCount: count }));
      let oldest = before;
      for (const { event } of read) {
        if (!event?.position) continue;
        if (before !== undefined && compareEsdbPositions(event.position, before) >= 0) continue;
        if (!isSystemEvent(event)) return positionString(event.position, event);
        oldest = event.position;
      }
      if (read.length < count || oldest === before) return undefined;
      before = oldest;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appended.emit('closed');
    if (this.ownsClient) await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}

/**
 * Reads a whole (bounded) client read. The iteration surfaces the read's first error; the client's
 * stream can emit a second one after that ("The operation was aborted", once the failed read is torn
 * down), which without a listener would be an uncaught exception that ends the process.
 */
async function collect<T>(read: StreamingRead<T>): Promise<T[]> {
  read.on('error', ignoreLateError);
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}

function ignoreLateError(): void {}

function isSystemEvent(event: EsdbRecordedEvent): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

function positionFromString(position: string): Position {
  const commit = BigInt(position);
  return { commit, prepare: commit };
}

function positionString(position: Position | undefined, event: EsdbRecordedEvent): string {
  if (position === undefined || position.commit <= 0n || position.commit >= NO_POSITION_FLOOR) {
    throw new Error(
      `EventStoreDB returned no $all position for event ${event.id} in ${event.streamId}: the ledger needs server 22.6 or later`,
    );
  }
  return position.commit.toString(10);
}

function compareEsdbPositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare < b.prepare ? -1 : a.prepare > b.prepare ? 1 : 0;
}

function revisionNumber(revision: bigint): number {
  if (revision > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`stream revision ${revision} is beyond a safe JS number`);
  return Number(revision);
}

function toActualRevision(current: unknown): number | 'no-stream' {
  if (typeof current === 'bigint' || typeof current === 'number') return Number(current);
  return 'no-stream';
}

function ledgerMetadata(event: EsdbRecordedEvent): Record<string, unknown> {
  const metadata: unknown = event.metadata;
  if (!event.isJson || metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || metadata instanceof Uint8Array) {
    throw new Error(`event ${event.id} in ${event.streamId} was not written by the ledger (no JSON metadata)`);
  }
  return metadata as Record<string, unknown>;
}

function storedHash(event: EsdbRecordedEvent): string {
  const hash = ledgerMetadata(event)['hash'];
  if (typeof hash !== 'string') throw new Error(`event ${event.id} in ${event.streamId} was not written by the ledger (no hash)`);
  return hash;
}

function toRecorded(event: EsdbRecordedEvent): RecordedEvent {
  const hash = storedHash(event);
  const { hash: _hash, ...metadata } = ledgerMetadata(event);
  return {
    id: event.id,
    stream: event.streamId,
    revision: revisionNumber(event.revision),
    position: positionString(event.position, event),
    type: event.type,
    data: event.data as unknown,
    metadata: metadata as unknown as EventMetadata,
    hash,
  };
}

