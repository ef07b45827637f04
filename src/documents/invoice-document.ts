import { refuse } from '../domain/errors.js';
import type { CooperativeDetails, DocumentParties, EventData, PostalAddress } from '../domain/events.js';
import { creditorReferenceFor, printedCreditorReference } from '../domain/receivables/payment-reference.js';
import { epcPayload } from './epc-qr.js';
import { dutchDate, euro, printedIban } from './format.js';
import { addressee, CONTENT_WIDTH, facts, finish, newDocument, paragraph, qrCode, supplierHeader, table, title, totalLine, type Logo } from './pdf.js';

/**
 * The invoice (factuur) and credit note (creditnota) as PDF, in Dutch, built from the document's
 * own event only (plus the logo of the cooperative's details it names). It carries what a Dutch
 * invoice must: number, issue date, both parties' names and addresses, the cooperative's KvK
 * number, its VAT number or the note why no VAT is charged, what is invoiced, amounts and total;
 * and for paying: the due date, IBAN, the RF payment reference and an EPC QR code.
 */
export interface CompleteParties {
  readonly supplier: CooperativeDetails & { readonly revision: number };
  readonly customer: DocumentParties['customer'] & { readonly address: PostalAddress };
}

/** The parties a document needs, or 422 DOCUMENT_DETAILS_MISSING naming each missing detail. */
export function completeParties(what: string, financierId: string, parties: DocumentParties | undefined): CompleteParties {
  const supplier = parties?.supplier;
  const address = parties?.customer.address;
  if (supplier && address && parties) return { supplier, customer: { ...parties.customer, address } };
  const missing: Array<[string, string]> = [
    ...(supplier ? [] : [['supplier', "the cooperative's details (name, address, KvK number, VAT status, IBAN: PUT /cooperative)"] as [string, string]]),
    ...(address ? [] : [['customer.address', `the address of financier ${financierId} (PUT /financiers/${financierId}/details)`] as [string, string]]),
  ];
  return refuse(
    'DOCUMENT_DETAILS_MISSING',
    `${what} cannot be printed: it was issued without ${missing.map(([, text]) => text).join(' and ')}. ` +
      'A document shows the details as they were when it was issued; record them, then credit and re-issue it.',
    missing[0]?.[0],
  );
}

/** The invoice's payment reference: recorded since issue 10; derived the same way for older invoices. */
export function paymentReferenceOf(invoice: EventData<'InvoiceIssued'>): string {
  return invoice.paymentReference ?? creditorReferenceFor(invoice.number);
}

/** What the invoice's QR code holds: the cooperative's account, the invoice total and its RF reference. */
export function invoiceEpcPayload(invoice: EventData<'InvoiceIssued'>, supplier: CooperativeDetails, amount = invoice.total): string {
  return epcPayload({ bic: supplier.bic, name: supplier.name, iban: supplier.iban, amount, reference: paymentReferenceOf(invoice), note: `Factuur ${invoice.number}` });
}

/** The VAT line every document prints: the VAT number's note, or why no VAT is charged. */
export function vatNote(supplier: CooperativeDetails): string {
  return supplier.vatExemptionNote ?? `Btw-id ${supplier.vatNumber}. Over deze bijdragen is geen btw berekend.`;
}

export function paymentInstruction(supplier: CooperativeDetails, amount: string, dueDate: string, reference: string): string {
  return (
    `Wij verzoeken u ${euro(amount)} uiterlijk ${dutchDate(dueDate)} over te maken op IBAN ${printedIban(supplier.iban)} ` +
    `(BIC ${supplier.bic}) ten name van ${supplier.name}, onder vermelding van betalingskenmerk ${printedCreditorReference(reference)}.`
  );
}

export const QR_CAPTION = 'Scan deze QR-code met uw bank-app: bedrag, rekening en betalingskenmerk staan er al in.';

export async function invoicePdf(invoice: EventData<'InvoiceIssued'>, logo: Logo | undefined): Promise<Buffer> {
  const { supplier, customer } = completeParties(`invoice ${invoice.number}`, invoice.financierId, invoice.parties);
  const reference = paymentReferenceOf(invoice);
  const document = await newDocument({ title: `Factuur ${invoice.number}`, subject: `Factuur ${invoice.number} aan ${customer.name}`, author: supplier.name, date: invoice.issueDate });
  supplierHeader(document, supplier, logo);
  addressee(document, customer.name, customer.address);
  title(document, `Factuur ${invoice.number}`);
  facts(document, [
    ['Factuurnummer', invoice.number],
    ['Factuurdatum', dutchDate(invoice.issueDate)],
    ['Vervaldatum', `${dutchDate(invoice.dueDate)} (binnen vier weken)`],
    ...(invoice.reference === undefined ? [] : [['Uw kenmerk', invoice.reference] as const]),
    ['Betalingskenmerk', printedCreditorReference(reference)],
    ['Financieringsjaar', String(invoice.year)],
  ]);
  table(
    document,
    [
      { header: 'Omschrijving', width: CONTENT_WIDTH - 120 },
      { header: 'Bedrag', width: 120, align: 'right' },
    ],
    invoice.lines.map((line) => [line.description, euro(line.amount)]),
  );
  totalLine(document, 'Totaal', euro(invoice.total));
  document.moveDown(0.5);
  paragraph(document, vatNote(supplier), { size: 9, colour: '#555555' });
  document.moveDown(1);
  paragraph(document, paymentInstruction(supplier, invoice.total, invoice.dueDate, reference));
  document.moveDown(1);
  qrCode(document, invoiceEpcPayload(invoice, supplier), QR_CAPTION);
  return finish(document);
}

export async function creditNotePdf(note: EventData<'CreditNoteIssued'>, logo: Logo | undefined): Promise<Buffer> {
  const { supplier, customer } = completeParties(`credit note ${note.number}`, note.financierId, note.parties);
  const document = await newDocument({ title: `Creditnota ${note.number}`, subject: `Creditnota ${note.number} bij factuur ${note.invoiceNumber}`, author: supplier.name, date: note.issueDate });
  supplierHeader(document, supplier, logo);
  addressee(document, customer.name, customer.address);
  title(document, `Creditnota ${note.number}`);
  facts(document, [
    ['Creditnotanummer', note.number],
    ['Datum', dutchDate(note.issueDate)],
    ['Bij factuur', note.invoiceNumber],
    ...(note.reference === undefined ? [] : [['Uw kenmerk', note.reference] as const]),
    ['Financieringsjaar', String(note.year)],
  ]);
  table(
    document,
    [
      { header: 'Omschrijving', width: CONTENT_WIDTH - 120 },
      { header: 'Bedrag', width: 120, align: 'right' },
    ],
    [[`Creditering factuur ${note.invoiceNumber}: ${note.reason}`, euro(`-${note.amount}`)]],
  );
  totalLine(document, 'Totaal', euro(`-${note.amount}`));
  document.moveDown(0.5);
  paragraph(document, vatNote(supplier), { size: 9, colour: '#555555' });
  document.moveDown(1);
  paragraph(document, `Dit bedrag wordt verrekend met factuur ${note.invoiceNumber}; u hoeft het niet te betalen.`);
  return finish(document);
}
