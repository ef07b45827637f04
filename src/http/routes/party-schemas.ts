import { isValidBIC } from 'ibantools';
import { z } from 'zod';
import { CooperativeDetailsSchema, FinancierDetailsSchema } from '../../domain/events.js';

/**
 * Request and answer schemas for the parties' details (the cooperative, a financier's address and
 * e-invoice id). Bodies normalise (postcode, IBAN, upper case); answers only describe output,
 * never reuse a transform (architecture.md: answer schemas are encoders).
 */
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** A Dutch postcode is written `1234 AB`; other countries' as given. */
const DUTCH_POSTCODE = /^([1-9]\d{3}) ?([A-Za-z]{2})$/;

export const AddressBody = z
  .strictObject({
    street: text(200),
    postcode: text(20),
    city: text(100),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 country code of two capitals, e.g. NL').default('NL'),
  })
  .superRefine((address, context) => {
    if (address.country === 'NL' && !DUTCH_POSTCODE.test(address.postcode)) {
      context.addIssue({ code: 'custom', path: ['postcode'], message: 'must be a Dutch postcode: four digits and two letters, e.g. 1234 AB' });
    }
  })
  .transform((address) => {
    const dutch = address.country === 'NL' ? DUTCH_POSTCODE.exec(address.postcode) : null;
    return dutch ? { ...address, postcode: `${dutch[1]} ${dutch[2]!.toUpperCase()}` } : address;
  });

/** A Peppol participant id the Dutch way: KvK number (scheme 0106, 8 digits) or OIN (scheme 0190, 20 digits). */
export const EInvoiceIdSchema = z
  .string()
  .regex(/^(0106:\d{8}|0190:\d{20})$/, 'must be a KvK number as 0106:12345678 or an OIN as 0190: followed by 20 digits');

export const EmailSchema = z.email('must be an e-mail address').max(254);

/** The four details of a financier, for `POST /financiers` and `PUT /financiers/:id/details`. */
export const financierDetailFields = {
  address: AddressBody.optional(),
  email: EmailSchema.optional(),
  eInvoiceId: EInvoiceIdSchema.optional(),
  requiresBuyerReference: z.boolean().optional(),
};
export const FinancierDetailsBody = z.strictObject(financierDetailFields);
export const FinancierDetailsAnswerFields = FinancierDetailsSchema.shape;

export const KvkNumberSchema = z.string().regex(/^\d{8}$/, 'must be a KvK number of 8 digits');
/** A Dutch VAT number (btw-id): NL, nine digits, B, two digits. Other EU numbers: country code and 2–12 letters or digits. */
export const VatNumberSchema = z
  .string()
  .transform((value) => value.replace(/[\s.]/g, '').toUpperCase())
  .refine((value) => (value.startsWith('NL') ? /^NL\d{9}B\d{2}$/.test(value) : /^[A-Z]{2}[0-9A-Z]{2,12}$/.test(value)), 'must be a VAT number such as NL123456789B01');
export const BicSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, '').toUpperCase())
  .refine((value) => isValidBIC(value), 'must be a BIC of 8 or 11 characters, e.g. INGBNL2A');

/** At most 200 KB of image, as base64. */
const MAX_LOGO_BASE64 = 273_000;
export const LogoBody = z.strictObject({
  mediaType: z.enum(['image/png', 'image/jpeg']),
  base64: z.string().max(MAX_LOGO_BASE64, 'a logo may be at most 200 KB').regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
});

export const CooperativeAnswerFields = {
  ...CooperativeDetailsSchema.shape,
  logo: z.object({ mediaType: z.string(), base64: z.string() }).optional(),
};
