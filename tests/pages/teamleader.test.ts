/**
 * The team leader's page, /kamer: its own room only (another room is 403), petty-cash spending
 * and volunteer hours through the commands the API runs, a refused form back with 422 and the
 * Dutch message at its field, a CSV of hours read all or nothing with errors per row, CSRF checked.
 */
import t, { type Test } from 'tap';
import type { TestApp } from '../helpers/app.js';
import { csrfTokenIn, PageClient } from './pages.fixtures.js';
import { MARCH_HOURS_CSV, MARCH_HOURS_CSV_WITH_ERRORS, teamleaderWorld } from './teamleader.fixtures.js';

async function roomWorld(t: Test): Promise<{ api: TestApp; browser: PageClient }> {
  const api = await teamleaderWorld(t);
  const browser = new PageClient(api);
  const signedIn = await browser.signInWithToken(api.tokens.teamleader('top'));
  t.equal(signedIn.headers.location, '/kamer', 'a team leader lands on its own room page');
  return { api, browser };
}

async function pettyCashOf(api: TestApp): Promise<{ months: Array<{ month: string; spentTotal: string; balance: string; spent: Record<string, string> }> }> {
  return (await api.get(api.tokens.teamleader('top'), '/kamers/top/petty-cash?year=2020')).json();
}

async function residentHours(api: TestApp): Promise<string> {
  return (await api.get(api.tokens.teamleader('top'), '/kamers/top/budget/2020')).json().volunteers.hours.resident;
}

async function postSpending(browser: PageClient, fields: Record<string, string>) {
  const form = await browser.get('/kamer');
  return browser.postForm('/kamer/handgeld', { _csrf: csrfTokenIn(form.body), date: '2020-03-10', category: 'A', amount: '12,50', description: 'Koffie voor de inloop', receipt: '', ...fields });
}

async function postHours(browser: PageClient, fields: Record<string, string>) {
  const form = await browser.get('/kamer');
  return browser.postForm('/kamer/uren', { _csrf: csrfTokenIn(form.body), volunteer: 'v-017', date: '2020-03-10', hours: '2,5', kind: 'resident', activity: '', ...fields });
}

async function uploadCsv(browser: PageClient, content: string) {
  const form = await browser.get('/kamer');
  return browser.postMultipart('/kamer/uren-csv', { _csrf: csrfTokenIn(form.body) }, { field: 'bestand', name: 'maart.csv', content });
}

t.test("the page shows the room's petty cash per month and the categories with the agreement's Dutch labels", async (t) => {
  const { browser } = await roomWorld(t);
  const page = await browser.get('/kamer');
  t.equal(page.statusCode, 200);
  t.match(page.body, /Kamer TOP/);
  for (const label of ['A: Koffie, thee en dergelijke', 'B: Catering en maaltijden', 'C: Reis- en parkeerkosten', 'D: Toiletpapier, afwasmiddel, sponzen', 'E: Kantoorartikelen', 'F: Materialen voor activiteiten']) {
    t.match(page.body, label);
  }
  t.match(page.body, /Handgeld per maand in 2020/);
  t.match(page.body, /maart<\/th><td class="utrecht-table__cell number">€ 250,00<\/td><td class="utrecht-table__cell number">€ 0,00<\/td><td class="utrecht-table__cell number">€ 250,00/);
  t.match(page.body, /value="2020-03-15"/, 'a fresh form proposes today');
});

t.test('a spending saved through the form is the same command as the API: confirmed, and in the petty-cash view', async (t) => {
  const { api, browser } = await roomWorld(t);
  const saved = await postSpending(browser, { amount: '12,50', category: 'B' });
  t.equal(saved.statusCode, 303);
  t.equal(saved.headers.location, '/kamer');
  const page = await browser.get('/kamer');
  t.match(page.body, /De uitgave van € 12,50 is bewaard\./);
  t.match(page.body, /€ 237,50/, 'the balance after it');
  t.notMatch((await browser.get('/kamer')).body, /is bewaard/, 'the confirmation is shown once');
  const march = (await pettyCashOf(api)).months[2]!;
  t.same({ spent: march.spent.B, balance: march.balance }, { spent: '12.50', balance: '237.50' });
});

t.test('a refused spending comes back with 422, the Dutch rule at its field and the input kept; nothing is written', async (t) => {
  const { api, browser } = await roomWorld(t);
  const tooMuch = await postSpending(browser, { amount: '300,00', description: 'Een te grote <b>uitgave</b>' });
  t.equal(tooMuch.statusCode, 422);
  t.match(tooMuch.body, /id="uitgave-amount-fout">Zoveel handgeld is er op deze datum niet/);
  t.match(tooMuch.body, /aria-invalid="true"[^>]*id="uitgave-amount"|id="uitgave-amount"[^>]*aria-invalid="true"/);
  t.match(tooMuch.body, /aria-describedby="uitgave-amount-uitleg uitgave-amount-fout"/);
  t.match(tooMuch.body, /value="300,00"/, 'what was typed is kept');
  t.match(tooMuch.body, /value="Een te grote &lt;b>uitgave&lt;\/b>"/, 'and kept inert');
  const badAmount = await postSpending(browser, { amount: '12,505', description: '' });
  t.equal(badAmount.statusCode, 422);
  t.match(badAmount.body, /id="uitgave-amount-fout">Vul een bedrag in/);
  t.match(badAmount.body, /id="uitgave-description-fout">Vul in waarvoor/);
  const future = await postSpending(browser, { date: '2020-03-16' });
  t.equal(future.statusCode, 422);
  t.match(future.body, /id="uitgave-date-fout">Deze datum ligt na vandaag/);
  t.equal((await pettyCashOf(api)).months[2]!.spentTotal, '0.00', 'nothing was spent');
});

t.test('hours saved through the form count in the room; refused hours say why in Dutch and write nothing', async (t) => {
  const { api, browser } = await roomWorld(t);
  const saved = await postHours(browser, { hours: '2,5' });
  t.equal(saved.statusCode, 303);
  t.match((await browser.get('/kamer')).body, /2,50 uur op 10 maart 2020 is bewaard\./);
  t.equal(await residentHours(api), '2.50');
  const future = await postHours(browser, { date: '2020-04-01', volunteer: 'v-099' });
  t.equal(future.statusCode, 422);
  t.match(future.body, /id="uren-date-fout">Deze datum ligt na vandaag; u kunt alleen uren/);
  t.match(future.body, /value="v-099"/);
  const tooLong = await postHours(browser, { hours: '25' });
  t.equal(tooLong.statusCode, 422);
  t.match(tooLong.body, /id="uren-hours-fout">Vul uren in van meer dan 0 en hoogstens 24/);
  const named = await postHours(browser, { volunteer: 'Jan Jansen' });
  t.match(named.body, /id="uren-volunteer-fout">Vul de code van de vrijwilliger in/);
  t.equal(await residentHours(api), '2.50', 'no refused hours were written');
});

t.test('a CSV of hours is read whole: every row written, and the same file again doubles nothing', async (t) => {
  const { api, browser } = await roomWorld(t);
  const csv = MARCH_HOURS_CSV;
  const saved = await uploadCsv(browser, csv);
  t.equal(saved.statusCode, 303, saved.body.slice(0, 300));
  t.match((await browser.get('/kamer')).body, /3 regels met uren ingelezen\./);
  t.equal(await residentHours(api), '6.50');
  const budget = (await api.get(api.tokens.treasurer, '/kamers/top/budget/2020')).json();
  t.equal(budget.volunteers.hours.professional, '1.25');
  const again = await uploadCsv(browser, csv);
  t.equal(again.statusCode, 303);
  t.match((await browser.get('/kamer')).body, /0 regels met uren ingelezen\. 3 regels waren al eerder ingelezen/);
  t.equal(await residentHours(api), '6.50', 'not doubled');
  const commas = await uploadCsv(browser, 'vrijwilliger,datum,uren,soort\nv-004,2020-03-05,"1,5",resident\n');
  t.equal(commas.statusCode, 303, 'a comma-separated file with a quoted decimal comma');
  t.equal(await residentHours(api), '8.00');
});

t.test('a CSV with errors writes nothing and lists each error by row, column and Dutch rule', async (t) => {
  const { api, browser } = await roomWorld(t);
  const refused = await uploadCsv(browser, MARCH_HOURS_CSV_WITH_ERRORS);
  t.equal(refused.statusCode, 422);
  const rows = [...refused.body.matchAll(/<tr class="utrecht-table__row"><td class="utrecht-table__cell number">(\d+)<\/td><td class="utrecht-table__cell">([^<]*)<\/td><td class="utrecht-table__cell">([^<]*)<\/td><\/tr>/g)].map(
    ([, row, column, message]) => `${row} ${column}: ${message!.slice(0, 24)}`,
  );
  t.same(rows, ['3 uren: Vul uren in van meer dan', '4 datum: Deze datum ligt na vanda', '5 datum: Vul een geldige datum in', '5 soort: Kies bewoner of professi']);
  t.match(refused.body, /Niets ingelezen: het bestand heeft fouten/);
  t.match(refused.body, /id="csv-bestand"[^>]*aria-describedby="csv-uitleg csv-fouten"/);
  t.equal(await residentHours(api), '0.00', 'not even the good row 2 was written');
  const header = await uploadCsv(browser, 'naam;datum;uren\nJan;2020-03-02;2\n');
  t.equal(header.statusCode, 422);
  t.match(header.body, /De kolom &quot;naam&quot; kennen we niet/);
  t.match(header.body, /De kopregel mist de kolom &quot;vrijwilliger&quot;/);
  t.match(header.body, /De kopregel mist de kolom &quot;soort&quot;/);
  t.match((await uploadCsv(browser, 'vrijwilliger;datum;uren;soort\n"v-1;2020')).body, /Dit bestand kunnen we niet als CSV lezen/);
  t.match((await uploadCsv(browser, 'vrijwilliger;datum;uren;soort\n')).body, /geen regels met uren onder de kopregel/);
  const huge = await uploadCsv(browser, `vrijwilliger;datum;uren;soort\n${'v-1;2020-03-02;1;bewoner\n'.repeat(50_000)}`);
  t.equal(huge.statusCode, 413, 'a file over 1 MB is refused before it is read');
  t.match(huge.body, /Er ging iets mis/);
  t.equal(await residentHours(api), '0.00');
});

t.test("a team leader cannot open another room's page (403), and other roles have no room page", async (t) => {
  const { api, browser } = await roomWorld(t);
  const other = await browser.get('/kamer/bos');
  t.equal(other.statusCode, 403);
  t.match(other.body, /U heeft geen toegang tot deze pagina/);
  t.notMatch(other.body, /Bos/);
  const own = await browser.get('/kamer/top');
  t.equal(own.statusCode, 303);
  t.equal(own.headers.location, '/kamer');
  const treasurer = new PageClient(api);
  await treasurer.signInWithToken(api.tokens.treasurer);
  t.equal((await treasurer.get('/kamer')).statusCode, 403);
  const anonymous = await new PageClient(api).get('/kamer');
  t.equal(anonymous.statusCode, 303);
  t.equal(anonymous.headers.location, '/inloggen?terug=%2Fkamer');
});

t.test('a form posted without its CSRF token is refused and writes nothing', async (t) => {
  const { api, browser } = await roomWorld(t);
  const spending = await browser.postForm('/kamer/handgeld', { date: '2020-03-10', category: 'A', amount: '5,00', description: 'Koffie' });
  t.equal(spending.statusCode, 403);
  t.match(spending.body, /Dit formulier is verlopen/);
  const hours = await browser.postForm('/kamer/uren', { _csrf: 'nep', volunteer: 'v-1', date: '2020-03-10', hours: '1', kind: 'resident' });
  t.equal(hours.statusCode, 403);
  const csv = await browser.postMultipart('/kamer/uren-csv', {}, { field: 'bestand', name: 'maart.csv', content: 'vrijwilliger;datum;uren;soort\nv-1;2020-03-02;2;bewoner\n' });
  t.equal(csv.statusCode, 403);
  t.equal((await pettyCashOf(api)).months[2]!.spentTotal, '0.00');
  t.equal(await residentHours(api), '0.00');
});
