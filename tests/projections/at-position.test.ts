/**
 * ProjectionsAtPosition: the log as it stood at one position, what a closed year's files and
 * reports are read from (docs/years.md). It must stop exactly at the position whatever is
 * appended later, and fold the projections asked for in one tick in one pass over the log.
 */
import t from 'tap';
import { ProjectionsAtPosition } from '../../src/projections/at-position.js';
import type { Projection } from '../../src/projections/projection.js';
import type { EventStore, ScannedRow } from '../../src/store/port.js';
import { appendEvents, expense, kamer, testStore } from './read-model-events.js';

interface Seen {
  positions: string[];
  types: string[];
}
function recording(name: string, eventTypes?: readonly ('KamerRegistered' | 'ExpensePaid')[]): Projection<Seen> {
  return {
    name,
    ...(eventTypes === undefined ? {} : { eventTypes }),
    initial: () => ({ positions: [], types: [] }),
    apply(state, event) {
      // As a real projection does: `eventTypes` lists what apply reacts to, and it ignores the rest.
      if (eventTypes !== undefined && !(eventTypes as readonly string[]).includes(event.event.type)) return state;
      state.positions.push(event.position);
      state.types.push(event.event.type);
      return state;
    },
  };
}

/** The SQLite store with its page reads counted. */
function countingScans(inner: EventStore): EventStore & { pageReads: number } {
  const counted = Object.create(inner) as EventStore & { pageReads: number };
  counted.pageReads = 0;
  counted.scanAll = (after: string | undefined, batchSize: number): AsyncIterable<ScannedRow[]> => {
    counted.pageReads += 1;
    return inner.scanAll(after, batchSize);
  };
  return counted;
}

const expenses = (count: number) => Array.from({ length: count }, (_, index) => expense('top', 2020, 'rent', '2020-01-31', `${index + 1}.00`));

t.test('reads the log up to the position, inclusive, and nothing appended after it', async (t) => {
  const store = testStore(t);
  // More than a page (1,000 rows), so the cut falls in the second page.
  await appendEvents(store, [kamer('top'), ...expenses(1_199)]);
  const atPosition = new ProjectionsAtPosition(store, '1100');
  const all = await atPosition.read(recording('all'));
  t.equal(all.positions.length, 1_100);
  t.equal(all.positions.at(0), '1');
  t.equal(all.positions.at(-1), '1100', 'the position itself is in');
  await appendEvents(store, [kamer('later')]);
  t.equal(await new ProjectionsAtPosition(store, '1100').read(recording('all')).then((seen) => seen.positions.at(-1)), '1100', 'a later event is not, read afresh');
  t.equal(await atPosition.read(recording('all')), all, 'a second read is the state already replayed');
});

t.test('projections read in the same tick share one pass; a knownAt cut is refused', async (t) => {
  const store = countingScans(testStore(t));
  await appendEvents(store, [kamer('top'), ...expenses(1_500)]);
  const atPosition = new ProjectionsAtPosition(store, '1200');
  const [rooms, all] = await Promise.all([atPosition.read(recording('rooms', ['KamerRegistered'])), atPosition.read(recording('all'))]);
  t.same(rooms.positions, ['1']);
  t.equal(all.positions.length, 1_200);
  t.equal(store.pageReads, 2, 'two pages of 1,000 for both projections, and none past the position');
  await t.rejects(atPosition.read(recording('cut'), { knownAt: '2020-01-01T00:00:00Z' }), /without knownAt/);
});

t.test('an asOf cut applies on top of the position, in the same pass as the uncut read of the same projection', async (t) => {
  const store = countingScans(testStore(t));
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-01-31', '1.00'), expense('top', 2020, 'rent', '2020-03-31', '2.00'), kamer('late')]);
  const atPosition = new ProjectionsAtPosition(store, '3');
  const projection = recording('dated');
  const [cut, uncut] = await Promise.all([atPosition.read(projection, { asOf: '2020-02-29' }), atPosition.read(projection)]);
  t.same(cut.positions, ['1', '2'], 'the expense dated after asOf is left out; the undated registration is kept');
  t.same(uncut.positions, ['1', '2', '3'], 'the same projection without the cut sees the position');
  t.equal(store.pageReads, 1, 'one pass for both');
});
