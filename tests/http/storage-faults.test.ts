/**
 * Storage faults through the real HTTP stack and the real SQLite file: a full disk answers 507, a
 * corrupt file 503, each a problem+json that says nothing was written, never a bare 500.
 *
 * A full disk is simulated with SQLite's own limit on the file's size, `PRAGMA max_page_count`,
 * set on the store's connection: SQLite then fails the write with a real SQLITE_FULL, exactly as
 * when the disk has no room for a new page.
 */
import t from 'tap';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createTestApp } from '../helpers/app.js';

/** A budget whose event is larger than one 4 KiB page: storing it needs new (overflow) pages. */
function largeBudget(): { lines: Array<{ line: string; label: string; amount: string }> } {
  return {
    lines: Array.from({ length: 40 }, (_, index) => ({ line: `line-${index}`, label: `Begrotingsregel ${index} `.padEnd(150, '.'), amount: '100.00' })),
  };
}

t.test('a write on a full disk answers 507 STORAGE_FULL, writes nothing, and succeeds once there is room', async (t) => {
  const api = await createTestApp(t);
  t.equal((await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' })).statusCode, 201);
  const before = await api.allEvents();
  const pages = Number(api.store.db.pragma('page_count', { simple: true }));
  t.equal(Number(api.store.db.pragma('freelist_count', { simple: true })), 0, 'no free page to reuse: the next new page must grow the file');
  api.store.db.pragma(`max_page_count = ${pages}`);

  const put = () => api.request(api.tokens.treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: largeBudget() });
  const refused = await put();
  t.equal(refused.statusCode, 507);
  t.match(refused.headers['content-type'], /application\/problem\+json/);
  t.match(refused.json(), { status: 507, code: 'STORAGE_FULL', title: 'Insufficient Storage', detail: /SQLITE_FULL.*nothing was written/ });
  t.same(await api.allEvents(), before, 'nothing was written');

  api.store.db.pragma(`max_page_count = ${pages * 100}`);
  const accepted = await put();
  t.equal(accepted.statusCode, 201, 'the same request succeeds once there is room');
  t.equal((await api.allEvents()).length, before.length + 1);
});

t.test('on a full disk a write with an Idempotency-Key keeps neither events nor key; the retry writes once', async (t) => {
  // Before issue 9 the key's answer was saved after the commit: a full disk between the two left
  // the events written and no answer, so the retry was written a second time.
  const api = await createTestApp(t);
  t.equal((await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' })).statusCode, 201);
  const before = await api.allEvents();
  const pages = Number(api.store.db.pragma('page_count', { simple: true }));
  api.store.db.pragma(`max_page_count = ${pages}`);
  const put = () =>
    api.request(api.tokens.treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: largeBudget(), headers: { 'idempotency-key': 'budget-2020' } });
  t.equal((await put()).statusCode, 507);
  t.same(await api.allEvents(), before, 'no event');
  t.equal(api.store.db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM idempotency').get()!.count, 0, 'no key');

  api.store.db.pragma(`max_page_count = ${pages * 100}`);
  const first = await put();
  t.equal(first.statusCode, 201, first.body);
  t.equal(first.headers['idempotent-replayed'], undefined, 'decided afresh: the refused attempt left nothing to replay');
  const again = await put();
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.body, first.body);
  t.equal((await api.allEvents()).length, before.length + 1, 'written exactly once');
});

t.test('a full disk fails every append of the group commit with SQLITE_FULL, and none of them is written', async (t) => {
  // Two writes arrive together and share one transaction; SQLite rolls the whole of it back.
  const api = await createTestApp(t);
  await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' });
  await api.post(api.tokens.treasurer, '/kamers', { id: 'ondiep', name: 'Ondiep' });
  const before = await api.allEvents();
  api.store.db.pragma(`max_page_count = ${Number(api.store.db.pragma('page_count', { simple: true }))}`);
  const answers = await Promise.all(
    ['top', 'ondiep'].map((kamer) => api.request(api.tokens.treasurer, { method: 'PUT', url: `/kamers/${kamer}/budgets/2020`, payload: largeBudget() })),
  );
  t.same(answers.map((answer) => answer.statusCode), [507, 507]);
  t.same(await api.allEvents(), before);
});

t.test('a corrupt events table answers 503 STORAGE_UNAVAILABLE on reads and writes, not 500', async (t) => {
  const api = await createTestApp(t);
  await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' });
  // Overwrite the b-tree page type of the events table's root page with an invalid value: every
  // read of the table now hits SQLITE_CORRUPT.
  const { rootpage } = api.store.db.prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE name = 'events'").get()!;
  const pageSize = Number(api.store.db.pragma('page_size', { simple: true }));
  api.store.db.pragma('wal_checkpoint(TRUNCATE)');
  corruptByte(api.store.path, (rootpage - 1) * pageSize + (rootpage === 1 ? 100 : 0));
  // The connection would otherwise answer from the pages it still holds in memory.
  api.store.db.pragma('shrink_memory');
  const read = await api.get(api.tokens.accountant, '/audit/events');
  t.equal(read.statusCode, 503);
  t.match(read.json(), { status: 503, code: 'STORAGE_UNAVAILABLE', detail: /SQLITE_CORRUPT/ });
  const write = await api.post(api.tokens.treasurer, '/kamers', { id: 'ondiep', name: 'Ondiep' });
  t.equal(write.statusCode, 503);
  t.match(write.json(), { code: 'STORAGE_UNAVAILABLE' });
});

/** Writes 0x00 over one byte of the file (a page type SQLite does not know). */
function corruptByte(path: string, offset: number): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.from([0x00]), 0, 1, offset);
  closeSync(fd);
}
