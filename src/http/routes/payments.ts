import { z } from 'zod';
import { ReceivablesService, type CrossFinancierMatch, type PaymentOutcome } from '../../application/receivables.js';
import { DateSchema } from '../../domain/calendar.js';
import { BankEntryBookingSchema, type EventData } from '../../domain/events.js';
import { GeneratedIdSchema, IbanSchema, SlugSchema } from '../../domain/ids.js';
import { AmountSchema, PositiveAmountSchema } from '../../domain/money.js';
import type { AppServices, RoutePlugin } from '../services.js';
import { registryProjection } from '../../projections/registry.js';
import { pledgesProjection } from '../../projections/pledges.js';
import { bankEntriesProjection, expensesPaidProjection, unassignedPaymentsMade } from '../../projections/bank-entries.js';
import { cutOf, CUT_QUERY, READ_ERRORS } from './reads-query.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

export const AllocationBody = z
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

export const PaymentBody = z.strictObject({
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
  matchedBy: z.enum(['treasurer', 'invoice-number-in-description', 'payment-reference', 'pledge-reference-in-description']),
  reason: z.string().optional(),
});

const NotMatchedView = z.object({
  invoiceNumber: z.string(),
  financier: z.string().describe("the invoice's financier"),
  payerFinanciers: z.array(z.string()).describe('the financier(s) whose registered IBAN paid'),
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

const StatementQuery = z.strictObject({
  acceptDifference: z
    .enum(['true', 'false'])
    .default('false')
    .describe("true: import even when the statement's balances differ from the ledger's; the difference is booked to 1950 and reported"),
});

const BankEntryView = z.object({
  id: GeneratedIdSchema,
  account: z.string().describe("the cooperative's account the statement is of"),
  direction: z.enum(['credit', 'debit']),
  date: z.string(),
  amount: AmountSchema,
  bankReference: z.string(),
  counterpartyName: z.string().optional(),
  counterpartyIban: z.string().optional(),
  description: z.string().optional(),
  booking: BankEntryBookingSchema,
  kamer: z.string().optional().describe('petty-cash: the room whose team leader received it; expense: the room it was for'),
  pettyCashTransfer: z.string().optional(),
  expense: z.string().optional().describe('the expense recorded earlier with POST /payments/made that this debit paid'),
});

const BalanceView = z.object({ date: z.string(), statement: AmountSchema, ledger: AmountSchema });

const ReconciliationView = z.object({
  account: z.string(),
  opening: BalanceView.optional().describe("the statement's opening balance and the ledger's on that day, before this import"),
  closing: BalanceView.optional().describe("the statement's closing balance and the ledger's after this import"),
  difference: AmountSchema.describe('booked to 1950 (nog te verklaren bankverschillen) because acceptDifference=true; 0.00 when they agree'),
  differenceAccepted: z.boolean(),
  confirmedReferences: z.array(z.string()).describe('payments recorded by hand that this statement shows'),
});

const StatementImported = z.object({
  id: z.string().describe("the statement message's id (GrpHdr/MsgId)"),
  imported: z.number().int().describe('new credits recorded as received payments'),
  duplicates: z.number().int().describe('entries (either way) whose bank reference was already recorded'),
  matched: z.number().int().describe('imported payments allocated to an invoice named in their remittance text'),
  unmatched: z.number().int(),
  debits: z.number().int().describe('new money out, however booked'),
  bankCosts: z.number().int(),
  interest: z.number().int(),
  pettyCash: z.number().int().describe("debits to a team leader's account matched to a petty-cash transfer already recorded"),
  expenses: z.number().int().describe('debits matched to an expense recorded earlier with POST /payments/made'),
  unassigned: z.number().int().describe('debits waiting at GET /payments/made/unassigned'),
  skippedNotBooked: z.number().int().describe('entries the bank has not booked yet (pending)'),
  payments: z.array(PaymentView),
  entries: z.array(BankEntryView),
  openingBalances: z.array(z.object({ account: z.string(), date: z.string(), amount: AmountSchema })).describe("booked for an account's first statement"),
  reconciliations: z.array(ReconciliationView),
  position: PositionSchema,
});

const BankAccountsBody = z.strictObject({
  accounts: z.array(IbanSchema).min(1).max(20).describe("the cooperative's own accounts; a statement of any other is refused"),
});

const BankAccountsSetView = z.object({ accounts: z.array(z.string()), position: PositionSchema });

const AssignmentBody = z
  .strictObject({
    kamer: SlugSchema.optional().describe('the room the payment was for, with `line`'),
    line: z.string().trim().min(1).max(100).optional().describe("a line of the room's budget for the payment's year"),
    account: z.enum(['bank-costs', 'interest']).optional().describe('instead of kamer and line: the bank\'s own costs or interest'),
  })
  .refine((body) => (body.account === undefined) === (body.kamer !== undefined && body.line !== undefined) && (body.account === undefined || (body.kamer === undefined && body.line === undefined)), {
    message: 'give either kamer and line, or account',
    path: ['kamer'],
  });

const AssignmentCreated = z.object({
  id: GeneratedIdSchema,
  date: z.string(),
  amount: AmountSchema,
  assignment: z.enum(['budget-line', 'bank-costs', 'interest']),
  kamer: z.string().optional(),
  line: z.string().optional(),
  year: z.number().int().optional(),
  position: PositionSchema,
});

function bankEntryView(entry: EventData<'BankEntryBooked'>) {
  const { entryId, kamerId, pettyCashTransferId, expenseId, ...rest } = entry;
  return {
    id: entryId,
    ...rest,
    ...(kamerId === undefined ? {} : { kamer: kamerId }),
    ...(pettyCashTransferId === undefined ? {} : { pettyCashTransfer: pettyCashTransferId }),
    ...(expenseId === undefined ? {} : { expense: expenseId }),
  };
}

function reconciliationView(reconciliation: EventData<'BankStatementReconciled'>) {
  const { messageId: _messageId, ...rest } = reconciliation;
  return rest;
}

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

/** Team leaders' IBANs → their room, from the registry as it stands. */
async function teamLeaderAccounts(services: AppServices): Promise<Map<string, string>> {
  const registry = await services.projections.read(registryProjection);
  const accounts = new Map<string, string>();
  for (const kamer of registry.kamers.values()) if (kamer.teamLeaderIban !== undefined) accounts.set(kamer.teamLeaderIban, kamer.kamerId);
  return accounts;
}

/**
 * Pledges by their kenmerk (a subsidy decision's reference), for matching remittance texts. A
 * kenmerk that two pledges share names neither: the treasurer allocates such a payment by hand.
 */
async function pledgeReferences(services: AppServices): Promise<Map<string, string>> {
  const pledges = await services.projections.read(pledgesProjection);
  const byReference = new Map<string, string>();
  const shared = new Set<string>();
  for (const pledge of pledges.byId.values()) {
    const reference = pledge.reference?.trim();
    if (!reference) continue;
    if (byReference.has(reference)) shared.add(reference);
    byReference.set(reference, pledge.id);
  }
  for (const reference of shared) byReference.delete(reference);
  return byReference;
}

/**
 * The receivables service with what matching money in and out needs (team leaders' accounts,
 * pledge kenmerken, expenses paid): for these routes and the treasurer's page forms alike.
 */
export function paymentsService(services: AppServices): ReceivablesService {
  return new ReceivablesService({
    ...services,
    teamLeaderAccounts: () => teamLeaderAccounts(services),
    pledgeReferences: () => pledgeReferences(services),
    expensesPaid: async () =>
      (await services.projections.read(expensesPaidProjection)).expenses.map(({ expenseId, kamerId, date, amount }) => ({ expenseId, kamerId, date, amount })),
  });
}

/** Money in: received payments, their allocation to invoices or pledges, and bank-statement import. */
export const paymentRoutes: RoutePlugin = async (app, { services }) => {
  const receivables = paymentsService(services);

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
        summary: "Import a camt.053 statement of the cooperative's account: credits become received payments, debits payments made; its balances must agree with the ledger's",
        consumes: ['application/xml', 'text/xml'],
        querystring: StatementQuery,
        body: StatementBody,
        response: { 201: StatementImported, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const acceptDifference = request.query.acceptDifference === 'true';
      const { answer, ...imported } = await receivables.importBankStatement(
        request.body,
        { acceptDifference },
        commandMetadata(request),
        created(request, ({ messageId, payments, entries, reconciliations, openingBalances, position, ...counts }) => ({
          id: messageId,
          ...counts,
          payments: payments.map(paymentView),
          entries: entries.map(bankEntryView),
          openingBalances: openingBalances.map(({ account, date, amount }) => ({ account, date, amount })),
          reconciliations: reconciliations.map(reconciliationView),
          position: position ?? '0',
        })),
      );
      const { messageId, imported: credits, duplicates, matched, unmatched, debits, unassigned } = imported;
      request.log.info({ statement: messageId, imported: credits, duplicates, matched, unmatched, debits, unassigned }, 'bank statement imported');
      return sendAnswer(reply, answer);
    },
  );

  app.put(
    '/cooperative/bank-accounts',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['payments'],
        summary: "Set the cooperative's own bank accounts (IBANs): only their statements are imported",
        body: BankAccountsBody,
        response: { 201: BankAccountsSetView, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { accounts, answer } = await receivables.setBankAccounts(
        request.body.accounts,
        commandMetadata(request),
        created(request, (set) => ({ accounts: [...set.accounts], position: set.position })),
      );
      request.log.info({ accounts: accounts.length }, 'bank accounts set');
      return sendAnswer(reply, answer);
    },
  );

  app.get(
    '/payments/made/unassigned',
    {
      config: { access: ['treasurer', 'accountant'] },
      schema: {
        tags: ['payments'],
        summary: 'Money out from bank statements waiting for the treasurer to assign a room and budget line (or bank costs, interest)',
        querystring: z.strictObject(CUT_QUERY),
        response: { 200: z.object({ payments: z.array(BankEntryView) }), ...READ_ERRORS },
      },
    },
    async (request) => {
      const entries = await services.projections.read(bankEntriesProjection, cutOf(request.query));
      return { payments: unassignedPaymentsMade(entries).map(bankEntryView) };
    },
  );

  app.post(
    '/payments/made/:id/assignment',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['payments'],
        summary: "Assign a payment made that waited to a room's budget line ({ kamer, line }) or to bank costs or interest ({ account })",
        params: PaymentParams,
        body: AssignmentBody,
        response: { 201: AssignmentCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { kamer, line, account } = request.body;
      const target = account !== undefined ? { account } : { kamer: kamer!, line: line! };
      const { assignment, answer } = await receivables.assignBankEntry(
        request.params.id,
        target,
        commandMetadata(request),
        created(request, (assigned) => {
          const { entryId, kamerId, ...rest } = assigned.assignment;
          return { id: entryId, ...rest, ...(kamerId === undefined ? {} : { kamer: kamerId }), position: assigned.position };
        }),
      );
      request.log.info({ entry: assignment.entryId, assignment: assignment.assignment, kamer: assignment.kamerId }, 'payment made assigned');
      return sendAnswer(reply, answer);
    },
  );
};
