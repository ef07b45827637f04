import type Database from 'better-sqlite3';
import type { CheckpointTable, StoredCheckpoint } from './port.js';

interface Row {
  projection: string;
  version: string;
  position: number;
  digest: string;
  state: string;
  created_at: string;
}

/**
 * Projection checkpoints in their own table of the ledger file. The table is created on first
 * use, not by a schema migration: it holds a cache, not ledger data, so a file with or without
 * it is the same ledger, and an older build that does not know it can still open the file.
 * Rows are replaced and pruned freely; the events table is never touched.
 */
export class SqliteCheckpointTable implements CheckpointTable {
  private statements: ReturnType<SqliteCheckpointTable['prepare']> | undefined;

  constructor(private readonly db: Database.Database) {}

  list(projection: string, version: string): StoredCheckpoint[] {
    return this.prepared().list.all(projection, version).map(toCheckpoint);
  }

  all(): StoredCheckpoint[] {
    return this.prepared().all.all().map(toCheckpoint);
  }

  save(checkpoint: StoredCheckpoint, keep: number): void {
    const { insert, prune } = this.prepared();
    this.db.transaction(() => {
      insert.run(checkpoint.projection, checkpoint.version, Number(checkpoint.position), checkpoint.digest, checkpoint.state, checkpoint.createdAt);
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
      state      TEXT    NOT NULL,
      created_at TEXT    NOT NULL,
      PRIMARY KEY (projection, version, position)
    )`);
    const columns = 'projection, version, position, digest, state, created_at';
    return {
      list: this.db.prepare<[string, string], Row>(`SELECT ${columns} FROM projection_checkpoints WHERE projection = ? AND version = ? ORDER BY position DESC`),
      all: this.db.prepare<[], Row>(`SELECT ${columns} FROM projection_checkpoints ORDER BY projection, version, position`),
      insert: this.db.prepare(`INSERT OR REPLACE INTO projection_checkpoints (${columns}) VALUES (?, ?, ?, ?, ?, ?)`),
      prune: this.db.prepare(
        `DELETE FROM projection_checkpoints WHERE projection = ? AND version = ? AND position NOT IN
           (SELECT position FROM projection_checkpoints WHERE projection = ? AND version = ? ORDER BY position DESC LIMIT ?)`,
      ),
    };
  }
}

function toCheckpoint(row: Row): StoredCheckpoint {
  return { projection: row.projection, version: row.version, position: String(row.position), digest: row.digest, state: row.state, createdAt: row.created_at };
}
