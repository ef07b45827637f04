import { z } from 'zod';
import { refuse } from '../../domain/errors.js';
import { GeneratedIdSchema, SlugSchema } from '../../domain/ids.js';
import { AmountSchema } from '../../domain/money.js';
import { ShareSchema, PledgeFormSchema, PledgeStatusSchema, ReminderKindSchema } from '../../domain/events.js';
import { DEFAULT_REMINDER_POLICY } from '../../domain/receivables/reminders.js';
import { documentsProjection } from '../../projections/documents.js';
import { withReminders } from '../../projections/views/reminders.js';
import { pledgesProjection } from '../../projections/pledges.js';
import { receivablesProjection } from '../../projections/receivables.js';
import { registryProjection } from '../../projections/registry.js';
import { roomsProjection } from '../../projections/rooms.js';
import { financierPositionView, type FinancierPositionView } from '../../projections/views/financier-position.js';
import { pageOf } from '../../projections/views/paging.js';
import { ViewCache } from '../../projections/view-cache.js';
import { financierPart, kamerPart, LogChanges } from '../../projections/log-changes.js';
import type { PledgesState } from '../../projections/pledges.js';
import { answerBytes, type AnswerBytes } from '../answer-bytes.js';
import { compiledResponse } from '../compiled-serializer.js';
import { rememberedValidation } from '../cached-validation.js';
import { findInvoice, INVOICE_STATUSES, invoiceView, listInvoices, overdueReport } from '../../projections/views/invoices.js';
import { unallocatedPayments } from '../../projections/views/payments.js';
import { listPledges } from '../../projections/views/pledges.js';
import { assertScope, principalOf } from '../auth.js';
import type { RoutePlugin } from '../services.js';
import { answeredAt, cutKeyOf, cutOf, isCutRead, sendCachedAnswer, CUT_QUERY, financierFilterFor, READ_ERRORS, READ_NOW, referenceDateFor, YearQuerySchema } from './reads-query.js';
import type { Snapshot } from '../../projections/runner.js';
import type { Computed } from '../../projections/view-cache.js';
import { MAX_LIMIT, pageAnswer, PAGE_QUERY } from './list-schemas.js';
import { roomReadRoutes } from './reads-rooms.js';

const Day = z.string().describe('YYYY-MM-DD');
const ByStatus = z.object({ committed: AmountSchema, conditional: AmountSchema, proposed: AmountSchema, withdrawn: AmountSchema, inKind: AmountSchema });

const PledgesQuery = z.strictObject({ financier: SlugSchema.optional(), kamer: SlugSchema.optional(), year: YearQuerySchema.optional(), ...CUT_QUERY });
const PledgeAnswer = z.object({
  id: z.string(),
  financier: z.string(),
  kamer: z.string(),
  year: z.number().int(),
  amount: AmountSchema.describe('after amendments; for a share pledge, its share of the actual spending so far'),
  share: ShareSchema.optional(),
  form: PledgeFormSchema,
  status: PledgeStatusSchema,
  reference: z.string().optional(),
  referenceDate: Day.optional(),
  note: z.string().optional(),
});

const InvoiceStatus = z.enum(INVOICE_STATUSES);
const InvoiceAnswer = z.object({
  id: z.string(),
  number: z.string(),
  financier: z.string(),
  kamer: z.string(),
  year: z.number().int(),
  pledge: z.string().optional(),
  issueDate: Day,
  dueDate: Day,
  total: AmountSchema,
  reference: z.string().optional().describe("the financier's order number, subsidy decision kenmerk or buyer reference"),
  paymentReference: z.string().optional().describe('the RF creditor reference to pay with (ISO 11649), electronic format'),
  credited: AmountSchema,
  paidAmount: AmountSchema,
  openAmount: AmountSchema,
  status: InvoiceStatus,
  paidOn: Day.optional().describe('bank date of the payment that completed it'),
  daysToPay: z.number().int().optional(),
  onTime: z.boolean().optional().describe('paid within 28 days of its issue date'),
  creditNotes: z.array(z.object({ id: z.string(), number: z.string(), issueDate: Day, amount: AmountSchema })),
});
const InvoiceParams = z.strictObject({ id: z.union([GeneratedIdSchema, z.string().regex(/^\d{4}-\d{4}$/)]).describe("the invoice's id or number (2019-0001)") });
const InvoicesQuery = z.strictObject({
  financier: SlugSchema.optional(),
  kamer: SlugSchema.optional(),
  year: YearQuerySchema.optional(),
  status: InvoiceStatus.optional(),
  ...CUT_QUERY,
});

const UnallocatedAnswer = z.object({
  id: z.string(),
  date: Day,
  amount: AmountSchema,
  allocated: AmountSchema,
  unallocated: AmountSchema,
  payerName: z.string().optional(),
  payerIban: z.string().optional(),
  description: z.string().optional(),
  bankReference: z.string().optional(),
  source: z.enum(['manual', 'camt053']),
});

const OverdueRow = z.object({
  invoice: z.string(),
  number: z.string(),
  financier: z.string(),
  kamer: z.string(),
  year: z.number().int(),
  issueDate: Day,
  dueDate: Day,
  daysOverdue: z.number().int(),
  openAmount: AmountSchema,
  lastReminder: z
    .object({ id: z.string(), kind: ReminderKindSchema, date: Day, channel: z.string(), sequence: z.number().int() })
    .nullable()
    .describe('the latest reminder sent for it (POST /invoices/:id/reminders)'),
  reminderDue: ReminderKindSchema.nullable().describe('the reminder it is due for on the reference date: herinnering N days after the due date, aanmaning M days after that'),
});

export const PositionInvoiceRow = z.object({
  id: z.string(),
  number: z.string(),
  kamer: z.string(),
  year: z.number().int(),
  issueDate: Day,
  dueDate: Day,
  total: AmountSchema,
  credited: AmountSchema,
  paidAmount: AmountSchema,
  openAmount: AmountSchema,
  paidOn: Day.nullable(),
  daysToPay: z.number().int().nullable(),
  onTime: z.boolean().nullable(),
  status: InvoiceStatus,
});

const Figures = { pledged: AmountSchema, invoiced: AmountSchema, paid: AmountSchema, open: AmountSchema, overdue: AmountSchema };
export const PositionAnswer = compiledResponse(z.object({
  financier: z.string(),
  year: z.number().int().nullable(),
  ...Figures,
  pledgedByStatus: ByStatus,
  paidWithoutInvoice: AmountSchema.describe('part of paid allocated straight to pledges (subsidy decisions)'),
  rooms: pageAnswer(z.object({ kamer: z.string(), year: z.number().int(), ...Figures })).describe('one page (?roomsLimit, ?roomsOffset) of the figures per room and year, by year then room'),
  invoices: pageAnswer(PositionInvoiceRow).describe('one page of its invoices (?limit, ?offset), in issue order; the figures above and below cover all of them'),
  fourWeeks: z
    .object({
      paidOnTime: z.number().int(),
      paidLate: z.number().int(),
      open: z.number().int(),
      openAmount: AmountSchema,
      overdue: z.number().int(),
      overdueAmount: AmountSchema,
    })
    .describe('the four-week rule: invoices paid within four weeks of issue, paid later, still open, and overdue'),
  byMonth: z
    .array(z.object({ month: z.string().describe('YYYY-MM'), invoiced: AmountSchema, paid: AmountSchema }))
    .describe('invoiced by month of issue (after credit notes) against paid by the month an invoice was paid in full'),
}));
// The hot read: its params and query are parsed once per distinct URL (rememberedValidation).
const PositionParams = rememberedValidation(z.strictObject({ financier: SlugSchema }));
const PositionQuery = rememberedValidation(z.strictObject({
  year: YearQuerySchema.optional(),
  ...PAGE_QUERY,
  // Rooms × years grows with the cooperative (450 rows for a financier over 15 years): paged apart from the invoices.
  roomsLimit: PAGE_QUERY.limit.describe(`rows per page of rooms, 1–${MAX_LIMIT} (default 50)`),
  roomsOffset: PAGE_QUERY.offset.describe('rows of rooms to skip (default 0)'),
}));
const POSITION_PROJECTIONS = [registryProjection, pledgesProjection, receivablesProjection, roomsProjection] as const;
/** A whole position holds every invoice of the financier (a few MB at a million events): keep few. */
const POSITION_VIEWS = 32;
/** One page of a position is tens of KB: a few pages of each of the most-read positions. */
const POSITION_PAGES = 128;
const CutOnlyQuery = z.strictObject(CUT_QUERY);

const FINANCE_READERS = ['treasurer', 'accountant', 'financier'] as const;

/**
 * The read side of the money: pledges, invoices, unallocated payments, financier positions and
 * the overdue report. Every read is bitemporal (?asOf, ?knownAt); a financier token sees only
 * its own financier's rows. Answers are built in the same tick as the projection read (the
 * runner's states are shared and caught up in place).
 */
export const readRoutes: RoutePlugin = async (app, { services }) => {
  const { projections, clock } = services;
  const changes = LogChanges.of(services.store);
  const positionViews = new ViewCache<FinancierPositionView>(POSITION_VIEWS, changes);
  const positionAnswers = { projections, changes, answers: new ViewCache<AnswerBytes>(POSITION_PAGES, changes) };

  app.get(
    '/pledges',
    {
      config: { access: FINANCE_READERS },
      schema: { tags: ['reads'], summary: 'Pledges with their current status and amount', querystring: PledgesQuery, response: { 200: z.array(PledgeAnswer), ...READ_ERRORS } },
    },
    async (request, reply) => {
      const { kamer, year } = request.query;
      const financier = financierFilterFor(request, request.query.financier);
      const { states, position } = await projections.readMany([pledgesProjection, roomsProjection] as const, cutOf(request.query), READ_NOW);
      answeredAt(reply, position);
      return listPledges(states[0], states[1], { financier, kamer, year });
    },
  );

  app.get(
    '/invoices/:id',
    {
      config: { access: FINANCE_READERS },
      schema: { tags: ['reads'], summary: 'One invoice with its status, paid and open amounts', params: InvoiceParams, querystring: CutOnlyQuery, response: { 200: InvoiceAnswer, ...READ_ERRORS } },
    },
    async (request, reply) => {
      const { states, position } = await projections.readMany([receivablesProjection] as const, cutOf(request.query), READ_NOW);
      const invoice = findInvoice(states[0], request.params.id);
      // Another financier's invoice answers as if it did not exist: numbers have no gaps, so a
      // 403 for "exists, not yours" would let a financier count the cooperative's invoices.
      const principal = principalOf(request);
      if (!invoice || (principal.role === 'financier' && principal.scope !== invoice.financierId)) refuse('NOT_FOUND', `no invoice ${request.params.id}`);
      answeredAt(reply, position);
      return invoiceView(invoice, referenceDateFor(request.query, clock()));
    },
  );

  app.get(
    '/invoices',
    {
      config: { access: FINANCE_READERS },
      schema: { tags: ['reads'], summary: 'Invoices, filtered by financier, room, year and status', querystring: InvoicesQuery, response: { 200: z.array(InvoiceAnswer), ...READ_ERRORS } },
    },
    async (request, reply) => {
      const { kamer, year, status } = request.query;
      const financier = financierFilterFor(request, request.query.financier);
      const { states, position } = await projections.readMany([receivablesProjection] as const, cutOf(request.query), READ_NOW);
      answeredAt(reply, position);
      return listInvoices(states[0], { financier, kamer, year, status }, referenceDateFor(request.query, clock()));
    },
  );

  app.get(
    '/payments/unallocated',
    {
      config: { access: ['treasurer', 'accountant'] },
      schema: { tags: ['reads'], summary: 'Received money not yet (fully) allocated to invoices or pledges', querystring: CutOnlyQuery, response: { 200: z.array(UnallocatedAnswer), ...READ_ERRORS } },
    },
    async (request, reply) => {
      const { states, position } = await projections.readMany([receivablesProjection] as const, cutOf(request.query), READ_NOW);
      answeredAt(reply, position);
      return unallocatedPayments(states[0]);
    },
  );

  app.get(
    '/reports/overdue',
    {
      config: { access: FINANCE_READERS },
      schema: { tags: ['reads'], summary: 'Every invoice past its due date and not fully paid', querystring: CutOnlyQuery, response: { 200: z.array(OverdueRow), ...READ_ERRORS } },
    },
    async (request, reply) => {
      const financier = financierFilterFor(request, undefined);
      const { states, position } = await projections.readMany([receivablesProjection, documentsProjection] as const, cutOf(request.query), READ_NOW);
      const [receivables, documents] = states;
      answeredAt(reply, position);
      const referenceDate = referenceDateFor(request.query, clock());
      return withReminders(overdueReport(receivables, referenceDate, financier), documents, referenceDate, services.reminderPolicy ?? DEFAULT_REMINDER_POLICY);
    },
  );

  app.get(
    '/financiers/:financier/position',
    {
      config: { access: FINANCE_READERS },
      schema: {
        tags: ['reads'],
        summary: "A financier's position: pledged, invoiced, paid, open, overdue, per room and per invoice",
        params: PositionParams,
        querystring: PositionQuery,
        response: { 200: PositionAnswer, ...READ_ERRORS },
      },
    },
    (request, reply) => {
      const { financier } = request.params;
      assertScope(request, 'financier', financier);
      const { year, limit, offset, roomsLimit, roomsOffset } = request.query;
      const referenceDate = referenceDateFor(request.query, clock());
      // The whole position is cached (its totals, four weeks and months cover every invoice), and
      // each page of it as sent.
      const viewKey = `${financier}|${year ?? ''}|${referenceDate}|${cutKeyOf(request.query)}`;
      const pageKey = `${viewKey}|${limit}|${offset}|${roomsLimit}|${roomsOffset}`;
      const pageOfPosition = ({ states: [registry, pledges, receivables, rooms], position }: Snapshot<typeof POSITION_PROJECTIONS>): (() => Computed<AnswerBytes>) => {
        if (!registry.financiers.has(financier)) refuse('NOT_FOUND', `no financier ${financier}`);
        return () => {
          const { view, parts } = positionViews.forRead(isCutRead(request.query), position, viewKey, () => ({
            view: financierPositionView({ pledges, receivables, rooms }, financier, year, referenceDate),
            parts: positionParts(pledges, financier),
          }));
          const asIs = <T>(row: T): T => row;
          const answer = { ...view, rooms: pageOf(view.rooms, { limit: roomsLimit, offset: roomsOffset }, asIs), invoices: pageOf(view.invoices, { limit, offset }, asIs) };
          return { view: answerBytes(reply, answer), parts };
        };
      };
      const read = { projections: POSITION_PROJECTIONS, query: request.query, key: pageKey };
      return sendCachedAnswer(request, reply, positionAnswers, read, pageOfPosition);
    },
  );

  await app.register(roomReadRoutes, { services });
};

/**
 * What a financier's position reads: its own pledges, invoices and payments, and the spending of
 * each room where it pledged a share of the actual costs (a share pledge counts that share of the
 * room's spending so far). A new share pledge names the financier, so it changes this list too.
 */
function positionParts(pledges: PledgesState, financier: string): string[] {
  const parts = new Set([financierPart(financier)]);
  for (const pledge of pledges.byFinancier.get(financier) ?? []) if (pledge.share !== undefined) parts.add(kamerPart(pledge.kamerId));
  return [...parts];
}
