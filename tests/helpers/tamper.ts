/**
 * Tampering with a SQLite ledger file the way an attacker who read the code would, for the
 * tamper, anchor and checkpoint tests.
 */
import type Database from 'better-sqlite3';
import { eventHash, GENESIS_HASH } from '../../src/store/hashing.js';
import type { EventMetadata } from '../../src/store/port.js';
import type { RoomsState } from '../../src/projections/rooms.js';
import { decodeState, encodeState } from '../../src/projections/state-codec.js';

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

/**
 * Every room's invoiced figure in the stored rooms checkpoint(s) at `position` (every position
 * when omitted) given a leading 9: still a state that decodes, not the one the log folds to.
 * Returns how many checkpoints were changed.
 */
export function inflateRoomsCheckpoint(db: Database.Database, position?: number): number {
  const rows = db.prepare<[], { position: number; version: string; state: Buffer }>("SELECT position, version, state FROM projection_checkpoints WHERE projection = 'rooms'").all();
  const update = db.prepare("UPDATE projection_checkpoints SET state = ? WHERE projection = 'rooms' AND version = ? AND position = ?");
  let changed = 0;
  for (const row of rows.filter((candidate) => position === undefined || candidate.position === position)) {
    const state = decodeState<RoomsState>(row.state);
    for (const years of state.byRoom.values()) for (const record of years.values()) record.invoiced = BigInt(`9${record.invoiced}`);
    changed += update.run(encodeState(state), row.version, row.position).changes;
  }
  return changed;
}
