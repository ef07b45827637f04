import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Lookups } from '../../application/lookups.js';
import { dateInAmsterdam, DateSchema, yearOf } from '../../domain/calendar.js';
import { expensesDecider, type Expense } from '../../domain/expenses/decider.js';
import { streams } from '../../domain/events.js';
import { GeneratedIdSchema, SlugSchema } from '../../domain/ids.js';
import { AmountSchema, PositiveAmountSchema } from '../../domain/money.js';
import type { RoutePlugin } from '../services.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

const ExpenseBody = z.strictObject({
  date: DateSchema.describe('the day the cooperative paid'),
  kamer: SlugSchema.describe('the room (cost centre) the expense is for'),
  // Not a slug schema: an unknown line is a 422 naming the budget's lines, which helps more than a 400.
  line: z.string().trim().min(1, 'must not be empty').max(100).describe("a line of the room's budget for the year of `date`"),
  amount: PositiveAmountSchema,
  payee: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().trim().min(1, 'must not be empty').max(500),
});

const ExpenseCreated = z.object({
  id: GeneratedIdSchema,
  date: z.string(),
  kamer: z.string(),
  year: z.number().int(),
  line: z.string(),
  amount: AmountSchema,
  payee: z.string(),
  description: z.string(),
  position: PositionSchema,
});

/** Money out: the cooperative pays a room's expense against a line of its budget. */
export const expenseRoutes: RoutePlugin = async (app, { services }) => {
  const { commands } = services;
  const lookups = new Lookups(commands);

  app.post(
    '/payments/made',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['payments'],
        summary: "Record a payment made: a room's expense against a line of its budget for the year of the date",
        body: ExpenseBody,
        response: { 201: ExpenseCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { kamer, ...rest } = request.body;
      const expense: Expense = { expenseId: randomUUID(), kamerId: kamer, ...rest };
      const year = yearOf(expense.date);
      const result = await commands.execute(
        expensesDecider,
        streams.expenses(kamer, year),
        async () => ({
          type: 'PayExpense' as const,
          expense,
          today: dateInAmsterdam(services.clock()),
          kamerExists: (await lookups.kamer(kamer)) !== undefined,
          budgetLines: (await lookups.budget(kamer, year))?.lines.map((budgetLine) => budgetLine.line),
        }),
        commandMetadata(request),
        created(request, ({ position }) => ({ id: expense.expenseId, kamer, year, ...rest, position })),
      );
      request.log.info({ expense: expense.expenseId, kamer, year, line: expense.line, amount: expense.amount }, 'expense paid');
      return sendAnswer(reply, result.answer);
    },
  );
};
