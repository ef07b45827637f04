import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { writeSyntheticLog } from './projections-log.js';

/**
 * Runs `work` on a ledger file: the one given (`--file`), or a synthetic log of `events` written
 * into a temporary directory that is removed afterwards.
 */
export async function withLedgerFile<T>(file: string | undefined, events: number, prefix: string, work: (path: string) => Promise<T>): Promise<T> {
  const dir = file === undefined ? mkdtempSync(join(tmpdir(), prefix)) : undefined;
  try {
    const path = file ?? join(dir!, 'ledger.db');
    if (dir !== undefined) {
      const store = new SqliteEventStore(path);
      await writeSyntheticLog(store, events);
      await store.close();
    }
    return await work(path);
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Copies a ledger file for a bench to work on, never changing the original: refused while
 * `bench/build-log.ts` is still writing it (its `.building` marker), and with its WAL, since a
 * file not closed cleanly keeps its last commits there (SQLite folds them in on open).
 */
export function copyLedgerFile(file: string, target: string): void {
  if (existsSync(`${file}.building`)) throw new Error(`${file} is still being built (${file}.building exists); wait for it`);
  copyFileSync(file, target);
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${target}-wal`);
}
