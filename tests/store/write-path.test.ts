/**
 * The SQLite write path's shortcuts, and what keeps them honest: the WAL is fsynced off the
 * event loop before any commit is acknowledged (WalSync), it is checkpointed by a worker thread
 * (WalCheckpointer), and streams known to have nothing new are not queried (stream heads),
 * unless another connection wrote to the file.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { MAIN_AUTOCHECKPOINT_PAGES } from '../../src/store/wal-checkpointer.js';
import { WalSync } from '../../src/store/wal-sync.js';
import type { NewEvent, RecordedEvent } from '../../src/store/port.js';

const event = (note: string): NewEvent => ({ type: 'Noted', data: { note }, metadata: { recordedBy: 'test' } });

async function read(store: SqliteEventStore, stream: string, from = 0): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const recorded of store.readStream(stream, from)) events.push(recorded);
  return events;
}

t.test('the file runs with synchronous=NORMAL in WAL mode: the store fsyncs the WAL itself', async (t) => {
  const store = new SqliteEventStore(join(t.testdir(), 'ledger.db'));
  t.teardown(() => store.close());
  t.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(store.db.pragma('synchronous', { simple: true }), 1, 'NORMAL (1): COMMIT does not block the event loop on an fsync');
});

t.test('a commit by another connection is seen, though this store had the stream head remembered', async (t) => {
  const path = join(t.testdir(), 'ledger.db');
  const mine = new SqliteEventStore(path);
  const other = new SqliteEventStore(path);
  t.teardown(async () => {
    await mine.close();
    await other.close();
  });
  await mine.append('room-a', [event('first')], 'no-stream');
  t.same((await read(mine, 'room-a', 1)).length, 0, 'nothing after revision 0 (now remembered)');
  t.same((await read(mine, 'room-b')).length, 0, 'no stream room-b (remembered too)');

  await other.append('room-a', [event('second')], 0);
  await other.append('room-b', [event('elsewhere')], 'no-stream');
  t.same((await read(mine, 'room-a', 1)).map((recorded) => recorded.data), [{ note: 'second' }], "the other connection's event on a remembered stream");
  t.same((await read(mine, 'room-b')).map((recorded) => recorded.data), [{ note: 'elsewhere' }], 'and on a stream remembered as absent');

  await mine.append('room-a', [event('third')], 1);
  t.same((await read(mine, 'room-a')).map((recorded) => recorded.revision), [0, 1, 2], 'own appends move the remembered head');
  t.same((await read(mine, 'room-a', 3)).length, 0);
});

t.test('WalSync: a caller waits for an fsync that began after it asked; a failed fsync refuses every later one', async (t) => {
  const dir = t.testdir();
  const wal = join(dir, 'ledger.db-wal');
  writeFileSync(wal, 'frames');
  const sync = new WalSync(wal);
  await t.resolves(Promise.all([sync.durable(), sync.durable(), sync.durable()]), 'callers asking together share fsyncs');
  await t.resolves(new WalSync(join(dir, 'absent-wal')).durable(), 'no WAL file: everything was checkpointed into the database');

  writeFileSync(join(dir, 'a-file'), '');
  const broken = new WalSync(join(dir, 'a-file', 'ledger.db-wal'));
  await t.rejects(broken.durable(), { code: 'ENOTDIR' });
  t.equal((broken.failure as NodeJS.ErrnoException).code, 'ENOTDIR', 'the failure is kept');
  await t.rejects(broken.durable(), { code: 'ENOTDIR' }, 'and no later commit is acknowledged on top of it');
});

t.test('a store whose WAL fsync failed refuses appends with the cause, and keeps reads', async (t) => {
  const store = new SqliteEventStore(join(t.testdir(), 'ledger.db'));
  t.teardown(() => store.close());
  await store.append('room-a', [event('kept')], 'no-stream');
  const failure = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
  // The fsync of a real disk cannot be made to fail here: the WalSync is replaced by one that fails.
  Object.defineProperty(store, 'walSync', { value: { failure, durable: () => Promise.reject(failure), close: () => undefined } });
  await t.rejects(store.append('room-a', [event('refused')], 0), { code: 'EIO' });
  t.same((await read(store, 'room-a')).map((recorded) => recorded.data), [{ note: 'kept' }], 'reads still answer');
});

t.test('the WAL is checkpointed by a worker: the events reach the database file without the main thread copying them', async (t) => {
  const dir = t.testdir();
  const path = join(dir, 'ledger.db');
  const store = new SqliteEventStore(path);
  t.teardown(() => store.close());
  t.equal(store.db.pragma('wal_autocheckpoint', { simple: true }), MAIN_AUTOCHECKPOINT_PAGES, "the main connection's own checkpoint is only a backstop");
  // 256 events in 4 commits, one after the other: the last one starts a checkpoint, and nothing commits during it.
  const notes = (room: number) => Array.from({ length: 64 }, (_, index) => event(`note ${room}.${index}`));
  for (let room = 0; room < 4; room += 1) await store.append(`room-${room}`, notes(room), 'no-stream');
  await store.checkpointer!.idle();
  t.equal(store.checkpointer!.completed, 1, 'one checkpoint after 256 events');
  t.equal(store.checkpointer!.lastError, undefined);
  const outcome = store.checkpointer!.lastOutcome;
  t.ok(outcome?.ok && outcome.frames > 0 && outcome.copied === outcome.frames, 'every frame of the WAL was copied');

  // The database file alone (a copy without its WAL) holds all 256 events: the checkpoint wrote them there.
  copyFileSync(path, join(dir, 'alone.db'));
  const alone = new Database(join(dir, 'alone.db'), { readonly: true });
  t.teardown(() => alone.close());
  t.equal(alone.prepare('SELECT COUNT(*) FROM events').pluck().get(), 256);
});

t.test('events appended without an id get time-ordered UUIDs: each sorts after the ones before it, so the id index grows at its end', async (t) => {
  const store = new SqliteEventStore(join(t.testdir(), 'ledger.db'));
  t.teardown(() => store.close());
  const ids: string[] = [];
  for (let index = 0; index < 50; index += 1) {
    const { events } = await store.append(`s-${index % 7}`, [event(`n-${index}`), event(`m-${index}`)], 'any');
    ids.push(...events.map((recorded) => recorded.id));
  }
  t.match(ids[0], /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a version 7 UUID');
  t.same(ids, [...ids].sort(), 'in the order they were appended');
  t.equal(new Set(ids).size, ids.length, 'all different');
});
