import { z } from 'zod';
import { DomainError, type DomainErrorCode } from '../../domain/errors.js';
import { STATUS_FOR_CODE } from '../../http/problem.js';
import type { PageText } from '../text/nl.js';

/**
 * A refused command back into Dutch at the form's fields, for every page form: the schema's issues
 * by the kind of field and check, a rule by its code (the `rules` catalogue, the same text
 * wherever the rule refuses), each at the field it is about or above the form.
 */

/** A form's refusal: the status to re-render it with and a Dutch message per field. */
export interface Refusal {
  readonly status: number;
  readonly errors: Record<string, string>;
  readonly summary?: string;
}

/** Rules a command refuses without naming a field, and the field they are about. */
const FIELD_OF_CODE: Partial<Record<DomainErrorCode, string>> = {
  UNKNOWN_KAMER: 'kamer',
  UNKNOWN_FINANCIER: 'financier',
  UNKNOWN_INVOICE: 'invoice',
  UNKNOWN_PLEDGE: 'pledge',
  FINANCIER_DOES_NOT_PAY_BY_INVOICE: 'financier',
  INVOICE_EXCEEDS_PLEDGE: 'pledge',
  BUYER_REFERENCE_REQUIRED: 'reference',
  CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT: 'amount',
  ALLOCATION_EXCEEDS_PAYMENT: 'amount',
  ALLOCATION_EXCEEDS_INVOICE: 'amount',
  ALLOCATION_EXCEEDS_PLEDGE: 'amount',
  ALLOCATION_PAYER_MISMATCH: 'reason',
  PETTY_CASH_MONTHLY_LIMIT: 'amount',
  PETTY_CASH_INSUFFICIENT: 'amount',
  VALUATION_RATE_MISSING: 'date',
  INVOICE_DATE_BEFORE_PREVIOUS: 'issueDate',
  BANK_STATEMENT_INVALID: 'statement',
  BANK_BALANCE_MISMATCH: 'acceptDifference',
  BANK_ACCOUNT_UNKNOWN: 'statement',
  BANK_ENTRY_CONFLICT: 'statement',
};

/** The Dutch text of a rule by its code; a code without one gets the general sentence with the code. */
export function ruleText(text: PageText, code: string): string {
  return (text.rules as Partial<Record<string, string>>)[code] ?? text.ruleFallback(code);
}

/**
 * The Dutch message for a field the schema refused: the form's own sentence for the field when it
 * has one (it says every way the field can be wrong, empty included), else by the field's kind,
 * then by the check that failed.
 */
function validationText(text: PageText, field: string, issue: z.core.$ZodIssue, fieldRules: Readonly<Record<string, string>>): string {
  const v = text.validation;
  const last = field.split('.').at(-1) ?? '';
  const own = fieldRules[last];
  if (own !== undefined) return own;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return v.required;
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return v.required;
  if (issue.code === 'custom' && last === 'invoice') return v.oneOfInvoicePledge;
  if (last === 'amount') return v.amount;
  if (/iban$/i.test(last)) return v.iban;
  if (/date$/i.test(last)) return v.date;
  if (last === 'postcode') return v.postcode;
  if (last === 'email') return v.email;
  if (['id', 'kamer', 'financier'].includes(last)) return v.slug;
  if (issue.code === 'invalid_type' && issue.expected === 'number') return v.number;
  if (issue.code === 'too_big') return v.tooLong;
  if (issue.code === 'too_small') return v.tooSmall;
  if (issue.code === 'invalid_value') return v.choice;
  if (issue.code === 'invalid_format') return v.format;
  return v.other;
}

/** How a form places a refusal: its own names for the body's paths, and its own sentences per field. */
export interface RefusalPlaces {
  /** The form field of a body path, where the form numbers its fields otherwise (a table of rows). */
  readonly fieldOf?: (path: string) => string;
  /** A sentence per field name (the last segment of the path), said instead of the general ones. */
  readonly fieldRules?: Readonly<Record<string, string>>;
}

/**
 * A refused command as the form shows it: the schema's issues or the rule's code in Dutch, at the
 * field they name, or above the form (`summary`) when the field is not one of `formFields`; the
 * first message per field. Anything else (a storage fault) is no refusal and is rethrown: it is
 * not the person's to fix.
 */
export function refusalOf(error: unknown, text: PageText, formFields: readonly string[], places: RefusalPlaces = {}): Refusal {
  const { fieldOf = (path: string) => path, fieldRules = {} } = places;
  const errors: Record<string, string> = {};
  let summary: string | undefined;
  const place = (path: string | undefined, message: string) => {
    const field = path === undefined ? undefined : fieldOf(path);
    if (field !== undefined && formFields.includes(field)) errors[field] ??= message;
    else summary ??= message;
  };
  if (error instanceof z.ZodError) {
    for (const issue of error.issues) {
      const path = issue.path.join('.');
      // An unknown key cannot come from the forms' own fields: a tampered form, said in general.
      place(path || undefined, issue.code === 'unrecognized_keys' ? text.validation.other : validationText(text, path, issue, fieldRules));
    }
    return { status: 422, errors, ...(summary === undefined ? {} : { summary }) };
  }
  if (error instanceof DomainError) {
    place(error.field ?? FIELD_OF_CODE[error.code], ruleText(text, error.code));
    // A malformed upload is 400, as the API answers it; every other refusal of a form is 422.
    return { status: STATUS_FOR_CODE[error.code] === 400 ? 400 : 422, errors, ...(summary === undefined ? {} : { summary }) };
  }
  throw error;
}
