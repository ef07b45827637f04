import type { EventData } from '../domain/events.js';
import { creditorReferenceFor, printedCreditorReference } from '../domain/receivables/payment-reference.js';
import { addDays } from '../domain/calendar.js';
import { dutchDate, euro } from './format.js';
import { completeParties, invoiceEpcPayload, paymentInstruction, QR_CAPTION } from './invoice-document.js';
import { addressee, facts, finish, newDocument, paragraph, qrCode, supplierHeader, title, type Logo } from './pdf.js';

/** Days the financier gets to pay after a reminder's date. */
export const REMINDER_PAYMENT_DAYS = 14;

/**
 * The reminder (herinnering) or formal reminder (aanmaning) as PDF, from its ReminderSent event
 * (and the invoice's): what is still open, the original due date, the days overdue, the RF
 * reference and an EPC QR code for the open amount.
 */
export async function reminderPdf(reminder: EventData<'ReminderSent'>, invoice: EventData<'InvoiceIssued'>, logo: Logo | undefined): Promise<Buffer> {
  const { supplier, customer } = completeParties(`the reminder for invoice ${reminder.invoiceNumber}`, reminder.financierId, reminder.parties);
  const formal = reminder.kind === 'aanmaning';
  const heading = `${formal ? 'Aanmaning' : 'Betalingsherinnering'} factuur ${reminder.invoiceNumber}`;
  const reference = invoice.paymentReference ?? creditorReferenceFor(invoice.number);
  const payBy = addDays(reminder.date, REMINDER_PAYMENT_DAYS);
  const document = await newDocument({ title: heading, subject: `${heading} aan ${customer.name}`, author: supplier.name, date: reminder.date });
  supplierHeader(document, supplier, logo);
  addressee(document, customer.name, customer.address);
  title(document, formal ? 'Aanmaning' : 'Betalingsherinnering');
  facts(document, [
    ['Datum', dutchDate(reminder.date)],
    ['Factuurnummer', reminder.invoiceNumber],
    ['Factuurdatum', dutchDate(invoice.issueDate)],
    ['Oorspronkelijke vervaldatum', dutchDate(reminder.dueDate)],
    ['Dagen over de vervaldatum', String(reminder.daysOverdue)],
    ['Factuurbedrag', euro(invoice.total)],
    ['Nog te betalen', euro(reminder.openAmount)],
    ...(invoice.reference === undefined ? [] : [['Uw kenmerk', invoice.reference] as const]),
    ['Betalingskenmerk', printedCreditorReference(reference)],
  ]);
  paragraph(
    document,
    formal
      ? `Ondanks onze eerdere herinnering hebben wij de betaling van factuur ${reminder.invoiceNumber} nog niet (volledig) ontvangen. ` +
          `Wij verzoeken u dringend het openstaande bedrag van ${euro(reminder.openAmount)} binnen ${REMINDER_PAYMENT_DAYS} dagen te betalen.`
      : `Volgens onze administratie is factuur ${reminder.invoiceNumber} nog niet (volledig) betaald. Wellicht is dit aan uw aandacht ontsnapt. ` +
          `Heeft u inmiddels betaald, dan kunt u deze herinnering als niet verzonden beschouwen.`,
  );
  document.moveDown(1);
  paragraph(document, paymentInstruction(supplier, reminder.openAmount, payBy, reference));
  document.moveDown(1);
  qrCode(document, invoiceEpcPayload(invoice, supplier, reminder.openAmount), QR_CAPTION);
  return finish(document);
}
