import type Database from 'better-sqlite3';
import type { CheckpointEntry, CheckpointTable, StoredCheckpoint } from './port.js';

interface EntryRow {
  projection: string;
  version: string;
  position: number;
  digest: string;
  created_at: string;
}

interface Row extends EntryRow {
  state: Buffer;
}

/**
 * Projection checkpoints in their own table of the ledger file. The table is created on first
 * use, not by a schema migration: it holds a cache, not ledger data, so a file with or without
 * it is the same ledger, and an older build that does not know it can still open the file.
 * Rows are replaced and pruned freely; the events table is never touched. A state is a blob
 * (state-codec.ts); rows written by builds before it hold JSON text, of another code version.
 */
export class SqliteCheckpointTable implements CheckpointTable {
  private statements: ReturnType<SqliteCheckpointTable['prepare']> | undefined;

  constructor(private readonly db: Database.Database) {}

  list(projection: string, version: string): CheckpointEntry[] {
    return this.prepared().list.all(projection, version).map(toEntry);
  }

  stateOf(checkpoint: CheckpointEntry): Uint8Array | undefined {
    return this.prepared().state.get(checkpoint.projection, checkpoint.version, Number(checkpoint.position));
  }

  all(): StoredCheckpoint[] {
    return this.prepared().all.all().map((row) => ({ ...toEntry(row), state: row.state }));
  }

  save(checkpoint: StoredCheckpoint, keep: number): void {
    const { insert, prune } = this.prepared();
    this.db.transaction(() => {
      insert.run(checkpoint.projection, checkpoint.version, Number(checkpoint.position), checkpoint.digest, checkpoint.createdAt, checkpoint.state);
      prune.run(checkpoint.projection, checkpoint.version, checkpoint.projection, checkpoint.version, keep);
    }).immediate();
  }

  private prepared(): ReturnType<SqliteCheckpointTable['prepare']> {
    this.statements ??= this.prepare();
    return this.statements;
  }

  private prepare() {
    this.db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
      projection TEXT    NOT NULL,
      version    TEXT    NOT NULL,
      position   INTEGER NOT NULL,
      digest     TEXT    NOT NULL,
      state      BLOB    NOT NULL,
      created_at TEXT    NOT NULL,
      PRIMARY KEY (projection, version, position)
    )`);
    const entry = 'projection, version, position, digest, created_at';
    const columns = `${entry}, state`;
    return {
      list: this.db.prepare<[string, string], EntryRow>(`SELECT ${entry} FROM projection_checkpoints WHERE projection = ? AND version = ? ORDER BY position DESC`),
      // As a blob whatever it was stored as: the rows of older versions hold their state as text.
      state: this.db.prepare<[string, string, number], Buffer>('SELECT CAST(state AS BLOB) FROM projection_checkpoints WHERE projection = ? AND version = ? AND position = ?').pluck(),
      all: this.db.prepare<[], Row>(`SELECT ${entry}, CAST(state AS BLOB) AS state FROM projection_checkpoints ORDER BY projection, version, position`),
      insert: this.db.prepare(`INSERT OR REPLACE INTO projection_checkpoints (${columns}) VALUES (?, ?, ?, ?, ?, ?)`),
      prune: this.db.prepare(
        `DELETE FROM projection_checkpoints WHERE projection = ? AND version = ? AND position NOT IN
           (SELECT position FROM projection_checkpoints WHERE projection = ? AND version = ? ORDER BY position DESC LIMIT ?)`,
      ),
    };
  }
}

function toEntry(row: EntryRow): CheckpointEntry {
  return { projection: row.projection, version: row.version, position: String(row.position), digest: row.digest, createdAt: row.created_at };
}
