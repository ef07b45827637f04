import { formatCents } from '../cents.js';
import type { PaymentRecord, ReceivablesState } from '../receivables.js';

export interface UnallocatedPaymentView {
  readonly id: string;
  readonly date: string;
  readonly amount: string;
  readonly allocated: string;
  readonly unallocated: string;
  readonly payerName?: string;
  readonly payerIban?: string;
  readonly description?: string;
  readonly bankReference?: string;
  readonly source: PaymentRecord['source'];
}

/** Received money not (fully) allocated to invoices or pledges yet, oldest bank date first. */
export function unallocatedPayments(state: ReceivablesState): UnallocatedPaymentView[] {
  const views: UnallocatedPaymentView[] = [];
  for (const payment of state.payments.values()) {
    const remainder = payment.amount - payment.allocated;
    if (remainder <= 0n) continue;
    views.push({
      id: payment.id,
      date: payment.date,
      amount: formatCents(payment.amount),
      allocated: formatCents(payment.allocated),
      unallocated: formatCents(remainder),
      ...(payment.payerName === undefined ? {} : { payerName: payment.payerName }),
      ...(payment.payerIban === undefined ? {} : { payerIban: payment.payerIban }),
      ...(payment.description === undefined ? {} : { description: payment.description }),
      ...(payment.bankReference === undefined ? {} : { bankReference: payment.bankReference }),
      source: payment.source,
    });
  }
  // A stable sort keeps the order of receipt among payments of the same day.
  return views.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
