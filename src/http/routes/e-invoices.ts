import { z } from 'zod';
import { refuse } from '../../domain/errors.js';
import { GeneratedIdSchema } from '../../domain/ids.js';
import { eInvoiceInputFor } from '../../documents/e-invoice.js';
import { buildUbl } from '../../documents/ubl.js';
import { findIssuedDocument, issuedDocumentsProjection } from '../../projections/issued-documents.js';
import { principalOf } from '../auth.js';
import { HttpProblem, problem, STATUS_FOR_CODE } from '../problem.js';
import type { RoutePlugin } from '../services.js';
import { READ_ERRORS } from './reads-query.js';

const DocumentParams = z.strictObject({
  id: z.union([GeneratedIdSchema, z.string().regex(/^\d{4}-\d{4}$/)]).describe("the invoice's or credit note's id or number (2020-0001)"),
});

/**
 * The Peppol BIS Billing 3.0 e-invoice (UBL 2.1) of an invoice or credit note, as Dutch public
 * bodies receive them: built from the document's own event, so the same bytes every time.
 * docs/e-invoicing.md says what it holds and which rules it passes.
 */
export const eInvoiceRoutes: RoutePlugin = async (app, { services }) => {
  const { projections } = services;

  app.get(
    '/invoices/:id/document.xml',
    {
      config: { access: ['treasurer', 'accountant', 'financier'] },
      schema: {
        tags: ['invoices'],
        summary: 'The invoice or credit note as a Peppol BIS Billing 3.0 e-invoice (UBL 2.1 Invoice or CreditNote)',
        description:
          'Built from the parties’ details recorded with the document when it was issued. 422 FINANCIER_DETAILS_MISSING / ' +
          'COOPERATIVE_DETAILS_MISSING / DOCUMENT_DETAILS_MISSING name each missing field in `errors`.',
        params: DocumentParams,
        produces: ['application/xml', 'application/problem+json'],
        response: { 200: z.string().describe('UBL 2.1 Invoice or CreditNote, Peppol BIS Billing 3.0'), ...READ_ERRORS },
      },
    },
    async (request, reply) => {
      const documents = await projections.read(issuedDocumentsProjection);
      const document = findIssuedDocument(documents, request.params.id);
      // Another financier's document answers as if it did not exist, as GET /invoices/:id does.
      const principal = principalOf(request);
      if (!document || (principal.role === 'financier' && principal.scope !== document.data.financierId)) {
        refuse('NOT_FOUND', `no invoice or credit note ${request.params.id}`);
      }
      const creditedInvoice = document.kind === 'credit-note' ? findIssuedDocument(documents, document.data.invoiceId) : undefined;
      const mapped = eInvoiceInputFor(document, creditedInvoice?.kind === 'invoice' ? creditedInvoice.data : undefined);
      if (!mapped.ok) {
        const { code, detail, errors } = mapped.missing;
        throw new HttpProblem(problem(STATUS_FOR_CODE[code], code, detail, errors));
      }
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${document.kind === 'invoice' ? 'factuur' : 'creditnota'}-${document.data.number}.xml"`)
        .send(buildUbl(mapped.input));
    },
  );
};
