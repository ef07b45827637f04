import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import type { EventStore } from './port.js';
import type { ModeNotice } from './file-modes.js';
import { SqliteEventStore } from './sqlite.js';

export interface OpenedStore {
  readonly store: EventStore;
}

/**
 * Opens the configured event store, for the service and every CLI command alike. With
 * `mustExist`, a missing SQLite file is reported (undefined) instead of created empty: verifying
 * or replaying an empty new file would answer "ok" about a ledger that is not there.
 */
export async function openConfiguredStore(
  config: Config,
  options: { mustExist?: boolean; onModeTightened?: ModeNotice } = {},
): Promise<OpenedStore | undefined> {
  if (config.STORE === 'eventstoredb') {
    const { EventStoreDbEventStore } = await import('./eventstoredb.js');
    return { store: EventStoreDbEventStore.fromConnectionString(config.EVENTSTORE_URL!) };
  }
  if (options.mustExist && !existsSync(config.SQLITE_PATH)) return undefined;
  return { store: new SqliteEventStore(config.SQLITE_PATH, options.onModeTightened ? { onModeTightened: options.onModeTightened } : {}) };
}

/**
 * For the accountant's and operator's commands: the ledger that must already exist, or undefined
 * after saying where it was looked for (verifying or replaying an empty new file would answer
 * "ok" about a ledger that is not there).
 */
export async function openExistingLedger(config: Config, err: (line: string) => void): Promise<EventStore | undefined> {
  const opened = await openConfiguredStore(config, { mustExist: true });
  if (!opened) err(`no ledger at ${config.SQLITE_PATH}: set SQLITE_PATH to the ledger file`);
  return opened?.store;
}
