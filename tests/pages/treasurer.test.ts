/**
 * The treasurer's pages: the overview shows what GET /reports/overdue and GET /payments/unallocated
 * answer; every form runs the API's command (success: 303 and a Dutch confirmation; refusal: the
 * form again, 422 or 400, the Dutch rule at its field, the typed values kept, nothing written);
 * CSRF and roles hold; a name with <script> stays text.
 */
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { DOMAIN_ERROR_CODES } from '../../src/domain/errors.js';
import { en } from '../../src/pages/text/en.js';
import { nl } from '../../src/pages/text/nl.js';
import { ruleText } from '../../src/pages/forms/refusal.js';
import { craftedStatement, CRAFTED_ACCOUNT } from '../bank/camt053.fixtures.js';
import type { TestApp } from '../helpers/app.js';
import { csrfTokenIn, PageClient, pageWorld } from './pages.fixtures.js';

async function signedInTreasurer(api: TestApp): Promise<PageClient> {
  const browser = new PageClient(api);
  await browser.signInWithToken(api.tokens.treasurer);
  return browser;
}

/** The one-time id of the page's first form. */
function formIdIn(html: string): string {
  const id = /name="_formulier" value="([^"]*)"/.exec(html)?.[1];
  if (!id) throw new Error('no _formulier field in the page');
  return id;
}

/** Opens the form's page and posts it with its own CSRF token and form id, as a browser would. */
async function postForm(browser: PageClient, page: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  const form = await browser.get(page);
  return browser.postForm(action, { ...fields, _csrf: csrfTokenIn(form.body), _formulier: formIdIn(form.body) });
}

/** The input or select with this id, as rendered. */
function control(html: string, id: string): string {
  const match = new RegExp(`<(input|select)[^>]*id="${id}"[^>]*>`).exec(html);
  if (!match) throw new Error(`no control ${id} in the page`);
  return match[0];
}

/** The field's error text, tied to the control by aria-describedby and marked aria-invalid. */
function fieldError(t: Test, html: string, id: string): string {
  const input = control(html, id);
  t.match(input, /aria-invalid="true"/, `${id} is marked invalid`);
  t.match(input, new RegExp(`aria-describedby="[^"]*${id}-fout`), `${id} is described by its error`);
  return new RegExp(`id="${id}-fout"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '';
}

/** The log's last position: unchanged means nothing was written. */
async function eventCount(api: TestApp): Promise<string | undefined> {
  return api.store.lastPosition();
}

async function eventsOf(api: TestApp, stream: string): Promise<Array<{ type: string; data: unknown }>> {
  const events: Array<{ type: string; data: unknown }> = [];
  for await (const event of api.store.readStream(stream, 0)) events.push({ type: event.type, data: event.data });
  return events;
}

async function followNotice(browser: PageClient, response: LightMyRequestResponse): Promise<string> {
  const location = response.headers.location as string;
  const page = await browser.get(location);
  return /role="status"[^>]*><p[^>]*>([^<]*)</.exec(page.body)?.[1] ?? '';
}

t.test('a treasurer lands on /penningmeester and sees the overdue report and the money to allocate', async (t) => {
  const { api, mitrosInvoice } = await pageWorld(t);
  await api.request(api.tokens.treasurer, { method: 'POST', url: '/payments/received', payload: { date: '2020-03-01', amount: '75.00', payerName: 'Buurman', description: 'gift', allocations: [] } });
  const browser = new PageClient(api);
  const signIn = await browser.signInWithToken(api.tokens.treasurer);
  t.equal(signIn.headers.location, '/penningmeester');
  const page = await browser.get('/penningmeester');
  t.equal(page.statusCode, 200);
  const overdue = (await api.get(api.tokens.treasurer, '/reports/overdue')).json() as Array<{ number: string; daysOverdue: number; openAmount: string }>;
  t.equal(overdue.length, 2, "Mitros' 200.00 and Portaal's 999.00");
  t.equal(overdue.find((row) => row.number === mitrosInvoice.number)?.daysOverdue, 37, '7 February to 15 March');
  for (const row of overdue) {
    const [whole, cents] = row.openAmount.split('.');
    const tableRow = new RegExp(`<th[^>]*scope="row">${row.number}</th>(.*?)</tr>`).exec(page.body)?.[1] ?? '';
    t.match(tableRow, `>${row.daysOverdue}<`, `${row.number}: days overdue as the API counts them`);
    t.match(tableRow, `€ ${whole},${cents}`, `${row.number}: the open amount`);
  }
  const unallocated = (await api.get(api.tokens.treasurer, '/payments/unallocated')).json() as Array<{ id: string }>;
  t.equal(unallocated.length, 1);
  t.match(page.body, `action="/penningmeester/betalingen/${unallocated[0]!.id}/toewijzing"`, 'an allocate form per receipt');
  t.match(page.body, /Buurman/);
  t.match(page.body, /enctype="multipart\/form-data"/, 'the bank-statement upload');
});

t.test('the invoice form issues an invoice through the API command, and a refusal keeps the input', async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInTreasurer(api);
  const form = '/penningmeester/invoeren/factuur';
  const before = await eventCount(api);
  const refused = await postForm(browser, form, form, {
    financier: 'portaal',
    kamer: 'top',
    year: '2020',
    'lines.0.description': 'Huur zaal',
    'lines.0.amount': '12,345',
    'lines.2.description': 'Koffie',
    'lines.2.amount': 'veel',
  });
  t.equal(refused.statusCode, 422);
  t.equal(await eventCount(api), before, 'nothing written');
  t.equal(fieldError(t, refused.body, 'factuur-lines-0-amount'), nl.validation.amount);
  t.equal(fieldError(t, refused.body, 'factuur-lines-2-amount'), nl.validation.amount, 'the third row, though the body had it second');
  t.match(control(refused.body, 'factuur-lines-0-description'), /value="Huur zaal"/, 'typed values kept');
  t.match(control(refused.body, 'factuur-lines-0-amount'), /value="12,345"/);
  t.match(refused.body, /<option value="portaal" selected/);

  const issued = await postForm(browser, form, form, { financier: 'portaal', kamer: 'top', year: '2020', 'lines.0.description': 'Huur zaal', 'lines.0.amount': '1.234,50' });
  t.equal(issued.statusCode, 303);
  t.equal(issued.headers.location, '/penningmeester/invoeren');
  const invoices = (await api.get(api.tokens.treasurer, '/invoices?financier=portaal')).json() as Array<{ number: string; total: string }>;
  const last = invoices.at(-1)!;
  t.equal(last.total, '1234.50', 'the Dutch amount, exactly');
  t.equal(await followNotice(browser, issued), nl.treasurer.done.invoice(last.number, '€ 1.234,50'));
  t.equal(await followNotice(browser, { headers: { location: '/penningmeester/invoeren' } } as unknown as LightMyRequestResponse), '', 'the confirmation shows once');
});

t.test('a form sent twice (a double click, a resent page) is saved once and confirmed again', async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInTreasurer(api);
  const path = '/penningmeester/invoeren/factuur';
  const page = await browser.get(path);
  const fields = { financier: 'portaal', kamer: 'top', year: '2020', 'lines.0.description': 'Huur', 'lines.0.amount': '40', _csrf: csrfTokenIn(page.body), _formulier: formIdIn(page.body) };
  const first = await browser.postForm(path, fields);
  t.equal(first.statusCode, 303);
  const notice = await followNotice(browser, first);
  const after = await eventCount(api);
  const second = await browser.postForm(path, fields);
  t.equal(second.statusCode, 303);
  t.equal(await followNotice(browser, second), notice, 'the first confirmation again');
  t.equal(await eventCount(api), after, 'nothing written the second time');
  const invoices = (await api.get(api.tokens.treasurer, '/invoices?financier=portaal')).json() as Array<{ total: string }>;
  t.same(invoices.map((invoice) => invoice.total), ['999.00', '40.00'], 'one invoice of 40.00');
  const changed = await browser.postForm(path, { ...fields, 'lines.0.amount': '41' });
  t.equal(changed.statusCode, 422, 'the same form id with other fields');
  t.match(changed.body, nl.rules.IDEMPOTENCY_KEY_REUSED);
  t.equal(await eventCount(api), after);
  const fresh = await postForm(browser, path, path, { financier: 'portaal', kamer: 'top', year: '2020', 'lines.0.description': 'Huur', 'lines.0.amount': '40' });
  t.equal(fresh.statusCode, 303, 'a newly drawn form is a new invoice');
  t.not(await eventCount(api), after);
});

t.test("a rule's refusal is the Dutch text of its code at the field it names", async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInTreasurer(api);
  const form = '/penningmeester/invoeren/factuur';
  const before = await eventCount(api);
  const refused = await postForm(browser, form, form, { financier: 'portaal', kamer: 'nergens', year: '2020', 'lines.0.description': 'Huur', 'lines.0.amount': '10' });
  t.equal(refused.statusCode, 422);
  t.equal(fieldError(t, refused.body, 'factuur-kamer'), nl.rules.UNKNOWN_KAMER);
  t.match(refused.body, /role="alert"/);
  t.equal(await eventCount(api), before);
});

t.test('the room and financier forms register, a second submit of the same room is refused and writes nothing', async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInTreasurer(api);
  const kamerForm = '/penningmeester/invoeren/kamer';
  const registered = await postForm(browser, kamerForm, kamerForm, { id: 'oost', name: 'Kamer Oost', teamLeaderIban: 'NL91 ABNA 0417 1643 00' });
  t.equal(registered.statusCode, 303);
  t.equal(await followNotice(browser, registered), nl.treasurer.done.kamer('Kamer Oost'));
  const after = await eventCount(api);
  const again = await postForm(browser, kamerForm, kamerForm, { id: 'oost', name: 'Kamer Oost' });
  t.equal(again.statusCode, 422);
  t.equal(fieldError(t, again.body, 'kamer-id'), nl.rules.DUPLICATE_ID);
  t.equal(await eventCount(api), after, 'the double submit wrote nothing');

  const financierForm = '/penningmeester/invoeren/financier';
  const badIban = await postForm(browser, financierForm, financierForm, { id: 'fonds', name: 'Het Fonds', kind: 'fund', pays: 'invoice', iban: 'NL00 0000', 'address.street': 'Laan 1' });
  t.equal(badIban.statusCode, 422);
  t.equal(fieldError(t, badIban.body, 'financier-iban'), nl.validation.iban);
  t.equal(fieldError(t, badIban.body, 'financier-address-postcode'), nl.validation.required, 'a half address names what is missing');
  t.match(control(badIban.body, 'financier-address-street'), /value="Laan 1"/);
  const financier = await postForm(browser, financierForm, financierForm, { id: 'fonds', name: 'Het Fonds', kind: 'fund', pays: 'invoice', 'address.street': 'Laan 1', 'address.postcode': '1234ab', 'address.city': 'Utrecht' });
  t.equal(financier.statusCode, 303);
  const [event] = await eventsOf(api, 'financier-fonds');
  t.equal(event?.type, 'FinancierRegistered');
  t.same((event?.data as { address?: unknown }).address, { street: 'Laan 1', postcode: '1234 AB', city: 'Utrecht', country: 'NL' }, 'normalised by the API schema');
});

t.test('the credit note, payment and volunteer-hours forms: success and refusal', async (t) => {
  const { api, mitrosInvoice } = await pageWorld(t);
  const browser = await signedInTreasurer(api);
  const credit = '/penningmeester/invoeren/creditnota';
  const tooMuch = await postForm(browser, credit, credit, { invoice: mitrosInvoice.number, amount: '500', reason: 'Te veel' });
  t.equal(tooMuch.statusCode, 422);
  t.equal(fieldError(t, tooMuch.body, 'creditnota-amount'), nl.rules.CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT);
  const unknown = await postForm(browser, credit, credit, { invoice: '2020-9999', reason: 'x' });
  t.equal(fieldError(t, unknown.body, 'creditnota-invoice'), nl.rules.UNKNOWN_INVOICE);
  const credited = await postForm(browser, credit, credit, { invoice: mitrosInvoice.number, amount: '50,00', reason: 'Korting' });
  t.equal(credited.statusCode, 303);
  t.match(await followNotice(browser, credited), new RegExp(`op factuur ${mitrosInvoice.number} is gemaakt`));

  const payment = '/penningmeester/invoeren/betaling';
  const noDate = await postForm(browser, payment, payment, { amount: '150', description: `Factuur ${mitrosInvoice.number}` });
  t.equal(noDate.statusCode, 422);
  t.equal(fieldError(t, noDate.body, 'betaling-date'), nl.validation.required);
  t.match(control(noDate.body, 'betaling-description'), new RegExp(`value="Factuur ${mitrosInvoice.number}"`));
  const paid = await postForm(browser, payment, payment, { date: '2020-03-10', amount: '150', payerName: 'Mitros', description: `Factuur ${mitrosInvoice.number}`, bankReference: 'REF-1' });
  t.equal(paid.statusCode, 303);
  t.equal(await followNotice(browser, paid), nl.treasurer.done.payment('€ 150,00', 1), 'matched by the number in the description, as the API does');
  const invoice = (await api.get(api.tokens.treasurer, `/invoices/${mitrosInvoice.id}`)).json() as { openAmount: string };
  t.equal(invoice.openAmount, '0.00', '200.00 − 50.00 credited − 150.00 paid');
  const after = await eventCount(api);
  const repeat = await postForm(browser, payment, payment, { date: '2020-03-10', amount: '150', bankReference: 'REF-1' });
  t.equal(repeat.statusCode, 422, 'the same bank reference twice');
  t.equal(fieldError(t, repeat.body, 'betaling-bankReference'), nl.rules.DUPLICATE_ID);
  t.equal(await eventCount(api), after);

  const hours = '/penningmeester/invoeren/uren';
  const future = await postForm(browser, hours, hours, { kamer: 'top', volunteer: 'V-017', date: '2020-04-01', hours: '2,5', kind: 'resident' });
  t.equal(future.statusCode, 422);
  t.equal(fieldError(t, future.body, 'uren-date'), nl.rules.VOLUNTEER_HOURS_IN_FUTURE);
  t.match(control(future.body, 'uren-hours'), /value="2,5"/);
  const recorded = await postForm(browser, hours, hours, { kamer: 'top', volunteer: 'V-017', date: '2020-03-01', hours: '2,5', kind: 'resident' });
  t.equal(recorded.statusCode, 303);
  t.equal(await followNotice(browser, recorded), nl.treasurer.done.hours('2,5', 'top'));
});

t.test('allocating a receipt from the overview, and a refused allocation shown at that receipt', async (t) => {
  const { api, mitrosInvoice } = await pageWorld(t);
  const received = await api.request(api.tokens.treasurer, { method: 'POST', url: '/payments/received', payload: { date: '2020-03-01', amount: '300.00', payerName: 'Mitros', allocations: [] } });
  const paymentId = received.json().id as string;
  const browser = await signedInTreasurer(api);
  const action = `/penningmeester/betalingen/${paymentId}/toewijzing`;
  const before = await eventCount(api);
  const tooMuch = await postForm(browser, '/penningmeester', action, { invoice: mitrosInvoice.number, amount: '250,00' });
  t.equal(tooMuch.statusCode, 422);
  t.equal(fieldError(t, tooMuch.body, 'toewijzing-1-amount'), nl.rules.ALLOCATION_EXCEEDS_INVOICE);
  t.match(control(tooMuch.body, 'toewijzing-1-invoice'), new RegExp(`value="${mitrosInvoice.number}"`));
  const neither = await postForm(browser, '/penningmeester', action, { amount: '10' });
  t.equal(fieldError(t, neither.body, 'toewijzing-1-invoice'), nl.validation.oneOfInvoicePledge);
  t.equal(await eventCount(api), before);
  const allocated = await postForm(browser, '/penningmeester', action, { invoice: mitrosInvoice.number, amount: '200,00' });
  t.equal(allocated.statusCode, 303);
  t.equal(await followNotice(browser, allocated), nl.treasurer.done.allocation('€ 200,00', mitrosInvoice.number));
  const left = (await api.get(api.tokens.treasurer, '/payments/unallocated')).json() as Array<{ unallocated: string }>;
  t.same(left.map((row) => row.unallocated), ['100.00']);
});

t.test('a bank statement uploaded from the overview is imported by the API command', async (t) => {
  const { api, mitrosInvoice } = await pageWorld(t);
  await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative/bank-accounts', payload: { accounts: [CRAFTED_ACCOUNT] } });
  const browser = await signedInTreasurer(api);
  const upload = async (content: string, fields: Record<string, string> = {}) => {
    const page = await browser.get('/penningmeester');
    return browser.postMultipart('/penningmeester/bankafschrift', { _csrf: csrfTokenIn(page.body), _formulier: formIdIn(page.body), ...fields }, { field: 'statement', name: 'afschrift.xml', type: 'text/xml', content });
  };
  const before = await eventCount(api);
  const garbage = await upload('<niet-xml');
  t.equal(garbage.statusCode, 400, 'malformed: 400, as the API');
  t.equal(fieldError(t, garbage.body, 'bank-statement'), nl.rules.BANK_STATEMENT_INVALID);
  t.equal(await eventCount(api), before);
  const xml = craftedStatement([
    { amount: '200.00', debtorName: 'Mitros', remittance: [`Factuur ${mitrosInvoice.number}`], accountServicerReference: 'B-1', bookingDate: '2020-03-02' },
    { amount: '20.00', debtorName: 'Buurman', remittance: ['gift'], accountServicerReference: 'B-2', bookingDate: '2020-03-02' },
  ]);
  const imported = await upload(xml, { acceptDifference: 'true' });
  t.equal(imported.statusCode, 303, imported.body.slice(0, 400));
  t.equal(await followNotice(browser, imported), nl.treasurer.bankDone(2, 1, 0, 0));
  const again = await upload(xml, { acceptDifference: 'true' });
  t.equal(await followNotice(browser, again), nl.treasurer.bankDone(0, 0, 2, 0), 'a second upload books nothing twice');
});

t.test('the rooms page: budget against spending with the funding gap, petty cash per month, and a transfer', async (t) => {
  const { api } = await pageWorld(t);
  await api.request(api.tokens.treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: { lines: [{ line: 'huur', label: 'Huur', amount: '6000.00' }, { line: 'activiteiten', label: 'Activiteiten', amount: '4000.00' }] } });
  const browser = await signedInTreasurer(api);
  const page = await browser.get('/penningmeester/kamers?jaar=2020');
  t.equal(page.statusCode, 200);
  const budget = (await api.get(api.tokens.treasurer, '/kamers/top/budget/2020')).json() as { fundingGap: string; budget: { total: string } };
  t.equal(budget.budget.total, '10000.00');
  t.equal(budget.fundingGap, '2000.00', '10000 − 3000 (Mitros) − 5000 (Portaal) committed');
  t.match(page.body, /Huur/);
  t.match(page.body, /€ 10\.000,00/);
  t.match(page.body, /€ 2\.000,00/, 'the funding gap as the API computes it');
  t.match(page.body, /maart/);

  const action = '/penningmeester/kamers/top/handgeld';
  const before = await eventCount(api);
  const over = await postForm(browser, '/penningmeester/kamers?jaar=2020', action, { date: '2020-03-02', amount: '300' });
  t.equal(over.statusCode, 422);
  t.equal(fieldError(t, over.body, 'handgeld-top-amount'), nl.rules.PETTY_CASH_MONTHLY_LIMIT);
  t.match(control(over.body, 'handgeld-top-date'), /value="2020-03-02"/);
  t.equal(await eventCount(api), before);
  const sent = await postForm(browser, '/penningmeester/kamers?jaar=2020', action, { date: '2020-03-02', amount: '150' });
  t.equal(sent.statusCode, 303);
  t.equal(sent.headers.location, '/penningmeester/kamers?jaar=2020');
  t.equal(await followNotice(browser, sent), nl.treasurer.done.transfer('€ 150,00', 'top', '2020-03'));
  const pettyCash = (await api.get(api.tokens.treasurer, '/kamers/top/petty-cash?year=2020')).json() as { months: Array<{ month: string; transferred: string }> };
  t.equal(pettyCash.months.find((month) => month.month === '2020-03')?.transferred, '150.00');
});

t.test('a form posted without its CSRF token is refused and writes nothing', async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInTreasurer(api);
  const before = await eventCount(api);
  const refused = await browser.postForm('/penningmeester/invoeren/kamer', { id: 'west', name: 'West' });
  t.equal(refused.statusCode, 403);
  t.match(refused.body, /formulier is verlopen/);
  const forged = await browser.postForm('/penningmeester/kamers/top/handgeld', { date: '2020-03-02', amount: '10', _csrf: 'vervalst' });
  t.equal(forged.statusCode, 403);
  t.equal(await eventCount(api), before);
});

t.test("the treasurer's pages are the treasurer's only", async (t) => {
  const { api } = await pageWorld(t);
  const financier = new PageClient(api);
  await financier.signInWithToken(api.tokens.financier('mitros'));
  for (const path of ['/penningmeester', '/penningmeester/kamers', '/penningmeester/invoeren/factuur']) {
    const page = await financier.get(path);
    t.equal(page.statusCode, 403, path);
    t.match(page.body, /geen toegang/);
  }
  const ownPage = await financier.get('/financier');
  const before = await eventCount(api);
  const post = await financier.postForm('/penningmeester/invoeren/kamer', { id: 'west', name: 'West', _csrf: csrfTokenIn(ownPage.body) });
  t.equal(post.statusCode, 403);
  t.equal(await eventCount(api), before);
  const anonymous = await new PageClient(api).get('/penningmeester');
  t.equal(anonymous.statusCode, 303, 'no session: to the sign-in page');
});

t.test('a room named with <script> renders as inert text', async (t) => {
  const { api } = await pageWorld(t);
  const browser = await signedInTreasurer(api);
  const form = '/penningmeester/invoeren/kamer';
  const name = '<script>alert("x")</script> & Co';
  const registered = await postForm(browser, form, form, { id: 'xss', name });
  t.equal(registered.statusCode, 303);
  for (const path of ['/penningmeester/invoeren', '/penningmeester/kamers?jaar=2020', '/penningmeester/invoeren/uren']) {
    const html = (await browser.get(path)).body;
    t.notMatch(html, /<script/i, path);
    // preact escapes < and & in text (enough to keep it text); > may stay as it is.
    t.match(html, /&lt;script(&gt;|>)alert\(&quot;x&quot;\)&lt;\/script(&gt;|>) &amp; Co/, `${path} shows the name as text`);
  }
  const refused = await postForm(browser, form, form, { id: 'xss', name });
  t.notMatch(refused.body, /<script/i, 'a kept value is escaped as well');
});

t.test('the Dutch rules catalogue covers every code, falls back with the code, and English has the same keys', async (t) => {
  for (const code of DOMAIN_ERROR_CODES) {
    t.ok(nl.rules[code], `nl has ${code}`);
    t.ok(en.rules[code], `en has ${code}`);
  }
  t.equal(ruleText(nl, 'SOME_NEW_RULE'), 'Dit kon niet worden opgeslagen (regel SOME_NEW_RULE).');
  t.same(Object.keys(en.treasurer).sort(), Object.keys(nl.treasurer).sort());
});

t.test("a room whose budget the API refuses to value (no volunteer rate) says so, and the other figures still show", async (t) => {
  const { api } = await pageWorld(t);
  const hours = await api.request(api.tokens.treasurer, { method: 'POST', url: '/kamers/top/volunteer-hours', payload: { volunteer: 'V-1', date: '2020-03-01', hours: '3.00', kind: 'resident' } });
  t.equal(hours.statusCode, 201);
  const refused = await api.get(api.tokens.treasurer, '/kamers/top/budget/2020');
  t.equal(refused.json().code, 'VALUATION_RATE_MISSING', 'the API refuses the read');
  const browser = await signedInTreasurer(api);
  const page = await browser.get('/penningmeester/kamers?jaar=2020');
  t.equal(page.statusCode, 200);
  t.match(page.body, nl.rules.VALUATION_RATE_MISSING);
  t.match(page.body, nl.treasurer.pettyCash('TOP', 2020), 'petty cash still shown');
});
