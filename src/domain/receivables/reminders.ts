import { daysBetween } from '../calendar.js';
import type { Decider } from '../decider.js';
import { unexpectedEvent } from '../decider.js';
import { refuse } from '../errors.js';
import type { DocumentParties, EventData, EventOf } from '../events.js';
import { money } from '../money.js';

/**
 * Payment reminders, one stream per invoice (`reminders-<invoiceId>`): the invoice's facts
 * (due date, what is open) come from the receivables stream and arrive in the command.
 *
 * Rules: a reminder is for an invoice that is past its due date on the reminder's date and still
 * has money open; it is not dated in the future nor before the invoice's previous reminder; the
 * formal one (`aanmaning`) follows a first one (`herinnering`).
 */
export type ReminderKind = EventData<'ReminderSent'>['kind'];
export type ReminderChannel = EventData<'ReminderSent'>['channel'];

export interface RemindedInvoice {
  readonly invoiceId: string;
  readonly number: string;
  readonly financierId: string;
  readonly dueDate: string;
  /** What is open on it now: total less credit notes less payments allocated. */
  readonly openAmount: string;
}

export interface SendReminder {
  readonly type: 'SendReminder';
  readonly reminderId: string;
  /** The invoice's id or number as asked, and what the receivables stream says of it. */
  readonly invoiceRef: string;
  readonly invoice: RemindedInvoice | undefined;
  readonly kind: ReminderKind;
  readonly channel: ReminderChannel;
  readonly date: string;
  readonly today: string;
  readonly parties?: DocumentParties;
}

export interface RemindersState {
  readonly sent: readonly EventData<'ReminderSent'>[];
}

function assertDue(command: SendReminder, invoice: RemindedInvoice, state: RemindersState): void {
  if (command.date > command.today) refuse('DATE_IN_FUTURE', `a reminder cannot be dated ${command.date}, after today (${command.today})`, 'date');
  if (command.date <= invoice.dueDate) {
    refuse('REMINDER_NOT_DUE', `invoice ${invoice.number} is due on ${invoice.dueDate}: a reminder can be sent from the day after`, 'date');
  }
  const last = state.sent.at(-1);
  if (last && command.date < last.date) {
    refuse('REMINDER_NOT_DUE', `invoice ${invoice.number} was last reminded on ${last.date}: a reminder cannot be dated before it`, 'date');
  }
  if (command.kind === 'aanmaning' && !state.sent.some((reminder) => reminder.kind === 'herinnering')) {
    refuse('REMINDER_NOT_DUE', `invoice ${invoice.number} has had no herinnering yet: the formal aanmaning follows a first reminder`, 'kind');
  }
  if (!money(invoice.openAmount).greaterThan(0)) {
    refuse('INVOICE_NOT_OPEN', `invoice ${invoice.number} has nothing open (paid or credited): there is nothing to remind of`);
  }
}

export const reminderDecider: Decider<SendReminder, RemindersState, EventOf<'ReminderSent'>> = {
  name: 'reminders',
  initialState: { sent: [] },
  decide(command, state) {
    const { invoice } = command;
    if (!invoice) return refuse('NOT_FOUND', `no invoice ${command.invoiceRef}`);
    assertDue(command, invoice, state);
    return [
      {
        type: 'ReminderSent',
        data: {
          reminderId: command.reminderId,
          invoiceId: invoice.invoiceId,
          invoiceNumber: invoice.number,
          financierId: invoice.financierId,
          kind: command.kind,
          date: command.date,
          channel: command.channel,
          dueDate: invoice.dueDate,
          daysOverdue: daysBetween(invoice.dueDate, command.date),
          openAmount: invoice.openAmount,
          sequence: state.sent.length + 1,
          ...(command.parties === undefined ? {} : { parties: command.parties }),
        },
      },
    ];
  },
  evolve(state, event) {
    if (event.type !== 'ReminderSent') return unexpectedEvent('reminders', event);
    return { sent: [...state.sent, event.data] };
  },
};

/** When reminders fall due: the first `firstAfterDays` after the due date, the formal one `formalAfterDays` after the first. */
export interface ReminderPolicy {
  readonly firstAfterDays: number;
  readonly formalAfterDays: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { firstAfterDays: 14, formalAfterDays: 14 };

/** Which reminder an overdue invoice is due for on `date`, given its last one: none once the formal one was sent. */
export function reminderDueOn(date: string, dueDate: string, last: Pick<EventData<'ReminderSent'>, 'kind' | 'date'> | undefined, policy: ReminderPolicy): ReminderKind | null {
  if (last === undefined) return daysBetween(dueDate, date) >= policy.firstAfterDays ? 'herinnering' : null;
  if (last.kind === 'herinnering') return daysBetween(last.date, date) >= policy.formalAfterDays ? 'aanmaning' : null;
  return null;
}
