/**
 * Tampering with a SQLite ledger file the way an attacker who read the code would, for the
 * tamper and anchor tests.
 */
import type Database from 'better-sqlite3';
import { eventHash, GENESIS_HASH } from '../../src/store/hashing.js';
import type { EventMetadata } from '../../src/store/port.js';

/** What an attacker who read hashing.ts would do: change an event, then re-chain the rest of its stream. */
export function rewriteAndRehash(db: Database.Database, position: string, change: (data: Record<string, unknown>) => Record<string, unknown>): void {
  interface Row { position: number; stream: string; revision: number; type: string; data: string; metadata: string; hash: string }
  const target = db.prepare<[string], Row>('SELECT * FROM events WHERE position = ?').get(position)!;
  db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(change(JSON.parse(target.data) as Record<string, unknown>)), position);
  const chain = db.prepare<[string, number], Row>('SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision').all(target.stream, target.revision - 1);
  const update = db.prepare('UPDATE events SET hash = ? WHERE position = ?');
  let previousHash = chain[0]!.revision === target.revision ? GENESIS_HASH : chain.shift()!.hash;
  for (const row of chain) {
    const hash = eventHash(previousHash, { stream: row.stream, revision: row.revision, type: row.type, data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) as EventMetadata });
    update.run(hash, row.position);
    previousHash = hash;
  }
}
