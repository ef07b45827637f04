import t from 'tap';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { runConformance } from './conformance.js';

/** Streams whose next append fails after its commit (the conformance suite's injected fault). */
const failAfterCommit = new Set<string>();

runConformance(t, 'sqlite', {
  async open() {
    const path = join(t.testdir(), `ledger-${Math.random().toString(36).slice(2)}.db`);
    const open = () =>
      new SqliteEventStore(path, {
        faults: {
          afterCommit(streams) {
            const armed = streams.find((stream) => failAfterCommit.delete(stream));
            if (armed !== undefined) throw new Error(`connection lost after committing ${armed}`);
          },
        },
      });
    return { store: open(), reopen: async () => open() };
  },
  commitThenFail(_store, stream) {
    failAfterCommit.add(stream);
  },
});
