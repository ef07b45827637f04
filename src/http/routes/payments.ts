import { z } from 'zod';
import { ReceivablesService, type CrossFinancierMatch, type PaymentOutcome } from '../../application/receivables.js';
import { DateSchema } from '../../domain/calendar.js';
import type { EventData } from '../../domain/events.js';
import { GeneratedIdSchema, IbanSchema } from '../../domain/ids.js';
import { AmountSchema, PositiveAmountSchema } from '../../domain/money.js';
import type { RoutePlugin } from '../services.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

const AllocationBody = z
  .strictObject({
    invoice: z.string().trim().min(1).max(100).optional().describe('the invoice id or number (2019-0001)'),
    pledge: GeneratedIdSchema.optional().describe('a pledge paid without an invoice (e.g. a subsidy decision)'),
    amount: PositiveAmountSchema,
    reason: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(500)
      .optional()
      .describe("why: required when the payer's IBAN is registered to another financier than the invoice's or pledge's; recorded with the allocation"),
  })
  .refine((allocation) => (allocation.invoice === undefined) !== (allocation.pledge === undefined), {
    message: 'give exactly one of invoice and pledge',
    path: ['invoice'],
  });

const PaymentBody = z.strictObject({
  date: DateSchema.describe("the bank's booking date"),
  amount: PositiveAmountSchema,
  payerName: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  payerIban: IbanSchema.optional(),
  description: z.string().max(1000).optional().describe('the remittance text; an invoice number in it (2019-0001) is matched when no allocations are given'),
  bankReference: z.string().trim().min(1, 'must not be empty').max(200).optional().describe("the bank's reference; a second payment with it is refused as a duplicate"),
  allocations: z.array(AllocationBody).max(100).optional().describe('absent: match invoice numbers in the description; [] keeps the payment unallocated'),
});

const AllocationView = z.object({
  id: GeneratedIdSchema,
  invoice: GeneratedIdSchema.optional(),
  invoiceNumber: z.string().optional(),
  pledge: GeneratedIdSchema.optional(),
  amount: AmountSchema,
  matchedBy: z.enum(['treasurer', 'invoice-number-in-description', 'payment-reference']),
  reason: z.string().optional(),
});

const NotMatchedView = z.object({
  invoiceNumber: z.string(),
  financier: z.string().describe("the invoice's financier"),
  payerFinanciers: z.array(z.string()).describe("the financier(s) whose registered IBAN paid"),
});

const PaymentView = z.object({
  id: GeneratedIdSchema,
  date: z.string(),
  amount: AmountSchema,
  payerName: z.string().optional(),
  payerIban: z.string().optional(),
  description: z.string().optional(),
  bankReference: z.string().optional(),
  source: z.enum(['manual', 'camt053']),
  allocations: z.array(AllocationView),
  unallocated: AmountSchema.describe('what is left of the payment for later allocation'),
  notMatched: z
    .array(NotMatchedView)
    .optional()
    .describe("invoice numbers in the description that automatic matching left unallocated because another financier's account paid: allocate them with a reason if that is right"),
});

const PaymentCreated = PaymentView.extend({ position: PositionSchema });

const PaymentParams = z.strictObject({ id: GeneratedIdSchema });

const AllocationCreated = AllocationView.extend({
  payment: GeneratedIdSchema,
  paymentUnallocated: AmountSchema.describe('what is left of the payment after this allocation'),
  invoiceOpenAmount: AmountSchema.optional().describe('what stays open on the invoice'),
  position: PositionSchema,
});

const StatementBody = z.string().min(1, 'send the camt.053 XML document as the body').describe('a camt.053.001.02 XML document');

const StatementImported = z.object({
  id: z.string().describe("the statement message's id (GrpHdr/MsgId)"),
  imported: z.number().int(),
  duplicates: z.number().int().describe('credits whose bank reference was already imported'),
  matched: z.number().int().describe('imported payments allocated to an invoice named in their remittance text'),
  unmatched: z.number().int(),
  skippedDebits: z.number().int().describe('money out: recorded as expenses, not here'),
  skippedNotBooked: z.number().int().describe('entries the bank has not booked yet (pending)'),
  payments: z.array(PaymentView),
  position: PositionSchema,
});

function allocationView(allocation: EventData<'PaymentAllocated'>) {
  return {
    id: allocation.allocationId,
    ...(allocation.invoiceId === undefined ? {} : { invoice: allocation.invoiceId, invoiceNumber: allocation.invoiceNumber }),
    ...(allocation.pledgeId === undefined ? {} : { pledge: allocation.pledgeId }),
    amount: allocation.amount,
    matchedBy: allocation.matchedBy,
    ...(allocation.reason === undefined ? {} : { reason: allocation.reason }),
  };
}

function notMatchedView({ invoiceNumber, financier, payerFinanciers }: CrossFinancierMatch) {
  return { invoiceNumber, financier, payerFinanciers: [...payerFinanciers] };
}

function paymentView({ payment, allocations, unallocated, notMatched }: PaymentOutcome) {
  const { paymentId, ...rest } = payment;
  return { id: paymentId, ...rest, allocations: allocations.map(allocationView), unallocated, ...(notMatched ? { notMatched: notMatched.map(notMatchedView) } : {}) };
}

/** Money in: received payments, their allocation to invoices or pledges, and bank-statement import. */
export const paymentRoutes: RoutePlugin = async (app, { services }) => {
  const receivables = new ReceivablesService(services);

  app.post(
    '/payments/received',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['payments'],
        summary: 'Record money received, allocated as given or by the invoice number in its description',
        body: PaymentBody,
        response: { 201: PaymentCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const outcome = await receivables.receivePayment(
        request.body,
        commandMetadata(request),
        created(request, (received) => ({ ...paymentView(received), position: received.position })),
      );
      request.log.info({ payment: outcome.payment.paymentId, allocations: outcome.allocations.length }, 'payment received');
      return sendAnswer(reply, outcome.answer);
    },
  );

  app.post(
    '/payments/:id/allocations',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['payments'],
        summary: "Allocate (part of) a received payment's unallocated money to an invoice or a pledge",
        params: PaymentParams,
        body: AllocationBody,
        response: { 201: AllocationCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { allocation, answer } = await receivables.allocatePayment(
        request.params.id,
        request.body,
        commandMetadata(request),
        created(request, ({ allocation, unallocated, invoiceOpenAmount, position }) => ({
          ...allocationView(allocation),
          payment: allocation.paymentId,
          paymentUnallocated: unallocated,
          ...(invoiceOpenAmount === undefined ? {} : { invoiceOpenAmount }),
          position,
        })),
      );
      request.log.info({ payment: allocation.paymentId, invoice: allocation.invoiceNumber, pledge: allocation.pledgeId }, 'payment allocated');
      return sendAnswer(reply, answer);
    },
  );

  app.post(
    '/bank-statements',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['payments'],
        summary: 'Import a camt.053 bank statement: each new credit becomes a received payment; re-importing imports nothing twice',
        consumes: ['application/xml', 'text/xml'],
        body: StatementBody,
        response: { 201: StatementImported, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { answer, ...imported } = await receivables.importBankStatement(
        request.body,
        commandMetadata(request),
        created(request, ({ messageId, payments, position, ...counts }) => ({ id: messageId, ...counts, payments: payments.map(paymentView), position: position ?? '0' })),
      );
      const { messageId, payments: _payments, position: _position, ...counts } = imported;
      request.log.info({ statement: messageId, ...counts }, 'bank statement imported');
      return sendAnswer(reply, answer);
    },
  );
};
