import type { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { nl } from '../text/nl.js';

const text = nl.teamleader;

/** What a person typed, by field name, kept so a refused form shows it again. */
export type FormValues = Readonly<Record<string, string>>;
/** The Dutch message per field name; `''` holds a message about the form as a whole. */
export type FieldErrors = Readonly<Record<string, string>>;

/**
 * A decimal as Dutch people type it ("12,50", "€ 1.234,5", "2,5") in the form the API schemas
 * read ("12.50", "1234.5", "2.5"). Text only, never through a JS number, so no amount can drift.
 * Anything that is not such a decimal is returned trimmed and unchanged: the API's schema then
 * refuses it with its own rule, exactly as it would over the API.
 */
export function decimalFromDutch(typed: string): string {
  const compact = typed.replace(/[€\s]/g, '');
  if (/^\d{1,3}(\.\d{3})+,\d{1,2}$/.test(compact)) return compact.replace(/\./g, '').replace(',', '.');
  if (/^\d+,\d{1,2}$/.test(compact)) return compact.replace(',', '.');
  return compact === '' ? typed.trim() : compact;
}

/** A form's text fields as strings; a missing or repeated field is read as empty or its first value. */
export function formValues(body: unknown, fields: readonly string[]): FormValues {
  const source = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const values: Record<string, string> = {};
  for (const field of fields) {
    const raw = source[field];
    const first = Array.isArray(raw) ? raw[0] : raw;
    values[field] = typeof first === 'string' ? first : '';
  }
  return values;
}

/** Leaves out empty optional fields, as a client of the API would not send them. */
export function withoutEmpty(values: FormValues, optional: readonly string[]): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) {
    if (!(optional.includes(field) && value.trim() === '')) kept[field] = value;
  }
  return kept;
}

/** The Dutch message for each field the API's schema refused (the first issue per field). */
export function schemaErrors(error: z.ZodError): FieldErrors {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= text.rules[field] ?? text.otherRefusal;
  }
  return errors;
}

/** The field and Dutch message of a rule the command refused; `''` when the rule names no field. */
export function ruleError(error: DomainError): { field: string; message: string } {
  const field = error.field?.split('.')[0] ?? '';
  const message = text.codes[error.code] ?? (field === '' ? text.otherRefusal : (text.rules[field] ?? text.otherRefusal));
  return { field, message };
}

/**
 * Runs a command for a form: the Dutch errors of a refused rule, or undefined when it was done.
 * Anything other than a refused rule (a storage fault) is not the person's to fix: it propagates.
 */
export async function refusalOf(command: () => Promise<unknown>): Promise<FieldErrors | undefined> {
  try {
    await command();
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const { field, message } = ruleError(error);
    return { [field]: message };
  }
}
