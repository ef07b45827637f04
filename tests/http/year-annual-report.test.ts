/**
 * The annual report among a closed year's reproducible files (issue 12, item 4): the closing
 * records the SHA-256 of the whole cooperative's annual report PDF, and for the closed year
 * GET /reports/annual/:year/report.pdf serves exactly those bytes, whatever is recorded later and
 * whatever the clock says. The JSON report and a financier's own report of a closed year are read
 * from the same cut.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import type { TestApp } from '../helpers/app.js';
import { pdfText } from '../documents/pdf-helpers.js';
import { COOPERATIVE, PORTAAL_DETAILS, setCooperative } from './parties.fixtures.js';
import { close, view, year2020 } from './years.fixtures.js';

const PDF = '/reports/annual/2020/report.pdf';
const JSON_REPORT = '/reports/annual/2020';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface InvoiceRow {
  number: string;
  total: string;
  paidOn: string | null;
  openAmount: string;
}
interface Report {
  financier: string | null;
  referenceDate: string;
  financiers: Array<{ financier: string; name: string; invoiced: string; paid: string; open: string; invoices: InvoiceRow[] }>;
  totals: { invoiced: string; received: string };
}

const recordedAnnualReport = async (api: TestApp): Promise<string | undefined> =>
  (await view(api)).closing?.files.find((file) => file.name === 'annual-report.pdf')?.sha256;

/** What happens after the close, none of it dated in 2020, each of which changes the live 2020 report or could. */
async function laterWrites(api: TestApp): Promise<void> {
  api.clock.set('2021-09-01T12:00:00Z');
  const writes = [
    // The rest of the 2020 invoice, paid in 2021: the live report now shows it paid.
    api.post(api.tokens.treasurer, '/payments/received', { date: '2021-03-01', amount: '600.00', allocations: [{ invoice: '2020-0001', amount: '600.00' }] }),
    api.request(api.tokens.treasurer, { method: 'PUT', url: '/financiers/portaal/details', payload: PORTAAL_DETAILS }),
    api.post(api.tokens.treasurer, '/financiers', { id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' }),
    // The report's author is the cooperative's name: the live report now carries the new one.
    api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative', payload: { ...COOPERATIVE, name: 'Buurtwerkkamers Utrecht U.A.' } }),
  ];
  for (const write of writes) {
    const response = await write;
    if (response.statusCode !== 201) throw new Error(`a later write failed: ${response.body}`);
  }
}

t.test('the closing records the annual report PDF; a closed year serves those bytes after later writes and a clock change', async (t) => {
  const { api } = await year2020(t);
  await setCooperative(api);
  await close(api);
  const recorded = await recordedAnnualReport(api);
  t.match(recorded, /^[0-9a-f]{64}$/, 'YearClosed lists the annual report with its SHA-256');

  const first = await api.get(api.tokens.accountant, PDF);
  t.equal(first.statusCode, 200, 'the closed year\'s PDF is served');
  t.equal(first.headers['content-type'], 'application/pdf');
  t.equal(sha256(first.rawPayload), recorded, 'the served PDF hashes to the recorded SHA-256');
  t.ok((await api.get(api.tokens.accountant, PDF)).rawPayload.equals(first.rawPayload), 'asked again: the same bytes');
  const closedJson = (await api.get(api.tokens.accountant, JSON_REPORT)).json() as Report;
  t.equal(closedJson.referenceDate, '2020-12-31', 'judged on the last day of the year');
  t.match(closedJson.financiers.find((row) => row.financier === 'portaal'), { paid: '400.00', open: '600.00' }, 'at the close, 600.00 of the invoice is open');

  await laterWrites(api);

  // The live books (asked with a cut) did move: the later writes are not idle.
  const live = (await api.get(api.tokens.accountant, `${JSON_REPORT}?knownAt=2021-09-01T12:00:00Z`)).json() as Report;
  t.match(live.financiers.find((row) => row.financier === 'portaal')?.invoices, [{ number: '2020-0001', paidOn: '2021-03-01' }], 'the live report sees the 2021 payment');
  const livePdf = await api.get(api.tokens.accountant, `${PDF}?knownAt=2021-09-01T12:00:00Z`);
  t.match(await pdfText(livePdf.rawPayload), /Buurtwerkkamers Utrecht U\.A\./, "the live PDF carries the cooperative's new name");
  t.notOk(livePdf.rawPayload.equals(first.rawPayload), 'so the live PDF differs from the closed one');

  // The closed year does not.
  for (const token of [api.tokens.accountant, api.tokens.treasurer, api.tokens.kascommissie]) {
    const again = await api.get(token, PDF);
    t.equal(again.statusCode, 200, 'served to the accountant, the treasurer and the kascommissie');
    t.ok(again.rawPayload.equals(first.rawPayload), 'byte-identical after the later writes, on another day');
    t.equal(sha256(again.rawPayload), recorded);
  }
  const text = await pdfText(first.rawPayload);
  t.match(text, new RegExp(COOPERATIVE.name.replace(/\./g, '\\.')), 'the closed PDF keeps the name the cooperative had at the close');
  t.notMatch(text, /Buurtwerkkamers Utrecht/);
  t.same((await api.get(api.tokens.accountant, JSON_REPORT)).json(), closedJson, 'the JSON report of the closed year is read from the same cut');
  t.same((await view(api)).closing?.files.find((file) => file.name === 'annual-report.pdf')?.sha256, recorded, 'the record itself is unchanged');
});

t.test("a financier's own report of a closed year is read from the closing's cut too", async (t) => {
  const { api } = await year2020(t);
  await close(api);
  const closedWhole = (await api.get(api.tokens.accountant, JSON_REPORT)).json() as Report;
  await laterWrites(api);
  const own = await api.get(api.tokens.financier('portaal'), JSON_REPORT);
  t.equal(own.statusCode, 200, "the financier's own JSON report is served");
  const report = own.json() as Report;
  t.equal(report.financier, 'portaal', 'a financier token gets its own report');
  t.same(report.financiers, closedWhole.financiers.filter((row) => row.financier === 'portaal'), 'its figures as the closed whole report shows them, not the 2021 payment');
  const ownPdf = await api.get(api.tokens.financier('portaal'), PDF);
  t.equal(ownPdf.statusCode, 200, "the financier's own PDF is served");
  t.notOk(ownPdf.rawPayload.equals((await api.get(api.tokens.accountant, PDF)).rawPayload), "the financier's PDF is its own, not the recorded whole report");
  t.match(await pdfText(ownPdf.rawPayload), /Portaal/);
  t.equal((await api.get(api.tokens.financier('doen'), `${JSON_REPORT}?financier=portaal`)).statusCode, 403, "another financier's report stays a 403");
  const registeredLater = await api.get(api.tokens.financier('mitros'), JSON_REPORT);
  t.equal(registeredLater.statusCode, 404, 'a financier registered after the close has no report of the closed year');
  t.equal((await api.get(api.tokens.financier('mitros'), `${JSON_REPORT}?knownAt=2021-09-01T12:00:00Z`)).statusCode, 200, 'though the live books know it');
});

t.test('reopened and closed again, the year records and serves a new annual report from the new cut', async (t) => {
  const { api } = await year2020(t);
  await close(api);
  const firstRecorded = await recordedAnnualReport(api);
  const firstPdf = (await api.get(api.tokens.accountant, PDF)).rawPayload;
  await laterWrites(api);

  const reopened = await api.post(api.tokens.accountant, '/years/2020/reopen', { reason: 'de naam van de coöperatie' });
  t.equal(reopened.statusCode, 201, 'the accountant reopens the year');
  const open = (await api.get(api.tokens.accountant, PDF)).rawPayload;
  t.notOk(open.equals(firstPdf), 'an open year is the live books: the later writes show');
  await close(api);

  const secondRecorded = await recordedAnnualReport(api);
  t.not(secondRecorded, firstRecorded, 'the new closing cut the report anew');
  const second = (await api.get(api.tokens.accountant, PDF)).rawPayload;
  t.equal(sha256(second), secondRecorded, 'and serves what it recorded');
  t.match(await pdfText(second), /Buurtwerkkamers Utrecht U\.A\./, 'with what was recorded before the new close');
});

t.test('a year whose volunteer hours have no valuation rate cannot be closed: its annual report cannot be made', async (t) => {
  const { api } = await year2020(t);
  api.clock.set('2020-06-20T10:00:00Z');
  const hours = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', { volunteer: 'v-001', date: '2020-06-10', hours: '2.5', kind: 'resident' });
  t.equal(hours.statusCode, 201, 'hours recorded in 2020');
  api.clock.set('2021-02-01T10:00:00Z');
  t.equal((await api.post(api.tokens.kascommissie, '/years/2020/checks', { remarks: 'nagekeken' })).statusCode, 201);
  t.equal((await api.post(api.tokens.accountant, '/years/2020/approval', {})).statusCode, 201);
  const before = (await api.allEvents()).length;
  const refused = await api.post(api.tokens.treasurer, '/years/2020/close', {});
  t.equal(refused.statusCode, 422);
  t.match(refused.json(), { code: 'VALUATION_RATE_MISSING', detail: /resident hours in 2020/ });
  t.equal((await api.allEvents()).length, before, 'nothing written');
  t.equal((await view(api)).status, 'approved', 'the year stays approved');

  t.equal((await api.post(api.tokens.treasurer, '/valuation-rates', { year: 2020, kind: 'resident', perHour: '10.00' })).statusCode, 201, 'the rate is set');
  t.equal((await api.post(api.tokens.treasurer, '/years/2020/close', {})).statusCode, 201, 'then the year closes');
  const report = (await api.get(api.tokens.accountant, JSON_REPORT)).json() as { rooms: Array<{ kamer: string; volunteers: { value: string } }> };
  t.equal(report.rooms.find((room) => room.kamer === 'top')?.volunteers.value, '25.00', "2.5 hours at 10.00: the closed report values them");
});
