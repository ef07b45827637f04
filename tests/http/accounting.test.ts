import t from 'tap';
import { XAF_XSD } from '../helpers/shared.js';
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { appendEvents, expense, financier, invoice, kamer, paymentReceived, sampleLog } from '../projections/journal-events.js';

const XSD = readFileSync(XAF_XSD, 'utf8');
const ROUTES = ['/reports/trial-balance', '/exports/xaf', '/exports/hledger', '/exports/journal.csv'];

interface Row {
  account: string;
  opening: string;
  debit: string;
  credit: string;
  balance: string;
}

const bankOf = (body: { accounts: Row[] }) => body.accounts.find((row) => row.account === '1100')?.balance;

/**
 * 2019's books as recorded on 5 January 2020, then a late rent payment dated 31 December 2019
 * recorded on 10 February 2020, and money received in January 2020.
 */
async function booksWithALateEntry(api: TestApp): Promise<void> {
  api.clock.set('2020-01-05T10:00:00Z');
  await appendEvents(api.store, [
    kamer('top', 'TOP'),
    financier('mitros', 'housing-corporation', 'Mitros'),
    invoice({ financierId: 'mitros', kamerId: 'top', year: 2019, number: '2019-0001', issueDate: '2019-12-01', total: '1000.00' }),
    expense({ kamerId: 'top', line: 'rent', date: '2019-12-10', amount: '300.00' }),
  ]);
  api.clock.set('2020-02-10T10:00:00Z');
  await appendEvents(api.store, [expense({ kamerId: 'top', line: 'rent', date: '2019-12-31', amount: '40.00' }), paymentReceived({ date: '2020-01-20', amount: '1000.00' })]);
}

t.test('the accountant and the treasurer read the books; financiers and team leaders may not', async (t) => {
  const api = await createTestApp(t);
  await appendEvents(api.store, sampleLog());
  for (const url of ROUTES) {
    for (const token of [api.tokens.accountant, api.tokens.treasurer]) {
      const response = await api.get(token, `${url}?year=2020`);
      t.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 200)}`);
    }
    for (const token of [api.tokens.financier('mitros'), api.tokens.teamleader('top')]) {
      const response = await api.get(token, `${url}?year=2020`);
      t.equal(response.statusCode, 403, url);
      t.equal(response.json().code, 'FORBIDDEN');
    }
    t.equal((await api.app.inject({ method: 'GET', url: `${url}?year=2020` })).statusCode, 401, `${url} without a token`);
  }
});

t.test('the trial balance of a year has equal totals and cuts by asOf and by knownAt', async (t) => {
  const api = await createTestApp(t);
  await booksWithALateEntry(api);
  const now = await api.get(api.tokens.accountant, '/reports/trial-balance?year=2019');
  t.equal(now.statusCode, 200, now.body);
  const body = now.json();
  t.equal(bankOf(body), '-340.00', '300 and the late 40 paid out in 2019');
  t.equal(body.totals.debit, body.totals.credit);
  t.same(body.totals, { opening: '0.00', debit: '1340.00', credit: '1340.00', balance: '0.00' });
  t.match(body.accounts.find((row: Row) => row.account === '1300:mitros'), { debit: '1000.00', credit: '0.00', balance: '1000.00' });

  const asOf = (await api.get(api.tokens.accountant, '/reports/trial-balance?year=2019&asOf=2019-12-15')).json();
  t.equal(bankOf(asOf), '-300.00', 'on 15 December only the first rent was paid');
  t.equal(asOf.asOf, '2019-12-15');

  const knownAt = (await api.get(api.tokens.accountant, '/reports/trial-balance?year=2019&knownAt=2020-01-31T00:00:00Z')).json();
  t.equal(bankOf(knownAt), '-300.00', 'on 31 January the books did not know the late rent yet');
  t.equal(knownAt.knownAt, '2020-01-31T00:00:00Z');
  t.equal(knownAt.totals.debit, knownAt.totals.credit);

  const next = (await api.get(api.tokens.accountant, '/reports/trial-balance?year=2020')).json();
  t.match(next.accounts.find((row: Row) => row.account === '1100'), { opening: '-340.00', debit: '1000.00', balance: '660.00' });
  t.match(next.accounts.find((row: Row) => row.account === '0900'), { opening: '-660.00' }, "2019's result: 1000 income − 340 rent");
});

t.test('every route needs a year; bad cuts and unknown parameters are refused with the field named', async (t) => {
  const api = await createTestApp(t);
  for (const url of ROUTES) {
    for (const query of ['', '?year=19', '?year=twenty', '?year=2019&asOf=2019-02-30', '?year=2019&knownAt=yesterday', '?year=2019&format=pdf']) {
      const response = await api.get(api.tokens.accountant, `${url}${query}`);
      t.equal(response.statusCode, 400, `${url}${query}`);
      t.match(response.headers['content-type'], /problem\+json/);
    }
  }
  const missing = (await api.get(api.tokens.accountant, '/exports/xaf')).json();
  t.ok(missing.errors.some((error: { path: string }) => error.path.endsWith('year')), JSON.stringify(missing.errors));
});

t.test('the XAF export is an XML attachment that validates against the XAF 3.2 schema', async (t) => {
  const api = await createTestApp(t);
  await appendEvents(api.store, sampleLog());
  const response = await api.get(api.tokens.accountant, '/exports/xaf?year=2020');
  t.match(response.headers['content-type'], /^application\/xml/);
  t.match(response.headers['content-disposition'], /attachment; filename="buurtwerkkamer-2020\.xaf"/);
  const result = await validateXML({ xml: [{ fileName: 'http.xaf', contents: response.body }], schema: [XSD] });
  t.same(result.errors.map((error) => error.message), []);
  t.match(response.body, /<dateCreated>2020-06-15<\/dateCreated>/, "dateCreated is the service clock's day");
});

t.test('the hledger and CSV exports answer plain text and CSV; reading them writes nothing', async (t) => {
  const api = await createTestApp(t);
  await booksWithALateEntry(api);
  const before = (await api.allEvents()).length;
  const hledger = await api.get(api.tokens.treasurer, '/exports/hledger?year=2019');
  t.match(hledger.headers['content-type'], /^text\/plain/);
  t.match(hledger.body, /^2019-12-01 \* \(3\) Factuur 2019-0001 Mitros, TOP 2019$/m);
  t.match(hledger.body, /^ {4}1300:mitros {2}EUR 1000\.00/m);
  const csv = await api.get(api.tokens.treasurer, '/exports/journal.csv?year=2019&asOf=2019-12-15');
  t.match(csv.headers['content-type'], /^text\/csv/);
  t.equal(csv.body.trim().split('\r\n').length, 1 + 4, 'a header and two lines each for the invoice and the first rent');
  const dutch = await api.get(api.tokens.treasurer, '/exports/journal.csv?year=2019&asOf=2019-12-15&dialect=nl');
  t.equal(dutch.statusCode, 200);
  t.ok(dutch.body.startsWith('\uFEFFentry;date;journal;'), 'the Dutch dialect: a BOM and semicolons');
  t.match(dutch.body, /;01-12-2019;/, 'dates as dd-mm-yyyy');
  t.match(dutch.body, /;1000,00;/, 'amounts with a decimal comma');
  const unknown = await api.get(api.tokens.treasurer, '/exports/journal.csv?year=2019&dialect=fr');
  t.equal(unknown.statusCode, 400, 'an unknown dialect is refused');
  t.match(unknown.json().errors, [{ path: 'dialect' }]);
  t.equal((await api.allEvents()).length, before);
});
