import { z } from 'zod';
import { refuse } from '../../domain/errors.js';
import { SlugSchema } from '../../domain/ids.js';
import { AmountSchema } from '../../domain/money.js';
import { yearOf } from '../../domain/calendar.js';
import { pettyCashProjection } from '../../projections/petty-cash.js';
import { pledgesProjection } from '../../projections/pledges.js';
import { registryProjection } from '../../projections/registry.js';
import { roomsProjection } from '../../projections/rooms.js';
import { roomBudgetView } from '../../projections/views/budget.js';
import { ViewCache } from '../../projections/view-cache.js';
import { kamerPart, LogChanges } from '../../projections/log-changes.js';
import { answerBytes, type AnswerBytes } from '../answer-bytes.js';
import { compiledResponse } from '../compiled-serializer.js';
import { rememberedValidation } from '../cached-validation.js';
import { pettyCashView } from '../../projections/views/petty-cash.js';
import { assertScope } from '../auth.js';
import type { RoutePlugin } from '../services.js';
import { answeredAt, cutKeyOf, cutOf, sendCachedAnswer, CUT_QUERY, READ_ERRORS, READ_NOW, referenceDateFor, YearQuerySchema } from './reads-query.js';
import type { Snapshot } from '../../projections/runner.js';
import type { Computed } from '../../projections/view-cache.js';

const PerCategory = z.object({ A: AmountSchema, B: AmountSchema, C: AmountSchema, D: AmountSchema, E: AmountSchema, F: AmountSchema });

// The hot read: its params and query are parsed once per distinct URL (rememberedValidation).
const BudgetParams = rememberedValidation(z.strictObject({ kamer: SlugSchema, year: YearQuerySchema }));
const BudgetQuery = rememberedValidation(z.strictObject(CUT_QUERY));
export const BudgetAnswer = compiledResponse(z.object({
  kamer: z.string(),
  year: z.number().int(),
  budget: z.object({ lines: z.array(z.object({ line: z.string(), label: z.string(), amount: AmountSchema })), total: AmountSchema }),
  pledged: z.object({ committed: AmountSchema, conditional: AmountSchema, proposed: AmountSchema, withdrawn: AmountSchema, inKind: AmountSchema }),
  invoiced: AmountSchema.describe('invoice totals minus credit notes'),
  received: AmountSchema.describe("payments allocated to the room's invoices and pledges"),
  outstanding: AmountSchema.describe('invoiced minus received on invoices'),
  spent: z.object({ byLine: z.record(z.string(), AmountSchema), pettyCash: PerCategory, total: AmountSchema }),
  pettyCashTransferred: AmountSchema,
  cash: AmountSchema.describe('received minus expenses minus petty cash transferred: money in for the room minus money out of the cooperative for it'),
  fundingGap: AmountSchema.describe('budget total minus committed pledges'),
  volunteers: z.object({
    hours: z.object({ resident: z.string(), professional: z.string() }),
    value: AmountSchema,
    activeVolunteers: z.number().int().describe('volunteers with at least 250 hours in this room and year'),
  }),
  popularBudget: AmountSchema.describe('budget total plus the value of the volunteer hours'),
  financiersShare: z.string().regex(/^[01]\.\d{4}$/).describe('committed pledges ÷ popular budget, in [0, 1]'),
}));
const BUDGET_PROJECTIONS = [registryProjection, pledgesProjection, roomsProjection] as const;
/** A budget answer is under a kilobyte: one per room and year of a busy cooperative. */
const BUDGET_VIEWS = 512;

const PettyCashParams = z.strictObject({ kamer: SlugSchema });
const PettyCashQuery = z.strictObject({ year: YearQuerySchema.optional().describe('default: the year of the reference date'), ...CUT_QUERY });
const PettyCashAnswer = z.object({
  kamer: z.string(),
  year: z.number().int(),
  openingBalance: AmountSchema,
  months: z.array(
    z.object({
      month: z.string(),
      transferred: AmountSchema.describe("transfers that count against this month's limit (their `month`)"),
      transferredByDate: AmountSchema.describe('transfers dated in this month, whatever month they count against'),
      spent: PerCategory,
      spentTotal: AmountSchema,
      balance: AmountSchema.describe('petty cash at the end of the month: opening balance + transfers by date − spending'),
    }),
  ),
  totals: z.object({ transferred: AmountSchema, transferredByDate: AmountSchema, spent: PerCategory, spentTotal: AmountSchema }),
  closingBalance: AmountSchema,
});

const ROOM_READERS = ['treasurer', 'accountant', 'teamleader'] as const;

/** A room's budget balance and its petty cash; a team leader reads only its own room. */
export const roomReadRoutes: RoutePlugin = async (app, { services }) => {
  const { projections, clock } = services;
  const changes = LogChanges.of(services.store);
  const budgets = { projections, changes, answers: new ViewCache<AnswerBytes>(BUDGET_VIEWS, changes) };

  app.get(
    '/kamers/:kamer/budget/:year',
    {
      config: { access: ROOM_READERS },
      schema: {
        tags: ['reads'],
        summary: "A room's budget balance for a year: budget, pledges, invoiced, received, spent, cash, volunteers, popular budget",
        params: BudgetParams,
        querystring: BudgetQuery,
        response: { 200: BudgetAnswer, ...READ_ERRORS },
      },
    },
    (request, reply) => {
      const { kamer, year } = request.params;
      assertScope(request, 'teamleader', kamer);
      const key = `${kamer}|${year}|${cutKeyOf(request.query)}`;
      const budgetOf = ({ states: [registry, pledges, rooms] }: Snapshot<typeof BUDGET_PROJECTIONS>): (() => Computed<AnswerBytes>) => {
        if (!registry.kamers.has(kamer)) refuse('NOT_FOUND', `no kamer ${kamer}`);
        // The budget reads the room's records, its pledges, and the year's valuation rates (which name no room: EVERYTHING).
        return () => ({ view: answerBytes(reply, roomBudgetView({ registry, pledges, rooms }, kamer, year)), parts: [kamerPart(kamer)] });
      };
      const read = { projections: BUDGET_PROJECTIONS, query: request.query, key };
      return sendCachedAnswer(request, reply, budgets, read, budgetOf);
    },
  );

  app.get(
    '/kamers/:kamer/petty-cash',
    {
      config: { access: ROOM_READERS },
      schema: {
        tags: ['reads'],
        summary: 'Petty cash (handgeld) per month of a year: transferred, spent per category A–F, running balance',
        params: PettyCashParams,
        querystring: PettyCashQuery,
        response: { 200: PettyCashAnswer, ...READ_ERRORS },
      },
    },
    async (request, reply) => {
      const { kamer } = request.params;
      assertScope(request, 'teamleader', kamer);
      const { states, position } = await projections.readMany([registryProjection, pettyCashProjection] as const, cutOf(request.query), READ_NOW);
      const [registry, pettyCash] = states;
      if (!registry.kamers.has(kamer)) refuse('NOT_FOUND', `no kamer ${kamer}`);
      answeredAt(reply, position);
      return pettyCashView(pettyCash, kamer, request.query.year ?? yearOf(referenceDateFor(request.query, clock())));
    },
  );
};
