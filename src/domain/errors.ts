/**
 * Every business rule that can refuse a command has a code here. Only src/http maps codes to HTTP
 * statuses (a Record over this union, so the compiler catches an unmapped code).
 */
export const DOMAIN_ERROR_CODES = [
  // references to things that do not exist (in a request body: 422; in a path: NOT_FOUND, 404)
  'NOT_FOUND',
  'UNKNOWN_KAMER',
  'UNKNOWN_FINANCIER',
  'UNKNOWN_PLEDGE',
  'UNKNOWN_INVOICE',
  'UNKNOWN_PAYMENT',
  'UNKNOWN_BUDGET_LINE',
  // conflicts
  'DUPLICATE_ID',
  'CONCURRENT_CHANGE',
  'IDEMPOTENCY_KEY_REUSED',
  // the first request with this Idempotency-Key holds it on another instance (EventStoreDB)
  'IDEMPOTENCY_KEY_IN_PROGRESS',
  // one append larger than the event store accepts (EventStoreDB's maximum append size)
  'APPEND_TOO_LARGE',
  // pledges
  'PLEDGE_STATUS_TRANSITION',
  'PLEDGE_WITHDRAWN',
  'PLEDGE_BELOW_CLAIMED',
  'PLEDGE_IN_KIND_NOT_PAYABLE',
  'PLEDGE_IN_KIND_NOT_INVOICEABLE',
  'PLEDGE_SHARE_NOT_AMENDABLE',
  'PLEDGE_DOES_NOT_MATCH',
  // invoices and credit notes
  'FINANCIER_DOES_NOT_PAY_BY_INVOICE',
  'INVOICE_EXCEEDS_PLEDGE',
  'INVOICE_HAS_NO_AMOUNT',
  'CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT',
  'INVOICE_DATE_BEFORE_PREVIOUS',
  'BUYER_REFERENCE_REQUIRED',
  // documents (PDF) need the parties' details
  'DOCUMENT_DETAILS_MISSING',
  // the Peppol e-invoice needs the cooperative's and the financier's details in the document's event
  'COOPERATIVE_DETAILS_MISSING',
  'FINANCIER_DETAILS_MISSING',
  // reminders (herinnering, aanmaning)
  'REMINDER_NOT_DUE',
  'INVOICE_NOT_OPEN',
  // payments
  'ALLOCATION_EXCEEDS_PAYMENT',
  'ALLOCATION_EXCEEDS_INVOICE',
  'ALLOCATION_EXCEEDS_PLEDGE',
  'ALLOCATION_PAYER_MISMATCH',
  'BANK_STATEMENT_INVALID',
  'BANK_ENTRY_CONFLICT',
  'BANK_ACCOUNT_UNKNOWN',
  'BANK_BALANCE_MISMATCH',
  'BANK_ENTRY_ALREADY_ASSIGNED',
  // petty cash
  'PETTY_CASH_MONTHLY_LIMIT',
  'PETTY_CASH_INSUFFICIENT',
  // volunteer hours
  'VOLUNTEER_HOURS_IN_FUTURE',
  'VALUATION_RATE_MISSING',
  // closing the year (docs/years.md)
  'PERIOD_CLOSED',
  'YEAR_NOT_ENDED',
  'YEAR_NOT_CHECKED',
  'YEAR_NOT_APPROVED',
  'YEAR_NOT_CLOSED',
  'LOG_NOT_VERIFIED',
  // generic input rules the schemas cannot express
  'DATE_IN_FUTURE',
  'INVALID_INPUT',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The request field the rule is about, as a dotted path ("lines.0.amount"), when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export function refuse(code: DomainErrorCode, message: string, field?: string): never {
  throw new DomainError(code, message, field);
}
