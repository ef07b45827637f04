import { closeSync, fdatasync, openSync, statSync } from 'node:fs';

/**
 * Makes committed WAL frames durable without stopping the event loop.
 *
 * SQLite's `synchronous=FULL` fsyncs the WAL inside COMMIT, and better-sqlite3 runs COMMIT on the
 * main thread: every group commit froze the whole service for one fsync (3–4 ms on this machine's
 * disk), during which no request was parsed, decided or answered. Instead the ledger file runs
 * with `synchronous=NORMAL` (COMMIT writes the WAL frames but does not fsync them) and the store
 * asks this class for durability before any caller hears of its commit: it fsyncs the WAL file on
 * libuv's thread pool, while the main thread goes on preparing the next group commit.
 *
 * Why that is as durable as FULL for every acknowledged write: the WAL is appended to in commit
 * order, and Linux's fsync flushes every written page of the file, through any descriptor. So a
 * caller waits for an fsync that started after its commit; that fsync covers its frames and all
 * earlier ones. SQLite itself fsyncs the WAL before each checkpoint and the database file after
 * it (what NORMAL keeps), so frames copied into the database are durable there too.
 *
 * Fsyncs are grouped the same way commits are: whoever asks while one runs waits for the next.
 * A failed fsync leaves the file's state on disk unknown (the kernel may have dropped the pages):
 * the store stops taking writes from then on (`failure`), as PostgreSQL does, rather than
 * acknowledging later commits on top of frames that may be lost.
 */
export class WalSync {
  private waiting: Array<{ resolve(): void; reject(error: unknown): void }> = [];
  private running = false;
  private failed: { error: unknown } | undefined;
  private readonly wal: WalFile;

  /** `onIdle`: called each time the last fsync asked for has finished (the store commits what waited). */
  constructor(
    walPath: string,
    private readonly onIdle: () => void = () => undefined,
  ) {
    this.wal = new WalFile(walPath);
  }

  /** True while an fsync runs: a commit made now could not be answered before the next one anyway. */
  get busy(): boolean {
    return this.running;
  }

  /** The error of a failed fsync, once one failed; appends are refused with it. */
  get failure(): unknown {
    return this.failed?.error;
  }

  /** Resolves once everything written to the WAL before this call is on disk. */
  durable(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed.error);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) void this.syncWhileWaiting();
    });
  }

  /** Lets go of the WAL's descriptor (the store is closing; a later durable() opens it again). */
  close(): void {
    this.wal.close();
  }

  private async syncWhileWaiting(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.waiting.length);
      try {
        if (this.failed) throw this.failed.error;
        await this.wal.fsync();
        for (const waiter of group) waiter.resolve();
      } catch (error) {
        this.failed ??= { error };
        for (const waiter of group) waiter.reject(error);
      }
    }
    this.running = false;
    this.onIdle();
  }
}

/**
 * The WAL's descriptor stays open between fsyncs: opening and closing it around each one cost two
 * more trips to the thread pool per group commit (a third of the fsync's CPU). SQLite never
 * replaces the WAL while a connection is open (it rewinds it in place); should the file be another
 * one all the same (a different inode at the path), the descriptor is opened again.
 */
class WalFile {
  private fd: number | undefined;
  private inode: number | undefined;

  constructor(private readonly path: string) {}

  async fsync(): Promise<void> {
    const current = statSync(this.path, { throwIfNoEntry: false });
    // No WAL file: SQLite removed it after checkpointing every frame into the (synced) database.
    if (current === undefined) return this.close();
    if (this.fd === undefined || current.ino !== this.inode) {
      this.close();
      this.fd = openSync(this.path, 'r');
      this.inode = current.ino;
    }
    const fd = this.fd;
    // fdatasync: the frames and what is needed to read them back (the file's length), without the
    // modification time, which would cost the filesystem's journal a commit of its own on every
    // call (PostgreSQL syncs its WAL the same way on Linux).
    await new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.inode = undefined;
  }
}
