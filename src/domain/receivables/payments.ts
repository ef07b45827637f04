import { refuse } from '../errors.js';
import type { EventData, EventOf } from '../events.js';
import { ibanKey } from '../ids.js';
import { formatAmount, min, money, type Money } from '../money.js';
import type {
  AllocatePayment,
  AllocationTarget,
  FinanciersByIban,
  IncomingPayment,
  PledgeFacts,
  PledgeReference,
  PledgesByReference,
  ReceivePayment,
} from './commands.js';
import { pledgeLeft } from './pledge-facts.js';
import { findCreditorReferences } from './payment-reference.js';
import { evolveReceivables, findInvoice, findInvoiceByPaymentReference, openAmountOf, unallocatedOf, type InvoiceRecord, type PaymentRecord, type ReceivablesState } from './state.js';

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

/** What every allocation is checked against: the stream's state, the payment, and who owns which IBAN. */
interface AllocationContext {
  readonly state: ReceivablesState;
  readonly payment: PaymentRecord;
  readonly financiersByIban: FinanciersByIban;
}

/** The financiers whose registered IBAN the payment came from; empty when its IBAN is absent or nobody's. */
export function payerFinanciersOf(payerIban: string | undefined, financiersByIban: FinanciersByIban): readonly string[] {
  return payerIban === undefined ? [] : (financiersByIban.get(ibanKey(payerIban)) ?? []);
}

/** True when the payment came from an account registered to financiers, none of them `financierId`. */
function paidFromAnotherFinancier(payerFinanciers: readonly string[], financierId: string): boolean {
  return payerFinanciers.length > 0 && !payerFinanciers.includes(financierId);
}

/**
 * Money from one financier's account going to another financier's invoice or pledge is possible
 * (a fund paying on behalf of the municipality) but unusual: the treasurer must say why, and the
 * reason is recorded in the allocation.
 */
function assertPayerMatches(context: AllocationContext, planned: PlannedAllocation, financierId: string, what: string): void {
  const payerFinanciers = payerFinanciersOf(context.payment.payerIban, context.financiersByIban);
  if (!paidFromAnotherFinancier(payerFinanciers, financierId) || planned.target.reason !== undefined) return;
  refuse(
    'ALLOCATION_PAYER_MISMATCH',
    `payment ${context.payment.paymentId} came from ${context.payment.payerIban}, the account of ${payerFinanciers.join(' and ')}, not of ${financierId} (${what}): give a reason to allocate it across financiers`,
    `${planned.field}reason`,
  );
}

function assertWithinPayment(payment: PaymentRecord, amount: Money, field: string): void {
  const unallocated = unallocatedOf(payment);
  if (amount.greaterThan(unallocated)) {
    refuse('ALLOCATION_EXCEEDS_PAYMENT', `payment ${payment.paymentId} has only ${formatAmount(unallocated)} left to allocate`, `${field}amount`);
  }
}

type AllocationData = EventData<'PaymentAllocated'>;
type AllocationBase = Pick<AllocationData, 'allocationId' | 'paymentId' | 'paymentDate' | 'amount' | 'matchedBy' | 'reason'>;

function invoiceAllocation(context: AllocationContext, planned: PlannedAllocation, invoiceRef: string, amount: Money, base: AllocationBase): AllocationData {
  const { field } = planned;
  const invoice = findInvoice(context.state, invoiceRef);
  if (!invoice) return refuse('UNKNOWN_INVOICE', `no invoice ${invoiceRef}`, `${field}invoice`);
  assertWithinPayment(context.payment, amount, field);
  // The open amount is net of credit notes and of earlier allocations.
  const open = openAmountOf(invoice);
  if (amount.greaterThan(open)) {
    refuse('ALLOCATION_EXCEEDS_INVOICE', `invoice ${invoice.number} has only ${formatAmount(open)} open`, `${field}amount`);
  }
  assertPayerMatches(context, planned, invoice.financierId, `invoice ${invoice.number}`);
  const { invoiceId, number: invoiceNumber, financierId, kamerId, year } = invoice;
  return { ...base, invoiceId, invoiceNumber, financierId, kamerId, year };
}

function pledgeAllocation(context: AllocationContext, planned: PlannedAllocation, reference: PledgeReference, amount: Money, base: AllocationBase): AllocationData {
  const { field } = planned;
  const pledge = reference.facts;
  if (!pledge) return refuse('UNKNOWN_PLEDGE', `no pledge ${reference.pledgeId}`, `${field}pledge`);
  if (pledge.status === 'withdrawn') refuse('PLEDGE_WITHDRAWN', `pledge ${pledge.pledgeId} was withdrawn: it takes no money`, `${field}pledge`);
  // A rent discount or a minibus is given, not paid: money on it would count the contribution twice.
  if (pledge.form === 'in-kind') refuse('PLEDGE_IN_KIND_NOT_PAYABLE', `pledge ${pledge.pledgeId} is in kind: it takes no money`, `${field}pledge`);
  assertWithinPayment(context.payment, amount, field);
  const left = pledgeLeft(context.state, pledge, planned.target.actualCosts);
  if (amount.greaterThan(left)) {
    refuse(
      'ALLOCATION_EXCEEDS_PLEDGE',
      `pledge ${pledge.pledgeId} of ${pledge.financierId} has only ${formatAmount(left)} left (what was pledged less what was invoiced on it, net of credit notes, and paid on it directly)`,
      `${field}amount`,
    );
  }
  assertPayerMatches(context, planned, pledge.financierId, `pledge ${pledge.pledgeId}`);
  const { pledgeId, financierId, kamerId, year } = pledge;
  return { ...base, pledgeId, financierId, kamerId, year };
}

/** Checks one allocation against the payment's remainder, the invoice's open amount or the pledge's rest, and the payer; returns its event. */
function allocationEvent(context: AllocationContext, planned: PlannedAllocation, allocationId: string): EventOf<'PaymentAllocated'> {
  const { target, field, matchedBy } = planned;
  const amount = money(target.amount);
  if (!amount.greaterThan(0)) refuse('INVALID_INPUT', 'an allocation must be for more than 0.00', `${field}amount`);
  const { payment } = context;
  const base: AllocationBase = {
    allocationId,
    paymentId: payment.paymentId,
    paymentDate: payment.date,
    amount: formatAmount(amount),
    matchedBy,
    ...(target.reason === undefined ? {} : { reason: target.reason }),
  };
  if (target.invoice !== undefined && target.pledge === undefined) {
    return { type: 'PaymentAllocated', data: invoiceAllocation(context, planned, target.invoice, amount, base) };
  }
  if (target.pledge !== undefined && target.invoice === undefined) {
    return { type: 'PaymentAllocated', data: pledgeAllocation(context, planned, target.pledge, amount, base) };
  }
  return refuse('INVALID_INPUT', 'an allocation names exactly one of invoice and pledge', field === '' ? undefined : field.slice(0, -1));
}

/** Invoices named in a payment's description that belong to another financier than the one whose account paid. */
export function invoicesOfOtherFinancier(
  state: ReceivablesState,
  payment: Remittance & { readonly payerIban?: string | undefined },
  financiersByIban: FinanciersByIban,
): InvoiceRecord[] {
  const payerFinanciers = payerFinanciersOf(payment.payerIban, financiersByIban);
  return invoicesNamedBy(state, payment)
    .map(({ invoice }) => invoice)
    .filter((invoice) => paidFromAnotherFinancier(payerFinanciers, invoice.financierId));
}

function invoicesNamedIn(state: ReceivablesState, description: string | undefined): InvoiceRecord[] {
  return invoiceNumbersIn(description).flatMap((number) => findInvoice(state, number) ?? []);
}

interface Remittance {
  readonly description?: string | undefined;
  readonly creditorReference?: string | undefined;
}

/**
 * Invoices whose RF payment reference the payment carries: the structured reference first, then
 * any in the free text. Only a reference with valid check digits that is exactly an invoice's
 * counts, so a typo matches nothing rather than another invoice.
 */
export function invoicesByPaymentReference(state: ReceivablesState, payment: Remittance): InvoiceRecord[] {
  const references = [...findCreditorReferences(payment.creditorReference), ...findCreditorReferences(payment.description)];
  return [...new Set(references)].flatMap((reference) => findInvoiceByPaymentReference(state, reference) ?? []);
}

/** Invoices the payment names, each once, with how: by payment reference first, then by invoice number. */
function invoicesNamedBy(state: ReceivablesState, payment: Remittance): Array<{ invoice: InvoiceRecord; matchedBy: MatchedBy }> {
  const byReference = invoicesByPaymentReference(state, payment);
  const byNumber = invoicesNamedIn(state, payment.description).filter((invoice) => !byReference.includes(invoice));
  return [
    ...byReference.map((invoice) => ({ invoice, matchedBy: 'payment-reference' as const })),
    ...byNumber.map((invoice) => ({ invoice, matchedBy: 'invoice-number-in-description' as const })),
  ];
}

/**
 * Without explicit allocations, RF payment references (structured or in the text) and then invoice
 * numbers in the description pay those invoices, in the order they appear, each up to its open
 * amount, until the money runs out; then a subsidy decision's kenmerk pays its pledge, up to what
 * it still awaits. The rest (an overpayment, an unknown number) stays unallocated until the
 * treasurer allocates it. An invoice or pledge of another financier than the one whose account
 * paid is never matched automatically: that needs the treasurer and a reason.
 */
function matchesInDescription(context: AllocationContext, payment: Remittance, pledges: PledgesByReference | undefined): PlannedAllocation[] {
  const planned: PlannedAllocation[] = [];
  const payerFinanciers = payerFinanciersOf(context.payment.payerIban, context.financiersByIban);
  let remaining = unallocatedOf(context.payment);
  for (const { invoice, matchedBy } of invoicesNamedBy(context.state, payment)) {
    if (!remaining.greaterThan(0) || paidFromAnotherFinancier(payerFinanciers, invoice.financierId)) continue;
    const amount = min(openAmountOf(invoice), remaining);
    if (!amount.greaterThan(0)) continue;
    planned.push({ target: { invoice: invoice.invoiceId, amount: formatAmount(amount) }, field: '', matchedBy });
    remaining = remaining.minus(amount);
  }
  for (const reference of new Set(payment.description?.match(PLEDGE_REFERENCE) ?? [])) {
    const pledge = pledges?.get(reference);
    if (!pledge || !remaining.greaterThan(0) || paidFromAnotherFinancier(payerFinanciers, pledge.financierId)) continue;
    const amount = min(pledgeOpen(context.state, pledge), remaining);
    if (!amount.greaterThan(0)) continue;
    planned.push({ target: { pledge: { pledgeId: pledge.pledgeId, facts: pledge }, amount: formatAmount(amount) }, field: '', matchedBy: 'pledge-reference-in-description' });
    remaining = remaining.minus(amount);
  }
  return planned;
}

/** What a cash pledge with an amount still awaits (pledgeLeft); nothing for others: they wait for the treasurer. */
function pledgeOpen(state: ReceivablesState, pledge: PledgeFacts): Money {
  if (pledge.form !== 'cash' || pledge.amount === undefined || pledge.status === 'withdrawn') return money(0);
  return pledgeLeft(state, pledge, undefined);
}

/** How a payment is received: ids for its allocations, who owns which IBAN, and for a statement its account and the kenmerken. */
export interface ReceiveOptions {
  readonly newId: () => string;
  readonly financiersByIban: FinanciersByIban;
  /** The cooperative's account the statement credited; absent for a payment recorded by hand. */
  readonly account?: string;
  readonly pledgesByReference?: PledgesByReference;
}

/** The payment and its allocations, in order, each checked against the state the ones before it leave. */
export function receive(
  state: ReceivablesState,
  payment: IncomingPayment,
  source: Source,
  targets: readonly AllocationTarget[] | undefined,
  options: ReceiveOptions,
): { events: PaymentEvent[]; state: ReceivablesState } {
  const received: EventOf<'PaymentReceived'> = {
    type: 'PaymentReceived',
    data: { ...withoutUndefined(payment), source, ...(options.account === undefined ? {} : { account: options.account }) },
  };
  let working = evolveReceivables(state, received);
  const events: PaymentEvent[] = [received];
  const contextOf = (current: ReceivablesState): AllocationContext => ({
    state: current,
    payment: current.payments.get(payment.paymentId)!,
    financiersByIban: options.financiersByIban,
  });
  const planned =
    targets?.map((target, index): PlannedAllocation => ({ target, field: `allocations.${index}.`, matchedBy: 'treasurer' })) ??
    matchesInDescription(contextOf(working), payment, options.pledgesByReference);
  for (const allocation of planned) {
    const event = allocationEvent(contextOf(working), allocation, options.newId());
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
  return receive(state, payment, 'manual', command.allocations, {
    newId: command.newId,
    financiersByIban: command.financiersByIban,
    ...(command.pledgesByReference === undefined ? {} : { pledgesByReference: command.pledgesByReference }),
  }).events;
}

export function allocatePayment(command: AllocatePayment, state: ReceivablesState): readonly [EventOf<'PaymentAllocated'>] {
  const payment = state.payments.get(command.paymentId);
  if (!payment) return refuse('NOT_FOUND', `no received payment ${command.paymentId}`);
  const context = { state, payment, financiersByIban: command.financiersByIban };
  return [allocationEvent(context, { target: command.target, field: '', matchedBy: 'treasurer' }, command.allocationId)];
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
