import { refuse } from '../errors.js';
import type { EventData, EventOf } from '../events.js';
import { formatAmount, min, money, type Money } from '../money.js';
import type { AllocatePayment, AllocationTarget, IncomingPayment, PledgeFacts, PledgesByReference, ReceivePayment } from './commands.js';
import { evolveReceivables, findInvoice, openAmountOf, unallocatedOf, type PaymentRecord, type ReceivablesState } from './state.js';

export type PaymentEvent = EventOf<'PaymentReceived'> | EventOf<'PaymentAllocated'>;
type MatchedBy = EventData<'PaymentAllocated'>['matchedBy'];
type Source = EventData<'PaymentReceived'>['source'];

/**
 * An invoice number as the cooperative prints it (2019-0001) or as payers retype it with a slash
 * (2019/0001, 2019/1). A short number after a dash (2019-1) is not taken: it reads as a date or a
 * period too often. Never followed by another -NN or /NN: 2019/03/15 is a date.
 */
const INVOICE_NUMBER = /\b(\d{4})(?:-(\d{4})|\/(\d{1,4}))\b(?![-/]\d)/g;
/** A subsidy decision's kenmerk: a run of at least five digits (5675239). */
export const PLEDGE_REFERENCE = /\b\d{5,20}\b/g;

/** The invoice numbers in a text, in the series' own form, in the order they appear. */
export function invoiceNumbersIn(text: string | undefined): string[] {
  const numbers = [...(text ?? '').matchAll(INVOICE_NUMBER)].map((match) => `${match[1]}-${(match[2] ?? match[3])!.padStart(4, '0')}`);
  return [...new Set(numbers)];
}

interface PlannedAllocation {
  readonly target: AllocationTarget;
  /** Prefix of the request field the allocation came from ("allocations.0."), for refusals. */
  readonly field: string;
  readonly matchedBy: MatchedBy;
}

/** Checks one allocation against the payment's remainder and the invoice's open amount; returns its event. */
function allocationEvent(state: ReceivablesState, payment: PaymentRecord, planned: PlannedAllocation, allocationId: string): EventOf<'PaymentAllocated'> {
  const { target, field, matchedBy } = planned;
  const amount = money(target.amount);
  if (!amount.greaterThan(0)) refuse('INVALID_INPUT', 'an allocation must be for more than 0.00', `${field}amount`);
  const base = { allocationId, paymentId: payment.paymentId, paymentDate: payment.date, amount: formatAmount(amount), matchedBy };
  const exceedsPayment = () => {
    const unallocated = unallocatedOf(payment);
    if (amount.greaterThan(unallocated)) {
      refuse('ALLOCATION_EXCEEDS_PAYMENT', `payment ${payment.paymentId} has only ${formatAmount(unallocated)} left to allocate`, `${field}amount`);
    }
  };
  if (target.invoice !== undefined && target.pledge === undefined) {
    const invoice = findInvoice(state, target.invoice);
    if (!invoice) return refuse('UNKNOWN_INVOICE', `no invoice ${target.invoice}`, `${field}invoice`);
    exceedsPayment();
    const open = openAmountOf(invoice);
    if (amount.greaterThan(open)) {
      refuse('ALLOCATION_EXCEEDS_INVOICE', `invoice ${invoice.number} has only ${formatAmount(open)} open`, `${field}amount`);
    }
    const { invoiceId, number: invoiceNumber, financierId, kamerId, year } = invoice;
    return { type: 'PaymentAllocated', data: { ...base, invoiceId, invoiceNumber, financierId, kamerId, year } };
  }
  if (target.pledge !== undefined && target.invoice === undefined) {
    const pledge = target.pledge.facts;
    if (!pledge) return refuse('UNKNOWN_PLEDGE', `no pledge ${target.pledge.pledgeId}`, `${field}pledge`);
    exceedsPayment();
    const { pledgeId, financierId, kamerId, year } = pledge;
    return { type: 'PaymentAllocated', data: { ...base, pledgeId, financierId, kamerId, year } };
  }
  return refuse('INVALID_INPUT', 'an allocation names exactly one of invoice and pledge', field === '' ? undefined : field.slice(0, -1));
}

/**
 * Without explicit allocations, invoice numbers in the description pay those invoices, in the
 * order they appear, each up to its open amount, until the money runs out; the rest (an
 * overpayment, an unknown number) stays unallocated until the treasurer allocates it.
 */
function matchesInDescription(state: ReceivablesState, payment: PaymentRecord, description: string | undefined, pledges: PledgesByReference | undefined): PlannedAllocation[] {
  const planned: PlannedAllocation[] = [];
  let remaining = unallocatedOf(payment);
  for (const number of invoiceNumbersIn(description)) {
    const invoice = findInvoice(state, number);
    if (!invoice || !remaining.greaterThan(0)) continue;
    const amount = min(openAmountOf(invoice), remaining);
    if (!amount.greaterThan(0)) continue;
    planned.push({ target: { invoice: invoice.invoiceId, amount: formatAmount(amount) }, field: '', matchedBy: 'invoice-number-in-description' });
    remaining = remaining.minus(amount);
  }
  for (const reference of new Set(description?.match(PLEDGE_REFERENCE) ?? [])) {
    const pledge = pledges?.get(reference);
    if (!pledge || !remaining.greaterThan(0)) continue;
    const amount = min(pledgeOpen(state, pledge), remaining);
    if (!amount.greaterThan(0)) continue;
    planned.push({ target: { pledge: { pledgeId: pledge.pledgeId, facts: pledge }, amount: formatAmount(amount) }, field: '', matchedBy: 'pledge-reference-in-description' });
    remaining = remaining.minus(amount);
  }
  return planned;
}

/** What a cash pledge with an amount still awaits of direct payments; nothing for others (they wait for the treasurer). */
function pledgeOpen(state: ReceivablesState, pledge: PledgeFacts): Money {
  if (pledge.form !== 'cash' || pledge.amount === undefined || pledge.status === 'withdrawn') return money(0);
  return money(pledge.amount).minus(state.allocatedByPledge.get(pledge.pledgeId) ?? '0.00');
}

/** The payment and its allocations, in order, each checked against the state the ones before it leave. */
export function receive(
  state: ReceivablesState,
  payment: IncomingPayment,
  source: Source,
  targets: readonly AllocationTarget[] | undefined,
  newId: () => string,
  account?: string,
  pledges?: PledgesByReference,
): { events: PaymentEvent[]; state: ReceivablesState } {
  const received: EventOf<'PaymentReceived'> = { type: 'PaymentReceived', data: { ...withoutUndefined(payment), source, ...(account === undefined ? {} : { account }) } };
  let working = evolveReceivables(state, received);
  const events: PaymentEvent[] = [received];
  const planned =
    targets?.map((target, index): PlannedAllocation => ({ target, field: `allocations.${index}.`, matchedBy: 'treasurer' })) ??
    matchesInDescription(working, working.payments.get(payment.paymentId)!, payment.description, pledges);
  for (const allocation of planned) {
    const event = allocationEvent(working, working.payments.get(payment.paymentId)!, allocation, newId());
    events.push(event);
    working = evolveReceivables(working, event);
  }
  return { events, state: working };
}

export function receivePayment(command: ReceivePayment, state: ReceivablesState): readonly PaymentEvent[] {
  const { payment } = command;
  if (payment.date > command.today) refuse('DATE_IN_FUTURE', `a payment cannot have arrived on ${payment.date}, after today (${command.today})`, 'date');
  if (payment.bankReference !== undefined && state.bankReferences.has(payment.bankReference)) {
    refuse('DUPLICATE_ID', `a payment with bank reference ${payment.bankReference} was already recorded`, 'bankReference');
  }
  return receive(state, payment, 'manual', command.allocations, command.newId, undefined, command.pledgesByReference).events;
}

export function allocatePayment(command: AllocatePayment, state: ReceivablesState): readonly [EventOf<'PaymentAllocated'>] {
  const payment = state.payments.get(command.paymentId);
  if (!payment) return refuse('NOT_FOUND', `no received payment ${command.paymentId}`);
  return [allocationEvent(state, payment, { target: command.target, field: '', matchedBy: 'treasurer' }, command.allocationId)];
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
