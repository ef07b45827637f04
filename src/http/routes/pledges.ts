import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Lookups } from '../../application/lookups.js';
import { YearSchema, DateSchema } from '../../domain/calendar.js';
import { PledgeFormSchema, PledgeStatusSchema, streams } from '../../domain/events.js';
import { GeneratedIdSchema, SlugSchema } from '../../domain/ids.js';
import { AmountSchema, PositiveAmountSchema } from '../../domain/money.js';
import { pledgeDecider, type Pledge, type PledgeState } from '../../domain/pledges/decider.js';
import type { RoutePlugin } from '../services.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

const ShareBody = z
  .strictObject({ numerator: z.number().int().positive(), denominator: z.number().int().positive() })
  .describe('a fraction of the actual costs, more than 0 and at most 1: { "numerator": 1, "denominator": 3 }');

const PledgeBody = z.strictObject({
  financier: SlugSchema,
  kamer: SlugSchema,
  year: YearSchema,
  amount: PositiveAmountSchema.optional().describe('exactly one of amount and share'),
  share: ShareBody.optional(),
  form: PledgeFormSchema.describe('in-kind: e.g. a rent discount (huurkorting) valued in euros'),
  status: PledgeStatusSchema.exclude(['withdrawn']).describe('voorstel = proposed, toegezegd = committed'),
  reference: z.string().trim().min(1, 'must not be empty').max(100).optional().describe('the subsidy decision kenmerk, e.g. 5675239'),
  referenceDate: DateSchema.optional().describe('the date of the subsidy decision'),
  note: z.string().trim().min(1, 'must not be empty').max(1000).optional(),
});
const PledgeParams = z.strictObject({ id: GeneratedIdSchema });
const StatusBody = z.strictObject({
  status: PledgeStatusSchema,
  note: z.string().trim().min(1, 'must not be empty').max(1000).optional(),
});
const AmendmentBody = z.strictObject({
  amount: PositiveAmountSchema,
  reason: z.string().trim().min(1, 'must not be empty').max(500),
});

const PledgeView = z.object({
  id: z.string(),
  financier: z.string(),
  kamer: z.string(),
  year: z.number(),
  amount: AmountSchema.optional().describe('the current amount, after amendments'),
  share: z.object({ numerator: z.number(), denominator: z.number() }).optional(),
  form: PledgeFormSchema,
  status: PledgeStatusSchema,
  reference: z.string().optional(),
  referenceDate: z.string().optional(),
  note: z.string().optional(),
  position: PositionSchema,
});
const StatusChanged = PledgeView.extend({ previousStatus: PledgeStatusSchema });
const Amended = PledgeView.extend({ previousAmount: AmountSchema, reason: z.string() });

/** The pledge as the API shows it: the contract's field names, optional fields only when set. */
function pledgeView(pledge: Pledge) {
  const { pledgeId, financierId, kamerId, amount, share, reference, referenceDate, note, ...rest } = pledge;
  return {
    id: pledgeId,
    financier: financierId,
    kamer: kamerId,
    ...rest,
    ...(amount === undefined ? {} : { amount }),
    ...(share === undefined ? {} : { share }),
    ...(reference === undefined ? {} : { reference }),
    ...(referenceDate === undefined ? {} : { referenceDate }),
    ...(note === undefined ? {} : { note }),
  };
}

function madePledge(state: PledgeState): Pledge {
  if (!state.made) throw new Error('a pledge command succeeded without leaving a pledge');
  return state.pledge;
}

export const pledgeRoutes: RoutePlugin = async (app, { services }) => {
  const { commands } = services;
  const lookups = new Lookups(commands);
  const claimedOn = (pledgeId: string) => lookups.claimedOnPledge(pledgeId);

  app.post(
    '/pledges',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['pledges'],
        summary: 'Record a pledge (toezegging): an amount or a share of the actual costs, in cash or in kind',
        body: PledgeBody,
        response: { 201: PledgeView, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { financier, kamer, year, amount, share, form, status, reference, referenceDate, note } = request.body;
      // Generated once, outside the command: a retried decision writes the same pledge.
      const pledgeId = randomUUID();
      const pledge = {
        pledgeId,
        financierId: financier,
        kamerId: kamer,
        year,
        ...(amount === undefined ? {} : { amount }),
        ...(share === undefined ? {} : { share }),
        form,
        status,
        ...(reference === undefined ? {} : { reference }),
        ...(referenceDate === undefined ? {} : { referenceDate }),
        ...(note === undefined ? {} : { note }),
      };
      const result = await commands.execute(
        pledgeDecider,
        streams.pledge(pledgeId),
        async () => ({
          type: 'MakePledge' as const,
          pledge,
          financierExists: (await lookups.financier(financier)) !== undefined,
          kamerExists: (await lookups.kamer(kamer)) !== undefined,
        }),
        commandMetadata(request),
        created(request, ({ state, position }) => ({ ...pledgeView(madePledge(state)), position })),
      );
      request.log.info({ pledge: pledgeId, financier, kamer, year, status }, 'pledge made');
      return sendAnswer(reply, result.answer);
    },
  );

  app.post(
    '/pledges/:id/status',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['pledges'],
        summary: 'Move a pledge forward (proposed → conditional → committed, steps may be skipped) or withdraw it (final)',
        params: PledgeParams,
        body: StatusBody,
        response: { 201: StatusChanged, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { status, note } = request.body;
      let previousStatus: Pledge['status'] | undefined;
      const result = await commands.execute(
        pledgeDecider,
        streams.pledge(id),
        async (state) => {
          previousStatus = state.made ? state.pledge.status : undefined;
          return { type: 'ChangePledgeStatus' as const, pledgeId: id, status, ...(note === undefined ? {} : { note }), claimed: await claimedOn(id) };
        },
        commandMetadata(request, note),
        created(request, ({ state, position }) => ({ ...pledgeView(madePledge(state)), previousStatus, position })),
      );
      request.log.info({ pledge: id, financier: madePledge(result.state).financierId, from: previousStatus, to: status }, 'pledge status changed');
      return sendAnswer(reply, result.answer);
    },
  );

  app.post(
    '/pledges/:id/amendments',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['pledges'],
        summary: "Amend a pledge's amount (not a share, not a withdrawn pledge); the history keeps both amounts",
        params: PledgeParams,
        body: AmendmentBody,
        response: { 201: Amended, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { amount, reason } = request.body;
      let previousAmount: string | undefined;
      const result = await commands.execute(
        pledgeDecider,
        streams.pledge(id),
        async (state) => {
          previousAmount = state.made ? state.pledge.amount : undefined;
          return { type: 'AmendPledge' as const, pledgeId: id, amount, reason, claimed: await claimedOn(id) };
        },
        commandMetadata(request, reason),
        created(request, ({ state, position }) => ({ ...pledgeView(madePledge(state)), previousAmount, reason, position })),
      );
      request.log.info({ pledge: id, financier: madePledge(result.state).financierId, previousAmount, amount }, 'pledge amended');
      return sendAnswer(reply, result.answer);
    },
  );
};
