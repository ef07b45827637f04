/**
 * Peppol BIS Billing 3.0 e-invoices: a UBL 2.1 Invoice or CreditNote from a plain, typed input.
 * Pure: no store, no clock; the same input gives the same bytes.
 *
 * What a Dutch public body's access point checks, and how this builder meets it (see
 * docs/e-invoicing.md): the CEN EN 16931 rules and the Peppol rules with the Dutch NL-R rules —
 * a buyer reference (PEPPOL-EN16931-R003), both parties' electronic addresses with their scheme
 * (0106 KvK, 0190 OIN), the supplier's KvK number as legal registration (NL-R-003), the
 * customer's KvK/OIN (NL-R-005), street, city and post code of both (NL-R-002/004), a SEPA credit
 * transfer (code 58) with the IBAN (NL-R-007/008), a credit note's reference to its invoice
 * (NL-R-001). The cooperative's contributions carry no VAT: one VAT breakdown, category E
 * (exempt, when the cooperative has a VAT number) or O (not subject to VAT, when it has none),
 * with the reason, and a VAT total of 0.00.
 *
 * Built with xmlbuilder2, which escapes every text node; characters XML 1.0 cannot carry are
 * dropped, and whitespace is collapsed, because an empty element fails PEPPOL-EN16931-R008.
 * Amounts are decimal strings summed with decimal.js, never JS numbers.
 */
import { loadedOnFirstUse } from '../lazy-require.js';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { formatAmount, money, sum } from '../domain/money.js';

export const UBL_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const UBL_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const xmlbuilder2 = loadedOnFirstUse<typeof import('xmlbuilder2')>('xmlbuilder2');

const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/** A Peppol participant identifier: the ICD scheme (0106 KvK, 0190 OIN) and the number. */
export interface ParticipantId {
  readonly scheme: string;
  readonly id: string;
}

export interface UblAddress {
  readonly street: string;
  readonly postcode: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2, "NL". */
  readonly country: string;
}

export interface UblParty {
  readonly name: string;
  readonly address: UblAddress;
  /** Where the document is delivered in the Peppol network (BT-34 / BT-49). */
  readonly endpoint: ParticipantId;
  /** The legal registration (BT-30 / BT-47): KvK (0106) or OIN (0190) for Dutch parties. */
  readonly legalRegistration?: ParticipantId;
  readonly email?: string;
}

export interface UblSupplier extends UblParty {
  /** The VAT number (BT-31), when the cooperative has one. */
  readonly vatNumber?: string;
}

export interface UblLine {
  readonly description: string;
  /** Two-decimal string; a negative line is quantity −1 at a positive price. */
  readonly amount: string;
}

/** How the amounts stand to VAT: E exempt (needs the supplier's VAT number) or O not subject to VAT. */
export interface UblVat {
  readonly category: 'E' | 'O';
  /** BT-120: why no VAT is charged, in the supplier's words. */
  readonly exemptionReason: string;
}

interface UblCommon {
  readonly number: string;
  readonly issueDate: string;
  /** BT-10: the buyer's reference (order number, kenmerk); Peppol requires one. */
  readonly buyerReference: string;
  readonly supplier: UblSupplier;
  readonly customer: UblParty;
  readonly lines: readonly UblLine[];
  readonly vat: UblVat;
  /** BT-22: a free-text note on the document. */
  readonly note?: string;
}

export interface UblInvoiceInput extends UblCommon {
  readonly kind: 'invoice';
  readonly dueDate: string;
  readonly payment: {
    readonly iban: string;
    readonly bic?: string;
    /** BT-83, the remittance information the payer quotes: the RF creditor reference, else the number. */
    readonly paymentId: string;
    /** BT-20: the payment terms as the customer reads them. */
    readonly terms?: string;
  };
}

export interface UblCreditNoteInput extends UblCommon {
  readonly kind: 'credit-note';
  /** The invoice it credits (BG-3, NL-R-001). */
  readonly creditedInvoice: { readonly number: string; readonly issueDate: string };
}

export type UblDocumentInput = UblInvoiceInput | UblCreditNoteInput;

/** Text as it goes into an element: XML-safe characters only, whitespace collapsed. */
function clean(value: string): string {
  return value.replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').replace(/\s+/g, ' ').trim();
}

/**
 * The fields the document needs that are empty (after cleaning), as paths into the input:
 * `customer.address.street`, `lines.0.description`. A caller answers these with a 422 before
 * building; `buildUbl` refuses an input that has any.
 */
export function emptyUblFields(input: UblDocumentInput): string[] {
  const required: Array<[string, string | undefined]> = [
    ['number', input.number],
    ['buyerReference', input.buyerReference],
    ['vat.exemptionReason', input.vat.exemptionReason],
    ...partyFields('supplier', input.supplier),
    ...partyFields('customer', input.customer),
    ...input.lines.map((line, index): [string, string] => [`lines.${index}.description`, line.description]),
  ];
  if (input.kind === 'invoice') required.push(['payment.iban', input.payment.iban], ['payment.paymentId', input.payment.paymentId]);
  const empty = required.filter(([, value]) => value === undefined || clean(value) === '').map(([path]) => path);
  if (input.lines.length === 0) empty.push('lines');
  return empty;
}

function partyFields(prefix: string, party: UblParty): Array<[string, string]> {
  return [
    [`${prefix}.name`, party.name],
    [`${prefix}.address.street`, party.address.street],
    [`${prefix}.address.postcode`, party.address.postcode],
    [`${prefix}.address.city`, party.address.city],
    [`${prefix}.address.country`, party.address.country],
    [`${prefix}.endpoint.scheme`, party.endpoint.scheme],
    [`${prefix}.endpoint.id`, party.endpoint.id],
  ];
}

/** The UBL 2.1 document, UTF-8, pretty-printed. Throws on an input `emptyUblFields` would name. */
export function buildUbl(input: UblDocumentInput): string {
  const empty = emptyUblFields(input);
  if (empty.length > 0) throw new Error(`UBL document ${input.number} lacks ${empty.join(', ')}`);
  if (input.vat.category === 'E' && !input.supplier.vatNumber) {
    throw new Error('VAT category E (exempt) needs the supplier’s VAT number (BR-E-02); use O without one');
  }
  const isInvoice = input.kind === 'invoice';
  const document = xmlbuilder2().create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' });
  const root = document
    .ele(isInvoice ? NS.invoice : NS.creditNote, isInvoice ? 'Invoice' : 'CreditNote')
    .att('http://www.w3.org/2000/xmlns/', 'xmlns:cac', NS.cac)
    .att('http://www.w3.org/2000/xmlns/', 'xmlns:cbc', NS.cbc);
  header(root, input);
  party(root.ele(NS.cac, 'cac:AccountingSupplierParty'), input.supplier, input.vat);
  party(root.ele(NS.cac, 'cac:AccountingCustomerParty'), input.customer);
  if (input.kind === 'invoice') paymentMeans(root, input);
  totalsAndLines(root, input);
  return document.end({ prettyPrint: true });
}

const cbc = (parent: XMLBuilder, name: string, value: string, attributes?: Record<string, string>): XMLBuilder => {
  const element = parent.ele(NS.cbc, `cbc:${name}`, attributes);
  element.txt(clean(value));
  return parent;
};
const cac = (parent: XMLBuilder, name: string): XMLBuilder => parent.ele(NS.cac, `cac:${name}`);
const amount = (parent: XMLBuilder, name: string, value: string): XMLBuilder => cbc(parent, name, value, { currencyID: 'EUR' });

function header(root: XMLBuilder, input: UblDocumentInput): void {
  cbc(root, 'CustomizationID', UBL_CUSTOMIZATION_ID);
  cbc(root, 'ProfileID', UBL_PROFILE_ID);
  cbc(root, 'ID', input.number);
  cbc(root, 'IssueDate', input.issueDate);
  if (input.kind === 'invoice') {
    cbc(root, 'DueDate', input.dueDate);
    cbc(root, 'InvoiceTypeCode', '380');
  } else {
    cbc(root, 'CreditNoteTypeCode', '381');
  }
  if (input.note !== undefined && clean(input.note) !== '') cbc(root, 'Note', input.note);
  cbc(root, 'DocumentCurrencyCode', 'EUR');
  cbc(root, 'BuyerReference', input.buyerReference);
  if (input.kind === 'credit-note') {
    const reference = cac(cac(root, 'BillingReference'), 'InvoiceDocumentReference');
    cbc(reference, 'ID', input.creditedInvoice.number);
    cbc(reference, 'IssueDate', input.creditedInvoice.issueDate);
  }
}

function party(wrapper: XMLBuilder, details: UblSupplier | UblParty, vat?: UblVat): void {
  const element = cac(wrapper, 'Party');
  cbc(element, 'EndpointID', details.endpoint.id, { schemeID: details.endpoint.scheme });
  cbc(cac(element, 'PartyName'), 'Name', details.name);
  const address = cac(element, 'PostalAddress');
  cbc(address, 'StreetName', details.address.street);
  cbc(address, 'CityName', details.address.city);
  cbc(address, 'PostalZone', details.address.postcode);
  cbc(cac(address, 'Country'), 'IdentificationCode', details.address.country);
  // The seller's VAT number only where VAT applies at all: category O forbids it (BR-O-02).
  const vatNumber = 'vatNumber' in details ? details.vatNumber : undefined;
  if (vat?.category === 'E' && vatNumber) {
    const taxScheme = cac(element, 'PartyTaxScheme');
    cbc(taxScheme, 'CompanyID', vatNumber);
    cbc(cac(taxScheme, 'TaxScheme'), 'ID', 'VAT');
  }
  const legal = cac(element, 'PartyLegalEntity');
  cbc(legal, 'RegistrationName', details.name);
  if (details.legalRegistration) cbc(legal, 'CompanyID', details.legalRegistration.id, { schemeID: details.legalRegistration.scheme });
  if (details.email !== undefined && clean(details.email) !== '') cbc(cac(element, 'Contact'), 'ElectronicMail', details.email);
}

function paymentMeans(root: XMLBuilder, input: UblInvoiceInput): void {
  const means = cac(root, 'PaymentMeans');
  cbc(means, 'PaymentMeansCode', '58', { name: 'SEPA credit transfer' });
  cbc(means, 'PaymentID', input.payment.paymentId);
  const account = cac(means, 'PayeeFinancialAccount');
  cbc(account, 'ID', input.payment.iban.replace(/\s+/g, '').toUpperCase());
  cbc(account, 'Name', input.supplier.name);
  if (input.payment.bic !== undefined && clean(input.payment.bic) !== '') cbc(cac(account, 'FinancialInstitutionBranch'), 'ID', input.payment.bic);
  if (input.payment.terms !== undefined && clean(input.payment.terms) !== '') cbc(cac(root, 'PaymentTerms'), 'Note', input.payment.terms);
}

function taxCategory(parent: XMLBuilder, name: 'TaxCategory' | 'ClassifiedTaxCategory', vat: UblVat, withReason: boolean): void {
  const category = cac(parent, name);
  cbc(category, 'ID', vat.category);
  // Exempt: rate 0 (BR-E-05); not subject to VAT: no rate at all (BR-O-05).
  if (vat.category === 'E') cbc(category, 'Percent', '0');
  if (withReason) {
    if (vat.category === 'O') cbc(category, 'TaxExemptionReasonCode', 'VATEX-EU-O');
    cbc(category, 'TaxExemptionReason', vat.exemptionReason);
  }
  cbc(cac(category, 'TaxScheme'), 'ID', 'VAT');
}

function totalsAndLines(root: XMLBuilder, input: UblDocumentInput): void {
  const total = formatAmount(sum(input.lines.map((line) => line.amount)));
  const taxTotal = cac(root, 'TaxTotal');
  amount(taxTotal, 'TaxAmount', '0.00');
  const subtotal = cac(taxTotal, 'TaxSubtotal');
  amount(subtotal, 'TaxableAmount', total);
  amount(subtotal, 'TaxAmount', '0.00');
  taxCategory(subtotal, 'TaxCategory', input.vat, true);

  const monetary = cac(root, 'LegalMonetaryTotal');
  for (const name of ['LineExtensionAmount', 'TaxExclusiveAmount', 'TaxInclusiveAmount', 'PayableAmount']) amount(monetary, name, total);

  const isInvoice = input.kind === 'invoice';
  input.lines.forEach((line, index) => {
    const element = cac(root, isInvoice ? 'InvoiceLine' : 'CreditNoteLine');
    const negative = money(line.amount).isNegative();
    cbc(element, 'ID', String(index + 1));
    // C62 "one": a contribution is invoiced as one unit at its amount (PEPPOL-EN16931-R120).
    cbc(element, isInvoice ? 'InvoicedQuantity' : 'CreditedQuantity', negative ? '-1' : '1', { unitCode: 'C62' });
    amount(element, 'LineExtensionAmount', line.amount);
    const item = cac(element, 'Item');
    cbc(item, 'Name', line.description);
    taxCategory(item, 'ClassifiedTaxCategory', input.vat, false);
    // The item price is never negative (BR-27): a negative line is −1 at the positive price.
    amount(cac(element, 'Price'), 'PriceAmount', formatAmount(money(line.amount).abs()));
  });
}
