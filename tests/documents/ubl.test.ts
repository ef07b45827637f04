import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { buildUbl, emptyUblFields, UBL_CUSTOMIZATION_ID, UBL_PROFILE_ID } from '../../src/documents/ubl.js';
import { describeFailures, validatePeppol } from '../helpers/peppol.js';
import { cooperative, creditNote, housingCorporationInvoice, municipalityInvoice } from './ubl.fixtures.js';

// Four documents go through both Peppol rule sets here, a few seconds each.
t.setTimeout(300_000);

const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true, isArray: (name) => ['InvoiceLine', 'CreditNoteLine'].includes(name) }).parse(xml);

t.test('an invoice to the municipality with its buyer reference passes the CEN and Peppol rules (NL-R included)', async (t) => {
  const xml = buildUbl(municipalityInvoice);
  const result = await validatePeppol(xml);
  t.same(result.failed, [], describeFailures(result));
  const invoice = parse(xml).Invoice;
  t.equal(invoice.CustomizationID, UBL_CUSTOMIZATION_ID);
  t.equal(invoice.ProfileID, UBL_PROFILE_ID);
  t.equal(invoice.BuyerReference, '5675239');
  t.same(invoice.AccountingCustomerParty.Party.EndpointID, { '#text': '00000001002220647000', '@_schemeID': '0190' });
  t.same(invoice.AccountingSupplierParty.Party.PartyLegalEntity.CompanyID, { '#text': '12345678', '@_schemeID': '0106' });
  t.equal(invoice.PaymentMeans.PaymentMeansCode['#text'], '58');
  t.equal(invoice.PaymentMeans.PaymentID, 'RF1820200001');
  t.equal(invoice.PaymentMeans.PayeeFinancialAccount.ID, 'NL91ABNA0417164300', 'the IBAN in electronic format');
  t.equal(invoice.LegalMonetaryTotal.PayableAmount['#text'], '6250.50', '5000.00 + 1250.50, summed as decimals');
  t.equal(invoice.TaxTotal.TaxAmount['#text'], '0.00');
  t.equal(invoice.InvoiceLine[1].Item.Name, 'Initiatievenfonds: activiteiten <zomer> & "buurt"', 'user text is escaped and reads back unchanged');
});

t.test('an invoice to a housing corporation (KvK, VAT exempt, a negative line) passes both rule sets', async (t) => {
  const xml = buildUbl(housingCorporationInvoice);
  const result = await validatePeppol(xml);
  t.same(result.failed, [], describeFailures(result));
  const invoice = parse(xml).Invoice;
  t.equal(invoice.AccountingSupplierParty.Party.PartyTaxScheme.CompanyID, 'NL001234567B01', 'exempt (E) needs the seller’s VAT number');
  t.equal(invoice.TaxTotal.TaxSubtotal.TaxCategory.ID, 'E');
  t.equal(invoice.TaxTotal.TaxSubtotal.TaxCategory.Percent, '0');
  t.same(invoice.InvoiceLine[1].InvoicedQuantity, { '#text': '-1', '@_unitCode': 'C62' });
  t.equal(invoice.InvoiceLine[1].Price.PriceAmount['#text'], '150.25', 'the price stays positive');
  t.equal(invoice.LegalMonetaryTotal.PayableAmount['#text'], '2249.75');
});

t.test('a credit note references the invoice it credits and passes both rule sets', async (t) => {
  const xml = buildUbl(creditNote);
  const result = await validatePeppol(xml);
  t.same(result.failed, [], describeFailures(result));
  const document = parse(xml).CreditNote;
  t.equal(document.CreditNoteTypeCode, '381');
  t.same(document.BillingReference.InvoiceDocumentReference, { ID: '2020-0002', IssueDate: '2020-06-16' });
  t.equal(document.CreditNoteLine[0].CreditedQuantity['#text'], '1');
  t.equal(document.LegalMonetaryTotal.PayableAmount['#text'], '1000.00');
  t.notOk(document.PaymentMeans, 'nothing for the customer to pay');
});

t.test('the rules see through a wrong customer registration: NL-R-005 fails for a scheme that is not KvK or OIN', async (t) => {
  const xml = buildUbl({
    ...municipalityInvoice,
    customer: { ...municipalityInvoice.customer, legalRegistration: { scheme: '0088', id: '5901234123457' } },
  });
  const result = await validatePeppol(xml);
  t.same(result.failed.map((failure) => failure.id), ['NL-R-005'], describeFailures(result));
});

t.test('the same input gives the same bytes', async (t) => {
  t.equal(buildUbl(municipalityInvoice), buildUbl(structuredClone(municipalityInvoice)));
});

t.test('empty or missing text is named by its path, and the builder refuses it instead of writing an empty element', async (t) => {
  const broken = {
    ...municipalityInvoice,
    buyerReference: '   ',
    customer: { ...municipalityInvoice.customer, address: { ...municipalityInvoice.customer.address, street: '' } },
    lines: [{ description: '\u0001', amount: '1.00' }],
  };
  t.same(emptyUblFields(broken), ['buyerReference', 'customer.address.street', 'lines.0.description']);
  t.throws(() => buildUbl(broken), /lacks buyerReference, customer.address.street, lines.0.description/);
  t.same(emptyUblFields({ ...municipalityInvoice, lines: [] }), ['lines']);
  t.same(emptyUblFields(municipalityInvoice), []);
});

t.test('VAT exempt without the supplier’s VAT number is refused (BR-E-02); not subject to VAT leaves the number out (BR-O-02)', async (t) => {
  t.throws(() => buildUbl({ ...municipalityInvoice, vat: { category: 'E', exemptionReason: 'Vrijgesteld' } }), /BR-E-02/);
  const xml = buildUbl({ ...municipalityInvoice, supplier: { ...cooperative, vatNumber: 'NL001234567B01' } });
  t.notMatch(xml, /PartyTaxScheme/, 'category O: no seller VAT number on the document');
});
