import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints the ledger's WAL from a worker thread, so the service's only JavaScript thread does
 * not stop for them.
 *
 * SQLite checkpoints automatically inside a COMMIT once the WAL passes 1,000 pages, on the thread
 * that commits: with `synchronous=NORMAL` that is an fsync of the WAL, a copy of every frame into
 * the database file and an fsync of the database, several milliseconds (tens on a busy disk)
 * during which no request was read, decided or answered: every few hundred writes, the slowest
 * percent of the writes at a fixed rate waited for one. Here a second connection, in a worker,
 * runs PASSIVE checkpoints (they never block a writer nor wait for one) every `eventsPerCheckpoint`
 * events written (each dirties about three pages: its row and two index entries), one at a time.
 *
 * The main connection keeps an automatic checkpoint at a higher threshold (MAIN_AUTOCHECKPOINT_PAGES)
 * as a backstop, and needs it: SQLite rewinds the WAL only after a checkpoint that copied every
 * frame, which a checkpoint running beside a busy writer rarely manages. The backstop then finds
 * nearly everything copied already and costs two short fsyncs instead of a full copy.
 *
 * Durability is SQLite's own: the worker's connection runs with `synchronous=NORMAL` too, so its
 * checkpoints fsync the WAL before copying and the database after, and a crash at any moment leaves
 * what SQLite's recovery expects. A failed checkpoint only leaves the WAL longer (kept in
 * `lastError`); the backstop still runs.
 */
export const MAIN_AUTOCHECKPOINT_PAGES = 10_000;
/** About the 1,000 pages at which SQLite would have checkpointed itself. */
const DEFAULT_EVENTS_PER_CHECKPOINT = 256;

/** The worker: plain CommonJS run with `eval`, so it loads the same in the service, the CLI and under tsx. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
parentPort.on('message', (message) => {
  if (message === 'close') {
    if (db) db.close();
    parentPort.close();
    return;
  }
  try {
    if (!db) {
      db = new Database(workerData.path, { fileMustExist: true });
      db.pragma('synchronous = NORMAL');
    }
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, frames: row.log, copied: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String((error && error.message) || error) });
  }
});
`;

type CheckpointOutcome = { ok: true; frames: number; copied: number } | { ok: false; error: string };

export class WalCheckpointer {
  private worker: Worker | undefined;
  private running = false;
  private eventsSinceLast = 0;
  private closed = false;
  private readonly finished: Array<() => void> = [];
  /** Checkpoints the worker completed, and what the last one found: for tests and diagnostics. */
  completed = 0;
  lastOutcome: CheckpointOutcome | undefined;
  lastError: string | undefined;

  constructor(
    private readonly databasePath: string,
    private readonly eventsPerCheckpoint = DEFAULT_EVENTS_PER_CHECKPOINT,
  ) {}

  /** Called after each of the store's commits. The worker starts at the first checkpoint (a read-only CLI never starts one). */
  noteCommit(events: number): void {
    this.eventsSinceLast += events;
    if (!this.running && !this.closed && this.eventsSinceLast >= this.eventsPerCheckpoint) this.start();
  }

  /** Resolves once no checkpoint is running (tests). */
  idle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.finished.push(resolve)) : Promise.resolve();
  }

  /** Ends the worker and its connection; the store closes its own connection after this. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Unreferenced so an idle worker never keeps a process alive; referenced while it closes, or
    // a process with nothing else to do would end before the worker's connection is closed.
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  private start(): void {
    this.eventsSinceLast = 0;
    this.running = true;
    this.ensureWorker().postMessage('checkpoint');
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // No execArgv: the worker needs no TypeScript loader, only the driver.
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { path: this.databasePath, driver } });
    worker.unref();
    worker.on('message', (outcome: CheckpointOutcome) => this.done(outcome));
    worker.on('error', (error) => {
      // A worker that died is not started again: the main connection's backstop checkpoints.
      this.worker = undefined;
      this.closed = true;
      this.done({ ok: false, error: error.message });
    });
    this.worker = worker;
    return worker;
  }

  private done(outcome: CheckpointOutcome): void {
    this.running = false;
    this.lastOutcome = outcome;
    if (outcome.ok) this.completed += 1;
    else this.lastError = outcome.error;
    for (const resolve of this.finished.splice(0)) resolve();
    if (!this.closed && this.eventsSinceLast >= this.eventsPerCheckpoint) this.start();
  }
}
