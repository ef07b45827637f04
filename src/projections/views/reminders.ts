import { reminderDueOn, type ReminderKind, type ReminderPolicy } from '../../domain/receivables/reminders.js';
import type { DocumentsState } from '../documents.js';
import type { OverdueRow } from './invoices.js';

export interface OverdueWithReminders extends OverdueRow {
  readonly lastReminder: { readonly id: string; readonly kind: ReminderKind; readonly date: string; readonly channel: string; readonly sequence: number } | null;
  /** The reminder this invoice is due for on the reference date, under the policy; null when none (yet, or any more). */
  readonly reminderDue: ReminderKind | null;
}

/** The overdue report with each invoice's last reminder and the reminder it is due for. */
export function withReminders(rows: readonly OverdueRow[], documents: DocumentsState, referenceDate: string, policy: ReminderPolicy): OverdueWithReminders[] {
  return rows.map((row) => {
    const last = documents.lastReminderByInvoice.get(row.invoice);
    return {
      ...row,
      lastReminder: last ? { id: last.reminderId, kind: last.kind, date: last.date, channel: last.channel, sequence: last.sequence } : null,
      reminderDue: reminderDueOn(referenceDate, row.dueDate, last, policy),
    };
  });
}
