import { z } from 'zod';
import { RoomCommands, type SpendingOutcome } from '../../application/room-commands.js';
import { DateSchema, MonthSchema } from '../../domain/calendar.js';
import { PettyCashCategorySchema } from '../../domain/events.js';
import { GeneratedIdSchema, SlugSchema } from '../../domain/ids.js';
import { AmountSchema, formatAmount, money, PositiveAmountSchema } from '../../domain/money.js';
import { PETTY_CASH_CATEGORY_LABELS } from '../../domain/petty-cash/categories.js';
import { PETTY_CASH_MONTHLY_LIMIT } from '../../domain/petty-cash/decider.js';
import { balanceOn, transferredIn } from '../../domain/petty-cash/state.js';
import { assertScope } from '../auth.js';
import type { RoutePlugin } from '../services.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

const KamerParams = z.strictObject({ kamer: SlugSchema });

export const TransferBody = z.strictObject({
  date: DateSchema.describe('the day the treasurer transferred the money'),
  amount: PositiveAmountSchema,
  month: MonthSchema.optional().describe(`the month (YYYY-MM) the transfer counts against, at most ${PETTY_CASH_MONTHLY_LIMIT} a month; default: the month of date`),
});

const TransferCreated = z.object({
  id: GeneratedIdSchema,
  kamer: z.string(),
  date: z.string(),
  month: z.string(),
  amount: AmountSchema,
  transferredThisMonth: AmountSchema.describe("the room's transfers for `month`, this one included"),
  stillPossibleThisMonth: AmountSchema.describe(`what may still be transferred for \`month\` (limit ${PETTY_CASH_MONTHLY_LIMIT})`),
  balance: AmountSchema.describe("the room's petty cash after this transfer: all transfers minus all spending"),
  position: PositionSchema,
});

const categoryList = Object.entries(PETTY_CASH_CATEGORY_LABELS)
  .map(([letter, label]) => `${letter}: ${label}`)
  .join('; ');

/** The spending a team leader records; the team leader's page checks its form with the same schema. */
export const SpendingBody = z.strictObject({
  date: DateSchema.describe('the day the money was spent'),
  category: PettyCashCategorySchema.describe(categoryList),
  amount: PositiveAmountSchema,
  description: z.string().trim().min(1, 'must not be empty').max(500),
  receipt: z.string().trim().min(1, 'must not be empty').max(500).optional().describe('a reference to the receipt (bonnetje): its number, file name or link'),
});

const SpendingCreated = z.object({
  id: GeneratedIdSchema,
  kamer: z.string(),
  date: z.string(),
  category: PettyCashCategorySchema,
  categoryLabel: z.string(),
  amount: AmountSchema,
  description: z.string(),
  receipt: z.string().optional(),
  balance: AmountSchema.describe("the room's petty cash left after this spending: all transfers minus all spending, whatever their dates"),
  balanceOnDate: AmountSchema.describe("the room's petty cash at the end of `date`, this spending included: transfers minus spending dated on or before it (never below zero)"),
  position: PositionSchema,
});

/** Handgeld: the treasurer transfers it to a room's team leader, who records what it paid for. */
export const pettyCashRoutes: RoutePlugin = async (app, { services }) => {
  const rooms = new RoomCommands(services);

  app.post(
    '/kamers/:kamer/petty-cash/transfers',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['petty cash'],
        summary: `Transfer petty cash (handgeld) to a room; at most ${PETTY_CASH_MONTHLY_LIMIT} per room per calendar month`,
        params: KamerParams,
        body: TransferBody,
        response: { 201: TransferCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { kamer } = request.params;
      const { transfer, answer } = await rooms.transferPettyCash(
        kamer,
        request.body,
        commandMetadata(request),
        created(request, ({ transfer, state, position }) => {
          const transferred = transferredIn(state, transfer.month);
          return {
            id: transfer.transferId,
            kamer,
            date: transfer.date,
            month: transfer.month,
            amount: transfer.amount,
            transferredThisMonth: formatAmount(transferred),
            stillPossibleThisMonth: formatAmount(money(PETTY_CASH_MONTHLY_LIMIT).minus(transferred)),
            balance: formatAmount(state.balance),
            position,
          };
        }),
      );
      const { month, amount } = transfer;
      request.log.info({ transfer: transfer.transferId, kamer, month, amount }, 'petty cash transferred');
      return sendAnswer(reply, answer);
    },
  );

  app.post(
    '/kamers/:kamer/petty-cash/spending',
    {
      config: { access: ['treasurer', 'teamleader'] },
      schema: {
        tags: ['petty cash'],
        summary: "Record what a room's petty cash paid for, per category (treasurer, or that room's team leader)",
        params: KamerParams,
        body: SpendingBody,
        response: { 201: SpendingCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { kamer } = request.params;
      assertScope(request, 'teamleader', kamer);
      const { spending, answer } = await rooms.spendPettyCash(
        kamer,
        request.body,
        commandMetadata(request),
        created(request, ({ spending, state, position }: SpendingOutcome) => {
          const { spendingId, kamerId, ...rest } = spending;
          return {
            id: spendingId,
            kamer: kamerId,
            ...rest,
            categoryLabel: PETTY_CASH_CATEGORY_LABELS[spending.category],
            balance: formatAmount(state.balance),
            balanceOnDate: formatAmount(balanceOn(state, spending.date)),
            position,
          };
        }),
      );
      request.log.info({ spending: spending.spendingId, kamer, category: spending.category, amount: spending.amount }, 'petty cash spent');
      return sendAnswer(reply, answer);
    },
  );
};
