/**
 * The 13 helper functions that PEPPOL-EN16931-UBL.sch declares as `xsl:function` in the namespace
 * `utils` (prefix `u:`). node-schematron reads only the schematron part of the file, so these are
 * written here, one by one, as their XPath bodies say, and registered with fontoxpath before the
 * rules run (see peppol.ts). Each keeps the XPath semantics its body relies on where JavaScript
 * differs: `number('')` is NaN (not 0), `substring` counts from 1 and rounds its arguments,
 * `castable as xs:integer` accepts surrounding whitespace and a sign, and a failed cast
 * (`xs:integer('x')`) is an error, not NaN. tests/helpers/peppol-functions.test.ts checks each
 * against known valid and invalid identifiers.
 */
import { Decimal } from 'decimal.js';

/** XPath `number($s)`: an xs:double lexical form, else NaN (JavaScript's Number('') is 0). */
export function xpathNumber(value: string | undefined): number {
  if (value === undefined) return Number.NaN;
  const trimmed = value.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) && !/^(-?INF|NaN)$/.test(trimmed)) {
    return Number.NaN;
  }
  if (trimmed === 'INF') return Number.POSITIVE_INFINITY;
  if (trimmed === '-INF') return Number.NEGATIVE_INFINITY;
  return Number(trimmed);
}

/** XPath `$s castable as xs:integer` (whitespace is collapsed before the cast). */
export function castableAsInteger(value: string | undefined): boolean {
  return value !== undefined && /^[+-]?\d+$/.test(value.trim());
}

/** XPath `xs:integer($s)`: a failed cast is a dynamic error (FORG0001), as in the XSLT original. */
function xsInteger(value: string): number {
  if (!castableAsInteger(value)) throw new Error(`FORG0001: cannot cast "${value}" to xs:integer`);
  return Number.parseInt(value.trim(), 10);
}

/** XPath `substring($s, start, length?)` on code points: positions p with start ≤ p < start + length. */
export function xpathSubstring(value: string, start: number, length?: number): string {
  const codePoints = Array.from(value);
  const first = Math.round(start);
  const end = length === undefined ? Number.POSITIVE_INFINITY : first + Math.round(length);
  return codePoints.filter((_, index) => index + 1 >= first && index + 1 < end).join('');
}

const codePoints = (value: string): number[] => Array.from(value, (char) => char.codePointAt(0) as number);
const stringLength = (value: string): number => Array.from(value).length;

/** `translate($s, $allowed, '')` = '' : every character is one of `allowed`. */
const onlyCharacters = (value: string, allowed: string): boolean =>
  Array.from(value).every((char) => allowed.includes(char));
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const LETTERS_AND_DIGITS = `${LETTERS}0123456789`;

/**
 * The weighted sum that u:gln and u:mod11 share: all but the last character, read right to left
 * as code point − 48, each times `weight(i)` for i = 0, 1, …
 */
function weightedSum(value: string, weight: (index: number) => number): { sum: number; checkDigit: number } {
  const length = stringLength(value) - 1;
  const digits = codePoints(xpathSubstring(value, 0, length + 1)).map((point) => point - 48).reverse();
  let sum = 0;
  for (let index = 0; index <= length - 1; index += 1) {
    const digit = digits[index];
    if (digit !== undefined) sum += digit * weight(index);
  }
  return { sum, checkDigit: xpathNumber(xpathSubstring(value, length + 1, 1)) };
}

/** XPath `mod` on integers keeps the dividend's sign, as JavaScript's `%` does. */
const mod = (dividend: number, divisor: number): number => dividend % divisor;

/** u:gln — GS1 check digit: weights 3, 1, 3, … from the right of the payload. */
export function gln(value: string): boolean {
  const { sum, checkDigit } = weightedSum(value, (index) => 1 + mod(index + 1, 2) * 2);
  return mod(10 - mod(sum, 10), 10) === checkDigit;
}

/** u:slack — `exp` within ± `slack` of `val`, in decimals (not binary floating point). */
export function slack(expected: number, value: number, allowed: number): boolean {
  const exp = new Decimal(String(expected));
  const val = new Decimal(String(value));
  const margin = new Decimal(String(allowed));
  return exp.plus(margin).gte(val) && exp.minus(margin).lte(val);
}

/** u:mod11 — Norwegian organisation number: weights 2…7 repeating from the right, positive number. */
export function mod11(value: string): boolean {
  const { sum, checkDigit } = weightedSum(value, (index) => mod(index, 6) + 2);
  return xpathNumber(value) > 0 && mod(11 - mod(sum, 11), 11) === checkDigit;
}

/** u:mod97-0208 — Belgian enterprise number: digits 9–10 are 97 − (digits 1–8 mod 97). */
export function mod97be(value: string): boolean {
  const checkDigits = xpathSubstring(value, 9, 2);
  const calculated = String(97 - mod(xsInteger(xpathSubstring(value, 1, 8)), 97));
  return xpathNumber(checkDigits) === xpathNumber(calculated);
}

/** u:checkCodiceIPA — six letters or digits. */
export function checkCodiceIPA(value: string | null): boolean {
  const text = value ?? '';
  return onlyCharacters(text, LETTERS_AND_DIGITS) && stringLength(text) === 6;
}

/** u:checkCF — Italian codice fiscale: 16 characters in the personal pattern, or 11 digits. */
export function checkCF(value: string | null): boolean {
  const text = value ?? '';
  if (stringLength(text) === 16) return checkCF16(text);
  if (stringLength(text) === 11) return castableAsInteger(text);
  return false;
}

/** u:checkCF16 — AAAAAA 00 A 00 xxx 0 A (letters, digits, anything, digit, letter). */
export function checkCF16(value: string | null): boolean {
  const text = value ?? '';
  return (
    onlyCharacters(xpathSubstring(text, 1, 6), LETTERS) &&
    castableAsInteger(xpathSubstring(text, 7, 2)) &&
    onlyCharacters(xpathSubstring(text, 9, 1), LETTERS) &&
    castableAsInteger(xpathSubstring(text, 10, 2)) &&
    // substring($arg,12,3) castable as xs:string: always true
    castableAsInteger(xpathSubstring(text, 15, 1)) &&
    onlyCharacters(xpathSubstring(text, 16, 1), LETTERS)
  );
}

/** u:checkPIVAseIT — an `IT`/`it` VAT number needs 11 digits with a valid Luhn-style check; others pass. */
export function checkPIVAseIT(value: string): boolean {
  const country = xpathSubstring(value, 1, 2);
  const code = xpathSubstring(value, 3);
  if (country !== 'IT' && country !== 'it') return true;
  return stringLength(code) === 11 && checkPIVA(code) === 0;
}

/** u:checkPIVA — 0 when the partita IVA's digits add up (mod 10), else not 0; 1 when not a number. */
export function checkPIVA(value: string | null): number {
  const text = value ?? '';
  if (!castableAsInteger(text)) return 1;
  return mod(addPIVA(text, 0), 10);
}

/** u:addPIVA — the recursive sum: odd positions as they are, even ones mapped through 0246813579. */
export function addPIVA(value: string, even: number): number {
  if (!castableAsInteger(value)) return 0;
  const first = xsInteger(xpathSubstring(value, 1, 1));
  const mapped = even === 1 ? xsInteger(xpathSubstring('0246813579', first + 1, 1)) : first;
  return mapped + addPIVA(xpathSubstring(value, 2), even === 0 ? 1 : 0);
}

/** u:abn — Australian Business Number: first digit − 1, weights 10, 1, 3, 5, …, 19, sum mod 89 = 0. */
export function abn(value: string): boolean {
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  let sum = 0;
  for (const [index, weight] of weights.entries()) {
    const point = codePoints(xpathSubstring(value, index + 1, 1))[0];
    // string-to-codepoints('') is the empty sequence: the whole sum is empty and `() = 0` is false.
    if (point === undefined) return false;
    sum += (point - (index === 0 ? 49 : 48)) * weight;
  }
  return mod(sum, 89) === 0;
}

/** u:TinVerification — Greek tax number (AFM): digits 1–8 times 256…2, mod 11 mod 10 = digit 9. */
export function tinVerification(value: string): boolean {
  const digits = Array.from(value);
  let checksum = 0;
  for (let position = 1; position <= 8; position += 1) {
    checksum += xpathNumber(digits[position - 1]) * 2 ** (9 - position);
  }
  return mod(mod(checksum, 11), 10) === xpathNumber(digits[8]);
}

/** u:checkSEOrgnr — Swedish organisation number: numeric, Luhn check over the first nine digits. */
export function checkSEOrgnr(value: string): boolean {
  // XPath's \d is any Unicode decimal digit.
  if (!/^\p{Nd}+$/u.test(value)) return false;
  const mainPart = xpathSubstring(value, 1, 9);
  const checkDigit = xpathSubstring(value, 10, 1);
  const length = stringLength(mainPart);
  let sum = 0;
  for (let position = 1; position <= length; position += 1) {
    const digit = xpathNumber(xpathSubstring(mainPart, length - position + 1, 1));
    sum += position % 2 === 1 ? ((digit * 2) % 10) + Math.trunc((digit * 2) / 10) : digit;
  }
  // `<variable name="sum" as="xs:integer">` fails when a non-ASCII digit made the sum NaN.
  if (Number.isNaN(sum)) throw new Error(`FORG0001: cannot cast "NaN" to xs:integer`);
  return mod(10 - mod(sum, 10), 10) === xpathNumber(checkDigit);
}

/** What fontoxpath needs to register one function: its local name, argument and return types. */
export interface PeppolFunction {
  readonly localName: string;
  readonly argumentTypes: readonly string[];
  readonly returnType: string;
  readonly implementation: (...args: never[]) => boolean | number;
}

/** All 13, with the types their `xsl:param`/`as` declare (untyped parameters take a string here). */
export const PEPPOL_FUNCTIONS: readonly PeppolFunction[] = [
  { localName: 'gln', argumentTypes: ['xs:string?'], returnType: 'xs:boolean', implementation: (v: string | null) => gln(v ?? '') },
  // Declared xs:decimal; fontoxpath hands some of R120's decimal arithmetic over as xs:double,
  // which the strict signature refuses (XPTY0004), so take any number and compare as decimals.
  { localName: 'slack', argumentTypes: ['xs:numeric', 'xs:numeric', 'xs:numeric'], returnType: 'xs:boolean', implementation: slack },
  { localName: 'mod11', argumentTypes: ['xs:string?'], returnType: 'xs:boolean', implementation: (v: string | null) => mod11(v ?? '') },
  { localName: 'mod97-0208', argumentTypes: ['xs:string?'], returnType: 'xs:boolean', implementation: (v: string | null) => mod97be(v ?? '') },
  { localName: 'checkCodiceIPA', argumentTypes: ['xs:string?'], returnType: 'xs:boolean', implementation: checkCodiceIPA },
  { localName: 'checkCF', argumentTypes: ['xs:string?'], returnType: 'xs:boolean', implementation: checkCF },
  { localName: 'checkCF16', argumentTypes: ['xs:string?'], returnType: 'xs:boolean', implementation: checkCF16 },
  { localName: 'checkPIVAseIT', argumentTypes: ['xs:string'], returnType: 'xs:boolean', implementation: checkPIVAseIT },
  { localName: 'checkPIVA', argumentTypes: ['xs:string?'], returnType: 'xs:integer', implementation: checkPIVA },
  { localName: 'addPIVA', argumentTypes: ['xs:string', 'xs:integer'], returnType: 'xs:integer', implementation: addPIVA },
  { localName: 'abn', argumentTypes: ['xs:string?'], returnType: 'xs:boolean', implementation: (v: string | null) => abn(v ?? '') },
  { localName: 'TinVerification', argumentTypes: ['xs:string'], returnType: 'xs:boolean', implementation: tinVerification },
  { localName: 'checkSEOrgnr', argumentTypes: ['xs:string'], returnType: 'xs:boolean', implementation: checkSEOrgnr },
];
