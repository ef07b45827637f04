/**
 * The event-store port. Every adapter (embedded SQLite, EventStoreDB) implements exactly this, and
 * `tests/store/conformance.ts` holds every adapter to the same guarantees.
 *
 * Positions are decimal strings: EventStoreDB's commit positions are 64-bit and a JS number would
 * silently lose precision past 2^53; bigint is not JSON. Compare them with `comparePositions`.
 */

export type ExpectedRevision = 'any' | 'no-stream' | 'stream-exists' | number;

export interface EventMetadata {
  /** ISO 8601 UTC instant at which the store accepted the event (the "knownAt" axis). */
  readonly recordedAt: string;
  /** The authenticated subject who caused it (a token's subject, or `system:<task>`). */
  readonly recordedBy: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly idempotencyKey?: string;
  /** Free text: why this was recorded (a correction's reason, an import's file name). */
  readonly reason?: string;
}

/** What a caller hands to `append`: the store fills in id (if absent), recordedAt and the hash. */
export interface NewEvent {
  readonly id?: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Omit<EventMetadata, 'recordedAt' | 'correlationId' | 'causationId'> &
    Partial<Pick<EventMetadata, 'correlationId' | 'causationId'>>;
}

export interface RecordedEvent {
  readonly id: string;
  readonly stream: string;
  /** 0-based revision within its stream. */
  readonly revision: number;
  /** Global log position, a decimal string; strictly increasing across all streams. */
  readonly position: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /** SHA-256 (hex) over the previous event's hash in this stream and this event's canonical JSON. */
  readonly hash: string;
}

export interface AppendResult {
  /** Revision of the last event written. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event written. */
  readonly position: string;
  readonly events: readonly RecordedEvent[];
  /** The answer built by `AppendAnswer.build`, when one was given. */
  readonly answer?: StoredResponse;
}

/** The first answer to a request with an Idempotency-Key, kept so a repeat gets it again. */
export interface StoredResponse {
  /** SHA-256 of the request (method, URL, canonical body): the same key with another request is a 409. */
  readonly requestHash: string;
  readonly status: number;
  /** The answer's JSON text, exactly as first sent. */
  readonly body: string;
}

/**
 * What a write hands to `append` besides its events: how to build its answer, and the request's
 * Idempotency-Key. The answer is built from the events as recorded (their positions), inside the
 * append: if building it fails, nothing is written; if the key was used before, nothing is written
 * and `IdempotencyKeyTaken` is thrown. On SQLite the key, the request's hash and the answer are
 * committed in the same transaction as the events, so no crash can separate them.
 */
export interface AppendAnswer {
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  build(result: AppendResult): { readonly status: number; readonly body: string };
}

/**
 * What a guard sees: the events of the streams it named and the log's last position, read at the
 * moment its append is decided. On SQLite that is inside the append's transaction, so nothing can
 * commit between the guard's look and the append (see docs/years.md).
 */
export interface GuardSnapshot {
  events(stream: string): readonly RecordedEvent[];
  readonly lastPosition: string | undefined;
  /** The events after the guard's `readsAfter` position, in log order; empty when it has none. */
  readonly eventsAfter: readonly RecordedEvent[];
}

/**
 * A rule an append must keep that lives outside its own stream (a closed year refuses writes dated
 * in it). `check` throws to refuse: a DomainError writes nothing and reaches the caller; a
 * ConcurrencyError makes the command handler re-decide, as a revision mismatch does.
 */
export interface AppendGuard {
  /** The streams `check` reads; keep them small (a year's stream holds a handful of events). */
  readonly streams: readonly string[];
  /** A position whose later events `check` must see (the close: what came after its files were cut). */
  readsAfter?(): string;
  check(snapshot: GuardSnapshot): void;
}

export interface ReadAllOptions {
  /** Read events strictly after this position; from the start when absent. */
  readonly after?: string;
  readonly limit?: number;
}

/**
 * One event of a batched scan, as the projections replay it: position, stream, type, and the
 * data and metadata still as JSON text, so a replay can skip an event it does not want without
 * parsing it. A tuple, not an object: a million-event replay makes a million of them.
 */
export type ScannedRow = [position: string, stream: string, type: string, data: string, metadata: string];

/**
 * A snapshot of one read projection's state at a log position, so a service start folds only
 * what came after it. Not part of the ledger: a cache that may be deleted at any time.
 */
export interface StoredCheckpoint {
  readonly projection: string;
  /** The projection code's version: a checkpoint of another version is never loaded. */
  readonly version: string;
  readonly position: string;
  /** The digest of the log's hashes up to `position` (integrity.ts): another log, or a changed one, does not match. */
  readonly digest: string;
  /** The state as state-codec.ts encodes it. */
  readonly state: Uint8Array;
  readonly createdAt: string;
}

/** A stored checkpoint without its state, which may be megabytes: read only for the one that is used. */
export type CheckpointEntry = Omit<StoredCheckpoint, 'state'>;

/**
 * The log digest up to each event (hashing.ts `nextDigest`), kept by the store as it appends
 * (SQLite: a table written in the append's transaction), so the digest at a position is one
 * lookup instead of a fold over every hash before it. `verify` recomputes every stored one.
 */
export interface RunningDigests {
  /** The stored digest of the log up to and including `position`; undefined when none is stored there. */
  at(position: string): string | undefined;
  /** Every event's position and hash with the digest stored for it (undefined when missing), in log order. */
  readAll(): AsyncIterable<{ readonly position: string; readonly hash: string; readonly digest: string | undefined }>;
}

/** What `verify` finds of a business-date index: every event's row against the domain's rule, the first that differs. */
export type BusinessDayCheck =
  | { readonly ok: true; readonly checked: number }
  | { readonly ok: false; readonly checked: number; readonly position: string; readonly stored: number | null; readonly derived: number; readonly problem: string };

/** An adapter's index of events by business day (SQLite: sqlite-business-days.ts), as `verify` sees it. */
export interface BusinessDayIndex {
  /** Derives every event's business day again and compares it with the stored row. */
  check(): Promise<BusinessDayCheck>;
}

/** Where an adapter keeps checkpoints, next to its events (SQLite: a table of the same file). */
export interface CheckpointTable {
  /** The stored checkpoints of one projection and version, newest position first, without their states. */
  list(projection: string, version: string): CheckpointEntry[];
  /** The state of one stored checkpoint (undefined when it is no longer stored). */
  stateOf(checkpoint: CheckpointEntry): Uint8Array | undefined;
  /** Every stored checkpoint, for `verify`. */
  all(): StoredCheckpoint[];
  /** Stores one and keeps only the newest `keep` of its projection and version. */
  save(checkpoint: StoredCheckpoint, keep: number): void;
}

export interface Subscription {
  close(): Promise<void>;
}

export type SubscriptionHandler = (event: RecordedEvent) => void | Promise<void>;

export interface EventStore {
  /** 'sqlite' | 'eventstoredb': reported by GET /health. */
  readonly kind: 'sqlite' | 'eventstoredb';
  /** Where the data lives (a file path), named in storage-fault log lines; never a credential. */
  readonly location?: string;
  /** All events of one call are written or none; a revision mismatch throws ConcurrencyError. */
  append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision, answer?: AppendAnswer, guard?: AppendGuard): Promise<AppendResult>;
  /** The stored first answer to the request with this (per-token) Idempotency-Key, if it was written. */
  idempotentResponse(key: string): Promise<StoredResponse | undefined>;
  /** Events of one stream from `fromRevision` (inclusive); empty for a stream that does not exist. */
  readStream(stream: string, fromRevision?: number): AsyncIterable<RecordedEvent>;
  /** The global log in order, without system events. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * The global log after `after` (from the start when undefined), in order, without system
   * events, in arrays of `batchSize` rows: the replay's fast path. Every batch but the last is
   * full; the last is shorter (possibly empty), which is how a reader knows it reached the head.
   * The rows of a batch are the caller's (a reader may reuse or drop them).
   */
  scanAll(after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]>;
  /**
   * `scanAll` without the events of `types`, in the same batches (full but the last): for a reader
   * that would skip those rows unread (the replay's worker, whose main thread checks and folds
   * them), so they never become JavaScript strings. The rows have gaps where the skipped events
   * were. Optional: a reader without it scans everything and skips them itself.
   */
  scanAllExcept?(after: string | undefined, batchSize: number, types: ReadonlySet<string>): AsyncIterable<ScannedRow[]>;
  /**
   * The events after `after` whose business year is `year`, and those without a business date
   * (registrations, budgets, rates, pledges: what posting the year's events needs), in log order
   * and in batches like `scanAll`: what a year's export reads instead of the whole log. The
   * business date is the domain's (`businessDayOfStored`, src/domain/business-date.ts); an event
   * whose date cannot be told counts as undated, so it is read with every year. SQLite keeps an
   * index written in the append's transaction; EventStoreDB filters a full scan (scan.ts).
   * Derived data: a reader that must not miss an event checks what it got (year-journal.ts).
   */
  scanBusinessYear(year: number, after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]>;
  /** Where projection checkpoints are kept, when the adapter has a place for them. */
  readonly checkpoints?: CheckpointTable;
  /** The running log digest per event, when the adapter keeps it (else a digest is folded from the hashes). */
  readonly runningDigests?: RunningDigests;
  /** The business-date index behind `scanBusinessYear`, when the adapter keeps one (for `verify`). */
  readonly businessDays?: BusinessDayIndex;
  /** True when positions are 1, 2, 3… without gaps (SQLite): a reader may then index by position. */
  readonly positionsAreContiguous?: boolean;
  /** Catch-up subscription: every event after `after`, in order, then every later one as it lands. */
  subscribe(after: string | undefined, handler: SubscriptionHandler): Subscription;
  /** Position of the newest event, or undefined when the log is empty. */
  lastPosition(): Promise<string | undefined>;
  /**
   * Optional, synchronous and cheap: a token that differs whenever events may have been added
   * since it was last read (equal tokens: certainly nothing new). A projection catch-up skips its
   * page query when the token has not moved; a store without one is simply always queried.
   */
  logVersion?(): string;
  /**
   * Optional, synchronous and cheap: a token that differs whenever an event already in the log
   * (or a stored running digest) may have been changed or removed, by anyone: equal tokens, and
   * what was verified of the log is still so. Appends do not move it. A verdict of `verifyLog`
   * is kept under it (GET /years/:year); a store without one is verified on every such read.
   */
  integrityVersion?(): string;
  close(): Promise<void>;
}

export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no-stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/**
 * An append carried an Idempotency-Key that an earlier, committed append already carried (a retry
 * that raced its first attempt, or another process): nothing was written; answer with `stored`.
 */
export class IdempotencyKeyTaken extends Error {
  override readonly name = 'IdempotencyKeyTaken';
  constructor(readonly stored: StoredResponse) {
    super('this Idempotency-Key was already used by a committed request');
  }
}

/** Orders two decimal-string positions without converting them to JS numbers. */
export function comparePositions(a: string, b: string): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** True when `expected` allows appending to a stream whose last revision is `actual`. */
export function expectedRevisionMatches(expected: ExpectedRevision, actual: number | 'no-stream'): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return actual === 'no-stream';
    case 'stream-exists':
      return actual !== 'no-stream';
    default:
      return actual === expected;
  }
}
