/**
 * Reproducible year files and approvals that stay provable (issue 12, items 3 and 4): a closed
 * year's XAF, hledger journal, CSV and annual report are byte-identical on every export and hash to what
 * YearClosed recorded; the next year opens with the balance sheet carried forward; an approval
 * made at digest D still verifies a thousand events later, and a tampered event before its
 * position makes it fail.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import { renderYearFiles, type YearFileName } from '../../src/exports/year-files.js';
import { rewriteAndRehash } from '../helpers/tamper.js';
import { close, view, year2020 } from './years.fixtures.js';

const EXPORTS = {
  xaf: '/exports/xaf?year=2020',
  hledger: '/exports/hledger?year=2020',
  'journal.csv': '/exports/journal.csv?year=2020',
  'journal-nl.csv': '/exports/journal.csv?year=2020&dialect=nl',
  'annual-report.pdf': '/reports/annual/2020/report.pdf',
} as const;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

t.test("a closed year's files are the same bytes on every export, later writes and clock changes included, and hash to what the closing recorded", async (t) => {
  const { api } = await year2020(t);
  await close(api);
  const recorded = new Map((await view(api)).closing!.files.map((file) => [file.name, file.sha256]));
  t.same([...recorded.keys()], Object.keys(EXPORTS), 'every year file is recorded');
  const first = new Map<string, Buffer>();
  for (const [name, url] of Object.entries(EXPORTS)) {
    const response = await api.get(api.tokens.accountant, url);
    t.equal(response.statusCode, 200);
    first.set(name, response.rawPayload);
    t.equal(sha256(response.rawPayload), recorded.get(name), `${name}: the served bytes hash to the recorded SHA-256`);
  }
  t.match(first.get('xaf')!.toString(), /<dateCreated>2021-02-01<\/dateCreated>/, "the XAF is dated with the closing, not with today");

  // Time passes, and things without a date in 2020 are recorded: none may change the 2020 files.
  api.clock.set('2021-09-01T12:00:00Z');
  t.equal((await api.post(api.tokens.treasurer, '/financiers', { id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' })).statusCode, 201);
  t.equal((await api.post(api.tokens.treasurer, '/payments/received', { date: '2021-03-01', amount: '25.00', allocations: [] })).statusCode, 201);
  for (const [name, url] of Object.entries(EXPORTS)) {
    const again = await api.get(api.tokens.treasurer, url);
    t.ok(again.rawPayload.equals(first.get(name)!), `${name}: byte-identical on a later export`);
  }
  // Not the route's cache: a fresh rendering from the log, as after a restart, gives the same bytes.
  const closing = (await view(api)).closing!;
  const rendered = await renderYearFiles(api.store, { year: 2020, position: closing.filesAtPosition, createdAt: closing.closedAt });
  for (const [name, bytes] of first) t.equal(sha256(Buffer.from(rendered.get(name as YearFileName)!)), sha256(bytes), `${name}: rendered afresh, the same bytes`);
  const live = await api.get(api.tokens.accountant, `${EXPORTS.xaf}&knownAt=2021-09-01T12:00:00Z`);
  t.match(live.body, /<dateCreated>2021-09-01<\/dateCreated>/, 'a cut asks for the live books, dated now');
});

t.test('the next year opens with the balance sheet carried forward; the year result closes into equity', async (t) => {
  const { api } = await year2020(t);
  await close(api);
  const balance = (await api.get(api.tokens.accountant, '/reports/trial-balance?year=2021')).json() as { accounts: Array<{ account: string; type: string; opening: string }> };
  const opening = new Map(balance.accounts.map((row) => [row.account, row]));
  t.equal(opening.get('1100')?.opening, '400.00', 'the bank: the 400.00 received in 2020');
  t.equal(opening.get('0900')?.opening, '-1000.00', "2020's result (the invoice's 1000.00 of income) closed into equity, a credit");
  const receivable = balance.accounts.find((row) => row.type === 'asset' && row.account !== '1100');
  t.equal(receivable?.opening, '600.00', 'the open 600.00 of the invoice is still receivable');
  t.notOk(balance.accounts.some((row) => (row.type === 'income' || row.type === 'expense') && row.opening !== '0.00'), 'income and expense start at zero');
  const xaf = (await api.get(api.tokens.accountant, '/exports/xaf?year=2021')).body;
  const openingBalance = /<openingBalance>[\s\S]*<\/openingBalance>/.exec(xaf)?.[0] ?? '';
  t.match(openingBalance, /<accID>1100<\/accID>[\s\S]*?<amnt>400\.00<\/amnt>/, 'the XAF openingBalance carries the bank forward');
  t.match(openingBalance, /<accID>0900<\/accID>[\s\S]*?<amnt>1000\.00<\/amnt>/, 'and the result in equity');
});

t.test('an approval made at digest D still verifies after 1,000 later events; a tampered event before its position makes it fail', async (t) => {
  const { api } = await year2020(t);
  await close(api);
  const approvedAt = (await view(api)).approval!;
  await Promise.all(
    Array.from({ length: 1000 }, (_, index) =>
      api.store.append(`financier-later-${index}`, [{ type: 'FinancierRegistered', data: { financierId: `later-${index}`, name: `Later ${index}`, kind: 'fund', pays: 'none' }, metadata: { recordedBy: 'test' } }], 'no-stream'),
    ),
  );
  t.ok(Number(await api.store.lastPosition()) >= Number(approvedAt.position) + 1000, 'a thousand events later');
  t.match((await view(api)).approval, { digest: approvedAt.digest, verifies: true });

  // An attacker who read the code rewrites the invoice and re-chains its stream: every hash matches its event again.
  const invoice = (await api.allEvents()).find((event) => event.type === 'InvoiceIssued')!;
  t.ok(BigInt(invoice.position) < BigInt(approvedAt.position), 'the invoice lies before the approval');
  rewriteAndRehash(api.store.db, invoice.position, (data) => ({ ...data, total: '1.00' }));
  const afterRewrite = await view(api);
  t.match(afterRewrite.approval, { verifies: false, problem: /not the ones the digest was taken over/ }, 'the digest at the approval no longer matches');
  t.match(afterRewrite.checks[0], { verifies: false });
});

t.test('an event changed in place before the approval makes it fail to verify, and names where', async (t) => {
  const { api } = await year2020(t);
  await close(api);
  api.store.db.prepare("UPDATE events SET data = json_set(data, '$.amount', '4000.00') WHERE type = 'PaymentReceived'").run();
  const shown = await view(api);
  t.match(shown.approval, { verifies: false, problem: /was changed/ });
  t.equal((await api.get(api.tokens.accountant, '/audit/verify')).json().ok, false, 'GET /audit/verify reports it too');
});
