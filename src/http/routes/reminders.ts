import { z } from 'zod';
import { ReminderService } from '../../application/reminders.js';
import { DateSchema } from '../../domain/calendar.js';
import { ReminderChannelSchema, ReminderKindSchema } from '../../domain/events.js';
import { AmountSchema } from '../../domain/money.js';
import type { RoutePlugin } from '../services.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

const ReminderParams = z.strictObject({ id: z.string().min(1).max(100).describe("the invoice's id or number (2020-0001)") });
const ReminderBody = z.strictObject({
  kind: ReminderKindSchema.describe('herinnering (the first, friendly one) or aanmaning (the formal one that follows it)'),
  channel: ReminderChannelSchema.describe('how it was sent'),
  date: DateSchema.optional().describe('default: today in Amsterdam; after the due date, not before the previous reminder'),
});
const ReminderCreated = z.object({
  id: z.string(),
  invoice: z.string(),
  invoiceNumber: z.string(),
  financier: z.string(),
  kind: ReminderKindSchema,
  channel: ReminderChannelSchema,
  date: z.string(),
  dueDate: z.string(),
  daysOverdue: z.number().int(),
  openAmount: AmountSchema,
  sequence: z.number().int(),
  document: z.string().describe('where the reminder PDF is'),
  position: PositionSchema,
});

/** Payment reminders: the treasurer records that one was sent; its PDF is GET /reminders/:id/document.pdf. */
export const reminderRoutes: RoutePlugin = async (app, { services }) => {
  const reminders = new ReminderService(services);

  app.post(
    '/invoices/:id/reminders',
    {
      config: { access: ['treasurer'] },
      schema: {
        tags: ['invoices'],
        summary: 'Record a payment reminder (herinnering or aanmaning) for an overdue invoice; its PDF shows the open amount, days overdue, RF reference and QR code',
        params: ReminderParams,
        body: ReminderBody,
        response: { 201: ReminderCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await reminders.send(
        request.params.id,
        request.body,
        commandMetadata(request),
        created(request, ({ state, position }) => {
          const sent = state.sent.at(-1)!;
          return {
            id: sent.reminderId,
            invoice: sent.invoiceId,
            invoiceNumber: sent.invoiceNumber,
            financier: sent.financierId,
            kind: sent.kind,
            channel: sent.channel,
            date: sent.date,
            dueDate: sent.dueDate,
            daysOverdue: sent.daysOverdue,
            openAmount: sent.openAmount,
            sequence: sent.sequence,
            document: `/reminders/${sent.reminderId}/document.pdf`,
            position,
          };
        }),
      );
      request.log.info({ invoice: request.params.id }, 'reminder recorded');
      return sendAnswer(reply, result.answer);
    },
  );
};
