import { dueDateFor, yearOf } from '../calendar.js';
import { refuse } from '../errors.js';
import type { EventOf } from '../events.js';
import { formatAmount, money, sum, type Money } from '../money.js';
import type { InvoiceLine, IssueCreditNote, IssueInvoice, PledgeFacts } from './commands.js';
import { creditorReferenceFor } from './payment-reference.js';
import { pledgeLeft } from './pledge-facts.js';
import { findInvoice, MAX_NUMBER_IN_SERIES, nextNumber, openAmountOf, previousInSeries, type ReceivablesState } from './state.js';

/**
 * The next number of the date's series. Numbers and dates go up together (invoices and credit
 * notes share the series): a document dated before the previous number's date is refused, so
 * the series read in number order is also in date order. The same date is fine.
 */
function numberFor(state: ReceivablesState, date: string): string {
  const year = yearOf(date);
  if ((state.lastNumberByYear.get(year) ?? 0) >= MAX_NUMBER_IN_SERIES) {
    refuse('INVALID_INPUT', `the ${year} series is full (${MAX_NUMBER_IN_SERIES} numbers)`, 'issueDate');
  }
  const previous = previousInSeries(state, year);
  if (previous && date < previous.issueDate) {
    refuse(
      'INVOICE_DATE_BEFORE_PREVIOUS',
      `${previous.number}, the previous number in the ${year} series, is dated ${previous.issueDate}: the next number cannot be dated ${date}, before it`,
      'issueDate',
    );
  }
  return nextNumber(state, year);
}

function assertParties(command: IssueInvoice): void {
  if (!command.financier) refuse('UNKNOWN_FINANCIER', `no financier ${command.financierId}`, 'financier');
  if (command.financier.pays !== 'invoice') {
    refuse(
      'FINANCIER_DOES_NOT_PAY_BY_INVOICE',
      `financier ${command.financierId} pays by ${command.financier.pays}, not on invoices of the cooperative`,
      'financier',
    );
  }
  if (!command.kamerExists) refuse('UNKNOWN_KAMER', `no kamer ${command.kamerId}`, 'kamer');
  if (command.financier.requiresBuyerReference && command.reference === undefined) {
    refuse(
      'BUYER_REFERENCE_REQUIRED',
      `financier ${command.financierId} accepts invoices only with its reference (order number, subsidy decision kenmerk or buyer reference): give it in reference`,
      'reference',
    );
  }
}

function assertInvoiceable(command: IssueInvoice, pledge: PledgeFacts | undefined, pledgeId: string): asserts pledge is PledgeFacts {
  if (!pledge) refuse('UNKNOWN_PLEDGE', `no pledge ${pledgeId}`, 'pledge');
  if (pledge.financierId !== command.financierId || pledge.kamerId !== command.kamerId || pledge.year !== command.year) {
    refuse(
      'PLEDGE_DOES_NOT_MATCH',
      `pledge ${pledgeId} is from ${pledge.financierId} to ${pledge.kamerId} for ${pledge.year}, not from ${command.financierId} to ${command.kamerId} for ${command.year}`,
      'pledge',
    );
  }
  if (pledge.status === 'withdrawn') refuse('PLEDGE_WITHDRAWN', `pledge ${pledgeId} was withdrawn`, 'pledge');
  if (pledge.form === 'in-kind') refuse('PLEDGE_IN_KIND_NOT_INVOICEABLE', `pledge ${pledgeId} is in kind: there is nothing to invoice`, 'pledge');
}

/**
 * What may still be invoiced on the pledge: its amount (or share of the actual costs) less what
 * was invoiced, net of credit notes, and less money allocated to the pledge without an invoice.
 */
function pledgeHeadroom(command: IssueInvoice, pledge: PledgeFacts, state: ReceivablesState): Money {
  return pledgeLeft(state, pledge, command.actualCosts);
}

function linesOrShareLine(command: IssueInvoice, pledge: PledgeFacts | undefined, headroom: Money | undefined): readonly InvoiceLine[] {
  if (command.lines) return command.lines;
  if (!pledge?.share || headroom === undefined) {
    return refuse('INVALID_INPUT', 'an invoice needs at least one line; only an invoice on a share pledge may leave them out', 'lines');
  }
  if (!headroom.greaterThan(0)) {
    refuse('INVOICE_HAS_NO_AMOUNT', `nothing is left to invoice on pledge ${pledge.pledgeId} (its share of the actual costs ${command.year} is invoiced)`, 'lines');
  }
  const { numerator, denominator } = pledge.share;
  return [{ description: `Aandeel ${numerator}/${denominator} van de werkelijke kosten ${command.year}`, amount: formatAmount(headroom) }];
}

export function issueInvoice(command: IssueInvoice, state: ReceivablesState): readonly [EventOf<'InvoiceIssued'>] {
  assertParties(command);
  if (command.issueDate > command.today) {
    refuse('DATE_IN_FUTURE', `an invoice cannot be dated ${command.issueDate}, after today (${command.today})`, 'issueDate');
  }
  const pledge = command.pledge?.facts;
  if (command.pledge) assertInvoiceable(command, pledge, command.pledge.pledgeId);
  const headroom = pledge ? pledgeHeadroom(command, pledge, state) : undefined;
  const lines = linesOrShareLine(command, pledge, headroom);
  const total = sum(lines.map((line) => line.amount));
  if (headroom !== undefined && total.greaterThan(headroom)) {
    refuse(
      'INVOICE_EXCEEDS_PLEDGE',
      `the invoice totals ${formatAmount(total)} but only ${formatAmount(headroom)} of pledge ${command.pledge?.pledgeId} is left to invoice (net of what was invoiced or paid on it directly)`,
      'lines',
    );
  }
  const number = numberFor(state, command.issueDate);
  return [
    {
      type: 'InvoiceIssued',
      data: {
        invoiceId: command.invoiceId,
        number,
        financierId: command.financierId,
        kamerId: command.kamerId,
        year: command.year,
        ...(pledge ? { pledgeId: pledge.pledgeId } : {}),
        issueDate: command.issueDate,
        dueDate: dueDateFor(command.issueDate),
        lines: [...lines],
        total: formatAmount(total),
        ...(command.reference === undefined ? {} : { reference: command.reference }),
        paymentReference: creditorReferenceFor(number),
        ...(command.parties === undefined ? {} : { parties: command.parties }),
      },
    },
  ];
}

export function issueCreditNote(command: IssueCreditNote, state: ReceivablesState): readonly [EventOf<'CreditNoteIssued'>] {
  const invoice = findInvoice(state, command.invoice);
  if (!invoice) return refuse('NOT_FOUND', `no invoice ${command.invoice}`);
  if (command.issueDate > command.today) {
    refuse('DATE_IN_FUTURE', `a credit note cannot be dated ${command.issueDate}, after today (${command.today})`, 'issueDate');
  }
  if (command.issueDate < invoice.issueDate) {
    refuse('INVALID_INPUT', `a credit note cannot be dated before the invoice it credits (${invoice.issueDate})`, 'issueDate');
  }
  const open = openAmountOf(invoice);
  const amount = command.amount === undefined ? open : money(command.amount);
  if (command.amount !== undefined && !amount.greaterThan(0)) refuse('INVALID_INPUT', 'a credit note must be for more than 0.00', 'amount');
  if (!open.greaterThan(0) || amount.greaterThan(open)) {
    refuse(
      'CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT',
      `invoice ${invoice.number} has ${formatAmount(open)} open; a credit note of ${formatAmount(amount)} would exceed it`,
      'amount',
    );
  }
  return [
    {
      type: 'CreditNoteIssued',
      data: {
        creditNoteId: command.creditNoteId,
        number: numberFor(state, command.issueDate),
        invoiceId: invoice.invoiceId,
        invoiceNumber: invoice.number,
        financierId: invoice.financierId,
        kamerId: invoice.kamerId,
        year: invoice.year,
        ...(invoice.pledgeId === undefined ? {} : { pledgeId: invoice.pledgeId }),
        issueDate: command.issueDate,
        amount: formatAmount(amount),
        reason: command.reason,
        ...referenceOf(command.reference ?? invoice.reference),
        ...(command.parties === undefined ? {} : { parties: command.parties }),
      },
    },
  ];
}

function referenceOf(reference: string | undefined): { reference?: string } {
  return reference === undefined ? {} : { reference };
}
