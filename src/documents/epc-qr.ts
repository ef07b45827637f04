import { loadedOnFirstUse } from '../lazy-require.js';
import { money } from '../domain/money.js';

const qrcode = loadedOnFirstUse<typeof import('qrcode')>('qrcode');

/**
 * The EPC QR code ("GiroCode", EPC069-12 version 002): a banking app that scans it fills in a SEPA
 * credit transfer with the exact beneficiary, IBAN, amount and payment reference.
 *
 * Lines, separated by LF: service tag BCD, version 002, character set 1 (UTF-8), identification
 * SCT, BIC (optional in version 002), beneficiary name (≤ 70), IBAN, amount `EUR12.50`
 * (0.01–999999999.99), purpose (empty), structured reference (≤ 35: the RF reference) — which
 * excludes the unstructured remittance line, left empty —, and a note for the payer (≤ 70).
 * At most 331 bytes; error correction level M.
 */
export interface EpcTransfer {
  readonly bic?: string;
  readonly name: string;
  readonly iban: string;
  readonly amount: string;
  /** The RF creditor reference, electronic format. */
  readonly reference: string;
  readonly note?: string;
}

export const EPC_MAX_BYTES = 331;

export function epcPayload(transfer: EpcTransfer): string {
  const amount = money(transfer.amount);
  if (!amount.greaterThanOrEqualTo('0.01') || amount.greaterThan('999999999.99')) {
    throw new Error(`an EPC QR code carries 0.01 to 999999999.99 euro, not ${transfer.amount}`);
  }
  const lines = [
    'BCD',
    '002',
    '1',
    'SCT',
    transfer.bic ?? '',
    transfer.name.slice(0, 70),
    transfer.iban.replace(/\s+/g, '').toUpperCase(),
    `EUR${amount.toFixed(2)}`,
    '',
    transfer.reference.replace(/\s+/g, '').slice(0, 35),
    '',
    (transfer.note ?? '').slice(0, 70),
  ];
  const payload = lines.join('\n').replace(/\n+$/, '');
  if (Buffer.byteLength(payload, 'utf8') > EPC_MAX_BYTES) throw new Error('the EPC payload is longer than 331 bytes');
  return payload;
}

/** The QR code's modules (true = dark), row by row, for drawing as vector squares. */
export function qrModules(payload: string): boolean[][] {
  const code = qrcode().create(payload, { errorCorrectionLevel: 'M' });
  const size = code.modules.size;
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, column) => code.modules.get(row, column) === 1));
}
