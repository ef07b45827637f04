import type { EventData } from '../domain/events.js';
import { cents, NO_CENTS, type Cents } from './cents.js';
import type { Projection } from './projection.js';

/** One allocation of a received payment to an invoice or a pledge. */
export interface ReceiptAllocationRecord {
  readonly id: string;
  readonly invoiceId: string | undefined;
  readonly invoiceNumber: string | undefined;
  readonly pledgeId: string | undefined;
  readonly financierId: string;
  readonly kamerId: string;
  readonly year: number;
  readonly amount: Cents;
  readonly matchedBy: EventData<'PaymentAllocated'>['matchedBy'];
}

/** A received payment (its event, as recorded) with every allocation made of it, fully allocated or not. */
export interface ReceiptRecord {
  readonly payment: EventData<'PaymentReceived'>;
  /** The payment's bank date, here for sorting and date filters. */
  readonly date: string;
  readonly amount: Cents;
  allocated: Cents;
  readonly allocations: ReceiptAllocationRecord[];
}

export interface ReceiptsState {
  /** In the order they were received (log order). */
  readonly byId: Map<string, ReceiptRecord>;
}

/**
 * Every received payment and its allocations. The receivables projection drops a payment once it
 * is fully allocated (it only needs what is left to allocate); the list of receipts needs them all.
 */
export const receiptsProjection: Projection<ReceiptsState> = {
  name: 'receipts',
  eventTypes: ['PaymentReceived', 'PaymentAllocated'],
  initial: () => ({ byId: new Map() }),
  apply(state, { event }) {
    if (event.type === 'PaymentReceived') {
      const payment = event.data;
      state.byId.set(payment.paymentId, { payment, date: payment.date, amount: cents(payment.amount), allocated: NO_CENTS, allocations: [] });
    } else if (event.type === 'PaymentAllocated') {
      const { data } = event;
      const receipt = state.byId.get(data.paymentId);
      // The payment is always in the same cut: the allocation carries the payment's own bank date.
      if (!receipt) return state;
      const amount = cents(data.amount);
      receipt.allocated += amount;
      receipt.allocations.push({
        id: data.allocationId,
        invoiceId: data.invoiceId,
        invoiceNumber: data.invoiceNumber,
        pledgeId: data.pledgeId,
        financierId: data.financierId,
        kamerId: data.kamerId,
        year: data.year,
        amount,
        matchedBy: data.matchedBy,
      });
    }
    return state;
  },
};
