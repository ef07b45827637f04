/**
 * The parties' details used by the document tests. The agreements hold no addresses, KvK or VAT
 * numbers: every value here is made up (Voorbeeldstraat, 1234 AB Voorbeeldstad, KvK 12345678) and
 * only has the right shape. The IBAN is the well-known ABN AMRO example number.
 */
import type { TestApp } from '../helpers/app.js';

export const COOPERATIVE = {
  name: 'BuurtWerkKamer Coöperatie U.A.',
  address: { street: 'Voorbeeldstraat 1', postcode: '1234 AB', city: 'Voorbeeldstad' },
  kvkNumber: '12345678',
  vatExemptionNote: 'Vrijgesteld van btw (voorbeeldtekst)',
  iban: 'NL91ABNA0417164300',
  bic: 'ABNANL2A',
  email: 'penningmeester@example.org',
};

/** A 1×1 transparent PNG. */
export const TINY_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export const PORTAAL_DETAILS = {
  address: { street: 'Proefweg 22', postcode: '9999 ZZ', city: 'Proefstad' },
  email: 'crediteuren@example.com',
  eInvoiceId: '0106:87654321',
};

export async function setCooperative(api: TestApp, body: Record<string, unknown> = COOPERATIVE): Promise<void> {
  const response = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative', payload: body });
  if (response.statusCode !== 201) throw new Error(`PUT /cooperative failed: ${response.body}`);
}

export async function setFinancierDetails(api: TestApp, financier: string, body: Record<string, unknown>): Promise<void> {
  const response = await api.request(api.tokens.treasurer, { method: 'PUT', url: `/financiers/${financier}/details`, payload: body });
  if (response.statusCode !== 201) throw new Error(`PUT /financiers/${financier}/details failed: ${response.body}`);
}
