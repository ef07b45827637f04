/**
 * The financier's page: its own pledges by status, invoices with dates, days to pay and an on-time
 * or late mark, the four-week summary and the chart by month, in Dutch; never another financier's
 * data; the same figures GET /financiers/:id/position answers; names rendered inert.
 */
import t from 'tap';
import { PageClient, pageWorld } from './pages.fixtures.js';

t.test("a financier sees its own year: pledges by status, invoices with dates and marks, four weeks, chart", async (t) => {
  const { api, mitrosInvoice, portaalInvoice } = await pageWorld(t);
  const browser = new PageClient(api);
  await browser.signInWithToken(api.tokens.financier('mitros'));
  const page = await browser.get('/financier?jaar=2020');
  t.equal(page.statusCode, 200);
  const html = page.body;
  t.match(html, /Mitros: overzicht 2020/);
  t.match(html, /10 januari 2020/, 'issue date in Dutch');
  t.match(html, /7 februari 2020/, 'due date, 28 days later');
  t.match(html, /20 januari 2020/, 'date paid');
  t.match(html, /€ 1\.234,50/, 'amounts the Dutch way');
  t.match(html, />10</, 'days to pay');
  t.match(html, /✓ op tijd/);
  t.match(html, /over de vervaldatum/);
  t.match(html, /Binnen vier weken betaald: 1 factuur/);
  t.match(html, /Nog open: 1 factuur, € 200,00/);
  t.match(html, /Waarvan over de vervaldatum: 1 factuur, € 200,00/);
  t.match(html, /<h3[^>]*>Vast<\/h3>/, 'pledges by status');
  t.match(html, /<h3[^>]*>Voorgesteld<\/h3>/);
  t.match(html, /MIT-2020-7/);
  t.match(html, /<svg[^>]*role="img"/, 'the chart as inline SVG');
  t.match(html, /De grafiek in tekst/, 'with a text alternative');
  t.match(html, new RegExp(`href="/invoices/${mitrosInvoice.id}/document.pdf"`));
  t.notMatch(html, new RegExp(portaalInvoice.number), "not another financier's invoice");
  t.notMatch(html, /Portaal|999,00|5\.000,00/, "nothing of another financier");
  t.notMatch(html, /<script/i);
});

t.test('the page shows the figures the API answers for the same financier and year', async (t) => {
  const { api } = await pageWorld(t);
  const position = (await api.get(api.tokens.financier('mitros'), '/financiers/mitros/position?year=2020')).json();
  t.same(position.fourWeeks, { paidOnTime: 1, paidLate: 0, open: 1, openAmount: '200.00', overdue: 1, overdueAmount: '200.00' });
  t.same(position.byMonth, [{ month: '2020-01', invoiced: '1434.50', paid: '1234.50' }]);
  const browser = new PageClient(api);
  await browser.signInWithToken(api.tokens.financier('mitros'));
  const html = (await browser.get('/financier?jaar=2020')).body;
  for (const amount of [position.pledged, position.invoiced, position.paid, position.open, position.overdue]) {
    const [whole, cents] = (amount as string).split('.');
    t.match(html, `€ ${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${cents}`, `shows ${amount}`);
  }
});

t.test("a financier's session opens its own invoice PDFs, and not another financier's (404)", async (t) => {
  const { api, mitrosInvoice, portaalInvoice } = await pageWorld(t);
  const browser = new PageClient(api);
  await browser.signInWithToken(api.tokens.financier('mitros'));
  const own = await browser.get(`/invoices/${mitrosInvoice.id}/document.pdf`);
  t.equal(own.statusCode, 200, own.body.slice(0, 200));
  t.equal(own.headers['content-type'], 'application/pdf');
  t.equal((await browser.get(`/invoices/${portaalInvoice.id}/document.pdf`)).statusCode, 404);
  t.equal((await new PageClient(api).get(`/invoices/${mitrosInvoice.id}/document.pdf`)).statusCode, 401, 'not without a session');
});

t.test("other roles cannot open the financier's page; another financier sees only its own", async (t) => {
  const { api } = await pageWorld(t);
  const treasurer = new PageClient(api);
  await treasurer.signInWithToken(api.tokens.treasurer);
  const refused = await treasurer.get('/financier');
  t.equal(refused.statusCode, 403);
  t.match(refused.body, /geen toegang/);
  const portaal = new PageClient(api);
  await portaal.signInWithToken(api.tokens.financier('portaal'));
  const html = (await portaal.get('/financier?jaar=2020')).body;
  t.match(html, /Portaal: overzicht 2020/);
  t.notMatch(html, /Mitros|1\.234,50/);
});

t.test('a name containing <script> renders as inert text', async (t) => {
  const { api } = await pageWorld(t, { mitrosName: '<script>alert("x")</script> & Co' });
  const browser = new PageClient(api);
  await browser.signInWithToken(api.tokens.financier('mitros'));
  const html = (await browser.get('/financier?jaar=2020')).body;
  t.notMatch(html, /<script/i, 'no script element');
  t.match(html, /&lt;script>alert\(&quot;x&quot;\)&lt;\/script> &amp; Co/);
});

t.test('a year without anything says so in Dutch; a bad year is a Dutch 400 page', async (t) => {
  const { api } = await pageWorld(t);
  const browser = new PageClient(api);
  await browser.signInWithToken(api.tokens.financier('mitros'));
  const empty = await browser.get('/financier?jaar=2019');
  t.equal(empty.statusCode, 200);
  t.match(empty.body, /Geen facturen in dit jaar/);
  const bad = await browser.get('/financier?jaar=twintig');
  t.equal(bad.statusCode, 400);
  t.match(bad.body, /begrijpen we niet/);
});

t.test('the stylesheets are served from node_modules under /static, and the page has print styles', async (t) => {
  const { api } = await pageWorld(t);
  const browser = new PageClient(api);
  for (const path of ['/static/tokens/theme.css', '/static/utrecht/index.css', '/static/pages.css']) {
    const response = await browser.get(path);
    t.equal(response.statusCode, 200, path);
    t.match(response.headers['content-type'], /text\/css/);
  }
  t.match((await browser.get('/static/utrecht/index.css')).body, /\.utrecht-table/);
  t.match((await browser.get('/static/pages.css')).body, /@media print/);
  t.not((await browser.get('/static/../package.json')).statusCode, 200, 'nothing else of the disk');
});
