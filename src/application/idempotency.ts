import type Database from 'better-sqlite3';

/** The first response to a request with an Idempotency-Key, kept so a repeat gets it again. */
export interface StoredResponse {
  readonly requestHash: string;
  readonly status: number;
  readonly body: string;
}

/**
 * Where responses to idempotent requests are kept. This is request bookkeeping, not ledger
 * history, so it lives beside the event log rather than in it.
 */
export interface IdempotencyStore {
  get(key: string): StoredResponse | undefined;
  put(key: string, response: StoredResponse): void;
}

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly select;
  private readonly insert;

  constructor(db: Database.Database, private readonly now: () => Date = () => new Date()) {
    this.select = db.prepare<[string], { request_hash: string; status: number; body: string }>(
      'SELECT request_hash, status, body FROM idempotency WHERE key = ?',
    );
    this.insert = db.prepare('INSERT OR IGNORE INTO idempotency (key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?)');
  }

  get(key: string): StoredResponse | undefined {
    const row = this.select.get(key);
    return row ? { requestHash: row.request_hash, status: row.status, body: row.body } : undefined;
  }

  put(key: string, response: StoredResponse): void {
    this.insert.run(key, response.requestHash, response.status, response.body, this.now().toISOString());
  }
}

/** For EventStoreDB deployments and tests: kept for the life of the process only. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly responses = new Map<string, StoredResponse>();

  get(key: string): StoredResponse | undefined {
    return this.responses.get(key);
  }

  put(key: string, response: StoredResponse): void {
    if (!this.responses.has(key)) this.responses.set(key, response);
  }
}
