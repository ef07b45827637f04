/**
 * Reading a posted page form: every page form (the treasurer's, the team leader's) turns what a
 * browser posts into the API's request body here, so the API route's own schema checks it. Fields
 * are named by the body's dotted paths ("lines.0.amount"), so a refusal's field is a form field.
 */

/** What a browser posts: every value a string (a file upload's fields as well, the file aside). */
export type FormFields = Readonly<Record<string, string>>;

/** A form as it is shown: the values typed (kept after a refusal) and a Dutch message per field. */
export interface FormState {
  readonly values: FormFields;
  readonly errors: Readonly<Record<string, string>>;
  /** A refusal that names no field of this form, shown above it. */
  readonly summary?: string;
}

export const EMPTY_FORM: FormState = { values: {}, errors: {} };

/** The posted fields as strings; anything else (a stray repeated field, the upload's file) is left out. */
export function formFieldsOf(body: unknown): FormFields {
  const fields: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return fields;
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string' && name !== '_csrf') fields[name] = value;
  return fields;
}

/**
 * A decimal as Dutch people type it ("12,50", "€ 1.234,5", "2,5", "1.234") in the form the API
 * schemas read ("12.50", "1234.5", "2.5", "1234"), by rewriting the text only: never through a JS
 * number, so no amount can drift. Anything else comes back without spaces and euro sign but
 * otherwise as typed, for the API's schema to refuse with its own rule, as it would over the API.
 */
export function decimalFromDutch(typed: string): string {
  const compact = typed.replace(/[\s€]/g, '');
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(compact)) return compact.replace(/\./g, '').replace(',', '.');
  if (/^\d+,\d{1,2}$/.test(compact)) return compact.replace(',', '.');
  return compact === '' ? typed.trim() : compact;
}

/** A euro amount typed the Dutch way ("125", "125,5", "€ 1.234,50") as the API's "125.00"; text only. */
export function amountFromDutch(typed: string): string {
  const decimal = decimalFromDutch(typed);
  const cents = /^(\d+)(?:\.(\d{1,2}))?$/.exec(decimal);
  return cents ? `${cents[1]}.${(cents[2] ?? '').padEnd(2, '0')}` : decimal;
}

/** A year as the schema's integer; text that is no whole number stays text, for the schema to refuse. */
export function integerOrText(typed: string): number | string {
  return /^\d{1,4}$/.test(typed.trim()) ? Number.parseInt(typed.trim(), 10) : typed;
}

/**
 * Dotted field names to a nested body: "address.city" → { address: { city } }, "lines.0.amount" →
 * { lines: [{ amount }] }. An empty field is left out, as an API client leaves out an optional
 * field; amounts and hours, typed the Dutch way, are normalised on the way.
 */
export function nestedBody(fields: FormFields, names: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of names) {
    const raw = fields[name]?.trim() ?? '';
    if (raw === '') continue;
    const path = name.split('.');
    const last = path.at(-1)!;
    const value = last === 'amount' ? amountFromDutch(raw) : last === 'hours' ? decimalFromDutch(raw) : raw;
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
