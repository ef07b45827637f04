import { z } from 'zod';
import { refuse } from '../../domain/errors.js';
import { creditNotePdf, invoicePdf } from '../../documents/invoice-document.js';
import { documentsProjection, findDocument, type DocumentsState } from '../../projections/documents.js';
import { principalOf } from '../auth.js';
import type { RoutePlugin } from '../services.js';
import { cutOf, CUT_QUERY, READ_ERRORS } from './reads-query.js';

const DocumentParams = z.strictObject({ id: z.string().min(1).max(100).describe("the invoice's or credit note's id or number (2020-0001)") });
const CutOnlyQuery = z.strictObject(CUT_QUERY);
const PdfAnswer = z.instanceof(Buffer).describe('the PDF document (application/pdf)');

const FINANCE_READERS = ['treasurer', 'accountant', 'financier'] as const;

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
      config: { access: FINANCE_READERS },
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
};
