import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DateSchema, dateInAmsterdam } from '../domain/calendar.js';
import { refuse } from '../domain/errors.js';
import { formatAmount, money } from '../domain/money.js';
import type { BankCredit } from '../domain/receivables/commands.js';

/**
 * Reads a bank-to-customer statement (ISO 20022 camt.053.001.02, as Dutch banks deliver it) into
 * the credits the receivables stream imports. Debits are counted and skipped (money out is
 * recorded as expenses), as are entries the bank has not booked yet.
 *
 * fast-xml-parser does the XML: it is pure JavaScript, well kept, checks well-formedness first
 * (XMLValidator), and does not fetch external entities. A camt.053 never carries a DOCTYPE, so a
 * document with one is refused before parsing (no entity-expansion tricks).
 */
export interface ParsedStatement {
  /** GrpHdr/MsgId: the bank's id of this message. */
  readonly messageId: string;
  readonly credits: readonly BankCredit[];
  readonly skippedDebits: number;
  readonly skippedNotBooked: number;
}

/** camt.053.001.02 and its later versions, whose entries have the same shape where we read them. */
const CAMT053_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d{2}$/;
/** Active-or-historic currency amount: up to 18 digits, up to 5 of them decimals. */
const XML_AMOUNT = /^\d{1,13}(\.\d{1,5})?$/;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value a string: an amount must never pass through a JS number.
  parseTagValue: false,
  parseAttributeValue: false,
  // Element names without their namespace prefix; the xmlns declarations stay as attributes.
  transformTagName: (name) => name.replace(/^[^:]*:/, ''),
});

function invalidStatement(message: string): never {
  return refuse('BANK_STATEMENT_INVALID', message);
}

export function parseCamt053(xml: string): ParsedStatement {
  if (/<!DOCTYPE/i.test(xml)) invalidStatement('a camt.053 statement has no DOCTYPE; this document has one and is refused');
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) invalidStatement(`not well-formed XML (line ${wellFormed.err.line}): ${wellFormed.err.msg}`);
  const document = child(parser.parse(xml), 'Document');
  if (!declaresCamt053(document)) invalidStatement('not a camt.053 document (the root must be Document in a urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx namespace)');
  const messageId = text(at(document, 'BkToCstmrStmt', 'GrpHdr', 'MsgId'));
  if (messageId === undefined) invalidStatement('the statement has no BkToCstmrStmt/GrpHdr/MsgId');
  const statements = list(at(document, 'BkToCstmrStmt', 'Stmt'));
  if (statements.length === 0) invalidStatement('the document holds no statement (BkToCstmrStmt/Stmt)');

  const credits: BankCredit[] = [];
  const fingerprints = new Map<string, number>();
  let skippedDebits = 0;
  let skippedNotBooked = 0;
  statements.forEach((statement, statementIndex) => {
    const account = text(at(statement, 'Acct', 'Id', 'IBAN')) ?? '';
    list(child(statement, 'Ntry')).forEach((entry, entryIndex) => {
      const where = `statement ${text(child(statement, 'Id')) ?? statementIndex + 1}, entry ${entryIndex + 1}`;
      const direction = text(child(entry, 'CdtDbtInd'));
      if (direction !== 'CRDT' && direction !== 'DBIT') invalidStatement(`${where}: CdtDbtInd must be CRDT or DBIT`);
      const status = text(child(entry, 'Sts'));
      if (direction === 'DBIT') skippedDebits += 1;
      else if (status !== undefined && status !== 'BOOK') skippedNotBooked += 1;
      else credits.push(creditOf(entry, where, account, fingerprints));
    });
  });
  return { messageId, credits, skippedDebits, skippedNotBooked };
}

function creditOf(entry: unknown, where: string, account: string, fingerprints: Map<string, number>): BankCredit {
  const transactions = list(child(entry, 'NtryDtls')).flatMap((details) => list(child(details, 'TxDtls')));
  const first = transactions[0];
  const parties = child(first, 'RltdPties');
  // 001.02 names the debtor directly; later versions wrap it in Pty.
  const payerName = text(at(parties, 'Dbtr', 'Nm')) ?? text(at(parties, 'Dbtr', 'Pty', 'Nm'));
  const payerIban = text(at(parties, 'DbtrAcct', 'Id', 'IBAN'));
  const remittance = transactions.flatMap((transaction) => list(at(transaction, 'RmtInf', 'Ustrd')).map(text)).filter(isText);
  const description = remittance.length > 0 ? remittance.join(' ') : text(child(entry, 'AddtlNtryInf'));
  const creditorReference = transactions.flatMap((transaction) => list(at(transaction, 'RmtInf', 'Strd')).map((structured) => text(at(structured, 'CdtrRefInf', 'Ref')))).find(isText);
  const credit = {
    date: bookingDate(entry, where),
    amount: amountOf(entry, where),
    ...(payerName === undefined ? {} : { payerName }),
    ...(payerIban === undefined ? {} : { payerIban }),
    ...(description === undefined ? {} : { description }),
    ...(creditorReference === undefined ? {} : { creditorReference }),
  };
  const endToEnd = text(at(first, 'Refs', 'EndToEndId'));
  const bankReference =
    text(child(entry, 'AcctSvcrRef')) ??
    text(child(entry, 'NtryRef')) ??
    text(at(first, 'Refs', 'AcctSvcrRef')) ??
    (endToEnd === 'NOTPROVIDED' ? undefined : endToEnd) ??
    derivedReference([account, credit.date, credit.amount, payerIban ?? '', description ?? ''], fingerprints);
  return { ...credit, bankReference };
}

/**
 * Some banks (the Rabobank export among the samples) give an entry no reference at all. Then the
 * entry's own content names it, with a counter for identical entries within the document, so a
 * re-import of the same statement finds the same references.
 */
function derivedReference(fields: readonly string[], fingerprints: Map<string, number>): string {
  const fingerprint = createHash('sha256').update(fields.join('\u0000')).digest('hex').slice(0, 32);
  const occurrence = (fingerprints.get(fingerprint) ?? 0) + 1;
  fingerprints.set(fingerprint, occurrence);
  return `camt053:${fingerprint}:${occurrence}`;
}

function bookingDate(entry: unknown, where: string): string {
  for (const key of ['BookgDt', 'ValDt']) {
    const date = text(at(entry, key, 'Dt'));
    if (date !== undefined) {
      if (!DateSchema.safeParse(date).success) invalidStatement(`${where}: ${key}/Dt ${date} is not a date`);
      return date;
    }
    const instant = text(at(entry, key, 'DtTm'));
    if (instant !== undefined) {
      const parsed = new Date(instant);
      if (Number.isNaN(parsed.getTime())) invalidStatement(`${where}: ${key}/DtTm ${instant} is not a date-time`);
      return dateInAmsterdam(parsed);
    }
  }
  return invalidStatement(`${where}: no booking date (BookgDt) or value date (ValDt)`);
}

function amountOf(entry: unknown, where: string): string {
  const amount = child(entry, 'Amt');
  const value = text(amount);
  const currency = text(child(amount, '@_Ccy'));
  if (value === undefined || !XML_AMOUNT.test(value)) invalidStatement(`${where}: Amt ${value ?? '(missing)'} is not an amount`);
  if (currency !== 'EUR') invalidStatement(`${where}: Amt is in ${currency ?? 'no currency'}; the cooperative's ledger is in EUR`);
  const parsed = money(value);
  if (!parsed.greaterThan(0)) invalidStatement(`${where}: Amt must be more than 0`);
  if (parsed.decimalPlaces() > 2) invalidStatement(`${where}: Amt ${value} has fractions of a cent`);
  return formatAmount(parsed);
}

function declaresCamt053(document: unknown): boolean {
  if (!isRecord(document)) return false;
  return Object.entries(document).some(([key, value]) => key.startsWith('@_xmlns') && typeof value === 'string' && CAMT053_NAMESPACE.test(value));
}

// Walking the parsed tree: every node is unknown until looked at.
function isRecord(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function child(node: unknown, key: string): unknown {
  return isRecord(node) ? node[key] : undefined;
}

function at(node: unknown, ...keys: string[]): unknown {
  return keys.reduce(child, node);
}

/** An element's text (also of an element with attributes), trimmed; undefined when absent or empty. */
function text(node: unknown): string | undefined {
  const value = isRecord(node) ? node['#text'] : node;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An element that occurs once or more: fast-xml-parser gives one occurrence as a value, more as an array. */
function list(node: unknown): unknown[] {
  if (node === undefined || node === '') return [];
  return Array.isArray(node) ? node : [node];
}

function isText(value: string | undefined): value is string {
  return value !== undefined;
}
