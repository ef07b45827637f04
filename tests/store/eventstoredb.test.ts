import t from 'tap';
import { EventStoreDbEventStore } from '../../src/store/eventstoredb.js';
import { runConformance } from './conformance.js';

const url = process.env['EVENTSTORE_URL'];

if (url === undefined || url === '') {
  // Said by name, never silently: no EventStoreDB node can run on every machine.
  console.log('eventstoredb conformance: skipped (EVENTSTORE_URL not set)');
  t.test('eventstoredb conformance', { skip: 'EVENTSTORE_URL not set: no EventStoreDB node to run against' }, async () => {});
} else {
  runConformance(t, 'eventstoredb', {
    // One node holds every store's streams; the suite names streams uniquely and knows this.
    sharedStorage: true,
    async open() {
      return { store: new EventStoreDbEventStore(url), reopen: async () => new EventStoreDbEventStore(url) };
    },
  });
}
