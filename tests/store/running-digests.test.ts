import t, { type Test } from 'tap';
import { join } from 'node:path';
import { DigestAccumulator } from '../../src/store/hashing.js';
import { checkRunningDigests } from '../../src/store/log-digest.js';
import { ConcurrencyError } from '../../src/store/port.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';

const hours = (hoursWorked: string) => ({ type: 'VolunteerHoursRecorded', data: { hours: hoursWorked }, metadata: { recordedBy: 'treasurer(test)' } });

function openStore(t: Test, path = join(t.testdir(), 'ledger.db')): SqliteEventStore {
  const store = new SqliteEventStore(path);
  t.teardown(() => store.close());
  return store;
}

/** The digest at every position, folded from the hashes as `verify` folds them (integrity.ts). */
async function foldedDigests(store: SqliteEventStore): Promise<Map<string, string>> {
  const digest = new DigestAccumulator();
  const at = new Map<string, string>();
  for await (const event of store.readAll()) {
    digest.add(event.hash);
    at.set(event.position, digest.value);
  }
  return at;
}

async function appendSome(store: SqliteEventStore, streams: readonly string[]): Promise<void> {
  for (const [index, stream] of streams.entries()) await store.append(stream, [hours(`${index + 1}.00`), hours('0.50')], 'any');
}

t.test('every append stores the running digest of the log up to each of its events, in its own transaction', async (t) => {
  const store = openStore(t);
  await appendSome(store, ['kamer-a', 'kamer-b', 'kamer-a']);
  // One group commit where the middle append is refused: its events and its digests roll back together.
  const results = await Promise.allSettled([
    store.append('kamer-c', [hours('1.00')], 'no-stream'),
    store.append('kamer-a', [hours('9.00')], 0),
    store.append('kamer-c', [hours('2.00')], 0),
  ]);
  t.ok(results[1]!.status === 'rejected' && results[1]!.reason instanceof ConcurrencyError, 'the middle append was refused');
  const folded = await foldedDigests(store);
  t.equal(folded.size, 8, 'eight events were written');
  for (const [position, digest] of folded) t.equal(store.runningDigests.at(position), digest, `position ${position}`);
  t.equal(store.runningDigests.at('9'), undefined, 'none past the log');
  t.same(await checkRunningDigests(store.runningDigests), { ok: true, checked: 8 });
});

t.test('a file written without running digests gets them when it is opened, and appends go on from them', async (t) => {
  const path = join(t.testdir(), 'older.db');
  const first = new SqliteEventStore(path);
  await appendSome(first, ['kamer-a', 'kamer-b']);
  // What an older build leaves: no table at all.
  first.db.exec('DROP TABLE log_digests');
  await first.close();
  const reopened = openStore(t, path);
  t.same(await checkRunningDigests(reopened.runningDigests), { ok: true, checked: 4 }, 'filled at open');
  await appendSome(reopened, ['kamer-c']);
  t.same(await checkRunningDigests(reopened.runningDigests), { ok: true, checked: 6 }, 'and extended by the next append');
});

t.test('events appended by a build that keeps no digests are folded in by the next append', async (t) => {
  const store = openStore(t);
  await appendSome(store, ['kamer-a', 'kamer-b', 'kamer-c']);
  // Rows missing at the end: as if an older build (which never writes them) appended those events.
  store.db.exec('DELETE FROM log_digests WHERE position > 2');
  await appendSome(store, ['kamer-d']);
  const folded = await foldedDigests(store);
  t.equal(store.runningDigests.at('8'), folded.get('8'));
  t.same(await checkRunningDigests(store.runningDigests), { ok: true, checked: 8 });
});

t.test('verify names the first stored running digest that differs from the fold of the hashes, or is missing', async (t) => {
  const store = openStore(t);
  await appendSome(store, ['kamer-a', 'kamer-b', 'kamer-c']);
  const folded = await foldedDigests(store);
  store.db.prepare('UPDATE log_digests SET digest = ? WHERE position = 4').run(Buffer.alloc(32, 7));
  t.same(await checkRunningDigests(store.runningDigests), {
    ok: false,
    checked: 3,
    position: '4',
    stored: '07'.repeat(32),
    recomputed: folded.get('4'),
    problem: 'the stored running digest is not the digest of the hashes up to it',
  });
  store.db.exec('DELETE FROM log_digests WHERE position = 2');
  t.match(await checkRunningDigests(store.runningDigests), { ok: false, position: '2', stored: null, problem: 'no running digest is stored for it' }, 'a hole before it is named first');
});
