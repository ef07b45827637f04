/**
 * GET /financiers/:id/statement.pdf (issue 10, item 6): the four-week check on paper. The
 * figures printed are the financier position's, computed here from the inputs.
 */
import t from 'tap';
import { euro } from '../../src/documents/format.js';
import { assertRefused, issue, makePledge, receivablesApp } from './receivables.fixtures.js';
import { COOPERATIVE, PORTAAL_DETAILS, setCooperative, setFinancierDetails } from './parties.fixtures.js';
import { pdfText } from '../documents/pdf-helpers.js';

async function world(t: Parameters<typeof receivablesApp>[0]) {
  const api = await receivablesApp(t, { start: '2020-01-06T10:00:00Z' });
  await setCooperative(api);
  await setFinancierDetails(api, 'portaal', PORTAAL_DETAILS);
  await makePledge(api, { amount: '5000.00', reference: 'TZ-2020-1' });
  // Invoice A, 6 January, due 3 February, paid on 20 January: 14 days, on time.
  const a = (await issue(api, { issueDate: '2020-01-06', lines: [{ description: 'Eerste termijn', amount: '1000.00' }] })).json() as { number: string };
  // Invoice B, 6 January, due 3 February, paid 400.00 on 1 March: late, partly.
  const b = (await issue(api, { issueDate: '2020-01-06', lines: [{ description: 'Tweede termijn', amount: '600.00' }] })).json() as { number: string };
  // Invoice C, 2 March, due 30 March, not paid.
  api.clock.set('2020-03-02T10:00:00Z');
  const c = (await issue(api, { issueDate: '2020-03-02', lines: [{ description: 'Derde termijn', amount: '250.00' }] })).json() as { number: string };
  api.clock.set('2020-04-15T10:00:00Z');
  const pay = (date: string, amount: string, invoice: string) => api.post(api.tokens.treasurer, '/payments/received', { date, amount, allocations: [{ invoice, amount }] });
  await pay('2020-01-20', '1000.00', a.number);
  await pay('2020-03-01', '400.00', b.number);
  return { api, a: a.number, b: b.number, c: c.number };
}

t.test("a financier's statement prints its pledges, each invoice's dates, days to pay, on time or late, and the totals", async (t) => {
  const { api, a, b, c } = await world(t);
  const response = await api.get(api.tokens.treasurer, '/financiers/portaal/statement.pdf?year=2020&asOf=2020-04-15');
  t.equal(response.statusCode, 200, response.body.slice(0, 200));
  t.match(response.headers['content-type'], /^application\/pdf/);
  const text = (await pdfText(response.rawPayload)).replace(/\s+/g, ' ');
  const expected = [
    'Overzicht 2020',
    'Stand per 15 april 2020',
    'Portaal',
    PORTAAL_DETAILS.address.street,
    `KvK ${COOPERATIVE.kvkNumber}`,
    // the pledge
    'TOP toegezegd geld TZ-2020-1 € 5.000,00',
    // A: issued 6 Jan, due 6 Jan + 28 = 3 Feb, paid 20 Jan = 14 days, on time, nothing open
    `${a} TOP 06-01-2020 03-02-2020 € 1.000,00 20-01-2020 14 ja € 0,00`,
    // B: 400 of 600 paid on 1 March (55 days after 6 January): late, 200 open
    `${b} TOP 06-01-2020 03-02-2020 € 600,00`,
    // C: 2 March + 28 = 30 March, unpaid on 15 April: overdue
    `${c} TOP 02-03-2020 30-03-2020 € 250,00`,
    `Toegezegd ${euro('5000.00')}`,
    `Gefactureerd ${euro('1850.00')}`,
    `Betaald ${euro('1400.00')}`,
    // open = 200.00 (B) + 250.00 (C); both past their due date on 15 April
    `Openstaand ${euro('450.00')}`,
    `Waarvan achterstallig ${euro('450.00')}`,
  ];
  for (const field of expected) t.ok(text.includes(field), `prints ${field}`);
  t.match(text, new RegExp(`${c} TOP 02-03-2020 30-03-2020 € 250,00 te laat € 250,00`), 'C is unpaid and past due');
  const again = await api.get(api.tokens.accountant, '/financiers/portaal/statement.pdf?year=2020&asOf=2020-04-15');
  t.ok(again.rawPayload.equals(response.rawPayload), 'the same cut renders the same bytes');
});

t.test('the statement is the financier\'s own: another financier gets 404, a team leader 403; unknown financier 404', async (t) => {
  const { api } = await world(t);
  t.equal((await api.get(api.tokens.financier('portaal'), '/financiers/portaal/statement.pdf?year=2020')).statusCode, 200);
  assertRefused(t, await api.get(api.tokens.financier('doen'), '/financiers/portaal/statement.pdf?year=2020'), 404, 'NOT_FOUND');
  assertRefused(t, await api.get(api.tokens.teamleader('top'), '/financiers/portaal/statement.pdf?year=2020'), 403, 'FORBIDDEN');
  assertRefused(t, await api.get(api.tokens.treasurer, '/financiers/nobody/statement.pdf?year=2020'), 404, 'NOT_FOUND');
  assertRefused(t, await api.get(api.tokens.treasurer, '/financiers/portaal/statement.pdf'), 400, 'VALIDATION_FAILED', 'querystring.year');
});

t.test("without the cooperative's details the statement is a 422 naming them", async (t) => {
  const api = await receivablesApp(t);
  assertRefused(t, await api.get(api.tokens.treasurer, '/financiers/portaal/statement.pdf?year=2020'), 422, 'DOCUMENT_DETAILS_MISSING', 'supplier');
});
