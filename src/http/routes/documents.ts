import { z } from 'zod';
import { refuse } from '../../domain/errors.js';
import { creditNotePdf, invoicePdf } from '../../documents/invoice-document.js';
import { documentsProjection, findDocument, type DocumentsState } from '../../projections/documents.js';
import { statementPdf } from '../../documents/statement-document.js';
import { reminderPdf } from '../../documents/reminder-document.js';
import { SlugSchema } from '../../domain/ids.js';
import { financierPositionView } from '../../projections/views/financier-position.js';
import { readFinancierDocumentStates } from '../../projections/financier-reads.js';
import { listPledges } from '../../projections/views/pledges.js';
import { principalOf } from '../auth.js';
import type { RoutePlugin } from '../services.js';
import { cutOf, CUT_QUERY, READ_ERRORS, referenceDateFor, YearQuerySchema } from './reads-query.js';

const DocumentParams = z.strictObject({ id: z.string().min(1).max(100).describe("the invoice's or credit note's id or number (2020-0001)") });
const CutOnlyQuery = z.strictObject(CUT_QUERY);
const PdfAnswer = z.instanceof(Buffer).describe('the PDF document (application/pdf)');

const FINANCE_READERS = ['treasurer', 'accountant', 'financier'] as const;
const StatementParams = z.strictObject({ financier: SlugSchema });
const StatementQuery = z.strictObject({ year: YearQuerySchema.describe('the pledges\' and invoices\' year'), ...CUT_QUERY });

/** The logo of the cooperative's details a document was issued with (`supplier.revision`). */
export function logoFor(documents: DocumentsState, revision: number | undefined) {
  return revision === undefined ? undefined : documents.logos[revision];
}

/** The documents the treasurer sends, as PDF, built from the log alone: the same document, the same bytes. */
export const documentRoutes: RoutePlugin = async (app, { services }) => {
  const { projections } = services;

  app.get(
    '/invoices/:id/document.pdf',
    {
      // The financier's page links here: a page session is accepted besides a bearer token.
      config: { access: FINANCE_READERS, session: 'document' },
      schema: {
        tags: ['documents'],
        summary: 'The invoice or credit note as a Dutch PDF, with the RF payment reference and an EPC QR code; byte-identical on every request',
        params: DocumentParams,
        querystring: CutOnlyQuery,
        produces: ['application/pdf', 'application/problem+json'],
        response: { 200: PdfAnswer, ...READ_ERRORS },
      },
    },
    async (request, reply) => {
      const documents = await projections.read(documentsProjection, cutOf(request.query));
      const found = findDocument(documents, request.params.id);
      const financierId = found && (found.kind === 'invoice' ? found.invoice.financierId : found.creditNote.financierId);
      const principal = principalOf(request);
      // Another financier's document answers as if it did not exist (numbers are gapless).
      if (!found || (principal.role === 'financier' && principal.scope !== financierId)) refuse('NOT_FOUND', `no invoice or credit note ${request.params.id}`);
      const pdf =
        found.kind === 'invoice'
          ? await invoicePdf(found.invoice, logoFor(documents, found.invoice.parties?.supplier?.revision))
          : await creditNotePdf(found.creditNote, logoFor(documents, found.creditNote.parties?.supplier?.revision));
      const name = found.kind === 'invoice' ? `factuur-${found.invoice.number}.pdf` : `creditnota-${found.creditNote.number}.pdf`;
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).send(pdf);
    },
  );

  app.get(
    '/financiers/:financier/statement.pdf',
    {
      config: { access: FINANCE_READERS },
      schema: {
        tags: ['documents'],
        summary: "A financier's statement for a year as a Dutch PDF: pledges, invoices with issue, due and paid dates, days to pay, on time or late, open and overdue",
        params: StatementParams,
        querystring: StatementQuery,
        produces: ['application/pdf', 'application/problem+json'],
        response: { 200: PdfAnswer, ...READ_ERRORS },
      },
    },
    async (request, reply) => {
      const { financier } = request.params;
      const { year } = request.query;
      const principal = principalOf(request);
      // Like an invoice, another financier's statement answers as if it did not exist.
      if (principal.role === 'financier' && principal.scope !== financier) refuse('NOT_FOUND', `no financier ${financier}`);
      const cut = cutOf(request.query);
      const { registry, pledges, receivables, rooms, documents } = await readFinancierDocumentStates(projections, cut);
      const registered = registry.financiers.get(financier);
      if (!registered) return refuse('NOT_FOUND', `no financier ${financier}`);
      const referenceDate = referenceDateFor(request.query, services.clock());
      const cooperative = documents.cooperative?.details;
      const pdf = await statementPdf({
        supplier: cooperative,
        logo: cooperative?.logo,
        financier: { id: financier, name: registered.name, address: registered.address },
        year,
        referenceDate,
        pledges: listPledges(pledges, rooms, { financier, year }),
        position: financierPositionView({ pledges, receivables, rooms }, financier, year, referenceDate),
        kamerName: (kamerId) => registry.kamers.get(kamerId)?.name ?? kamerId,
      });
      return reply.type('application/pdf').header('content-disposition', `inline; filename="overzicht-${financier}-${year}.pdf"`).send(pdf);
    },
  );

  app.get(
    '/reminders/:id/document.pdf',
    {
      config: { access: FINANCE_READERS },
      schema: {
        tags: ['documents'],
        summary: 'A payment reminder (herinnering or aanmaning) as a Dutch PDF: open amount, original due date, days overdue, RF reference and EPC QR code',
        params: z.strictObject({ id: z.string().uuid('must be a reminder id (a UUID)') }),
        querystring: CutOnlyQuery,
        produces: ['application/pdf', 'application/problem+json'],
        response: { 200: PdfAnswer, ...READ_ERRORS },
      },
    },
    async (request, reply) => {
      const documents = await projections.read(documentsProjection, cutOf(request.query));
      const reminder = documents.reminders.get(request.params.id);
      const invoice = reminder && documents.invoices.get(reminder.invoiceId);
      const principal = principalOf(request);
      if (!reminder || !invoice || (principal.role === 'financier' && principal.scope !== reminder.financierId)) refuse('NOT_FOUND', `no reminder ${request.params.id}`);
      const pdf = await reminderPdf(reminder, invoice, logoFor(documents, reminder.parties?.supplier?.revision));
      const name = `${reminder.kind}-${reminder.invoiceNumber}-${reminder.sequence}.pdf`;
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).send(pdf);
    },
  );
};
