import { z } from 'zod';
import { DomainError, type DomainErrorCode } from '../../domain/errors.js';
import { STATUS_FOR_CODE } from '../../http/problem.js';
import type { PageText } from '../text/nl.js';

/**
 * Turning a posted form into the API's request body, and a refusal back into Dutch messages at
 * the form's fields. A page form runs the API route's own body schema and command: the fields are
 * named by the body's dotted paths ("lines.0.amount"), so a problem's field is a form field.
 */

/** What a browser posts: every value a string (a file upload's fields as well, the file aside). */
export type FormFields = Readonly<Record<string, string>>;

/** A form as it is shown: the values typed (kept after a refusal) and a message per field. */
export interface FormState {
  readonly values: FormFields;
  readonly errors: Readonly<Record<string, string>>;
  /** A refusal that names no field of this form, shown above it. */
  readonly summary?: string;
}

export const EMPTY_FORM: FormState = { values: {}, errors: {} };

/** The posted fields as strings; anything else (a stray array, the upload's file) is left out. */
export function formFieldsOf(body: unknown): FormFields {
  const fields: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return fields;
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string' && name !== '_csrf') fields[name] = value;
  return fields;
}

/**
 * Dutch amounts as people type them ("125", "125,5", "1.234,50", "€ 12,00") in the API's form
 * ("125.00"), by rewriting the text only: never through a float. Anything else is passed on as
 * typed, for the schema to refuse with its rule.
 */
export function normaliseAmount(typed: string): string {
  const text = typed.replace(/[\s€]/g, '');
  let decimal: string | undefined;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(text)) decimal = text.replace(/\./g, '').replace(',', '.');
  else if (/^\d+(,\d{1,2})?$/.test(text)) decimal = text.replace(',', '.');
  else if (/^\d+\.\d{1,2}$/.test(text)) decimal = text;
  if (decimal === undefined) return typed;
  const [whole, cents = ''] = decimal.split('.');
  return `${whole}.${cents.padEnd(2, '0')}`;
}

/** "2,5" → "2.5": hours are a decimal string too. */
export function normaliseHours(typed: string): string {
  const text = typed.trim();
  return /^\d+,\d{1,2}$/.test(text) ? text.replace(',', '.') : text;
}

/** A year as the schema's integer; text that is no whole number stays text, for the schema to refuse. */
export function integerOrText(typed: string): number | string {
  return /^\d{1,4}$/.test(typed.trim()) ? Number.parseInt(typed.trim(), 10) : typed;
}

/**
 * Dotted field names to a nested body: "address.city" → { address: { city } }, "lines.0.amount" →
 * { lines: [{ amount }] }. An empty field is left out, as an API client leaves out an optional
 * field; amounts and hours are normalised on the way.
 */
export function nestedBody(fields: FormFields, names: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of names) {
    const raw = fields[name]?.trim() ?? '';
    if (raw === '') continue;
    const path = name.split('.');
    const last = path.at(-1)!;
    const value = last === 'amount' ? normaliseAmount(raw) : last === 'hours' ? normaliseHours(raw) : raw;
    let node: Record<string, unknown> | unknown[] = body;
    path.slice(0, -1).forEach((segment, index) => {
      const key = /^\d+$/.test(segment) ? Number.parseInt(segment, 10) : segment;
      const nextIsIndex = /^\d+$/.test(path[index + 1]!);
      const container = node as Record<string | number, unknown>;
      container[key] ??= nextIsIndex ? [] : {};
      node = container[key] as Record<string, unknown>;
    });
    (node as Record<string, unknown>)[last] = value;
  }
  return body;
}

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

/** The Dutch message for a field the schema refused: by the field's kind, then by the check that failed. */
function validationText(text: PageText, field: string, issue: z.core.$ZodIssue): string {
  const v = text.validation;
  const last = field.split('.').at(-1) ?? '';
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

/**
 * A refused command as the form shows it: the schema's issues or the rule's code in Dutch, at the
 * field they name (through `fieldOf` where the form numbers its fields otherwise), or above the
 * form when the field is not one of `formFields`. Anything else is no refusal and is rethrown.
 */
export function refusalOf(error: unknown, text: PageText, formFields: readonly string[], fieldOf: (path: string) => string = (path) => path): Refusal {
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
      // An unknown key cannot come from these forms' own fields: a tampered form, said in general.
      place(path || undefined, issue.code === 'unrecognized_keys' ? text.validation.other : validationText(text, path, issue));
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
