/**
 * GET /invoices/:id/document.xml: the Peppol BIS Billing 3.0 e-invoice of an issued invoice or
 * credit note, through the real app. The three documents (a municipality with its buyer
 * reference, a housing corporation, a credit note) pass both Peppol rule sets with no failed
 * assert; who may read them; and the 422s that name what is missing.
 */
import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { describeFailures, validatePeppol } from '../helpers/peppol.js';
import { PORTAAL_DETAILS, setCooperative, setFinancierDetails } from './parties.fixtures.js';
import { record, streams } from './receivables.fixtures.js';

// Three documents go through both rule sets, a few seconds each.
t.setTimeout(300_000);

const UTRECHT_OIN = '00000001002220647000';

async function ok(api: TestApp, url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await api.post(api.tokens.treasurer, url, body);
  if (response.statusCode !== 201) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

interface World {
  readonly api: TestApp;
  readonly municipalityInvoice: Record<string, unknown>;
  readonly portaalInvoice: Record<string, unknown>;
  readonly creditNote: Record<string, unknown>;
}

/** The cooperative's details set; a municipality (OIN, buyer reference required) and Portaal (KvK) with theirs. */
async function world(t: Test, options: { cooperative?: boolean } = {}): Promise<World> {
  const api = await createTestApp(t, { start: '2020-06-15T10:00:00Z' });
  await ok(api, '/kamers', { id: 'top', name: 'TOP' });
  await ok(api, '/financiers', {
    id: 'utrecht',
    name: 'Gemeente Utrecht',
    kind: 'municipality',
    pays: 'invoice',
    address: { street: 'Stadsplateau 1', postcode: '3521 AZ', city: 'Utrecht' },
    eInvoiceId: `0190:${UTRECHT_OIN}`,
    requiresBuyerReference: true,
  });
  await ok(api, '/financiers', { id: 'portaal', name: 'Portaal', kind: 'housing-corporation', pays: 'invoice' });
  await ok(api, '/financiers', { id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' });
  await setFinancierDetails(api, 'portaal', PORTAAL_DETAILS);
  if (options.cooperative !== false) await setCooperative(api);
  const municipalityInvoice = await ok(api, '/invoices', {
    financier: 'utrecht',
    kamer: 'top',
    year: 2020,
    reference: '5675239',
    lines: [
      { description: 'Bijdrage buurtwerkkamer TOP 2020, eerste termijn', amount: '5000.00' },
      { description: 'Initiatievenfonds: zomeractiviteiten & "buurtfeest"', amount: '1250.50' },
    ],
  });
  const portaalInvoice = await ok(api, '/invoices', { financier: 'portaal', kamer: 'top', year: 2020, lines: [{ description: 'Huur TOP 2020', amount: '2400.00' }] });
  const creditNote = await ok(api, `/invoices/${portaalInvoice.id as string}/credit-notes`, { amount: '400.00', reason: 'Huurkorting juni vervalt' });
  return { api, municipalityInvoice, portaalInvoice, creditNote };
}

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true }).parse(xml);

async function documentOf(t: Test, api: TestApp, id: string): Promise<string> {
  const response = await api.get(api.tokens.treasurer, `/invoices/${id}/document.xml`);
  t.equal(response.statusCode, 200, response.body.slice(0, 300));
  t.match(response.headers['content-type'], /^application\/xml; charset=utf-8/);
  return response.body;
}

t.test('the three e-invoices pass the CEN and Peppol rules (with NL-R) and carry what the invoice says', async (t) => {
  const { api, municipalityInvoice, portaalInvoice, creditNote } = await world(t);

  const municipalityXml = await documentOf(t, api, municipalityInvoice.id as string);
  const municipalityResult = await validatePeppol(municipalityXml);
  t.same(municipalityResult.failed, [], `municipality\n${describeFailures(municipalityResult)}`);
  const invoice = parse(municipalityXml).Invoice;
  t.equal(invoice.ID, municipalityInvoice.number);
  t.equal(invoice.BuyerReference, '5675239', 'the municipality’s kenmerk');
  t.same(invoice.AccountingCustomerParty.Party.EndpointID, { '#text': UTRECHT_OIN, '@_schemeID': '0190' });
  t.same(invoice.AccountingSupplierParty.Party.PartyLegalEntity.CompanyID, { '#text': '12345678', '@_schemeID': '0106' });
  t.equal(invoice.PaymentMeans.PaymentID, municipalityInvoice.paymentReference, 'the RF creditor reference');
  t.equal(invoice.PaymentMeans.PayeeFinancialAccount.ID, 'NL91ABNA0417164300');
  t.equal(invoice.LegalMonetaryTotal.PayableAmount['#text'], '6250.50');
  t.equal(invoice.TaxTotal.TaxSubtotal.TaxCategory.ID, 'O', 'no VAT number: not subject to VAT');
  t.equal(invoice.TaxTotal.TaxSubtotal.TaxCategory.TaxExemptionReason, 'Vrijgesteld van btw (voorbeeldtekst)', 'the cooperative’s own note');

  const portaalXml = await documentOf(t, api, portaalInvoice.id as string);
  const portaalResult = await validatePeppol(portaalXml);
  t.same(portaalResult.failed, [], `housing corporation\n${describeFailures(portaalResult)}`);
  const second = parse(portaalXml).Invoice;
  t.same(second.AccountingCustomerParty.Party.PartyLegalEntity.CompanyID, { '#text': '87654321', '@_schemeID': '0106' });
  t.equal(second.BuyerReference, 'top 2020', 'no reference: the room and year');

  const creditXml = await documentOf(t, api, creditNote.id as string);
  const creditResult = await validatePeppol(creditXml);
  t.same(creditResult.failed, [], `credit note\n${describeFailures(creditResult)}`);
  const credit = parse(creditXml).CreditNote;
  t.equal(credit.ID, creditNote.number);
  t.same(credit.BillingReference.InvoiceDocumentReference, { ID: portaalInvoice.number, IssueDate: portaalInvoice.issueDate });
  t.equal(credit.CreditNoteLine.Item.Name, 'Huurkorting juni vervalt');
  t.equal(credit.LegalMonetaryTotal.PayableAmount['#text'], '400.00');
});

t.test('the same document comes back byte for byte, by id or number, even after the financier’s details changed', async (t) => {
  const { api, portaalInvoice } = await world(t);
  const first = await documentOf(t, api, portaalInvoice.id as string);
  t.equal(await documentOf(t, api, portaalInvoice.number as string), first, 'by number');
  await setFinancierDetails(api, 'portaal', { ...PORTAAL_DETAILS, address: { street: 'Nieuweweg 9', postcode: '1111 AA', city: 'Elders' } });
  api.clock.set('2021-03-01T10:00:00Z');
  t.equal(await documentOf(t, api, portaalInvoice.id as string), first, 'the invoice keeps the address it was sent to');
});

t.test('who may read an e-invoice: staff and the invoice’s own financier; another financier gets 404', async (t) => {
  const { api, municipalityInvoice, portaalInvoice, creditNote } = await world(t);
  const url = (id: unknown) => `/invoices/${id as string}/document.xml`;
  t.equal((await api.get(api.tokens.accountant, url(portaalInvoice.id))).statusCode, 200, 'accountant');
  t.equal((await api.get(api.tokens.financier('portaal'), url(portaalInvoice.id))).statusCode, 200, 'its financier');
  t.equal((await api.get(api.tokens.financier('portaal'), url(creditNote.number))).statusCode, 200, 'its financier, the credit note');
  for (const other of [municipalityInvoice.id, municipalityInvoice.number]) {
    const response = await api.get(api.tokens.financier('portaal'), url(other));
    t.equal(response.statusCode, 404, `another financier's invoice ${other as string}`);
    t.equal(response.json().code, 'NOT_FOUND');
    t.notMatch(response.body, /Utrecht|5675239/, 'the 404 says nothing about it');
  }
  t.equal((await api.get(api.tokens.teamleader('top'), url(portaalInvoice.id))).statusCode, 403, 'a team leader');
  t.equal((await api.app.inject({ method: 'GET', url: url(portaalInvoice.id) })).statusCode, 401, 'no token');
  t.equal((await api.get(api.tokens.treasurer, url('2020-0099'))).statusCode, 404, 'an unknown number');
  t.equal((await api.get(api.tokens.treasurer, url(randomUUID()))).statusCode, 404, 'an unknown id');
  t.equal((await api.get(api.tokens.treasurer, url('not-an-id'))).statusCode, 400, 'not an id or number');
});

t.test('a financier without address or e-invoicing id gets a 422 naming both, and recording them later does not change that invoice', async (t) => {
  const { api } = await world(t);
  const mitrosInvoice = await ok(api, '/invoices', { financier: 'mitros', kamer: 'top', year: 2020, lines: [{ description: 'Huur', amount: '100.00' }] });
  const url = `/invoices/${mitrosInvoice.id as string}/document.xml`;
  const refused = await api.get(api.tokens.treasurer, url);
  t.equal(refused.statusCode, 422, refused.body);
  t.match(refused.headers['content-type'], /^application\/problem\+json/);
  t.match(refused.json(), { status: 422, code: 'FINANCIER_DETAILS_MISSING', detail: /Mitros.*address.*eInvoiceId/ });
  t.same(refused.json().errors.map((error: { path: string }) => error.path), ['financier.address', 'financier.eInvoiceId']);

  await setFinancierDetails(api, 'mitros', { address: { street: 'Proefweg 1', postcode: '9999 ZZ', city: 'Proefstad' } });
  const onlyId = await ok(api, '/invoices', { financier: 'mitros', kamer: 'top', year: 2020, lines: [{ description: 'Huur', amount: '100.00' }] });
  const secondRefusal = await api.get(api.tokens.treasurer, `/invoices/${onlyId.id as string}/document.xml`);
  t.same(secondRefusal.json().errors.map((error: { path: string }) => error.path), ['financier.eInvoiceId'], 'only what is still missing');
  t.equal((await api.get(api.tokens.treasurer, url)).json().code, 'FINANCIER_DETAILS_MISSING', 'the first invoice keeps the details it was issued with');
});

t.test('an invoice issued before the cooperative’s details were recorded gets 422 COOPERATIVE_DETAILS_MISSING', async (t) => {
  const { api, portaalInvoice } = await world(t, { cooperative: false });
  const response = await api.get(api.tokens.treasurer, `/invoices/${portaalInvoice.id as string}/document.xml`);
  t.equal(response.statusCode, 422, response.body);
  t.match(response.json(), { code: 'COOPERATIVE_DETAILS_MISSING', errors: [{ path: 'cooperative' }] });
});

t.test('an invoice recorded before parties were kept on invoices gets 422 DOCUMENT_DETAILS_MISSING, not a 500', async (t) => {
  const { api } = await world(t);
  const invoiceId = randomUUID();
  await record(api, streams.receivables(), [
    {
      type: 'InvoiceIssued',
      data: { invoiceId, number: '2019-0001', financierId: 'portaal', kamerId: 'top', year: 2019, issueDate: '2019-06-01', dueDate: '2019-06-29', lines: [{ description: 'Huur', amount: '10.00' }], total: '10.00' },
    },
  ]);
  const response = await api.get(api.tokens.treasurer, `/invoices/${invoiceId}/document.xml`);
  t.equal(response.statusCode, 422, response.body);
  t.match(response.json(), { code: 'DOCUMENT_DETAILS_MISSING', errors: [{ path: 'parties' }] });
});
