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

t.test('logVersion stays while nothing is committed, and moves on a commit by this store or another connection', async (t) => {
  const path = join(t.testdir(), 'log-version.db');
  const store = new SqliteEventStore(path);
  t.teardown(() => store.close());
  const event = { type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' }, metadata: { recordedBy: 'treasurer(test)' } };
  const empty = store.logVersion();
  t.equal(store.logVersion(), empty, 'unchanged without a commit');
  await store.readStream('kamer-top')[Symbol.asyncIterator]().next();
  t.equal(store.logVersion(), empty, 'reads do not move it');
  await store.append('kamer-top', [event], 'any');
  const afterOwn = store.logVersion();
  t.not(afterOwn, empty, 'our own commit moves it');
  const other = new SqliteEventStore(path);
  t.teardown(() => other.close());
  await other.append('kamer-klop', [{ ...event, data: { kamerId: 'klop', name: 'Klop' } }], 'any');
  t.not(store.logVersion(), afterOwn, "another connection's commit moves it");
});

t.test("another connection's commit is seen from the next event-loop turn: one turn's reads share one data_version query", async (t) => {
  const path = join(t.testdir(), 'log-version-turn.db');
  const store = new SqliteEventStore(path);
  t.teardown(() => store.close());
  const other = new SqliteEventStore(path);
  t.teardown(() => other.close());
  await new Promise((resolve) => setImmediate(resolve));
  const before = store.logVersion();
  // Any commit by another connection moves SQLite's data_version; a table is the shortest one.
  other.db.exec('CREATE TABLE another_connection_wrote (x)');
  t.equal(store.logVersion(), before, 'the same turn keeps the version it read first');
  await new Promise((resolve) => setImmediate(resolve));
  t.not(store.logVersion(), before, 'the next turn asks SQLite again and sees the commit');
});
