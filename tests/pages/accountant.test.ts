/**
 * The accountant's page: the verification GET /audit/verify runs (on request) with the digest to keep, the
 * trial balance GET /reports/trial-balance answers, the exports downloadable with the page session,
 * and the audit history paged and filtered by stream, type and date exactly as GET /audit/events
 * answers it. Only the accountant opens it.
 */
import t from 'tap';
import { euro } from '../../src/documents/format.js';
import { PageClient, pageWorld } from './pages.fixtures.js';
import type { TestApp } from '../helpers/app.js';

async function signedInAccountant(api: TestApp): Promise<PageClient> {
  const browser = new PageClient(api);
  const signedIn = await browser.signInWithToken(api.tokens.accountant);
  if (signedIn.statusCode !== 303) throw new Error(`sign-in: ${signedIn.statusCode}`);
  return browser;
}

/** The positions in the audit table's rows, in order. */
function positionsIn(html: string): string[] {
  return [...html.matchAll(/<th class="utrecht-table__header-cell number" scope="row">(\d+)<\/th>/g)].map((match) => match[1]!);
}

async function apiPositions(api: TestApp, query: string): Promise<{ positions: string[]; next: string | null }> {
  const page = (await api.get(api.tokens.accountant, `/audit/events?${query}`)).json() as { events: Array<{ position: string }>; next: string | null };
  return { positions: page.events.map((event) => event.position), next: page.next };
}

t.test('an accountant signing in lands on /accountant and sees the verification with the digest and position to keep', async (t) => {
  const { api } = await pageWorld(t);
  const browser = new PageClient(api);
  const signedIn = await browser.signInWithToken(api.tokens.accountant);
  t.equal(signedIn.statusCode, 303);
  t.equal(signedIn.headers.location, '/accountant');
  const visit = await browser.get('/accountant?jaar=2020');
  t.equal(visit.statusCode, 200);
  t.match(visit.body, /<input type="hidden" name="controle" value="1"\/><button type="submit" class="utrecht-button utrecht-button--primary-action">Controleer de administratie<\/button>/, 'a button asks for the check');
  t.notMatch(visit.body, /In orde|Bewaar deze controlecode/, 'which does not run on every visit (it rehashes the whole log)');
  const page = await browser.get('/accountant?jaar=2020&controle=1');
  t.equal(page.statusCode, 200);
  t.match(page.body, /Controleer opnieuw/);
  const verified = (await api.get(api.tokens.accountant, '/audit/verify')).json() as { ok: boolean; events: number; lastPosition: string; digest: string };
  t.equal(verified.ok, true);
  t.match(page.body, `In orde: alle ${verified.events} gebeurtenissen kloppen.`);
  t.match(page.body, `<code>${verified.digest}</code>`, 'the digest to keep');
  t.match(page.body, new RegExp(`<dt>Positie</dt><dd>${verified.lastPosition}</dd>`), 'with its position');
  t.notMatch(page.body, /<script/i);
});

t.test('a tampered log shows NIET in orde with the first bad position', async (t) => {
  const { api } = await pageWorld(t);
  const target = (await api.allEvents()).find((event) => event.type === 'PledgeMade')!;
  api.store.db.prepare(`UPDATE events SET data = replace(data, '"3000.00"', '"3900.00"') WHERE position = ?`).run(Number(target.position));
  const html = (await (await signedInAccountant(api)).get('/accountant?controle=1')).body;
  t.match(html, /NIET in orde/);
  t.match(html, new RegExp(`Eerste afwijking op positie</dt><dd>${target.position}</dd>`));
  t.notMatch(html, /Bewaar deze controlecode/, 'no digest to keep from a log that does not verify');
});

t.test("the year's trial balance shows the accounts and totals GET /reports/trial-balance answers, amounts the Dutch way", async (t) => {
  const { api } = await pageWorld(t);
  const answer = (await api.get(api.tokens.accountant, '/reports/trial-balance?year=2020')).json() as {
    accounts: Array<{ account: string; name: string; debit: string; credit: string; balance: string }>;
    totals: { debit: string; credit: string };
  };
  t.ok(answer.accounts.length > 0, 'the fixture books something in 2020');
  const html = (await (await signedInAccountant(api)).get('/accountant?jaar=2020')).body;
  t.match(html, /Proefbalans 2020/);
  for (const row of answer.accounts) {
    t.match(html, `scope="row">${row.account}</th><td class="utrecht-table__cell">${row.name}</td>`, `account ${row.account}`);
    t.match(html, euro(row.debit));
    t.match(html, euro(row.balance));
  }
  t.match(html, new RegExp(`Totaal</th>.*${euro(answer.totals.debit).replace('.', '\\.')}`, 's'));
  t.match(html, /€ 1\.434,50/, 'the two Mitros invoices together, as the Dutch write it');
  const empty = (await (await signedInAccountant(api)).get('/accountant?jaar=2019')).body;
  t.match(empty, /Geen boekingen in dit jaar/);
});

t.test('the export links download with the page session (and not without one)', async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInAccountant(api);
  const html = (await browser.get('/accountant?jaar=2020')).body;
  const expected: Array<[string, RegExp]> = [
    ['/exports/xaf?year=2020', /^application\/xml/],
    ['/exports/hledger?year=2020', /^text\/plain/],
    ['/exports/journal.csv?year=2020', /^text\/csv/],
  ];
  for (const [href, type] of expected) {
    t.match(html, `href="${href}"`, `links ${href}`);
    const download = await browser.get(href);
    t.equal(download.statusCode, 200, href);
    t.match(download.headers['content-type'], type);
    t.match(download.headers['content-disposition'], /^attachment/);
    t.equal((await new PageClient(api).get(href)).statusCode, 401, `${href} not without a session`);
  }
  const financier = new PageClient(api);
  await financier.signInWithToken(api.tokens.financier('mitros'));
  t.equal((await financier.get('/exports/xaf?year=2020')).statusCode, 403, "a financier's session may not download the books");
});

t.test('the audit history pages with na= and aantal= through the same rows GET /audit/events answers', async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInAccountant(api);
  const first = (await browser.get('/accountant?aantal=5')).body;
  const expectedFirst = await apiPositions(api, 'limit=5');
  t.same(positionsIn(first), expectedFirst.positions);
  const next = /<a class="utrecht-link" rel="next" href="([^"]+)"/.exec(first)?.[1]?.replace(/&amp;/g, '&');
  t.ok(next, 'a link to the next page');
  t.match(next!, `na=${expectedFirst.next}`);
  const second = (await browser.get(next!)).body;
  t.same(positionsIn(second), (await apiPositions(api, `limit=5&after=${expectedFirst.next}`)).positions);
  t.match(second, /Eerste pagina/);
  const all = await api.allEvents();
  const last = (await browser.get(`/accountant?aantal=200`)).body;
  t.equal(positionsIn(last).length, all.length, 'everything on one page of 200');
  t.notMatch(last, /rel="next"/, 'and no next page after the last');
});

t.test('the audit history filters by stream, type and recording date, as GET /audit/events does', async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInAccountant(api);
  const byType = (await browser.get('/accountant?type=InvoiceIssued&stroom=&van=&tot=')).body;
  const invoices = (await api.allEvents()).filter((event) => event.type === 'InvoiceIssued').map((event) => event.position);
  t.equal(invoices.length, 3);
  t.same(positionsIn(byType), invoices, 'empty fields of the GET form mean no filter');
  t.match(byType, /<option value="InvoiceIssued" selected/, 'the form keeps the chosen type');

  const byStream = (await browser.get('/accountant?stroom=financier-')).body;
  const financierEvents = (await api.allEvents()).filter((event) => event.stream.startsWith('financier-')).map((event) => event.position);
  t.ok(financierEvents.length >= 2);
  t.same(positionsIn(byStream), financierEvents);
  t.match(byStream, /value="financier-"/);

  // The fixture records everything on 10 January 2020 except the payment, recorded on 15 March.
  const march = (await browser.get('/accountant?van=2020-03-01&tot=2020-03-31')).body;
  const recordedInMarch = (await api.allEvents()).filter((event) => event.metadata.recordedAt.startsWith('2020-03')).map((event) => event.position);
  t.ok(recordedInMarch.length >= 2, 'the payment and its allocation');
  t.same(positionsIn(march), recordedInMarch);
  t.same((await apiPositions(api, 'from=2020-03-01&to=2020-03-31')).positions, recordedInMarch, 'the API filters the same way');
  t.match(march, /15 maart 2020, 11:00/, 'recorded on, the Dutch way and in Amsterdam time');
  t.same(positionsIn((await browser.get('/accountant?tot=2020-01-09')).body), [], 'nothing before the first day');
  const refused = await api.get(api.tokens.accountant, '/audit/events?from=2020-02-30');
  t.equal(refused.statusCode, 400);
  t.ok((refused.json().errors as Array<{ path: string }>).some((error) => error.path === 'querystring.from'), 'the API names the bad date');
});

t.test('a bad filter is a Dutch 400 page; other roles get 403; without a session the browser goes to sign in', async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInAccountant(api);
  for (const query of ['van=2020-02-30', 'type=Verzonnen', 'aantal=0', 'na=abc', 'jaar=1999', 'controle=ja']) {
    const refused = await browser.get(`/accountant?${query}`);
    t.equal(refused.statusCode, 400, query);
    t.match(refused.body, /Deze vraag begrijpen we niet/);
  }
  for (const token of [api.tokens.treasurer, api.tokens.financier('mitros'), api.tokens.teamleader('top')]) {
    const other = new PageClient(api);
    await other.signInWithToken(token);
    const refused = await other.get('/accountant');
    t.equal(refused.statusCode, 403);
    t.match(refused.body, /geen toegang/);
  }
  const anonymous = await new PageClient(api).get('/accountant');
  t.equal(anonymous.statusCode, 303);
  t.equal(anonymous.headers.location, '/inloggen?terug=%2Faccountant');
});
