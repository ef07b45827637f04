import t from 'tap';
import { eInvoiceInputFor, participantId } from '../../src/documents/e-invoice.js';
import type { EventData } from '../../src/domain/events.js';

const supplier = {
  name: 'BuurtWerkKamer Coöperatie U.A.',
  address: { street: 'Voorbeeldstraat 1', postcode: '1234 AB', city: 'Voorbeeldstad', country: 'NL' },
  kvkNumber: '12345678',
  iban: 'NL91ABNA0417164300',
  bic: 'ABNANL2A',
  email: 'penningmeester@example.org',
  revision: 0,
};
const customer = { name: 'Portaal', address: { street: 'Proefweg 22', postcode: '9999 ZZ', city: 'Proefstad', country: 'NL' }, eInvoiceId: '0106:87654321' };
const invoice: EventData<'InvoiceIssued'> = {
  invoiceId: '6f1c8a47-3c1e-4d7a-9a53-0c1f7d1e2a01',
  number: '2020-0001',
  financierId: 'portaal',
  kamerId: 'top',
  year: 2020,
  issueDate: '2020-06-15',
  dueDate: '2020-07-13',
  lines: [{ description: 'Huur', amount: '100.00' }],
  total: '100.00',
  paymentReference: 'RF3420200001',
  parties: { supplier: { ...supplier, vatNumber: 'NL001234567B01' }, customer },
};

t.test('a participant id is scheme:number; anything else is not one', async (t) => {
  t.same(participantId('0190:00000001002220647000'), { scheme: '0190', id: '00000001002220647000' });
  t.same(participantId(' 0106:12345678 '), { scheme: '0106', id: '12345678' });
  for (const bad of ['12345678', '0106:', 'KVK:12345678', '0106:1234 5678']) t.equal(participantId(bad), undefined, bad);
});

t.test('with a VAT number the contribution is exempt (E) and the number goes along; without one it is not subject to VAT (O)', async (t) => {
  const exempt = eInvoiceInputFor({ kind: 'invoice', id: invoice.invoiceId, data: invoice });
  t.ok(exempt.ok);
  if (!exempt.ok) return;
  t.same(exempt.input.vat, { category: 'E', exemptionReason: 'Vrijgesteld van btw' });
  t.equal(exempt.input.supplier.vatNumber, 'NL001234567B01');
  t.same(exempt.input.customer.legalRegistration, { scheme: '0106', id: '87654321' });
  t.equal(exempt.input.kind === 'invoice' && exempt.input.payment.paymentId, 'RF3420200001');

  const outside = eInvoiceInputFor({ kind: 'invoice', id: invoice.invoiceId, data: { ...invoice, parties: { supplier: { ...supplier, vatExemptionNote: 'Geen btw-ondernemer' }, customer } } });
  t.ok(outside.ok);
  if (outside.ok) t.same(outside.input.vat, { category: 'O', exemptionReason: 'Geen btw-ondernemer' });
});

t.test('a customer endpoint outside KvK/OIN is not given as its legal registration (NL-R-005 wants 0106 or 0190)', async (t) => {
  const mapped = eInvoiceInputFor({ kind: 'invoice', id: invoice.invoiceId, data: { ...invoice, parties: { supplier, customer: { ...customer, eInvoiceId: '0088:5901234123457' } } } });
  t.ok(mapped.ok);
  if (mapped.ok) {
    t.same(mapped.input.customer.endpoint, { scheme: '0088', id: '5901234123457' });
    t.equal(mapped.input.customer.legalRegistration, undefined);
  }
});

t.test('a malformed e-invoicing id is named, not passed on', async (t) => {
  const mapped = eInvoiceInputFor({ kind: 'invoice', id: invoice.invoiceId, data: { ...invoice, parties: { supplier, customer: { ...customer, eInvoiceId: 'KVK 87654321' } } } });
  t.notOk(mapped.ok);
  if (!mapped.ok) t.match(mapped.missing, { code: 'FINANCIER_DETAILS_MISSING', errors: [{ path: 'financier.eInvoiceId', message: /not a Peppol participant id/ }] });
});
