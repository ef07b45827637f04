/**
 * GET /invoices/:id/document.pdf through HTTP over a real SQLite file: who may fetch it, the
 * same bytes on every request and after a restart over the same file, the address it was sent
 * to, and a clear 422 when a detail it needs was never recorded.
 */
import t from 'tap';
import { join } from 'node:path';
import { creditorReferenceFor, printedCreditorReference } from '../../src/domain/receivables/payment-reference.js';
import { createTestApp } from '../helpers/app.js';
import { assertRefused, issue, receivablesApp } from './receivables.fixtures.js';
import { COOPERATIVE, PORTAAL_DETAILS, setCooperative, setFinancierDetails, TINY_PNG_BASE64 } from './parties.fixtures.js';
import { pdfText, qrOnFirstPage } from '../documents/pdf-helpers.js';

async function sendableApp(t: Parameters<typeof receivablesApp>[0], path?: string) {
  const api = await receivablesApp(t, path === undefined ? {} : { path });
  await setCooperative(api);
  await setFinancierDetails(api, 'portaal', PORTAAL_DETAILS);
  return api;
}

t.test('the treasurer fetches an invoice as a PDF: every field, the QR code, the same bytes each time', async (t) => {
  const api = await sendableApp(t);
  const issued = (await issue(api, { reference: 'PO-4711', lines: [{ description: 'Bijdrage 2020', amount: '1000.00' }] })).json() as { id: string; number: string };
  const response = await api.get(api.tokens.treasurer, `/invoices/${issued.number}/document.pdf`);
  t.equal(response.statusCode, 200, response.body.slice(0, 200));
  t.match(response.headers['content-type'], /^application\/pdf/);
  t.match(response.headers['content-disposition'], `factuur-${issued.number}.pdf`);
  const pdf = response.rawPayload;
  const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
  for (const field of [`Factuur ${issued.number}`, COOPERATIVE.name, `KvK ${COOPERATIVE.kvkNumber}`, 'Portaal', PORTAAL_DETAILS.address.street, '€ 1.000,00', 'PO-4711', printedCreditorReference(creditorReferenceFor(issued.number))]) {
    t.ok(text.includes(field), `prints ${field}`);
  }
  t.match(await qrOnFirstPage(pdf), new RegExp(`^BCD\\n002\\n1\\nSCT\\n${COOPERATIVE.bic}\\n.*\\nNL91ABNA0417164300\\nEUR1000\\.00\\n\\n${creditorReferenceFor(issued.number)}\\n`));
  const byId = await api.get(api.tokens.treasurer, `/invoices/${issued.id}/document.pdf`);
  t.ok(byId.rawPayload.equals(pdf), 'by id or by number, the same bytes');
});

t.test('a document renders byte-identical after a restart over the same file, and after the details change', async (t) => {
  const path = join(t.testdir(), 'ledger.db');
  const first = await sendableApp(t, path);
  const number = (await issue(first)).json().number as string;
  const sent = (await first.get(first.tokens.treasurer, `/invoices/${number}/document.pdf`)).rawPayload;
  await setFinancierDetails(first, 'portaal', { ...PORTAAL_DETAILS, address: { street: 'Verhuisd 9', postcode: '8888 YY', city: 'Elders' } });
  await setCooperative(first, { ...COOPERATIVE, email: 'nieuw@example.org' });
  await first.app.close();
  const restarted = await createTestApp(t, { path });
  const again = (await restarted.get(restarted.tokens.treasurer, `/invoices/${number}/document.pdf`)).rawPayload;
  t.ok(again.equals(sent), 'the same bytes from a new app over the same file, after both parties changed their details');
  t.notMatch(await pdfText(again), /Verhuisd/, 'the old invoice shows the address it was sent to');
});

t.test('a financier fetches its own documents; another financier\'s answers 404; team leaders 403', async (t) => {
  const api = await sendableApp(t);
  const number = (await issue(api)).json().number as string;
  t.equal((await api.get(api.tokens.financier('portaal'), `/invoices/${number}/document.pdf`)).statusCode, 200);
  t.equal((await api.get(api.tokens.accountant, `/invoices/${number}/document.pdf`)).statusCode, 200);
  assertRefused(t, await api.get(api.tokens.financier('doen'), `/invoices/${number}/document.pdf`), 404, 'NOT_FOUND');
  assertRefused(t, await api.get(api.tokens.teamleader('top'), `/invoices/${number}/document.pdf`), 403, 'FORBIDDEN');
  assertRefused(t, await api.get(api.tokens.treasurer, '/invoices/2020-0099/document.pdf'), 404, 'NOT_FOUND');
});

t.test('an invoice to a financier without an address: the document is a 422 naming what is missing', async (t) => {
  const api = await receivablesApp(t);
  await setCooperative(api);
  const number = (await issue(api, { financier: 'doen' })).json().number as string;
  const response = await api.get(api.tokens.treasurer, `/invoices/${number}/document.pdf`);
  assertRefused(t, response, 422, 'DOCUMENT_DETAILS_MISSING', 'customer.address');
  t.match(response.json().detail, /address of financier doen/);
  const noCooperative = await receivablesApp(t);
  await setFinancierDetails(noCooperative, 'portaal', PORTAAL_DETAILS);
  const other = (await issue(noCooperative)).json().number as string;
  assertRefused(t, await noCooperative.get(noCooperative.tokens.treasurer, `/invoices/${other}/document.pdf`), 422, 'DOCUMENT_DETAILS_MISSING', 'supplier');
});

t.test('a credit note has its own document, addressed like its invoice', async (t) => {
  const api = await sendableApp(t);
  const number = (await issue(api, { reference: 'PO-4711' })).json().number as string;
  const note = (await api.post(api.tokens.treasurer, `/invoices/${number}/credit-notes`, { amount: '250.00', reason: 'Tweede termijn vervalt' })).json() as { number: string };
  const response = await api.get(api.tokens.treasurer, `/invoices/${note.number}/document.pdf`);
  t.equal(response.statusCode, 200, response.body.slice(0, 200));
  t.match(response.headers['content-disposition'], `creditnota-${note.number}.pdf`);
  const text = (await pdfText(response.rawPayload)).replace(/\s+/g, ' ');
  for (const field of [`Creditnota ${note.number}`, `Bij factuur ${number}`, '€ -250,00', 'Tweede termijn vervalt', PORTAAL_DETAILS.address.street, 'PO-4711']) t.ok(text.includes(field), `prints ${field}`);
});

t.test("the logo printed is the one of the details the invoice was issued with, even after a new one is recorded", async (t) => {
  const api = await receivablesApp(t);
  await setFinancierDetails(api, 'portaal', PORTAAL_DETAILS);
  await setCooperative(api, { ...COOPERATIVE, logo: { mediaType: 'image/png', base64: TINY_PNG_BASE64 } });
  const withLogo = (await issue(api)).json().number as string;
  const first = (await api.get(api.tokens.treasurer, `/invoices/${withLogo}/document.pdf`)).rawPayload;
  t.match(first.toString('latin1'), /\/Subtype \/Image/, 'the logo is in the PDF');
  await setCooperative(api, COOPERATIVE);
  const withoutLogo = (await issue(api)).json().number as string;
  t.notMatch((await api.get(api.tokens.treasurer, `/invoices/${withoutLogo}/document.pdf`)).rawPayload.toString('latin1'), /\/Subtype \/Image/, 'a later invoice: no logo');
  t.ok((await api.get(api.tokens.treasurer, `/invoices/${withLogo}/document.pdf`)).rawPayload.equals(first), 'the first invoice keeps its logo, byte for byte');
});
