/**
 * GET /health checks the store: at start SQLite's structural check of the file and the newest
 * events re-hashed; on every call one cheap read. A damaged file answers 503 problem+json with the
 * reason instead of "ok" while every other request fails. Each test damages a real ledger file
 * byte by byte, as a failing disk or a careless editor would.
 */
import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createTestApp } from '../helpers/app.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { checkStoreAtStart, StoreHealth } from '../../src/store/health.js';

t.test('one changed byte inside an event: the start check re-hashes it and /health answers 503 naming its position', async (t) => {
  const path = await buildLedger(t);
  const sound = await createTestApp(t, { path, startCheck: true });
  const before = await sound.app.inject({ method: 'GET', url: '/health' });
  t.equal(before.statusCode, 200, 'untouched, the start check passes');
  t.same(before.json(), { status: 'ok', store: 'sqlite' }, "the contract's shape");
  await sound.app.close();
  await sound.store.close();

  // SQLite itself sees nothing wrong (the text is just text): only the hash tells.
  const position = flipDigit(path, '"amount":"5000.00"', '"amount":"9000.00"');
  const { app } = await createTestApp(t, { path, startCheck: true });
  const response = await app.inject({ method: 'GET', url: '/health' });
  t.equal(response.statusCode, 503);
  t.match(response.headers['content-type'], /application\/problem\+json/);
  t.match(response.json(), {
    status: 503,
    code: 'STORAGE_UNAVAILABLE',
    detail: new RegExp(`start check of the store failed: position ${position} \\(stream pledge-.*\\): the stored hash no longer matches`),
  });
});

t.test("a damaged index page: SQLite's quick_check at start finds it, /health answers 503, a write 503 too", async (t) => {
  const path = await buildLedger(t);
  damagePageOf(path, 'sqlite_autoindex_events_1');
  const api = await createTestApp(t, { path, startCheck: true });
  const health = await api.app.inject({ method: 'GET', url: '/health' });
  t.equal(health.statusCode, 503);
  t.match(health.json(), { code: 'STORAGE_UNAVAILABLE', detail: /the file's structure check failed/ });
  const write = await api.post(api.tokens.treasurer, '/kamers', { id: 'zuilen', name: 'De Verbinding' });
  t.equal(write.statusCode, 503, 'the write cannot update the damaged index: 503, not 500');
  t.match(write.json(), { code: 'STORAGE_UNAVAILABLE', detail: /SQLITE_CORRUPT.*nothing was written/ });
});

t.test('damage after start: the read each /health call makes fails, and it answers 503', async (t) => {
  const path = await buildLedger(t);
  const api = await createTestApp(t, { path, startCheck: true });
  t.equal((await api.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  damagePageOf(path, 'events');
  api.store.db.pragma('shrink_memory'); // forget the pages read before the damage
  const response = await api.app.inject({ method: 'GET', url: '/health' });
  t.equal(response.statusCode, 503);
  t.match(response.json(), { code: 'STORAGE_UNAVAILABLE', detail: /the store cannot be read: .*SQLITE_CORRUPT/ });
});

t.test('the start check is bounded: a file larger than the bound skips quick_check, the tail is still re-hashed', async (t) => {
  const path = await buildLedger(t);
  damagePageOf(path, 'sqlite_autoindex_events_1');
  const store = new SqliteEventStore(path);
  t.teardown(() => store.close());
  const size = store.fileSizeBytes();
  t.match(await checkStoreAtStart(store, { tailEvents: 1000, quickCheckMaxBytes: size }), { ok: false, quickCheck: 'failed' }, 'within the bound: checked');
  t.match(await checkStoreAtStart(store, { tailEvents: 1000, quickCheckMaxBytes: size - 1 }), { ok: true, quickCheck: 'skipped', tailEvents: 3, problems: [] });
});

t.test('a read that hangs (a stuck disk) makes the check answer within its timeout, not hang the probe', async (t) => {
  const path = await buildLedger(t);
  const store = new SqliteEventStore(path);
  t.teardown(() => store.close());
  const hung = Object.assign(Object.create(store) as SqliteEventStore, { lastPosition: () => new Promise<string | undefined>(() => {}) });
  const started = Date.now();
  t.same(await new StoreHealth(hung, undefined, 50).check(), { ok: false, reason: 'the store did not answer a read within 50 ms' });
  t.ok(Date.now() - started < 1000, 'answered after the timeout, not after the read');
  t.same(await new StoreHealth(store, undefined, 50).check(), { ok: true }, 'the real read answers in time');
});

// Fixtures --------------------------------------------------------------------------------------

/** A small ledger file, closed (its WAL checkpointed into the file): a room and a pledge of 5000.00. */
async function buildLedger(t: Test): Promise<string> {
  const path = join(t.testdir(), `ledger-${randomUUID()}.db`);
  const store = new SqliteEventStore(path);
  const metadata = { recordedBy: 'treasurer(Penningmeester)' };
  await store.append('kamer-top', [{ type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' }, metadata }], 'no-stream');
  const pledgeId = randomUUID();
  await store.append(`pledge-${pledgeId}`, [{ type: 'PledgeMade', data: { pledgeId, financierId: 'mitros', kamerId: 'top', year: 2020, amount: '5000.00', form: 'cash', status: 'committed' }, metadata }], 'no-stream');
  await store.append('kamer-ondiep', [{ type: 'KamerRegistered', data: { kamerId: 'ondiep', name: 'Ondiep' }, metadata }], 'no-stream');
  await store.close();
  return path;
}

/** Replaces the only occurrence of `from` in the file with `to` (same length); returns its event's position. */
function flipDigit(path: string, from: string, to: string): string {
  const bytes = readFileSync(path);
  const offset = bytes.indexOf(from);
  if (offset < 0 || bytes.indexOf(from, offset + 1) >= 0 || from.length !== to.length) throw new Error(`${from} is not in ${path} exactly once`);
  const db = new Database(path, { readonly: true });
  const { position } = db.prepare<[string], { position: number }>('SELECT position FROM events WHERE data LIKE ?').get(`%${from}%`)!;
  db.close();
  writeAt(path, offset, Buffer.from(to));
  return String(position);
}

/** Writes an invalid b-tree page type (0x00) over the first byte of the named table's or index's root page. */
function damagePageOf(path: string, name: string): void {
  const db = new Database(path, { readonly: true });
  const { rootpage } = db.prepare<[string], { rootpage: number }>('SELECT rootpage FROM sqlite_master WHERE name = ?').get(name)!;
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.close();
  writeAt(path, (rootpage - 1) * pageSize + (rootpage === 1 ? 100 : 0), Buffer.from([0x00]));
}

function writeAt(path: string, offset: number, bytes: Buffer): void {
  const descriptor = openSync(path, 'r+');
  try {
    writeSync(descriptor, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(descriptor);
  }
}

t.test('an older event damaged beyond the start check: the request that meets it answers 503, and /health from then on', async (t) => {
  // The start check re-hashes only the newest events; damage further back is found by the first
  // request that reads it. Before, that request (and every later one) answered a bare 500 while
  // /health said ok.
  const path = join(t.testdir(), 'ledger.db');
  const seed = new SqliteEventStore(path);
  await seed.append('kamer-top', [{ type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' }, metadata: { recordedBy: 'test' } }], 'no-stream');
  await seed.append(
    'petty-cash-top',
    [{ type: 'PettyCashTransferred', data: { transferId: randomUUID(), kamerId: 'top', date: '2020-03-02', month: '2020-03', amount: '250.00' }, metadata: { recordedBy: 'test' } }],
    'no-stream',
  );
  const fillers = 30;
  await Promise.all(
    Array.from({ length: fillers }, (_, index) =>
      seed.append(`kamer-k${index}`, [{ type: 'KamerRegistered', data: { kamerId: `k${index}`, name: `Kamer ${index}` }, metadata: { recordedBy: 'test' } }], 'no-stream'),
    ),
  );
  await seed.close();
  const damaged = new Database(path);
  damaged.prepare("UPDATE events SET data = replace(data, '\"250.00\"', '\"25O.00\"') WHERE stream = 'petty-cash-top'").run();
  damaged.close();

  const api = await createTestApp(t, { path });
  const store = api.store;
  const health = new StoreHealth(store, await checkStoreAtStart(store, { tailEvents: fillers }));
  t.same(await health.check(), { ok: true }, 'the start check (newest events only) does not see it');
  t.equal((await api.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);

  const read = await api.get(api.tokens.treasurer, '/kamers/top/petty-cash?year=2020');
  t.equal(read.statusCode, 503, read.body);
  t.match(read.json(), { code: 'STORAGE_UNAVAILABLE', detail: /STORED_EVENT_CORRUPT/ });
  const after = await api.app.inject({ method: 'GET', url: '/health' });
  t.equal(after.statusCode, 503, 'from now on /health reports the damage');
  t.match(after.json(), { code: 'STORAGE_UNAVAILABLE', detail: /a request found the store damaged: event at position 2/ });
});

t.test('while the start check still runs (the service answers before it ends), /health says so; then its outcome', async (t) => {
  const path = await buildLedger(t);
  const store = new SqliteEventStore(path);
  t.teardown(() => store.close());
  let finish!: () => void;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  const checked = ended.then(() => checkStoreAtStart(store, { tailEvents: 1000 }));
  const health = new StoreHealth(store, checked);
  t.same(await health.check(), { ok: false, reason: 'the start check of the store is still running' });
  finish();
  await checked;
  await new Promise((resolve) => setImmediate(resolve));
  t.same(await health.check(), { ok: true }, 'a sound file: ok once the check ended');

  damagePageOf(path, 'sqlite_autoindex_events_1');
  const checking = checkStoreAtStart(store, { tailEvents: 1000 });
  const failing = new StoreHealth(store, checking);
  await checking;
  await new Promise((resolve) => setImmediate(resolve));
  t.match(await failing.check(), { ok: false, reason: /start check of the store failed: the file's structure check failed/ }, 'the quick_check, run in a worker thread, found the damage');
});
