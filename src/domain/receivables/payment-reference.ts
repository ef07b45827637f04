/**
 * The structured payment reference printed on every invoice: an RF creditor reference
 * (ISO 11649). A banking app (and the EPC QR code) sends it back in the payment's remittance
 * information, structured (`CdtrRefInf/Ref`) or typed in the free text, and the statement import
 * matches it to exactly one invoice.
 *
 * The reference is `RF` + two check digits + the invoice number without its dash
 * (2020-0001 → RF18 2020 0001 printed, RF1820200001 electronically). The check digits follow
 * ISO 7064 mod 97-10, as for an IBAN: move `RF00` to the end, letters to numbers (A = 10 …
 * Z = 35), and 98 − (that number mod 97).
 */

/** An invoice number as the cooperative prints it: 2019-0001. */
const INVOICE_NUMBER = /^(\d{4})-(\d{4})$/;
/** RF, two check digits, 1–21 letters or digits (at most 25 characters in all). */
const ELECTRONIC_REFERENCE = /^RF\d{2}[0-9A-Z]{1,21}$/;
/**
 * Where a creditor reference may start in free text, as people type it (`RF18 2020 0001`,
 * `rf1820200001`): RF, two digits, then words of letters and digits separated by single spaces.
 * The run may go on into ordinary words ("RF18 2020 0001 factuur"), so the longest valid prefix
 * of whole words is the reference (see `referenceAt`).
 */
const REFERENCE_CANDIDATE = /\bRF\d{2}(?: ?[0-9A-Z]+)+/gi;

function mod97(digits: string): number {
  // Piecewise, so the number never leaves the safe integer range.
  let remainder = 0;
  for (let start = 0; start < digits.length; start += 7) {
    remainder = Number(String(remainder) + digits.slice(start, start + 7)) % 97;
  }
  return remainder;
}

function asDigits(value: string): string {
  return [...value].map((character) => (/[A-Z]/.test(character) ? String(character.charCodeAt(0) - 55) : character)).join('');
}

function checkDigitsFor(body: string): string {
  return String(98 - mod97(asDigits(`${body}RF00`))).padStart(2, '0');
}

/** The reference without spaces, upper case: `RF18 2020 0001` → `RF1820200001`. */
export function electronicCreditorReference(reference: string): string {
  return reference.replace(/\s+/g, '').toUpperCase();
}

/** True for a well-formed RF reference whose check digits are right (spaces and case do not matter). */
export function isValidCreditorReference(reference: string): boolean {
  const electronic = electronicCreditorReference(reference);
  if (!ELECTRONIC_REFERENCE.test(electronic)) return false;
  return mod97(asDigits(`${electronic.slice(4)}${electronic.slice(0, 4)}`)) === 1;
}

/** The reference in groups of four, as it is printed: `RF18 2020 0001`. */
export function printedCreditorReference(reference: string): string {
  return electronicCreditorReference(reference).replace(/(.{4})(?=.)/g, '$1 ');
}

/** The invoice's payment reference, electronic format (`RF1820200001`); throws for a number that is not YYYY-NNNN. */
export function creditorReferenceFor(invoiceNumber: string): string {
  const match = INVOICE_NUMBER.exec(invoiceNumber);
  if (!match) throw new Error(`not an invoice number: ${invoiceNumber}`);
  const body = `${match[1]}${match[2]}`;
  return `RF${checkDigitsFor(body)}${body}`;
}

/**
 * Every valid RF reference in a text, electronic format, in the order they appear, each once.
 * A candidate with wrong check digits (a typo) is no reference: it matches nothing.
 */
export function findCreditorReferences(text: string | undefined): string[] {
  if (text === undefined) return [];
  const found: string[] = [];
  for (const candidate of text.match(REFERENCE_CANDIDATE) ?? []) {
    const reference = referenceAt(candidate);
    if (reference !== undefined && !found.includes(reference)) found.push(reference);
  }
  return found;
}

/** The longest run of whole words after `RFnn` that makes a valid reference, electronic format. */
function referenceAt(candidate: string): string | undefined {
  const head = candidate.slice(0, 4).toUpperCase();
  const words = candidate.slice(4).trim().split(' ');
  for (let count = words.length; count > 0; count -= 1) {
    const electronic = head + words.slice(0, count).join('').toUpperCase();
    if (isValidCreditorReference(electronic)) return electronic;
  }
  return undefined;
}
