import t from 'tap';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { runConformance } from './conformance.js';

runConformance(t, 'sqlite', {
  async open() {
    const path = join(t.testdir(), `ledger-${Math.random().toString(36).slice(2)}.db`);
    return { store: new SqliteEventStore(path), reopen: async () => new SqliteEventStore(path) };
  },
});
