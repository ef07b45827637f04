/**
 * GET /years/:year verifies the log once and keeps the verdict while nothing written changes
 * (src/application/log-verdict.ts): a reload, or a reload after new writes, reads no event again;
 * a change to a written event, by this process's connection or another's, is verified afresh
 * and shown.
 */
import Database from 'better-sqlite3';
import t from 'tap';
import type { TestApp } from '../helpers/app.js';
import { rewriteAndRehash } from '../helpers/tamper.js';
import { close, view, year2020 } from './years.fixtures.js';

/** Counts the store's whole-log reads (verifyLog and a digest fold both read through readAll). */
function countLogReads(api: TestApp): { readonly count: number } {
  const counter = { count: 0 };
  const readAll = api.store.readAll.bind(api.store);
  api.store.readAll = (options) => {
    counter.count += 1;
    return readAll(options);
  };
  return counter;
}

t.test("a closed year's page verifies the log once; reloads and later writes reuse the verdict", async (t) => {
  const { api } = await year2020(t);
  await close(api);
  const reads = countLogReads(api);
  const first = await view(api);
  t.match(first.approval, { verifies: true });
  t.match(first.checks, [{ verifies: true }]);
  t.ok(reads.count > 0, 'the first read verifies the log');

  const before = reads.count;
  t.same(await view(api), first, 'a reload gives the same answer');
  t.equal(reads.count, before, 'without reading the log again');

  // Writes after the closing: appends cannot change what was verified before them.
  api.clock.set('2021-09-01T12:00:00Z');
  t.equal((await api.post(api.tokens.treasurer, '/payments/received', { date: '2021-03-01', amount: '25.00', allocations: [] })).statusCode, 201);
  t.same(await view(api), first, 'the same answer after a later write');
  t.equal(reads.count, before, 'still without reading the log again');
});

t.test('an event changed through the service\'s own connection is verified afresh and shown', async (t) => {
  const { api } = await year2020(t);
  await close(api);
  t.match((await view(api)).approval, { verifies: true });
  const reads = countLogReads(api);
  api.store.db.prepare("UPDATE events SET data = json_set(data, '$.amount', '4000.00') WHERE type = 'PaymentReceived'").run();
  t.match((await view(api)).approval, { verifies: false, problem: /was changed/ });
  t.ok(reads.count > 0, 'the log was read again');
});

t.test('an event replaced (INSERT OR REPLACE) through the service\'s own connection is verified afresh and shown', async (t) => {
  const { api } = await year2020(t);
  await close(api);
  t.match((await view(api)).approval, { verifies: true });
  const reads = countLogReads(api);
  api.store.db
    .prepare("INSERT OR REPLACE INTO events SELECT position, id, stream, revision, type, json_set(data, '$.amount', '4000.00'), metadata, hash FROM events WHERE type = 'PaymentReceived'")
    .run();
  t.match((await view(api)).approval, { verifies: false, problem: /was changed/ });
  t.ok(reads.count > 0, 'the log was read again');
});

t.test('a rewrite that re-chains its stream, and leaves the running digests, is caught through the digest fold', async (t) => {
  const { api } = await year2020(t);
  await close(api);
  const approvedAt = (await view(api)).approval!;
  t.match(approvedAt, { verifies: true });
  const invoice = (await api.allEvents()).find((event) => event.type === 'InvoiceIssued')!;
  rewriteAndRehash(api.store.db, invoice.position, (data) => ({ ...data, total: '1.00' }));
  // The stored running digest at the approval still says D: it no longer matches the hashes, so it is not used.
  t.equal(api.store.runningDigests.at(approvedAt.position), approvedAt.digest, 'the running digests were left as they were');
  t.match((await view(api)).approval, { verifies: false, problem: /not the ones the digest was taken over/ });
});

t.test('an event changed by another connection to the file is verified afresh and shown', async (t) => {
  const { api } = await year2020(t);
  await close(api);
  t.match((await view(api)).approval, { verifies: true });
  const other = new Database(api.store.path);
  t.teardown(() => other.close());
  other.prepare("UPDATE events SET data = json_set(data, '$.amount', '4000.00') WHERE type = 'PaymentReceived'").run();
  t.match((await view(api)).approval, { verifies: false, problem: /was changed/ });
});
