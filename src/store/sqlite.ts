import { StoredEventCorrupt } from '../domain/events.js';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { v7 as timeOrderedId } from 'uuid';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventEmitter } from 'node:events';
import { eventHash, GENESIS_HASH } from './hashing.js';
import { describeOpenFailure, StorageOpenError } from './faults.js';
import { ensurePrivateFile, ensurePrivateFolder, ignoreNotice, tightenMode, PRIVATE_FILE_MODE, type ModeNotice } from './file-modes.js';
import {
  ConcurrencyError,
  expectedRevisionMatches,
  IdempotencyKeyTaken,
  type AppendAnswer,
  type AppendGuard,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type GuardSnapshot,
  type NewEvent,
  type ReadAllOptions,
  type ScannedRow,
  type RecordedEvent,
  type StoredResponse,
  type Subscription,
  type SubscriptionHandler,
} from './port.js';
import { SqliteCheckpointTable } from './sqlite-checkpoints.js';
import { SqliteRunningDigests } from './sqlite-digests.js';
import { SqliteBusinessDays } from './sqlite-business-days.js';
import { asScannedRows, assertBatchSize, type SqliteScanRow } from './scan.js';
import { quickCheckOffThread } from './quick-check-thread.js';
import { runCatchUpSubscription, waitForAppendOrPoll } from './subscription.js';
import { RecencyCache } from './recency-cache.js';
import { MAIN_AUTOCHECKPOINT_PAGES, WalCheckpointer } from './wal-checkpointer.js';
import { WalSync } from './wal-sync.js';

/** Each entry migrates the schema from version index to index + 1; never edit a released one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     id       TEXT    NOT NULL UNIQUE,
     stream   TEXT    NOT NULL,
     revision INTEGER NOT NULL,
     type     TEXT    NOT NULL,
     data     TEXT    NOT NULL,
     metadata TEXT    NOT NULL,
     hash     TEXT    NOT NULL,
     UNIQUE (stream, revision)
   );
   CREATE TABLE idempotency (
     key          TEXT PRIMARY KEY,
     request_hash TEXT NOT NULL,
     status       INTEGER NOT NULL,
     body         TEXT NOT NULL,
     created_at   TEXT NOT NULL
   );`,
];
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

const PAGE_SIZE = 2000;
const MAX_KNOWN_HEADS = 50_000;

interface EventRow {
  position: number | bigint;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  hash: string;
}

/** What became of one append of a group commit. */
type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  readonly answer: AppendAnswer | undefined;
  readonly guard: AppendGuard | undefined;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export interface SqliteEventStoreOptions {
  /** The clock stamped into `recordedAt`; injectable so tests can record "in the past". */
  readonly now?: () => Date;
  /** Told when an existing file's mode was tightened to 0600 (the service logs it). */
  readonly onModeTightened?: ModeNotice;
  /** Fault points for the fault-injection tests; never set in production. */
  readonly faults?: StoreFaults;
}

/**
 * Where a test can make the store fail as a crash would. `insideCommit` runs after a batch's rows
 * (events, idempotency records) are written and before COMMIT: throwing there rolls everything
 * back. `afterCommit` runs once the batch is durable and before any caller hears of it: throwing
 * there is a process that died, or a connection that dropped, between the commit and the answer.
 */
export interface StoreFaults {
  insideCommit?(streams: readonly string[]): void;
  afterCommit?(streams: readonly string[]): void;
}

export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  /** SQLite's AUTOINCREMENT rolls back with its transaction, so positions are 1, 2, 3… without gaps. */
  readonly positionsAreContiguous = true;
  readonly db: Database.Database;
  /** Projection checkpoints, in their own table of this file (created on first use). */
  readonly checkpoints: SqliteCheckpointTable;
  /** The log digest up to each event, written with the events (a checkpoint's digest is one lookup). */
  readonly runningDigests: SqliteRunningDigests;
  /** Each event's business day, written with the events: a year's export reads only its year (scanBusinessYear). */
  readonly businessDays: SqliteBusinessDays;
  private readonly now: () => Date;
  private readonly appended = new EventEmitter();
  private closed = false;
  private readonly statements;
  private readonly pending: PendingAppend[] = [];
  private readonly faults: StoreFaults;
  /**
   * For each stream asked about: no event of it has a revision above this one. Deciding a command
   * reads its stream and the streams it looks up (the room, the year's rates) from the revision
   * the command handler has folded to, which is nearly always the head: this answers "nothing
   * new" without a query. Kept true by our own commits; any other connection's commit (another
   * process on the same file, the CLI) changes SQLite's data_version and empties it.
   */
  private readonly streamHeads = new RecencyCache<string, number>(MAX_KNOWN_HEADS);
  private streamHeadsDataVersion = -1;
  /** Our own committed transactions (data_version only moves for other connections' commits). */
  private commits = 0;
  /**
   * SQLite's data_version as first read in this turn of the event loop, forgotten when the turn
   * ends (setImmediate). Every read and every write asked SQLite before (6-7% of a read's CPU,
   * 1-3% of a write's); now the requests one turn handles share one query. Only commits by
   * other connections move data_version (ours count in `commits`, read live): such a commit is
   * seen by every read that starts in a later turn, which is when a request sent after that
   * commit is normally parsed; a turn lasts at most a few milliseconds.
   */
  private dataVersionThisTurn: number | undefined;
  private readonly forgetDataVersion = (): void => {
    this.dataVersionThisTurn = undefined;
  };
  /**
   * Rows of the log or of its running digests this connection changed or deleted (the store
   * itself only inserts them): counted by temporary triggers, see `integrityVersion`.
   */
  private rewrites = 0;
  /** Durability of each group commit, off the event loop; none for an in-memory database. */
  private readonly walSync: WalSync | undefined;
  /** Checkpoints the WAL off the event loop; none for an in-memory database. */
  readonly checkpointer: WalCheckpointer | undefined;

  constructor(readonly path: string, options: SqliteEventStoreOptions = {}) {
    this.db = openLedgerFile(path, options.onModeTightened ?? ignoreNotice);
    this.checkpoints = new SqliteCheckpointTable(this.db);
    this.runningDigests = new SqliteRunningDigests(this.db);
    this.runningDigests.followInTransaction();
    this.businessDays = new SqliteBusinessDays(this.db);
    this.businessDays.followInTransaction();
    this.countRewrites();
    this.now = options.now ?? (() => new Date());
    this.faults = options.faults ?? {};
    this.walSync = path === ':memory:' ? undefined : new WalSync(`${path}-wal`, () => this.commitPending());
    this.checkpointer = path === ':memory:' ? undefined : new WalCheckpointer(path);
    this.appended.setMaxListeners(0);
    this.statements = {
      head: this.db.prepare<[string], { revision: number; hash: string }>(
        'SELECT revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      insert: this.db.prepare(
        'INSERT INTO events (id, stream, revision, type, data, metadata, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      dataVersion: this.db.prepare<[], number>('PRAGMA data_version').pluck(),
      // Page sizes are written into the SQL, not bound: this SQLite is built with STAT4, which
      // re-prepares a statement on every call that rebinds its LIMIT (measured: 17 µs instead of
      // 1.3 µs for a stream read, a query every write makes at least twice).
      readStreamPage: this.db.prepare<[string, number], EventRow>(
        `SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ${PAGE_SIZE}`,
      ),
      readWholeStream: this.db.prepare<[string], EventRow>('SELECT * FROM events WHERE stream = ? ORDER BY revision'),
      logPage: this.db.prepare<[number], EventRow>(`SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ${PAGE_SIZE}`),
      logAfter: this.db.prepare<[number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position'),
      readAll: this.db.prepare<[number, number], EventRow>(
        'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?',
      ),
      lastPosition: this.db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
      highestAssigned: this.db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'"),
      idempotentResponse: this.db.prepare<[string], { request_hash: string; status: number; body: string }>(
        'SELECT request_hash, status, body FROM idempotency WHERE key = ?',
      ),
      rememberResponse: this.db.prepare(
        'INSERT INTO idempotency (key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      // Raw arrays of the five columns a replay needs: no row objects, no id, revision or hash.
      scan: this.db
        .prepare<[number, number], SqliteScanRow>('SELECT position, stream, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?')
        .raw(true),
      hashes: this.db.prepare<[number, number], { position: number; hash: string }>(
        'SELECT position, hash FROM events WHERE position > ? ORDER BY position LIMIT ?',
      ),
    };
  }

  /**
   * Appends are group-committed: every append requested while the previous commit was being
   * prepared joins one transaction (one fsync), each inside its own savepoint, so one caller's
   * ConcurrencyError rolls back only its own events. A caller's promise resolves only after the
   * commit that holds its events is durable: after an fsync of the WAL that began after the commit
   * (see WalSync), which runs off the event loop while the next group is being prepared.
   */
  append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision, answer?: AppendAnswer, guard?: AppendGuard): Promise<AppendResult> {
    try {
      this.assertOpen();
      if (this.walSync?.failure !== undefined) throw this.walSync.failure;
      if (events.length === 0) throw new Error('append needs at least one event');
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ stream, events, expected, answer, guard, resolve, reject });
      // While an fsync runs, appends wait for it to end (WalSync's onIdle commits them): they could
      // not be answered before the next fsync anyway, and one larger commit costs less than several.
      if (this.pending.length === 1 && !this.walSync?.busy) setImmediate(() => this.commitPending());
    });
  }

  private commitPending(): void {
    const batch = this.pending.splice(0, this.pending.length);
    if (batch.length === 0) return;
    const outcomes: AppendOutcome[] = [];
    try {
      this.assertOpen();
      this.db.transaction(() => {
        for (const request of batch) {
          this.db.exec('SAVEPOINT one_append');
          try {
            this.refuseTakenKey(request.answer);
            request.guard?.check(this.guardSnapshot(request.guard));
            const appended = this.appendInTransaction(request.stream, request.events, request.expected);
            outcomes.push({ ok: true, result: request.answer ? this.answerInTransaction(appended, request.answer) : appended });
            this.db.exec('RELEASE one_append');
          } catch (error) {
            // SQLITE_FULL and I/O errors make SQLite roll back the whole transaction: every
            // savepoint is gone, so the whole batch fails with the real cause (not "no such savepoint").
            if (!this.db.inTransaction) throw error;
            this.db.exec('ROLLBACK TO one_append');
            this.db.exec('RELEASE one_append');
            outcomes.push({ ok: false, error });
          }
        }
        this.faults.insideCommit?.(batch.map((request) => request.stream));
      }).immediate();
    } catch (error) {
      // The commit itself failed (disk full, closed store): nobody's events were written.
      for (const request of batch) request.reject(error);
      return;
    }
    this.commits += 1;
    this.checkpointer?.noteCommit(outcomes.reduce((events, outcome) => events + (outcome.ok ? outcome.result.events.length : 0), 0));
    this.rememberHeads(outcomes);
    if (!this.walSync) this.answerCommitted(batch, outcomes);
    else {
      this.walSync.durable().then(
        () => this.answerCommitted(batch, outcomes),
        (error: unknown) => {
          // Committed but not known to be on disk: no caller may be told it was written.
          for (const request of batch) request.reject(error);
          this.appended.emit('appended');
        },
      );
    }
  }

  /** Our own commit moved these streams' heads. */
  private rememberHeads(outcomes: readonly AppendOutcome[]): void {
    for (const outcome of outcomes) {
      if (outcome.ok) this.setKnownHead(outcome.result.events[0]!.stream, outcome.result.nextExpectedRevision);
    }
  }

  /** The least recently used dropped past MAX_KNOWN_HEADS: a forgotten stream only costs a query. */
  private setKnownHead(stream: string, revision: number): void {
    this.streamHeads.set(stream, revision);
  }

  /** Tells each caller of a durable batch its outcome, and subscribers that the log grew. */
  private answerCommitted(batch: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
    try {
      this.faults.afterCommit?.(batch.map((request) => request.stream));
    } catch (error) {
      for (const request of batch) request.reject(error);
      this.appended.emit('appended');
      return;
    }
    batch.forEach((request, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) request.resolve(outcome.result);
      else request.reject(outcome.error);
    });
    this.appended.emit('appended');
  }

  private appendInTransaction(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): AppendResult {
    const head = this.statements.head.get(stream);
    const actual = head ? head.revision : 'no-stream';
    if (!expectedRevisionMatches(expected, actual)) throw new ConcurrencyError(stream, expected, actual);
    let previousHash = head?.hash ?? GENESIS_HASH;
    let revision = head ? head.revision : -1;
    const recordedAt = this.now().toISOString();
    const correlationFallback = randomUUID();
    const written: RecordedEvent[] = [];
    const dataTexts: Array<{ position: string; type: string; data: string }> = [];
    for (const event of events) {
      revision += 1;
      const id = event.id ?? timeOrderedId();
      const metadata: EventMetadata = {
        ...event.metadata,
        recordedAt,
        correlationId: event.metadata.correlationId ?? correlationFallback,
        causationId: event.metadata.causationId ?? id,
      };
      const hash = eventHash(previousHash, { stream, revision, type: event.type, data: event.data, metadata });
      const data = JSON.stringify(event.data);
      const info = this.statements.insert.run(id, stream, revision, event.type, data, JSON.stringify(metadata), hash);
      const position = String(info.lastInsertRowid);
      written.push({ id, stream, revision, position, type: event.type, data: event.data, metadata, hash });
      dataTexts.push({ position, type: event.type, data });
      previousHash = hash;
    }
    // Inside the append's savepoint: its digests and index rows are rolled back with its events.
    this.runningDigests.follow(written);
    this.businessDays.follow(dataTexts);
    const last = written[written.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position, events: written };
  }

  /**
   * Builds the write's answer from its recorded events and, for a request with an
   * Idempotency-Key, keeps key, request hash and answer in the same transaction as the events.
   * Runs inside the caller's savepoint: a key already taken, or an answer that cannot be built,
   * rolls this append back and nothing of it is written.
   */
  private answerInTransaction(appended: AppendResult, answer: AppendAnswer): AppendResult {
    const key = answer.idempotency?.key;
    const built = answer.build(appended);
    const response: StoredResponse = { requestHash: answer.idempotency?.requestHash ?? '', status: built.status, body: built.body };
    if (key !== undefined) {
      this.statements.rememberResponse.run(key, response.requestHash, response.status, response.body, this.now().toISOString());
    }
    return { ...appended, answer: response };
  }

  /**
   * The guard's streams and the last position, read inside the transaction: appends earlier in
   * this batch are visible, and no other writer can commit before this append does.
   */
  private guardSnapshot(guard: AppendGuard): GuardSnapshot {
    const read = new Map(guard.streams.map((name) => [name, this.statements.readWholeStream.all(name).map(toRecorded)]));
    const after = guard.readsAfter?.();
    const eventsAfter = after === undefined ? [] : this.statements.logAfter.all(Number(after)).map(toRecorded);
    const lastPosition = this.statements.lastPosition;
    return {
      events: (name) => read.get(name) ?? [],
      // Asked only when a guard reads it (the closed-years guard of every dated write does not):
      // `check` runs inside this transaction, so the answer is the same moment's either way.
      get lastPosition() {
        const last = lastPosition.get()?.position;
        return last == null ? undefined : String(last);
      },
      eventsAfter,
    };
  }

  /** Checked before the events are inserted: their ids derive from the key and would collide first. */
  private refuseTakenKey(answer: AppendAnswer | undefined): void {
    const key = answer?.idempotency?.key;
    const stored = key === undefined ? undefined : this.storedResponse(key);
    if (stored) throw new IdempotencyKeyTaken(stored);
  }

  private storedResponse(key: string): StoredResponse | undefined {
    const row = this.statements.idempotentResponse.get(key);
    return row ? { requestHash: row.request_hash, status: row.status, body: row.body } : undefined;
  }

  async idempotentResponse(key: string): Promise<StoredResponse | undefined> {
    this.assertOpen();
    const stored = this.storedResponse(key);
    // A repeat must not be told of a commit that is not on disk yet (its first request is still waiting).
    if (stored) await this.walSync?.durable();
    return stored;
  }

  async *readStream(stream: string, fromRevision = 0): AsyncIterable<RecordedEvent> {
    let next = fromRevision;
    for (;;) {
      this.assertOpen();
      if (this.knownHeadBelow(stream, next)) return;
      const rows = this.statements.readStreamPage.all(stream, next);
      if (rows.length < PAGE_SIZE) this.setKnownHead(stream, rows.length === 0 ? next - 1 : rows[rows.length - 1]!.revision);
      for (const row of rows) yield toRecorded(row);
      if (rows.length < PAGE_SIZE) return;
      next = rows[rows.length - 1]!.revision + 1;
    }
  }

  /** True when the stream is known to have no event at `revision` or above (see streamHeads). */
  private knownHeadBelow(stream: string, revision: number): boolean {
    const head = this.streamHeads.get(stream);
    if (head === undefined || head >= revision) return false; // a query follows anyway: no need to ask SQLite
    const dataVersion = this.dataVersion();
    if (dataVersion === this.streamHeadsDataVersion) return true;
    this.streamHeads.clear();
    this.streamHeadsDataVersion = dataVersion;
    return false;
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = options.after === undefined ? 0 : Number(options.after);
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      this.assertOpen();
      const rows = remaining >= PAGE_SIZE ? this.statements.logPage.all(after) : this.statements.readAll.all(after, remaining);
      for (const row of rows) yield toRecorded(row);
      if (rows.length === 0) return;
      remaining -= rows.length;
      after = Number(rows[rows.length - 1]!.position);
    }
  }

  /**
   * The replay's batched scan: one indexed range query per batch, rows as SQLite hands them
   * (arrays), the position turned into the port's decimal string in place. About twice as fast
   * as readAll's row objects with parsed JSON.
   */
  async *scanAll(after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> {
    yield* this.scanBatches((from, limit) => asScannedRows(this.statements.scan.all(from, limit)), after, batchSize);
  }

  /** `scanAll` with the rows of `types` left out by SQLite itself (`type NOT IN`): they never become JavaScript strings. */
  async *scanAllExcept(after: string | undefined, batchSize: number, types: ReadonlySet<string>): AsyncIterable<ScannedRow[]> {
    if (types.size === 0) return yield* this.scanAll(after, batchSize);
    const statement = this.scanExceptStatement(types.size);
    const excluded = [...types].sort();
    yield* this.scanBatches((from, limit) => asScannedRows(statement.all(from, ...excluded, limit)), after, batchSize);
  }

  /** The prepared scans without n types, by n (one or two in practice). */
  private readonly scanExceptStatements = new Map<number, Database.Statement<unknown[], SqliteScanRow>>();

  private scanExceptStatement(count: number): Database.Statement<unknown[], SqliteScanRow> {
    let statement = this.scanExceptStatements.get(count);
    if (statement === undefined) {
      statement = this.db
        .prepare<unknown[], SqliteScanRow>(
          `SELECT position, stream, type, data, metadata FROM events WHERE position > ? AND type NOT IN (${Array.from({ length: count }, () => '?').join(', ')}) ORDER BY position LIMIT ?`,
        )
        .raw(true);
      this.scanExceptStatements.set(count, statement);
    }
    return statement;
  }

  /** One year's events and the undated ones from the business-date index (sqlite-business-days.ts). */
  async *scanBusinessYear(year: number, after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> {
    yield* this.scanBatches((from, limit) => this.businessDays.yearBatch(year, from, limit), after, batchSize);
  }

  /**
   * The port's batches from one batch query (rows after a position, at most a limit): full
   * batches, then a short last one. Where the next batch starts is taken before the batch is
   * handed over, because the rows are the caller's to reuse.
   */
  private async *scanBatches(readBatch: (after: number, limit: number) => ScannedRow[], after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> {
    assertBatchSize(batchSize);
    let from = after === undefined ? 0 : Number(after);
    for (;;) {
      this.assertOpen();
      const rows = readBatch(from, batchSize);
      const last = rows.at(-1);
      if (last !== undefined) from = Number(last[0]);
      yield rows;
      if (rows.length < batchSize) return;
    }
  }

  /** A page of the log as recorded events: what a catch-up subscription delivers. */
  readAllPage(after: string | undefined, limit: number): RecordedEvent[] {
    this.assertOpen();
    const from = after === undefined ? 0 : Number(after);
    return (limit === PAGE_SIZE ? this.statements.logPage.all(from) : this.statements.readAll.all(from, limit)).map(toRecorded);
  }

  subscribe(after: string | undefined, handler: SubscriptionHandler): Subscription {
    return runCatchUpSubscription({
      after,
      handler,
      readPage: async (from) => this.readAllPage(from, PAGE_SIZE),
      waitForMore: (signal) => waitForAppendOrPoll(this.appended, signal),
    });
  }

  /** The highest position SQLite ever assigned (AUTOINCREMENT never reuses one), for verifyLog. */
  highestAssignedPosition(): string | undefined {
    this.assertOpen();
    const row = this.statements.highestAssigned.get();
    return row ? String(row.seq) : undefined;
  }

  /** Our commits and SQLite's data_version (every other connection's commit): see EventStore.logVersion. */
  logVersion(): string {
    this.assertOpen();
    return `${this.commits}.${this.dataVersion()}`;
  }

  /**
   * Changes when a written event or running digest may have changed: another connection's
   * commit (SQLite's data_version, read now, not per turn) or an UPDATE or DELETE on this one
   * (the triggers of `countRewrites`). This store's own appends leave it as it is.
   */
  integrityVersion(): string {
    this.assertOpen();
    return `${this.rewrites}.${this.statements.dataVersion.get()!}`;
  }

  /**
   * Temporary triggers, on this connection only, count every UPDATE or DELETE of the events
   * and running digests (an INSERT OR REPLACE of a written row included): such a change on this connection does not move data_version. The store
   * never makes one; a test (or code in this process) editing the file through `db` does.
   */
  private countRewrites(): void {
    // An INSERT OR REPLACE deletes the row it replaces, but fires DELETE triggers only with
    // recursive triggers on (no other trigger exists on this connection's tables).
    this.db.pragma('recursive_triggers = ON');
    this.db.function('ledger_row_rewritten', () => {
      this.rewrites += 1;
      return null;
    });
    for (const table of ['events', 'log_digests']) {
      for (const change of ['UPDATE', 'DELETE']) {
        this.db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS ${table}_${change.toLowerCase()}_counted AFTER ${change} ON main.${table} BEGIN SELECT ledger_row_rewritten(); END`);
      }
    }
  }

  /** SQLite's data_version, queried at most once per event-loop turn (see dataVersionThisTurn). */
  private dataVersion(): number {
    if (this.dataVersionThisTurn === undefined) {
      this.dataVersionThisTurn = this.statements.dataVersion.get()!;
      setImmediate(this.forgetDataVersion);
    }
    return this.dataVersionThisTurn;
  }

  async lastPosition(): Promise<string | undefined> {
    const row = this.statements.lastPosition.get();
    return row?.position == null ? undefined : String(row.position);
  }

  /**
   * Positions and hashes only, in log order: what a digest folds. Skipping the JSON of data and
   * metadata makes an anchor over a million events a fraction of a second instead of many.
   */
  async *readHashes(after?: string): AsyncIterable<{ position: string; hash: string }> {
    let from = after === undefined ? 0 : Number(after);
    for (;;) {
      this.assertOpen();
      // One page a slice of the fold (HASHES_PER_TURN): a bigger page is one longer stall.
      const rows = this.statements.hashes.all(from, PAGE_SIZE);
      for (const row of rows) yield { position: String(row.position), hash: row.hash };
      if (rows.length < PAGE_SIZE) return;
      from = rows[rows.length - 1]!.position;
    }
  }

  /** The size of the ledger file and its WAL, in bytes: what a start check has to read. */
  fileSizeBytes(): number {
    return [this.path, `${this.path}-wal`].reduce((total, file) => total + (existsSync(file) ? statSync(file).size : 0), 0);
  }

  /** Where the data lives, named in storage-fault log lines. */
  get location(): string {
    return this.path;
  }

  /**
   * SQLite's own structural check of the file (`PRAGMA quick_check`, O(file size), no index
   * cross-check): the problems it reports, none when the file is sound. A file is checked in a
   * worker thread, so a start can answer requests meanwhile; an in-memory one here.
   */
  async quickCheck(maxProblems = 10): Promise<string[]> {
    this.assertOpen();
    const limit = Math.max(1, Math.trunc(maxProblems));
    try {
      const lines =
        this.path === ':memory:'
          ? (this.db.pragma(`quick_check(${limit})`) as Array<{ quick_check: string }>).map((row) => row.quick_check)
          : await quickCheckOffThread(this.path, limit);
      return lines.filter((line) => line !== 'ok');
    } catch (error) {
      return [`quick_check failed: ${describeOpenFailure(error)}`];
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are committed, and made durable, before the file closes.
    this.commitPending();
    this.closed = true;
    await this.walSync?.durable().catch(() => undefined);
    this.walSync?.close();
    await this.checkpointer?.close();
    this.appended.emit('closed');
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: String(row.position),
    type: row.type,
    data: parseStoredJson(row, 'data'),
    metadata: parseStoredJson(row, 'metadata') as EventMetadata,
    hash: row.hash,
  };
}

/** A row whose JSON does not parse was damaged on disk: say so with a code the HTTP layer maps to 503. */
function parseStoredJson(row: EventRow, column: 'data' | 'metadata'): unknown {
  try {
    return JSON.parse(row[column]) as unknown;
  } catch (error) {
    throw new StoredEventCorrupt(`event at position ${String(row.position)}: its ${column} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}


/**
 * Opens (creating when missing) the ledger file 0600 in a 0700 folder, in WAL mode, and migrates
 * it. A file or folder that cannot be opened for writing fails here with its path and the cause,
 * not later with a bare SQLite message.
 */
function openLedgerFile(path: string, notice: ModeNotice): Database.Database {
  if (path === ':memory:') return configure(new Database(path), path);
  let db: Database.Database | undefined;
  try {
    ensurePrivateFolder(dirname(path), notice, { tightenExisting: false });
    ensurePrivateFile(path, notice);
    // SQLite gives the WAL and SHM the database's mode when it creates them; older ones may be wider.
    for (const companion of [`${path}-wal`, `${path}-shm`]) tightenMode(companion, PRIVATE_FILE_MODE, notice);
    db = new Database(path);
    return configure(db, path);
  } catch (error) {
    if (db?.open) db.close();
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
    // Errors without a code are ours (a schema newer than this build): their message says it all.
    if (code === undefined) throw error;
    throw new StorageOpenError(path, code, `cannot open ${path} for writing: ${describeOpenFailure(error)}`);
  }
}

function configure(db: Database.Database, path: string): Database.Database {
  db.pragma('journal_mode = WAL');
  // NORMAL, not FULL: COMMIT does not fsync on the main thread; the store fsyncs the WAL itself,
  // off the event loop, before it acknowledges a commit (WalSync says why that is as durable).
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // A worker checkpoints the WAL (WalCheckpointer); this connection only as a backstop, far later.
  db.pragma(`wal_autocheckpoint = ${MAIN_AUTOCHECKPOINT_PAGES}`);
  db.defaultSafeIntegers(false);
  migrate(db, path);
  return db;
}

function migrate(db: Database.Database, path: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const row = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations').get();
  const current = row?.version ?? 0;
  if (current > SQLITE_SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `${path} was written with ledger schema version ${current}, but this build only knows up to ` +
        `version ${SQLITE_SCHEMA_VERSION}. Upgrade the service before opening this file; it was not changed.`,
    );
  }
  const apply = db.transaction(() => {
    for (let version = current; version < SQLITE_SCHEMA_VERSION; version += 1) {
      db.exec(MIGRATIONS[version]!);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version + 1, new Date().toISOString());
    }
  });
  apply.immediate();
}
