/**
 * From an issued invoice or credit note (its event, with the parties' snapshot taken when it was
 * issued) to the Peppol UBL builder's input — or the list of what is missing. Pure: the document
 * depends on the events alone, so it is the same, byte for byte, every time it is asked for.
 *
 * The details come only from the snapshot in the document's own event (docs/documents.md: a
 * change of address never reaches an invoice already issued). What the snapshot lacks cannot be
 * added afterwards; the answer says so and names each missing field.
 */
import type { DomainErrorCode } from '../domain/errors.js';
import type { CooperativeDetails, DocumentParties, EventData } from '../domain/events.js';
import type { IssuedDocument } from '../projections/issued-documents.js';
import { emptyUblFields, type ParticipantId, type UblDocumentInput, type UblParty, type UblSupplier, type UblVat } from './ubl.js';

export interface MissingDetails {
  readonly code: Extract<DomainErrorCode, 'DOCUMENT_DETAILS_MISSING' | 'COOPERATIVE_DETAILS_MISSING' | 'FINANCIER_DETAILS_MISSING'>;
  readonly detail: string;
  readonly errors: ReadonlyArray<{ readonly path: string; readonly message: string }>;
}

export type EInvoiceInput = { readonly ok: true; readonly input: UblDocumentInput } | { readonly ok: false; readonly missing: MissingDetails };

/** KvK (0106) and OIN (0190): the Dutch legal registrations NL-R-003/005 accept. */
const DUTCH_REGISTRATION_SCHEMES = new Set(['0106', '0190']);

/** "0190:00000001002220647000" → scheme 0190, id …; anything else is not a participant id. */
export function participantId(eInvoiceId: string): ParticipantId | undefined {
  const match = /^(\d{4}):(\S+)$/.exec(eInvoiceId.trim());
  return match ? { scheme: match[1] as string, id: match[2] as string } : undefined;
}

/**
 * The VAT the cooperative's contributions carry: none. With a VAT number they are exempt (E);
 * without one the cooperative is not a VAT entrepreneur for them (O), and its own exemption note
 * is the reason.
 */
function vatOf(supplier: CooperativeDetails): UblVat {
  if (supplier.vatNumber) return { category: 'E', exemptionReason: supplier.vatExemptionNote ?? 'Vrijgesteld van btw' };
  return { category: 'O', exemptionReason: supplier.vatExemptionNote ?? 'Niet onderworpen aan btw' };
}

function supplierOf(supplier: CooperativeDetails): UblSupplier {
  const kvk: ParticipantId = { scheme: '0106', id: supplier.kvkNumber };
  return {
    name: supplier.name,
    address: supplier.address,
    endpoint: kvk,
    legalRegistration: kvk,
    email: supplier.email,
    ...(supplier.vatNumber ? { vatNumber: supplier.vatNumber } : {}),
  };
}

function customerOf(customer: DocumentParties['customer'], endpoint: ParticipantId): UblParty {
  return {
    name: customer.name,
    address: customer.address as NonNullable<typeof customer.address>,
    endpoint,
    ...(DUTCH_REGISTRATION_SCHEMES.has(endpoint.scheme) ? { legalRegistration: endpoint } : {}),
    ...(customer.email ? { email: customer.email } : {}),
  };
}

const missing = (code: MissingDetails['code'], detail: string, errors: MissingDetails['errors']): EInvoiceInput => ({ ok: false, missing: { code, detail, errors } });

/** What the parties' snapshot lacks for an e-invoice, as a refusal; undefined when it has it all. */
function partiesMissing(number: string, parties: DocumentParties | undefined): EInvoiceInput | undefined {
  if (!parties) {
    return missing('DOCUMENT_DETAILS_MISSING', `${number} was issued before the parties' details were recorded on invoices: it has no e-invoice`, [
      { path: 'parties', message: 'not recorded when the document was issued' },
    ]);
  }
  if (!parties.supplier) {
    return missing('COOPERATIVE_DETAILS_MISSING', `the cooperative's details (PUT /cooperative) were not recorded when ${number} was issued`, [
      { path: 'cooperative', message: 'name, address, KvK number, IBAN: not recorded when the document was issued' },
    ]);
  }
  const errors: Array<{ path: string; message: string }> = [];
  if (!parties.customer.address) errors.push({ path: 'financier.address', message: 'street, postcode and city are required by NL-R-004' });
  if (!parties.customer.eInvoiceId) errors.push({ path: 'financier.eInvoiceId', message: 'the Peppol participant id (0106:KvK or 0190:OIN) the e-invoice is delivered to' });
  else if (!participantId(parties.customer.eInvoiceId)) errors.push({ path: 'financier.eInvoiceId', message: 'is not a Peppol participant id (scheme:number)' });
  if (errors.length === 0) return undefined;
  return missing(
    'FINANCIER_DETAILS_MISSING',
    `financier ${parties.customer.name} had no ${errors.map((error) => error.path.replace('financier.', '')).join(' and no ')} when ${number} was issued (PUT /financiers/:id/details, then a new invoice)`,
    errors,
  );
}

/**
 * BT-10, which Peppol requires (PEPPOL-EN16931-R003): the financier's own reference when the
 * document has one (municipalities require it at issue), else the room and year the money is for.
 */
const buyerReferenceOf = (data: { reference?: string | undefined; kamerId: string; year: number }): string => data.reference ?? `${data.kamerId} ${data.year}`;

/**
 * The builder's input for an issued invoice or credit note. A credit note needs its invoice's
 * event too (its issue date goes into the BillingReference).
 */
export function eInvoiceInputFor(document: IssuedDocument, creditedInvoice?: EventData<'InvoiceIssued'>): EInvoiceInput {
  const { data } = document;
  const refusal = partiesMissing(data.number, data.parties);
  if (refusal) return refusal;
  const parties = data.parties as DocumentParties & { supplier: CooperativeDetails };
  const supplier = supplierOf(parties.supplier);
  const customer = customerOf(parties.customer, participantId(parties.customer.eInvoiceId as string) as ParticipantId);
  const common = { number: data.number, issueDate: data.issueDate, buyerReference: buyerReferenceOf(data), supplier, customer, vat: vatOf(parties.supplier) };
  let input: UblDocumentInput;
  if (document.kind === 'invoice') {
    const invoice = document.data;
    const paymentId = invoice.paymentReference ?? invoice.number;
    input = {
      ...common,
      kind: 'invoice',
      dueDate: invoice.dueDate,
      lines: invoice.lines,
      payment: {
        iban: parties.supplier.iban,
        bic: parties.supplier.bic,
        paymentId,
        terms: `Betalen binnen 28 dagen, uiterlijk ${invoice.dueDate}, onder vermelding van ${paymentId}`,
      },
    };
  } else {
    const creditNote = document.data;
    if (!creditedInvoice) throw new Error(`credit note ${creditNote.number}: its invoice ${creditNote.invoiceNumber} is not in the log`);
    input = {
      ...common,
      kind: 'credit-note',
      creditedInvoice: { number: creditNote.invoiceNumber, issueDate: creditedInvoice.issueDate },
      note: `Creditnota op factuur ${creditNote.invoiceNumber}`,
      lines: [{ description: creditNote.reason, amount: creditNote.amount }],
    };
  }
  const empty = emptyUblFields(input);
  if (empty.length > 0) {
    return missing('DOCUMENT_DETAILS_MISSING', `${data.number} lacks what an e-invoice needs: ${empty.join(', ')}`, empty.map((path) => ({ path, message: 'is empty' })));
  }
  return { ok: true, input };
}
