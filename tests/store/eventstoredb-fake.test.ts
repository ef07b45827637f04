/**
 * The EventStoreDB adapter held to the shared conformance suite over the in-memory fake client
 * (tests/store/fake-esdb-client.ts): runs in every `npm test`, no node needed. The same suite runs
 * against a real node in eventstoredb.test.ts when EVENTSTORE_CONFORMANCE_URL is set.
 */
import t from 'tap';
import { EventStoreDbEventStore } from '../../src/store/eventstoredb.js';
import type { EventStore } from '../../src/store/port.js';
import { runConformance } from './conformance.js';
import { clientErrors, FakeEsdbClient } from './fake-esdb-client.js';

const FAST = { resilience: { baseDelayMs: 1, maxDelayMs: 5, readDeadlineMs: 500 } };
const clients = new WeakMap<EventStore, FakeEsdbClient>();

function clientOf(store: EventStore): FakeEsdbClient {
  const client = clients.get(store);
  if (!client) throw new Error('a store this suite did not open');
  return client;
}

runConformance(t, 'eventstoredb (fake client)', {
  async open() {
    const client = new FakeEsdbClient();
    const open = () => {
      const store = new EventStoreDbEventStore(client, FAST);
      clients.set(store, client);
      return store;
    };
    return { store: open(), reopen: async () => open() };
  },
  async addSystemEvent(store, about) {
    clientOf(store).appendSystemEvent(about);
  },
  commitThenFail(store, stream) {
    clientOf(store).failNext('append', { kind: 'commit-then-fail', error: clientErrors.deadline }, stream);
  },
});
