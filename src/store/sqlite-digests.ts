import type Database from 'better-sqlite3';
import { GENESIS_HASH, nextDigest } from './hashing.js';
import type { RunningDigests } from './port.js';

/** Events read per query: a first open of an older file folds its whole log in pages. */
const PAGE_SIZE = 10_000;

/**
 * The running log digest per event, in its own table of the ledger file: the digest of the log
 * up to position p is the row at p. A checkpoint's digest is then compared with one row at start
 * instead of folding a million hashes (docs/projections.md, "Checkpoints").
 *
 * The table follows the events table: `follow()` folds the hashes of every event after its last
 * row. The store calls it inside each append's transaction (so an append and its digests commit,
 * or roll back, together) and once at open, which fills the table of a file written by a build
 * that did not keep it (the first open of an older ledger folds its whole log once). It is derived
 * data, like the checkpoints table: created on first use rather than by a schema migration, so an
 * older build can still open the file; the events it appends are folded in by the next `follow()`.
 * Digests are stored as their 32 bytes, not hex: half the space.
 */
export class SqliteRunningDigests implements RunningDigests {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    db.exec('CREATE TABLE IF NOT EXISTS log_digests (position INTEGER PRIMARY KEY, digest BLOB NOT NULL)');
    this.statements = {
      last: db.prepare<[], { position: number; digest: Buffer }>('SELECT position, digest FROM log_digests ORDER BY position DESC LIMIT 1'),
      at: db.prepare<[number], Buffer>('SELECT digest FROM log_digests WHERE position = ?').pluck(),
      hashesAfter: db.prepare<[number, number], { position: number; hash: string }>('SELECT position, hash FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      insert: db.prepare<[number, Buffer]>('INSERT INTO log_digests (position, digest) VALUES (?, ?)'),
      joined: db.prepare<[number, number], { position: number; hash: string; digest: Buffer | null }>(
        'SELECT e.position, e.hash, d.digest FROM events e LEFT JOIN log_digests d ON d.position = e.position WHERE e.position > ? ORDER BY e.position LIMIT ?',
      ),
    };
  }

  /**
   * Folds every event after the table's last row into it. Must run inside a write transaction
   * (the caller's append, or `followInTransaction`): the last row and the events read must be
   * one moment of the file. `appended`, the events an append just inserted (positions ascending),
   * spares reading their hashes back when they directly follow the last row, as they nearly
   * always do.
   */
  follow(appended: ReadonlyArray<{ readonly position: string; readonly hash: string }> = []): void {
    const last = this.statements.last.get();
    let position = last?.position ?? 0;
    let digest = last ? last.digest.toString('hex') : GENESIS_HASH;
    if (appended.length > 0 && Number(appended[0]!.position) === position + 1) {
      for (const event of appended) {
        digest = nextDigest(digest, event.hash);
        this.statements.insert.run(Number(event.position), Buffer.from(digest, 'hex'));
      }
      return;
    }
    for (;;) {
      const rows = this.statements.hashesAfter.all(position, PAGE_SIZE);
      for (const row of rows) {
        digest = nextDigest(digest, row.hash);
        this.statements.insert.run(row.position, Buffer.from(digest, 'hex'));
        position = row.position;
      }
      if (rows.length < PAGE_SIZE) return;
    }
  }

  /** At open: the table catches up with events appended by a build that did not keep it. */
  followInTransaction(): void {
    this.db.transaction(() => this.follow()).immediate();
  }

  at(position: string): string | undefined {
    return this.statements.at.get(Number(position))?.toString('hex');
  }

  async *readAll(): AsyncIterable<{ position: string; hash: string; digest: string | undefined }> {
    let after = 0;
    for (;;) {
      const rows = this.statements.joined.all(after, PAGE_SIZE);
      for (const row of rows) yield { position: String(row.position), hash: row.hash, digest: row.digest?.toString('hex') };
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.position;
    }
  }
}
