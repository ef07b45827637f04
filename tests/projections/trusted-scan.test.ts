import t from 'tap';
import type { DomainEvent } from '../../src/domain/events.js';
import type { Projection } from '../../src/projections/projection.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import type { EventStore, ScannedRow } from '../../src/store/port.js';
import type { SqliteEventStore } from '../../src/store/sqlite.js';
import { appendEvents, expense, hours, kamer, testStore } from './read-model-events.js';

/**
 * Where a runner trusts the log as checked elsewhere (the replay's main thread, up to the head the
 * worker checks), a cut's pass asks the store for the checked run without the types no projection
 * of the pass wants (`scanAllExcept`), so they are never read. These hold that the events after
 * the trusted run are still read and checked whatever their type, that the figures are those of a
 * plain pass, and that the filtered scan is what was used.
 */
const expensesOnly: Projection<string[]> = {
  name: 'expenses-only',
  eventTypes: ['ExpensePaid'],
  initial: () => [],
  // eventTypes lets a pass skip the others; a pass that reads them anyway offers them too.
  apply: (state, event) => (event.event.type === 'ExpensePaid' ? [...state, `${event.position}:${event.event.data.amount}`] : state),
};
const CUT = { asOf: '2020-12-31' };

async function appendMalformed(store: SqliteEventStore, event: DomainEvent, data: Record<string, unknown>): Promise<void> {
  await store.append(`bad-${event.type}-${Math.random()}`, [{ type: event.type, data: { ...event.data, ...data }, metadata: { recordedBy: 'test' } }], 'any');
}

/** The store, counting the rows each kind of scan handed over. */
function counted(store: EventStore): EventStore & { rows: { all: number; except: number } } {
  const rows = { all: 0, except: 0 };
  const count = async function* (batches: AsyncIterable<ScannedRow[]>, kind: 'all' | 'except') {
    for await (const batch of batches) {
      rows[kind] += batch.length;
      yield batch;
    }
  };
  return new Proxy(store, {
    get(target, key) {
      if (key === 'rows') return rows;
      if (key === 'scanAll') return (after: string | undefined, size: number) => count(target.scanAll(after, size), 'all');
      if (key === 'scanAllExcept') return (after: string | undefined, size: number, types: ReadonlySet<string>) => count(target.scanAllExcept!(after, size, types), 'except');
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as EventStore & { rows: { all: number; except: number } };
}

async function readWith(store: EventStore, trustedThrough: string | undefined, pageSize: number): Promise<string[]> {
  const runner = new LogProjectionRunner(store, { pageSize, ...(trustedThrough === undefined ? {} : { validatedElsewhereThrough: trustedThrough }) });
  try {
    return await runner.read(expensesOnly, CUT);
  } finally {
    await runner.close();
  }
}

t.test('a trusted run is read without the unwanted types; the log after it is read and checked whole', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00'), hours('top', 'ann', '2020-04-01', '3.00')]);
  await appendEvents(store, [hours('top', 'ann', '2020-04-02', '2.00'), expense('top', 2020, 'rent', '2020-03-02', '1.00'), hours('top', 'bob', '2020-04-03', '1.00')]);
  const head = (await store.lastPosition())!;
  const plain = await readWith(store, undefined, 2);
  t.same(plain, ['2:100.00', '5:1.00'], 'the expenses, folded by a plain pass');
  for (const pageSize of [1, 2, 3, 100]) {
    const trusting = counted(store);
    t.same(await readWith(trusting, head, pageSize), plain, `the trusted pass folds the same (pages of ${pageSize})`);
    t.same(trusting.rows, { all: 0, except: 2 }, 'reading only the two expenses of the six events');
  }

  // After the trusted run: an hours entry no projection wants, malformed, then a good expense.
  await appendMalformed(store, hours('top', 'ann', '2020-05-01', '1.00'), { hours: 3 });
  await appendEvents(store, [expense('top', 2020, 'rent', '2020-03-03', '7.00')]);
  for (const pageSize of [1, 2, 100]) {
    await t.rejects(readWith(counted(store), head, pageSize), /event at position 7 \(VolunteerHoursRecorded\) does not match its schema/, `the event after the run is checked (pages of ${pageSize})`);
  }
  await t.rejects(readWith(store, '6', 2), /position 7/, 'also when the run ends just before it');
  t.same(await readWith(store, '7', 2), [...plain, '8:7.00'], 'trusted through it, it is skipped like any unwanted checked event');
});
