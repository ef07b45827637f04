import { randomUUID } from 'node:crypto';
import type { AnswerBuilder, CommandHandler, CommandMetadata } from './command-handler.js';
import { Lookups } from './lookups.js';
import { documentParties } from './receivables.js';
import { dateInAmsterdam, dueDateFor } from '../domain/calendar.js';
import { refuse } from '../domain/errors.js';
import { streams } from '../domain/events.js';
import { formatAmount } from '../domain/money.js';
import { receivablesDecider } from '../domain/receivables/decider.js';
import { reminderDecider, type ReminderChannel, type ReminderKind, type RemindersState } from '../domain/receivables/reminders.js';
import { findInvoice, openAmountOf } from '../domain/receivables/state.js';

export interface ReminderInput {
  readonly kind: ReminderKind;
  readonly channel: ReminderChannel;
  /** Default: today in Amsterdam. */
  readonly date?: string;
}

/**
 * Records a reminder for an overdue invoice in the invoice's own reminders stream. What the
 * invoice owes and the parties' details are read fresh on every attempt.
 */
export class ReminderService {
  private readonly registry: Lookups;

  constructor(private readonly deps: { readonly commands: CommandHandler; readonly clock: () => Date }) {
    this.registry = new Lookups(deps.commands);
  }

  async send(invoiceRef: string, input: ReminderInput, metadata: CommandMetadata, answer?: AnswerBuilder<RemindersState>) {
    const reminderId = randomUUID();
    const invoiceId = (await this.invoiceFacts(invoiceRef))?.invoiceId;
    if (invoiceId === undefined) return refuse('NOT_FOUND', `no invoice ${invoiceRef}`);
    return this.deps.commands.execute(
      reminderDecider,
      streams.reminders(invoiceId),
      async () => {
        const today = dateInAmsterdam(this.deps.clock());
        const invoice = await this.invoiceFacts(invoiceId);
        const [cooperative, financier] = await Promise.all([this.registry.cooperative(), invoice && this.registry.financier(invoice.financierId)]);
        return {
          type: 'SendReminder' as const,
          reminderId,
          invoiceRef,
          invoice,
          kind: input.kind,
          channel: input.channel,
          date: input.date ?? today,
          today,
          ...(financier ? { parties: documentParties(cooperative, financier) } : {}),
        };
      },
      metadata,
      answer,
    );
  }

  private async invoiceFacts(invoiceRef: string) {
    const { state } = await this.deps.commands.load(receivablesDecider, streams.receivables());
    const invoice = findInvoice(state, invoiceRef);
    if (!invoice) return undefined;
    return {
      invoiceId: invoice.invoiceId,
      number: invoice.number,
      financierId: invoice.financierId,
      // The due date is always the issue date + 28 days (the InvoiceIssued event carries the same).
      dueDate: dueDateFor(invoice.issueDate),
      openAmount: formatAmount(openAmountOf(invoice)),
    };
  }
}
