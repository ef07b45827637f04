import { z } from 'zod';
import { Lookups } from '../../application/lookups.js';
import { registerFinancier, registerKamer } from '../../application/master-data.js';
import { budgetDecider, valuationRatesDecider } from '../../domain/registry/deciders.js';
import { BudgetLineSchema, FinancierKindSchema, PaysBySchema, streams, VolunteerKindSchema } from '../../domain/events.js';
import { IbanSchema, SlugSchema } from '../../domain/ids.js';
import { AmountSchema, amountAtMost, NonNegativeAmountSchema, PositiveAmountSchema } from '../../domain/money.js';
import { YearSchema } from '../../domain/calendar.js';
import type { RoutePlugin } from '../services.js';
import { financierDetailFields, FinancierDetailsAnswerFields } from './party-schemas.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

export const KamerBody = z.strictObject({
  id: SlugSchema,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  teamLeaderIban: IbanSchema.optional(),
});
const KamerCreated = z.object({ id: z.string(), name: z.string(), teamLeaderIban: z.string().optional(), position: PositionSchema });

export const FinancierBody = z.strictObject({
  id: SlugSchema,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  kind: FinancierKindSchema,
  pays: PaysBySchema,
  iban: IbanSchema.optional(),
  ...financierDetailFields,
});
/** Output only: the body's IBAN schema transforms, and an answer schema must never (architecture.md). */
const FinancierCreated = z.object({
  id: z.string(),
  name: z.string(),
  kind: FinancierKindSchema,
  pays: PaysBySchema,
  iban: z.string().optional(),
  ...FinancierDetailsAnswerFields,
  position: PositionSchema,
});

const BudgetBody = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        line: SlugSchema,
        label: z.string().trim().min(1, 'must not be empty').max(200),
        amount: NonNegativeAmountSchema,
      }),
    )
    .min(1, 'a budget needs at least one line')
    .max(200, 'a budget has at most 200 lines'),
});
const BudgetParams = z.strictObject({ kamer: SlugSchema, year: z.coerce.number().pipe(YearSchema) });
const BudgetCreated = z.object({
  id: z.string(),
  kamer: z.string(),
  year: z.number(),
  lines: z.array(BudgetLineSchema),
  total: AmountSchema,
  position: PositionSchema,
});

/** The euro value of one volunteer hour (WML for residents): far below a thousand. */
const MAX_HOURLY_RATE = '999.99';
const HourlyRateSchema = PositiveAmountSchema.refine(amountAtMost(MAX_HOURLY_RATE), `must be at most ${MAX_HOURLY_RATE}: the value of one volunteer hour`);
const RateBody = z.strictObject({ year: YearSchema, kind: VolunteerKindSchema, perHour: HourlyRateSchema });
const RateCreated = z.object({ id: z.string(), year: z.number(), kind: VolunteerKindSchema, perHour: AmountSchema, position: PositionSchema });

export const registryRoutes: RoutePlugin = async (app, { services }) => {
  const { commands } = services;
  const lookups = new Lookups(commands);

  app.post(
    '/kamers',
    {
      config: { access: ['treasurer'] },
      schema: { tags: ['master data'], summary: 'Register a room (buurtwerkkamer)', body: KamerBody, response: { 201: KamerCreated, ...WRITE_ERRORS } },
    },
    async (request, reply) => {
      const { id, name, teamLeaderIban } = request.body;
      const result = await registerKamer(
        commands,
        request.body,
        commandMetadata(request),
        created(request, ({ position }) => ({ id, name, ...(teamLeaderIban ? { teamLeaderIban } : {}), position })),
      );
      return sendAnswer(reply, result.answer);
    },
  );

  app.post(
    '/financiers',
    {
      config: { access: ['treasurer'] },
      schema: { tags: ['master data'], summary: 'Register a financier', body: FinancierBody, response: { 201: FinancierCreated, ...WRITE_ERRORS } },
    },
    async (request, reply) => {
      const result = await registerFinancier(commands, request.body, commandMetadata(request), created(request, ({ position }) => ({ ...request.body, position })));
      return sendAnswer(reply, result.answer);
    },
  );

  app.put(
    '/kamers/:kamer/budgets/:year',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['master data'],
        summary: "Set a room's budget (begroting) for a year; a new one replaces the earlier, history keeps both",
        params: BudgetParams,
        body: BudgetBody,
        response: { 201: BudgetCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { kamer, year } = request.params;
      const stream = streams.budget(kamer, year);
      const result = await commands.execute(
        budgetDecider,
        stream,
        async () => ({ type: 'SetBudget' as const, kamerId: kamer, year, lines: request.body.lines, kamerExists: (await lookups.kamer(kamer)) !== undefined }),
        commandMetadata(request),
        created(request, ({ state, position }) => ({ id: stream, kamer, year, lines: state.budget!.lines, total: state.budget!.total, position })),
      );
      return sendAnswer(reply, result.answer);
    },
  );

  app.post(
    '/valuation-rates',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['master data'],
        summary: 'Set the euro value of a volunteer hour for a year and kind (resident at WML, professional)',
        body: RateBody,
        response: { 201: RateCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const rate = request.body;
      const result = await commands.execute(
        valuationRatesDecider,
        streams.valuationRates(rate.year),
        () => ({ type: 'SetValuationRate' as const, rate }),
        commandMetadata(request),
        created(request, ({ position }) => ({ id: `${rate.year}-${rate.kind}`, ...rate, position })),
      );
      return sendAnswer(reply, result.answer);
    },
  );
};
