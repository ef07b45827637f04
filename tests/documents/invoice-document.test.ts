/**
 * The invoice and credit note PDFs (issue 10, item 3), built from their events: every field a
 * Dutch invoice must carry is in the text, the QR code on the page decodes to the exact EPC
 * payload, and the same event renders the same bytes.
 */
import t from 'tap';
import { DomainError } from '../../src/domain/errors.js';
import type { EventData } from '../../src/domain/events.js';
import { creditorReferenceFor, printedCreditorReference } from '../../src/domain/receivables/payment-reference.js';
import { epcPayload } from '../../src/documents/epc-qr.js';
import { dutchDate, euro, printedIban } from '../../src/documents/format.js';
import { creditNotePdf, invoiceEpcPayload, invoicePdf } from '../../src/documents/invoice-document.js';
import { pdfText, qrOnFirstPage, roundTripQr } from './pdf-helpers.js';

const SUPPLIER = {
  name: 'BuurtWerkKamer Coöperatie U.A.',
  address: { street: 'Voorbeeldstraat 1', postcode: '1234 AB', city: 'Voorbeeldstad', country: 'NL' },
  kvkNumber: '12345678',
  vatExemptionNote: 'Vrijgesteld van btw (voorbeeldtekst)',
  iban: 'NL91ABNA0417164300',
  bic: 'ABNANL2A',
  email: 'penningmeester@example.org',
  revision: 0,
};
const CUSTOMER = { name: 'Woningcorporatie Voorbeeld', address: { street: 'Proefweg 22', postcode: '9999 ZZ', city: 'Proefstad', country: 'NL' } };

function invoice(overrides: Partial<EventData<'InvoiceIssued'>> = {}): EventData<'InvoiceIssued'> {
  return {
    invoiceId: '00000000-0000-4000-8000-000000000001',
    number: '2020-0007',
    financierId: 'voorbeeld',
    kamerId: 'top',
    year: 2020,
    issueDate: '2020-06-15',
    dueDate: '2020-07-13',
    lines: [
      { description: 'Bijdrage buurtwerkkamer TOP 2020, eerste termijn', amount: '1000.00' },
      { description: 'Bijdrage activiteiten', amount: '234.50' },
    ],
    total: '1234.50',
    reference: 'PO-4711',
    paymentReference: creditorReferenceFor('2020-0007'),
    parties: { supplier: SUPPLIER, customer: CUSTOMER },
    ...overrides,
  };
}

t.test('amounts and dates are printed the Dutch way, exactly', async (t) => {
  t.equal(euro('1234.5'), '€ 1.234,50');
  t.equal(euro('0.05'), '€ 0,05');
  t.equal(euro('1234567.89'), '€ 1.234.567,89');
  t.equal(euro('-100.00'), '€ -100,00');
  t.equal(euro('999999999999.99'), '€ 999.999.999.999,99', 'no float rounding on large amounts');
  t.equal(dutchDate('2019-03-15'), '15 maart 2019');
  t.equal(dutchDate('2020-12-01'), '1 december 2020');
  t.equal(printedIban('NL91ABNA0417164300'), 'NL91 ABNA 0417 1643 00');
});

t.test('the EPC payload follows EPC069-12 version 002 line by line', async (t) => {
  const payload = epcPayload({ bic: 'ABNANL2A', name: 'Coöperatie', iban: 'NL91 ABNA 0417 1643 00', amount: '1234.50', reference: 'RF34 2020 0001', note: 'Factuur 2020-0001' });
  t.same(payload.split('\n'), ['BCD', '002', '1', 'SCT', 'ABNANL2A', 'Coöperatie', 'NL91ABNA0417164300', 'EUR1234.50', '', 'RF3420200001', '', 'Factuur 2020-0001']);
  t.equal(epcPayload({ name: 'X', iban: 'NL91ABNA0417164300', amount: '5.00', reference: 'RF3420200001' }).split('\n').length, 10, 'trailing empty lines are left out');
  t.throws(() => epcPayload({ name: 'X', iban: 'NL91ABNA0417164300', amount: '0.00', reference: 'RF3420200001' }), /0.01 to 999999999.99/);
  t.throws(() => epcPayload({ name: 'X', iban: 'NL91ABNA0417164300', amount: '1000000000.00', reference: 'RF3420200001' }), /0.01 to 999999999.99/);
  t.equal(await roundTripQr(payload), payload, 'the qrcode library encodes it and jsQR decodes it back, byte for byte');
});

t.test('an invoice PDF carries every field a Dutch invoice must, and the payment details', async (t) => {
  const issued = invoice();
  const text = await pdfText(await invoicePdf(issued, undefined));
  const expected = [
    'Factuur 2020-0007',
    'Factuurdatum',
    dutchDate(issued.issueDate),
    'Vervaldatum',
    dutchDate(issued.dueDate),
    SUPPLIER.name,
    SUPPLIER.address.street,
    `${SUPPLIER.address.postcode} ${SUPPLIER.address.city}`,
    `KvK ${SUPPLIER.kvkNumber}`,
    SUPPLIER.vatExemptionNote,
    CUSTOMER.name,
    CUSTOMER.address.street,
    `${CUSTOMER.address.postcode} ${CUSTOMER.address.city}`,
    ...issued.lines.flatMap((line) => [line.description, euro(line.amount)]),
    `Totaal ${euro(issued.total)}`,
    `Uw kenmerk ${issued.reference}`,
    printedCreditorReference(issued.paymentReference!),
    printedIban(SUPPLIER.iban),
  ];
  const flat = text.replace(/\s+/g, ' ');
  for (const field of expected) t.ok(flat.includes(field.replace(/\s+/g, ' ')), `prints ${field}`);
});

t.test('with a VAT number instead of an exemption note, the VAT number is printed', async (t) => {
  const { vatExemptionNote: _note, ...withoutNote } = SUPPLIER;
  const text = await pdfText(await invoicePdf(invoice({ parties: { supplier: { ...withoutNote, vatNumber: 'NL000099998B57' }, customer: CUSTOMER } }), undefined));
  t.match(text, /Btw-id NL000099998B57/);
  t.notMatch(text, /Vrijgesteld/);
});

t.test('the QR code on the page decodes to the exact EPC payload: this invoice, its total, its RF reference', async (t) => {
  const issued = invoice();
  const expected = ['BCD', '002', '1', 'SCT', SUPPLIER.bic, SUPPLIER.name, SUPPLIER.iban, `EUR${issued.total}`, '', creditorReferenceFor(issued.number), '', `Factuur ${issued.number}`].join('\n');
  t.equal(invoiceEpcPayload(issued, SUPPLIER), expected);
  t.equal(await qrOnFirstPage(await invoicePdf(issued, undefined)), expected, 'rendered from the PDF and decoded');
});

t.test('the same invoice renders byte-identical, and a different one does not', async (t) => {
  const first = await invoicePdf(invoice(), undefined);
  const second = await invoicePdf(invoice(), undefined);
  t.ok(first.equals(second), 'twice the same bytes');
  t.match(first.subarray(0, 8).toString('latin1'), /^%PDF-1\.\d/);
  t.match(first.toString('latin1'), /\(D:20200615120000Z\)/, "the metadata dates are the invoice's own (noon UTC of its issue date)");
  t.notOk(first.equals(await invoicePdf(invoice({ total: '1234.51' }), undefined)));
});

t.test('an invoice of 200 lines runs over pages, every line printed', async (t) => {
  const lines = Array.from({ length: 200 }, (_, index) => ({ description: `Regel ${index + 1}`, amount: '1.00' }));
  const text = await pdfText(await invoicePdf(invoice({ lines, total: '200.00' }), undefined));
  t.ok(lines.every((line) => text.includes(`${line.description} `)), 'all 200 lines');
  t.match(text, /-- 3 of \d+ --/, 'over more than two pages');
});

t.test('a document without the details it needs is refused, naming each missing detail', async (t) => {
  const missing = async (parties: EventData<'InvoiceIssued'>['parties']) => {
    try {
      await invoicePdf(invoice({ parties }), undefined);
      return undefined;
    } catch (error) {
      return error instanceof DomainError ? error : undefined;
    }
  };
  const noAddress = await missing({ supplier: SUPPLIER, customer: { name: CUSTOMER.name } });
  t.match(noAddress, { code: 'DOCUMENT_DETAILS_MISSING', field: 'customer.address', message: /address of financier voorbeeld/ });
  const noSupplier = await missing({ customer: CUSTOMER });
  t.match(noSupplier, { code: 'DOCUMENT_DETAILS_MISSING', field: 'supplier', message: /PUT \/cooperative/ });
  const none = await missing(undefined);
  t.match(none, { field: 'supplier', message: /cooperative's details .* and the address of financier voorbeeld/ });
});

t.test('a credit note PDF names the credited invoice and the amount as a credit, with no QR code to pay', async (t) => {
  const note: EventData<'CreditNoteIssued'> = {
    creditNoteId: '00000000-0000-4000-8000-000000000002',
    number: '2020-0008',
    invoiceId: invoice().invoiceId,
    invoiceNumber: '2020-0007',
    financierId: 'voorbeeld',
    kamerId: 'top',
    year: 2020,
    issueDate: '2020-06-20',
    amount: '234.50',
    reason: 'Activiteiten vervallen',
    reference: 'PO-4711',
    parties: { supplier: SUPPLIER, customer: CUSTOMER },
  };
  const pdf = await creditNotePdf(note, undefined);
  const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
  for (const field of ['Creditnota 2020-0008', 'Bij factuur 2020-0007', dutchDate('2020-06-20'), euro('-234.50'), 'Activiteiten vervallen', `KvK ${SUPPLIER.kvkNumber}`, CUSTOMER.address.street, 'Uw kenmerk PO-4711']) {
    t.ok(text.includes(field), `prints ${field}`);
  }
  t.equal(await qrOnFirstPage(pdf), undefined, 'nothing to pay, so no QR code');
  t.ok(pdf.equals(await creditNotePdf(note, undefined)), 'byte-identical');
});
