import { z } from 'zod';
import { ReceivablesService } from '../../application/receivables.js';
import { DateSchema, YearSchema } from '../../domain/calendar.js';
import { InvoiceLineSchema, type EventData } from '../../domain/events.js';
import { GeneratedIdSchema, SlugSchema } from '../../domain/ids.js';
import { AmountSchema, PositiveAmountSchema } from '../../domain/money.js';
import type { RoutePlugin } from '../services.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

const InvoiceNumberSchema = z.string().regex(/^\d{4}-\d{4}$/);

/** The financier's reference as it must appear on the invoice (Peppol BT-10/BT-13 hold up to 200 characters). */
const ReferenceSchema = z.string().trim().min(1, 'must not be empty').max(200);

export const InvoiceBody = z.strictObject({
  financier: SlugSchema,
  kamer: SlugSchema,
  year: YearSchema.describe('the financing year the invoice is for'),
  pledge: GeneratedIdSchema.optional().describe('the pledge (toezegging) invoiced; the invoice may not exceed what is left of it'),
  issueDate: DateSchema.optional().describe('default: today in Amsterdam; the number comes from the series of its year'),
  lines: z
    .array(
      z.strictObject({
        description: z.string().trim().min(1, 'must not be empty').max(500),
        amount: PositiveAmountSchema,
      }),
    )
    .min(1, 'an invoice needs at least one line')
    .max(200, 'an invoice has at most 200 lines')
    .optional()
    .describe('may be left out only for a share pledge: then one line invoices its share of the actual costs'),
  reference: ReferenceSchema.optional().describe("the financier's order number, subsidy decision kenmerk or buyer reference; required for a financier that requires a buyer reference"),
});

const InvoiceCreated = z.object({
  id: GeneratedIdSchema,
  number: InvoiceNumberSchema,
  financier: z.string(),
  kamer: z.string(),
  year: z.number().int(),
  pledge: z.string().optional(),
  issueDate: z.string(),
  dueDate: z.string(),
  lines: z.array(InvoiceLineSchema),
  total: AmountSchema,
  reference: z.string().optional(),
  paymentReference: z.string().optional().describe('the RF creditor reference (ISO 11649) to pay with, electronic format'),
  position: PositionSchema,
});

const InvoiceParams = z.strictObject({ id: z.string().min(1).max(100).describe("the invoice's id or its number (2019-0001)") });

export const CreditNoteBody = z.strictObject({
  amount: PositiveAmountSchema.optional().describe('default: all that is open on the invoice'),
  reason: z.string().trim().min(1, 'must not be empty').max(500),
  issueDate: DateSchema.optional().describe('default: today in Amsterdam'),
  reference: ReferenceSchema.optional().describe("the financier's reference; default: the credited invoice's"),
});

const CreditNoteCreated = z.object({
  id: GeneratedIdSchema,
  number: InvoiceNumberSchema,
  amount: AmountSchema,
  creditedInvoice: GeneratedIdSchema,
  creditedInvoiceNumber: InvoiceNumberSchema,
  financier: z.string(),
  kamer: z.string(),
  year: z.number().int(),
  issueDate: z.string(),
  reason: z.string(),
  reference: z.string().optional(),
  invoiceOpenAmount: AmountSchema.describe('what stays open on the credited invoice'),
  position: PositionSchema,
});

function invoiceView(invoice: EventData<'InvoiceIssued'>) {
  return {
    id: invoice.invoiceId,
    number: invoice.number,
    financier: invoice.financierId,
    kamer: invoice.kamerId,
    year: invoice.year,
    ...(invoice.pledgeId === undefined ? {} : { pledge: invoice.pledgeId }),
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    lines: invoice.lines,
    total: invoice.total,
    ...(invoice.reference === undefined ? {} : { reference: invoice.reference }),
    ...(invoice.paymentReference === undefined ? {} : { paymentReference: invoice.paymentReference }),
  };
}

/** Invoices (facturen) and credit notes (creditnota's): the treasurer's writes. GETs live in their own plugin. */
export const invoiceRoutes: RoutePlugin = async (app, { services }) => {
  const receivables = new ReceivablesService(services);

  app.post(
    '/invoices',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['invoices'],
        summary: 'Issue an invoice to a financier that pays on invoice; numbered YYYY-NNNN, due in 28 days',
        body: InvoiceBody,
        response: { 201: InvoiceCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { invoice, answer } = await receivables.issueInvoice(
        request.body,
        commandMetadata(request),
        created(request, ({ invoice, position }) => ({ ...invoiceView(invoice), position })),
      );
      request.log.info({ invoice: invoice.number, financier: invoice.financierId }, 'invoice issued');
      return sendAnswer(reply, answer);
    },
  );

  app.post(
    '/invoices/:id/credit-notes',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['invoices'],
        summary: 'Credit (part of) an invoice: never more than is open; numbered in the same series',
        params: InvoiceParams,
        body: CreditNoteBody,
        response: { 201: CreditNoteCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { creditNote, answer } = await receivables.issueCreditNote(
        request.params.id,
        request.body,
        commandMetadata(request, request.body.reason),
        created(request, ({ creditNote, openAmount, position }) => ({
          id: creditNote.creditNoteId,
          number: creditNote.number,
          amount: creditNote.amount,
          creditedInvoice: creditNote.invoiceId,
          creditedInvoiceNumber: creditNote.invoiceNumber,
          financier: creditNote.financierId,
          kamer: creditNote.kamerId,
          year: creditNote.year,
          issueDate: creditNote.issueDate,
          reason: creditNote.reason,
          ...(creditNote.reference === undefined ? {} : { reference: creditNote.reference }),
          invoiceOpenAmount: openAmount,
          position,
        })),
      );
      request.log.info({ creditNote: creditNote.number, invoice: creditNote.invoiceNumber }, 'credit note issued');
      return sendAnswer(reply, answer);
    },
  );
};
