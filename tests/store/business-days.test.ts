/**
 * The SQLite store's business-date index (sqlite-business-days.ts): each event's business day,
 * written in the append's transaction, filled in when an older file is opened, and what
 * `scanBusinessYear` reads a year's export from.
 */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { businessDateOf, dayNumberOf } from '../../src/domain/business-date.js';
import type { DomainEvent } from '../../src/domain/events.js';
import { ConcurrencyError, type NewEvent, type ScannedRow } from '../../src/store/port.js';
import { SqliteEventStore, type StoreFaults } from '../../src/store/sqlite.js';

const event = (type: string, data: Record<string, unknown>): NewEvent => ({ type, data, metadata: { recordedBy: 'treasurer(test)' } });
const expense = (date: string) => event('ExpensePaid', { date, amount: '10.00' });
const UNKNOWN_TYPE = 'SomethingNew';
const pledge = (id: string) => event('PledgeMade', { pledgeId: id, amount: '100.00' });

function openStore(t: Test, path = join(t.testdir(), 'ledger.db'), faults?: StoreFaults): SqliteEventStore {
  const store = new SqliteEventStore(path, faults === undefined ? {} : { faults });
  t.teardown(() => store.close());
  return store;
}

async function collect(rows: AsyncIterable<ScannedRow[]>): Promise<ScannedRow[][]> {
  const batches: ScannedRow[][] = [];
  for await (const batch of rows) batches.push(batch);
  return batches;
}

/** Every event's position with the business day the domain's rule gives it (0: none), from the log itself. */
async function daysFromTheLog(store: SqliteEventStore): Promise<Array<[string, number]>> {
  const days: Array<[string, number]> = [];
  for await (const recorded of store.readAll()) {
    // A type the domain does not know has no rule: the index counts it as undated.
    const date = recorded.type === UNKNOWN_TYPE ? undefined : businessDateOf({ type: recorded.type, data: recorded.data } as DomainEvent);
    days.push([recorded.position, date === undefined ? 0 : dayNumberOf(date)!]);
  }
  return days;
}

async function appendMixedYears(store: SqliteEventStore): Promise<void> {
  await store.append('expenses-a', [expense('2020-03-01'), expense('2021-01-15')], 'any');
  await store.append('pledge-1', [pledge('p1')], 'any');
  // A reconciliation's day is its closing balance's: parsed, not peeked.
  await store.append('bank', [event('BankStatementReconciled', { opening: { date: '2019-12-31' }, closing: { date: '2020-01-31' } })], 'any');
  // A type this build does not know counts as undated: read with every year, never left out.
  await store.append('other', [event(UNKNOWN_TYPE, { date: '2020-05-05' })], 'any');
  await store.append('expenses-b', [expense('2020-12-31'), expense('2019-06-30')], 'any');
}

t.test('every append indexes its events by business day, in its own transaction', async (t) => {
  const store = openStore(t);
  await appendMixedYears(store);
  // One group commit where the middle append is refused: its index rows roll back with its events.
  const appends: Array<[stream: string, date: string, expected: 'no-stream' | number]> = [
    ['expenses-c', '2022-02-02', 'no-stream'],
    ['expenses-a', '2020-07-07', 0], // expenses-a is at revision 1: refused
    ['expenses-c', '2022-03-03', 0],
  ];
  const [, refused] = await Promise.allSettled(appends.map(([stream, date, expected]) => store.append(stream, [expense(date)], expected)));
  t.ok(refused!.status === 'rejected' && refused!.reason instanceof ConcurrencyError, 'the middle append was refused');
  const fromLog = await daysFromTheLog(store);
  t.equal(fromLog.length, 9);
  t.same(
    fromLog.map(([position]) => [position, store.businessDays.dayAt(position)]),
    fromLog,
    'the stored day of each event is the domain rule\'s',
  );
  t.same(fromLog.map(([, day]) => day), [20200301, 20210115, 0, 20200131, 0, 20201231, 20190630, 20220202, 20220303]);
  t.equal(store.businessDays.dayAt('10'), undefined, 'no row past the log');
});

t.test('an append that fails before its commit leaves no index rows behind', async (t) => {
  let failNext = false;
  const store = openStore(t, join(t.testdir(), 'ledger.db'), {
    insideCommit() {
      if (failNext) throw new Error('disk gone');
    },
  });
  await store.append('expenses-a', [expense('2020-03-01')], 'any');
  failNext = true;
  await t.rejects(store.append('expenses-a', [expense('2020-04-01')], 'any'), /disk gone/);
  failNext = false;
  t.equal(store.db.prepare('SELECT COUNT(*) FROM business_days').pluck().get(), 1, 'only the committed event is indexed');
  await store.append('expenses-a', [expense('2020-05-01')], 'any');
  t.same(await daysFromTheLog(store), [['1', 20200301], ['2', 20200501]]);
  t.equal(store.businessDays.dayAt('2'), 20200501, 'the next append reuses the position and indexes it');
});

t.test('scanBusinessYear gives one year\'s events and the undated ones, in log order, in full batches and a short last one', async (t) => {
  const store = openStore(t);
  await appendMixedYears(store);
  const batches = await collect(store.scanBusinessYear(2020, undefined, 2));
  t.same(batches.map((batch) => batch.length), [2, 2, 1]);
  t.same(
    batches.flat().map(([position, stream, type]) => [position, stream, type]),
    [
      ['1', 'expenses-a', 'ExpensePaid'],
      ['3', 'pledge-1', 'PledgeMade'],
      ['4', 'bank', 'BankStatementReconciled'],
      ['5', 'other', 'SomethingNew'],
      ['6', 'expenses-b', 'ExpensePaid'],
    ],
  );
  const fromScan = (await collect(store.scanAll(undefined, 100))).flat();
  t.same(batches.flat(), fromScan.filter(([position]) => ['1', '3', '4', '5', '6'].includes(position)), 'the very rows scanAll gives');
  t.same((await collect(store.scanBusinessYear(2020, '4', 10))).flat().map(([position]) => position), ['5', '6'], 'strictly after the position given');
  t.same((await collect(store.scanBusinessYear(2019, undefined, 10))).flat().map(([position]) => position), ['3', '5', '7']);
  t.same(await collect(store.scanBusinessYear(2020, '9', 10)), [[]], 'past the head: one empty batch');
});

t.test('a file written without the index gets it when first opened, and appends go on from it', async (t) => {
  const path = join(t.testdir(), 'older.db');
  const first = new SqliteEventStore(path);
  await appendMixedYears(first);
  // What an older build leaves: no table at all.
  first.db.exec('DROP TABLE business_days');
  await first.close();
  const reopened = openStore(t, path);
  const fromLog = await daysFromTheLog(reopened);
  t.same(fromLog.map(([position]) => [position, reopened.businessDays.dayAt(position)]), fromLog, 'filled at open');
  await reopened.append('expenses-d', [expense('2023-03-03')], 'any');
  t.equal(reopened.businessDays.dayAt('8'), 20230303, 'and extended by the next append');
});

t.test('events appended by a build that keeps no index are indexed by the next append', async (t) => {
  const store = openStore(t);
  await appendMixedYears(store);
  // Rows missing at the end: as if an older build (which never writes them) appended those events.
  store.db.exec('DELETE FROM business_days WHERE position > 2');
  await store.append('expenses-d', [expense('2023-03-03')], 'any');
  const fromLog = await daysFromTheLog(store);
  t.same(fromLog.map(([position]) => [position, store.businessDays.dayAt(position)]), fromLog);
});
