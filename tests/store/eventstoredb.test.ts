/**
 * The conformance suite against a live EventStoreDB node: a throwaway one, never the ledger's own.
 * The suite appends event types of its own (`Thing`, `A`, `Writer0` …) that EventStoreDB never
 * removes; in the ledger's log they would stop every projection. So it reads its own variable,
 * EVENTSTORE_CONFORMANCE_URL (docker-compose.yml's `conformance` profile starts such a node on
 * port 2114), and refuses a URL equal to the ledger's EVENTSTORE_URL.
 */
import t from 'tap';
import { EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreDbEventStore } from '../../src/store/eventstoredb.js';
import { runConformance } from './conformance.js';

const url = process.env['EVENTSTORE_CONFORMANCE_URL'];
const ledgerUrl = process.env['EVENTSTORE_URL'];

if (url === undefined || url === '') {
  // Said by name, never silently: no EventStoreDB node can run on every machine.
  console.log('eventstoredb conformance: skipped (EVENTSTORE_CONFORMANCE_URL not set)');
  t.test('eventstoredb conformance', { skip: 'EVENTSTORE_CONFORMANCE_URL not set: no throwaway EventStoreDB node to run against' }, async () => {});
} else if (url === ledgerUrl) {
  t.fail('EVENTSTORE_CONFORMANCE_URL is the ledger\'s own EVENTSTORE_URL: the suite would leave its test events in the ledger\'s log for good; point it at a throwaway node');
} else {
  const client = EventStoreDBClient.connectionString(url);
  t.teardown(() => client.dispose());
  runConformance(t, 'eventstoredb', {
    // One node holds every store's streams; the suite names streams uniquely and knows this.
    sharedStorage: true,
    async open() {
      return { store: new EventStoreDbEventStore(url), reopen: async () => new EventStoreDbEventStore(url) };
    },
    // Setting a stream's metadata (a harmless HTTP cache hint) makes the node write a `$metadata` event into `$$<stream>`.
    async addSystemEvent(_store, about) {
      await client.setStreamMetadata(about, { cacheControl: 60 });
    },
  });
}
