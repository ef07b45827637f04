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
  type EventData,
  type JSONType,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { DomainError } from '../domain/errors.js';
import { eventHash, GENESIS_HASH } from './hashing.js';
import {
  ANSWERED,
  CLAIMED,
  claimIsStale,
  keyStateOf,
  keyStream,
  RELEASED,
  type Claim,
  type KeyState,
} from './esdb-idempotency.js';
import {
  asStoreFault,
  backoffMs,
  collectWithin,
  DEFAULT_RESILIENCE,
  isAmbiguousAppendError,
  isMaxAppendSizeExceeded,
  isPassingError,
  isWrongExpectedVersion,
  retryPassing,
  StoreUnavailableError,
  type ResiliencePolicy,
} from './esdb-resilience.js';
import {
  ConcurrencyError,
  expectedRevisionMatches,
  IdempotencyKeyTaken,
  type AppendAnswer,
  type AppendGuard,
  type GuardSnapshot,
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
import { appendRecordAt, isBookkeepingStream, readResolvedStream, readStreamPage } from './esdb-records.js';
import { scanAllByReadAll, scanBusinessYearByScanAll } from './scan.js';
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
/**
 * The server refuses an append larger than its MaxAppendSize (1 MiB by default). The ledger refuses
 * before sending, with room for the gRPC envelope of each event (id, type, content types).
 */
export const DEFAULT_MAX_APPEND_BYTES = 1024 * 1024 - 64 * 1024;
const ENVELOPE_BYTES_PER_EVENT = 200;
/** How long a repeat waits for the answer of the first request with its key, held by another attempt. */
const DEFAULT_ANSWER_WAIT_MS = 3000;
const ANSWER_POLL_MS = 100;

/** The part of the client the adapter uses: a test hands in a fake whose calls fail as the real ones do. */
export type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'dispose'>;

export interface EventStoreDbEventStoreOptions {
  /** The clock stamped into `recordedAt`; injectable so tests can record "in the past". */
  readonly now?: () => Date;
  /** Retries, backoff and deadlines (tests shorten them). */
  readonly resilience?: Partial<ResiliencePolicy>;
  /** Appends above this many bytes are refused (413 APPEND_TOO_LARGE); keep it under the server's MaxAppendSize. */
  readonly maxAppendBytes?: number;
  /** How long a repeat waits for the first attempt's answer before 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
  readonly answerWaitMs?: number;
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

interface PreparedEvent {
  readonly recorded: Omit<RecordedEvent, 'position'>;
  readonly data: EventData;
}

/** What became of one batch: written, or refused because another writer holds its revision. */
type SendOutcome = { readonly kind: 'written' } | { readonly kind: 'conflict'; readonly actual: number | 'no-stream' };

/**
 * The event-store port over an EventStoreDB/KurrentDB node or cluster (server 22.6 or later: older
 * servers return no $all position on stream reads).
 *
 * Positions are the decimal commit positions of `$all`. Every event appended over gRPC is its own
 * committed record, so its commit position equals its prepare position and is unique; the log has
 * gaps (positions are byte offsets), hence `positionsAreContiguous = false`.
 *
 * Every call goes to the leader (`requiresLeader`): a decision must see the stream's newest events,
 * and a read right after a write must see that write, on whichever instance it lands. Passing
 * errors (no leader, node unreachable, deadline) are retried with backoff, then answered
 * 503 STORAGE_UNAVAILABLE; an append whose answer was lost is resolved by reading the stream back,
 * never guessed (see `sendResolved`).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  readonly positionsAreContiguous = false;
  private readonly client: EsdbClient;
  private readonly ownsClient: boolean;
  private readonly now: () => Date;
  private readonly policy: ResiliencePolicy;
  private readonly maxAppendBytes: number;
  private readonly answerWaitMs: number;
  private readonly appended = new EventEmitter();
  private closed = false;

  /** `connection` is an `esdb://` or `esdb+discover://` connection string, or a client to use (and not dispose). */
  constructor(connection: string | EsdbClient, options: EventStoreDbEventStoreOptions = {}) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.now = options.now ?? (() => new Date());
    this.policy = { ...DEFAULT_RESILIENCE, ...options.resilience };
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    this.answerWaitMs = options.answerWaitMs ?? DEFAULT_ANSWER_WAIT_MS;
    this.appended.setMaxListeners(0);
  }

  /**
   * EventStoreDB has no transaction spanning a read of other streams and the append: the guard
   * looks just before the append, so a close that commits in the round trip between the two can
   * still be followed by one write dated in the closed year (docs/years.md says so).
   */
  private async guardSnapshot(guard: AppendGuard): Promise<GuardSnapshot> {
    const read = new Map<string, RecordedEvent[]>();
    for (const name of guard.streams) {
      const events: RecordedEvent[] = [];
      for await (const event of this.readStream(name)) events.push(event);
      read.set(name, events);
    }
    const after = guard.readsAfter?.();
    const eventsAfter: RecordedEvent[] = [];
    if (after !== undefined) for await (const event of this.readAll({ after })) eventsAfter.push(event);
    return { events: (name) => read.get(name) ?? [], lastPosition: await this.lastPosition(), eventsAfter };
  }

  static fromConnectionString(connectionString: string, options: EventStoreDbEventStoreOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(connectionString, options);
  }

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision, answer?: AppendAnswer, guard?: AppendGuard): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error('append needs at least one event');
    if (guard) guard.check(await this.guardSnapshot(guard));
    const idempotency = answer?.idempotency;
    if (!answer || !idempotency) {
      // The answer is tried on the events as prepared (positions unknown yet) before they are sent:
      // an answer that cannot be built writes nothing, as on SQLite.
      const appended = await this.appendEvents(stream, events, expected, { beforeSend: answer && tryBuild(answer) });
      return answer ? { ...appended, answer: buildResponse(answer, appended) } : appended;
    }
    return this.appendUnderKey(stream, events, expected, answer, idempotency);
  }

  /**
   * An append with an Idempotency-Key: claim the key, append the events, record the answer (see
   * src/store/esdb-idempotency.ts). A refused append releases the key for the command's retry.
   */
  private async appendUnderKey(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    answer: AppendAnswer,
    idempotency: NonNullable<AppendAnswer['idempotency']>,
  ): Promise<AppendResult> {
    const head = await this.readHead(stream);
    const claim: Claim = {
      claimId: randomUUID(),
      requestHash: idempotency.requestHash,
      stream,
      fromRevision: head ? head.revision + 1 : 0,
      firstEventId: events[0]!.id ?? randomUUID(),
      claimedAt: this.now().toISOString(),
    };
    const claimRevision = await this.claimKey(idempotency.key, claim);
    let sent = false;
    const beforeSend = (dry: AppendResult): void => {
      tryBuild(answer)(dry);
      sent = true;
    };
    let appended: AppendResult;
    try {
      appended = await this.appendEvents(stream, events, expected, { head, beforeSend });
    } catch (error) {
      // Refused before anything was sent (an answer that cannot be built, a batch too large), or by
      // the node (another writer holds the revision, the node's size limit): nothing was written,
      // the key is free again for the command's retry. After any other error the events may be
      // written: the claim stays, and a repeat finds them in the stream.
      if (!sent || error instanceof ConcurrencyError || error instanceof DomainError) await this.releaseKey(idempotency.key, claimRevision);
      throw error;
    }
    const response = buildResponse(answer, appended);
    await this.recordAnswer(idempotency.key, claimRevision, response);
    return { ...appended, answer: response };
  }

  /**
   * Claims the key, or throws IdempotencyKeyTaken (answered before) or IDEMPOTENCY_KEY_IN_PROGRESS
   * (another attempt holds it). Returns the claim's revision in the key's stream.
   */
  private async claimKey(key: string, claim: Claim): Promise<number> {
    const waitUntil = Date.now() + this.answerWaitMs;
    for (;;) {
      const state = await this.readKeyState(key);
      if (state.kind === 'answered') throw new IdempotencyKeyTaken(state.stored);
      if (state.kind === 'claimed' && state.claim.requestHash !== claim.requestHash) {
        // Not a repeat: another request under the same key, whatever becomes of the first.
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used before with a different request');
      }
      if (state.kind === 'claimed' && !(await this.mayTakeOver(state.claim))) {
        if (Date.now() >= waitUntil) {
          const committed = await this.streamHoldsEvent(state.claim.stream, state.claim.fromRevision, state.claim.firstEventId);
          throw new DomainError('IDEMPOTENCY_KEY_IN_PROGRESS', inProgressMessage(committed));
        }
        await delay(ANSWER_POLL_MS);
        continue;
      }
      const written = await this.appendRecord(keyStream(key), CLAIMED, claim, state.revision);
      if (written) return state.revision === 'no-stream' ? 0 : state.revision + 1;
      // Another attempt claimed the key between the read and this append: look again.
    }
  }

  /** A claim is taken over only when it is old and its events are not in their stream. */
  private async mayTakeOver(claim: Claim): Promise<boolean> {
    if (!claimIsStale(claim, this.now())) return false;
    return !(await this.streamHoldsEvent(claim.stream, claim.fromRevision, claim.firstEventId));
  }

  private async releaseKey(key: string, claimRevision: number): Promise<void> {
    // Best effort: a claim that stays is taken over once it is stale.
    await this.appendRecord(keyStream(key), RELEASED, { releasedAt: this.now().toISOString() }, claimRevision).catch(() => false);
  }

  /**
   * The events are committed: the answer is the request's outcome even if recording it fails (a
   * repeat then finds the events and answers IDEMPOTENCY_KEY_IN_PROGRESS, never writes again).
   */
  private async recordAnswer(key: string, claimRevision: number, response: StoredResponse): Promise<void> {
    await this.appendRecord(keyStream(key), ANSWERED, response, claimRevision).catch(() => false);
  }

  async idempotentResponse(key: string): Promise<StoredResponse | undefined> {
    this.assertOpen();
    const state = await this.readKeyState(key);
    return state.kind === 'answered' ? state.stored : undefined;
  }

  private async readKeyState(key: string): Promise<KeyState> {
    const last = await this.readLast(keyStream(key));
    return keyStateOf(last && { type: last.type, data: last.data, revision: revisionNumber(last.revision) });
  }

  /** One bookkeeping record in a key stream at an exact revision; false when another writer got there first. */
  private appendRecord(stream: string, type: string, data: unknown, after: number | 'no-stream'): Promise<boolean> {
    return appendRecordAt(this.client, this.policy, stream, { type, data }, after);
  }

  private async appendEvents(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    options: { head?: StreamHead | undefined; beforeSend?: ((dry: AppendResult) => void) | undefined } = {},
  ): Promise<AppendResult> {
    const retryable = expected === 'any' || expected === 'stream-exists';
    let head = 'head' in options ? options.head : await this.readHead(stream);
    for (let attempt = 1; ; attempt += 1) {
      const actual = head ? head.revision : 'no-stream';
      if (!expectedRevisionMatches(expected, actual)) throw new ConcurrencyError(stream, expected, actual);
      const written = this.prepareEvents(stream, events, head);
      this.refuseOversized(stream, written);
      options.beforeSend?.(dryResult(written));
      // The exact revision just read, never the caller's looser expectation: a writer that got in
      // between would otherwise leave this batch chained to a hash that is no longer the previous one.
      const outcome = await this.sendResolved(stream, written, head);
      if (outcome.kind === 'written') {
        const result = await this.withPositions(stream, written.map((event) => event.recorded));
        this.appended.emit('appended');
        return result;
      }
      if (!retryable || attempt >= MAX_APPEND_ATTEMPTS) throw new ConcurrencyError(stream, expected, outcome.actual);
      await delay(Math.floor(Math.random() * 5 * attempt));
      head = await this.readHead(stream);
    }
  }

  /**
   * Sends one prepared batch at the exact revision after `head`, and finds out what became of it.
   * After a deadline, a dropped connection or a cancelled call the batch may have been committed:
   * the stream is read back on the leader from that revision. The batch's ids there: it was
   * written. Another event there: another writer won, none of this batch is written. Nothing
   * there: the same batch (same ids, times, hashes) is sent again with the same expected revision,
   * so a first attempt that lands late is taken by the server as the same write, not a second one.
   * A follower's refusal (`not-leader`) wrote nothing and is simply sent again.
   */
  private async sendResolved(stream: string, written: readonly PreparedEvent[], head: StreamHead | undefined): Promise<SendOutcome> {
    const expectedRevision = head ? BigInt(head.revision) : NO_STREAM;
    const fromRevision = head ? head.revision + 1 : 0;
    const ids = written.map((event) => event.recorded.id);
    let uncertain = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.appendToStream(stream, written.map((event) => event.data), {
          expectedRevision,
          requiresLeader: true,
          deadline: this.policy.appendDeadlineMs,
        });
        return { kind: 'written' };
      } catch (error) {
        if (isMaxAppendSizeExceeded(error)) throw appendTooLarge(stream, `the node's maximum of ${error.maxAppendSize} bytes`);
        if (isWrongExpectedVersion(error)) {
          // After an uncertain try, the event in the way may be this batch's own first try.
          const landed = uncertain ? await this.whatLanded(stream, fromRevision, ids) : undefined;
          return landed?.kind === 'written' ? landed : { kind: 'conflict', actual: actualRevisionOf(error) };
        }
        if (!isPassingError(error)) throw asStoreFault(`append to ${stream}`, error);
        if (isAmbiguousAppendError(error)) {
          uncertain = true;
          const landed = await this.whatLanded(stream, fromRevision, ids);
          if (landed.kind === 'written' || landed.kind === 'conflict') return landed;
        }
        if (attempt >= this.policy.attempts) throw new StoreUnavailableError(`append to ${stream}`, error, this.policy.retryAfterSeconds);
        await delay(backoffMs(this.policy, attempt));
      }
    }
  }

  /** Reads the stream back from the batch's first revision: written, taken by another writer, or absent. */
  private async whatLanded(stream: string, fromRevision: number, ids: readonly string[]): Promise<SendOutcome | { kind: 'absent' }> {
    const found = await this.readPage(stream, BigInt(fromRevision), ids.length);
    if (found.length === 0) return { kind: 'absent' };
    if (found.every((event, index) => event.id === ids[index]) && found.length === ids.length) return { kind: 'written' };
    const last = await this.readHead(stream);
    return { kind: 'conflict', actual: last ? last.revision : 'no-stream' };
  }

  /** True when `id` is among the stream's events from `fromRevision` on (a claimant's first event). */
  private async streamHoldsEvent(stream: string, fromRevision: number, id: string): Promise<boolean> {
    let next = BigInt(fromRevision);
    for (;;) {
      const page = await this.readPage(stream, next, PAGE_SIZE);
      if (page.some((event) => event.id === id)) return true;
      if (page.length < PAGE_SIZE) return false;
      next = page[page.length - 1]!.revision + 1n;
    }
  }

  /**
   * Refused before sending: the server would refuse it anyway, and splitting it would break the
   * promise that all events of one append are written or none.
   */
  private refuseOversized(stream: string, written: readonly PreparedEvent[]): void {
    const bytes = written.reduce(
      (total, event) =>
        total + Buffer.byteLength(JSON.stringify(event.recorded.data)) + Buffer.byteLength(JSON.stringify(event.recorded.metadata)) + ENVELOPE_BYTES_PER_EVENT,
      0,
    );
    if (bytes > this.maxAppendBytes) throw appendTooLarge(stream, `${this.maxAppendBytes} bytes (this one is about ${bytes})`);
  }

  private prepareEvents(stream: string, events: readonly NewEvent[], head: StreamHead | undefined): PreparedEvent[] {
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
    const stored = await this.readPage(stream, BigInt(first.revision), written.length);
    const events = written.map((event, index): RecordedEvent => {
      const readBack = stored[index];
      if (readBack?.id !== event.id) {
        throw new Error(`stream ${stream}: revision ${event.revision} did not read back as the event just appended (${event.id})`);
      }
      return { ...event, position: positionString(readBack.position, readBack) };
    });
    const last = events[events.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position, events };
  }

  private async readHead(stream: string): Promise<StreamHead | undefined> {
    const last = await this.readLast(stream);
    return last ? { revision: revisionNumber(last.revision), hash: storedHash(last) } : undefined;
  }

  /** The newest event of a stream, on the leader; undefined for a stream that does not exist. */
  private async readLast(stream: string): Promise<EsdbRecordedEvent | undefined> {
    const [last] = await this.readResolved(`read the head of ${stream}`, () =>
      this.client.readStream(stream, { fromRevision: END, direction: BACKWARDS, maxCount: 1, requiresLeader: true }),
    );
    return last?.event;
  }

  /** Up to `count` events of a stream from `fromRevision`, on the leader; empty for a stream that does not exist. */
  private readPage(stream: string, fromRevision: bigint, count: number): Promise<EsdbRecordedEvent[]> {
    return readStreamPage(this.client, this.policy, stream, fromRevision, count);
  }


  /** Every read: on a deadline, retried while the node is passing through trouble; a missing stream is empty. */
  private readResolved(operation: string, open: () => ReturnType<EsdbClient['readStream']>): Promise<ResolvedEvent[]> {
    return readResolvedStream(this.policy, operation, open);
  }


  async *readStream(stream: string, fromRevision = 0): AsyncIterable<RecordedEvent> {
    let next = BigInt(Math.max(0, fromRevision));
    for (;;) {
      this.assertOpen();
      const page = await this.readPage(stream, next, PAGE_SIZE);
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

  /** `scanAll` without those types, filtered here (this client cannot filter reads of `$all` on the server). */
  scanAllExcept(after: string | undefined, batchSize: number, types: ReadonlySet<string>): AsyncIterable<ScannedRow[]> {
    return scanAllByReadAll(this, after, batchSize, types);
  }

  /**
   * One business year's events and the undated ones: a full scan of `$all`, filtered here by the
   * domain's rule. No index: EventStoreDB keeps no secondary key, and a year's export is rare
   * next to the appends. A server-side projection emitting each event to a stream per business
   * year would make this a stream read (docs/storage.md); it is not built.
   */
  scanBusinessYear(year: number, after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> {
    return scanBusinessYearByScanAll(this, year, after, batchSize);
  }

  /**
   * Up to `count` events of `$all` strictly after `after`. This client version cannot filter reads
   * of `$all` on the server, so system events (streams and types starting with `$`) and the
   * ledger's own idempotency records are dropped here; they still move the page's cursor.
   */
  private async readForwardPage(after: Position | undefined, count: number): Promise<ForwardPage> {
    this.assertOpen();
    // A read from a position includes the event at it: ask for one more and skip that one.
    const requested = after === undefined ? count : count + 1;
    const read = await this.readAllResolved(after ?? START, FORWARDS, requested);
    const events: RecordedEvent[] = [];
    let last = after;
    for (const { event } of read) {
      if (!event?.position) continue;
      if (after !== undefined && compareEsdbPositions(event.position, after) <= 0) continue;
      last = event.position;
      if (isLedgerEvent(event)) events.push(toRecorded(event));
    }
    return { events, last, exhausted: read.length < requested };
  }

  private readAllResolved(from: Position | typeof START | typeof END, direction: typeof FORWARDS | typeof BACKWARDS, maxCount: number): Promise<ResolvedEvent[]> {
    return retryPassing('read $all', this.policy, () =>
      collectWithin(this.client.readAll({ fromPosition: from, direction, maxCount, requiresLeader: true }), this.policy.readDeadlineMs),
    );
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
      const read = await this.readAllResolved(before ?? END, BACKWARDS, count);
      let oldest = before;
      for (const { event } of read) {
        if (!event?.position) continue;
        if (before !== undefined && compareEsdbPositions(event.position, before) >= 0) continue;
        if (isLedgerEvent(event)) return positionString(event.position, event);
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
 * The ledger's log is every event except the node's system events (streams and types starting
 * with `$`) and the ledger's own bookkeeping streams: Idempotency-Keys, tokens, sign-in links
 * (src/store/esdb-records.ts; not facts of the ledger).
 */
function isLedgerEvent(event: EsdbRecordedEvent): boolean {
  return !event.streamId.startsWith('$') && !event.type.startsWith('$') && !isBookkeepingStream(event.streamId);
}

/** The append result an answer is tried on before the events are sent: real ids and revisions, no positions yet. */
function dryResult(written: readonly PreparedEvent[]): AppendResult {
  const events = written.map((event) => ({ ...event.recorded, position: '0' }));
  return { nextExpectedRevision: events[events.length - 1]!.revision, position: '0', events };
}

function tryBuild(answer: AppendAnswer): (dry: AppendResult) => void {
  return (dry) => void answer.build(dry);
}

function buildResponse(answer: AppendAnswer, appended: AppendResult): StoredResponse {
  return { requestHash: answer.idempotency?.requestHash ?? '', ...answer.build(appended) };
}

function appendTooLarge(stream: string, limit: string): DomainError {
  return new DomainError('APPEND_TOO_LARGE', `this request would write more to ${stream} in one append than the event store accepts: ${limit}; send it in smaller parts`);
}

function inProgressMessage(committed: boolean): string {
  return committed
    ? 'the first request with this Idempotency-Key was written but its answer was not recorded; read the resource instead of repeating the request'
    : 'the first request with this Idempotency-Key is still being processed; retry in a moment';
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

function actualRevisionOf(error: unknown): number | 'no-stream' {
  const current = typeof error === 'object' && error !== null && 'actualVersion' in error ? error.actualVersion : undefined;
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

