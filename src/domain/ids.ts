import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { z } from 'zod';

/** Rooms and financiers are named by short slugs chosen by the treasurer: "top", "mitros". */
export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lowercase letters, digits or dashes, starting with a letter or digit');

/** Ids the service generates (pledges, invoices, payments, entries) are UUIDs. */
export const GeneratedIdSchema = z.string().uuid('must be a UUID');

/** Volunteers are vulnerable residents: only a pseudonym, never a name. */
export const VolunteerIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^\S+$/, 'must be a pseudonymous id without spaces, never a name');

export const IbanSchema = z
  .string()
  .transform((value) => electronicFormatIBAN(value) ?? value)
  .refine((value) => isValidIBAN(value), 'must be a valid IBAN (country code, check digits and account, mod-97)');

/** An IBAN as one key, however it was typed ("NL91 abna 0417 1643 00" → "NL91ABNA0417164300"). */
export function ibanKey(iban: string): string {
  return electronicFormatIBAN(iban) ?? iban.replace(/\s+/g, '').toUpperCase();
}
