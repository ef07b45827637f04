import { mkdtempSync, rmSync } from 'node:fs';
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
