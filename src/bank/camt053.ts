import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DateSchema, dateInAmsterdam } from '../domain/calendar.js';
import { refuse } from '../domain/errors.js';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { formatAmount, money, PositiveAmountSchema } from '../domain/money.js';
import type { BankEntry, BankEntryKind, BankStatementPart, StatementBalance } from '../domain/receivables/commands.js';

/**
 * Reads a bank-to-customer statement (ISO 20022 camt.053.001.02, as Dutch banks deliver it) into
 * the entries (credits and debits) and balances the receivables stream imports. Entries the bank
 * has not booked yet are counted and skipped.
 *
 * fast-xml-parser does the XML: it is pure JavaScript, well kept, checks well-formedness first
 * (XMLValidator), and does not fetch external entities. A camt.053 never carries a DOCTYPE, so a
 * document with one is refused before parsing (no entity-expansion tricks); so is one nested
 * deeper than MAX_XML_DEPTH or naming an entity XML does not define.
 */
export interface ParsedStatement {
  /** GrpHdr/MsgId: the bank's id of this message. */
  readonly messageId: string;
  /** One per Stmt element: usually one, of the cooperative's account. */
  readonly statements: readonly BankStatementPart[];
  readonly skippedNotBooked: number;
}

/** camt.053.001.02 and its later versions, whose entries have the same shape where we read them. */
const CAMT053_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d{2}$/;
/** Active-or-historic currency amount: up to 18 digits, up to 5 of them decimals. */
const XML_AMOUNT = /^\d{1,13}(\.\d{1,5})?$/;
/**
 * A real camt.053 is less than 15 elements deep. Anything much deeper is an attack on the parser's
 * recursion (fast-xml-parser throws a plain error past 100), so it is refused by a cheap scan first.
 */
export const MAX_XML_DEPTH = 100;
/** The five entities XML predefines; numeric ones (&#233;) are decoded too. Any other is refused. */
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * The parser's options, shared with the worker (parse-in-worker.ts), which cannot receive a
 * function: it adds the same transformTagName, which drops namespace prefixes from element names.
 */
export const PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value a string: an amount must never pass through a JS number.
  parseTagValue: false,
  parseAttributeValue: false,
  // Decodes numeric character references (&#233;, &#x41;) besides the five XML entities. The
  // HTML named entities this also knows never reach it: refuseUnknownEntities runs first.
  htmlEntities: true,
  maxNestedTags: MAX_XML_DEPTH,
} as const;

const parser = new XMLParser({
  ...PARSER_OPTIONS,
  // Element names without their namespace prefix; the xmlns declarations stay as attributes.
  transformTagName: (name) => name.replace(/^[^:]*:/, ''),
});

function invalidStatement(message: string, field?: string): never {
  return refuse('BANK_STATEMENT_INVALID', message, field);
}

/** Checks, well-formedness, parsing and reading, all on this thread: for small documents and tests. */
export function parseCamt053(xml: string): ParsedStatement {
  refuseHostileText(xml);
  return readCamt053(validateAndParse(xml));
}

/**
 * The cheap linear scans that must run before any parser sees the text: no DOCTYPE (no entity
 * tricks), no nesting past MAX_XML_DEPTH (no deep recursion), no entity XML does not define.
 */
export function refuseHostileText(xml: string): void {
  if (/<!DOCTYPE/i.test(xml)) invalidStatement('a camt.053 statement has no DOCTYPE; this document has one and is refused');
  refuseDeepNesting(xml);
  refuseUnknownEntities(xml);
}

/** fast-xml-parser's validator and parser: the costly part of reading a large statement. */
export function validateAndParse(xml: string): unknown {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) notWellFormed(wellFormed.err);
  return parser.parse(xml);
}

export function notWellFormed(error: { line: number; msg: string }): never {
  return invalidStatement(`not well-formed XML (line ${error.line}): ${error.msg}`);
}

/** Reads the parsed tree into the statement's accounts, balances and booked entries. */
export function readCamt053(tree: unknown): ParsedStatement {
  const document = child(tree, 'Document');
  if (!declaresCamt053(document)) invalidStatement('not a camt.053 document (the root must be Document in a urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx namespace)');
  const messageId = text(at(document, 'BkToCstmrStmt', 'GrpHdr', 'MsgId'));
  if (messageId === undefined) invalidStatement('the statement has no BkToCstmrStmt/GrpHdr/MsgId');
  const statements = list(at(document, 'BkToCstmrStmt', 'Stmt'));
  if (statements.length === 0) invalidStatement('the document holds no statement (BkToCstmrStmt/Stmt)');

  const fingerprints = new Map<string, number>();
  let skippedNotBooked = 0;
  const parts = statements.map((statement, statementIndex): BankStatementPart => {
    const path = `Stmt.${statementIndex}`;
    const rawAccount = text(at(statement, 'Acct', 'Id', 'IBAN'));
    const account = rawAccount === undefined ? undefined : electronicFormatIBAN(rawAccount) ?? rawAccount;
    if (account === undefined || !isValidIBAN(account)) invalidStatement(`${path}: the statement's account (Acct/Id/IBAN) is missing or not a valid IBAN`, `${path}.Acct.Id.IBAN`);
    const entries: BankEntry[] = [];
    list(child(statement, 'Ntry')).forEach((entry, entryIndex) => {
      const where = `${path}.Ntry.${entryIndex}`;
      const status = text(child(entry, 'Sts'));
      if (status !== undefined && status !== 'BOOK') skippedNotBooked += 1;
      else entries.push(entryOf(entry, where, account, fingerprints));
    });
    const opening = balanceOf(statement, ['OPBD', 'PRCD'], path);
    const closing = balanceOf(statement, ['CLBD'], path);
    return { account, entries, ...(opening ? { opening } : {}), ...(closing ? { closing } : {}) };
  });
  return { messageId, statements: parts, skippedNotBooked };
}

/**
 * Counts element depth without parsing: comments, CDATA, declarations and processing instructions
 * are skipped; a quoted attribute value may hold '>'. Linear in the text, no recursion.
 */
export function refuseDeepNesting(xml: string): void {
  let depth = 0;
  let index = xml.indexOf('<');
  while (index !== -1) {
    const next = xml[index + 1];
    if (xml.startsWith('<!--', index)) index = endOf(xml, '-->', index);
    else if (xml.startsWith('<![CDATA[', index)) index = endOf(xml, ']]>', index);
    else if (next === '?' || next === '!') index = endOf(xml, '>', index);
    else if (next === '/') {
      depth -= 1;
      index = endOf(xml, '>', index);
    } else {
      const end = tagEnd(xml, index);
      if (xml[end - 1] !== '/') depth += 1;
      if (depth > MAX_XML_DEPTH) invalidStatement(`elements are nested more than ${MAX_XML_DEPTH} deep; a camt.053 statement is less than 15 deep`);
      index = end;
    }
    if (index === -1) return;
    index = xml.indexOf('<', index);
  }
}

function endOf(xml: string, terminator: string, from: number): number {
  const found = xml.indexOf(terminator, from);
  return found === -1 ? -1 : found + terminator.length - 1;
}

/** The '>' that ends a start tag, skipping quoted attribute values; -1 for an unfinished tag. */
function tagEnd(xml: string, from: number): number {
  let quote: string | undefined;
  for (let index = from + 1; index < xml.length; index += 1) {
    const character = xml[index];
    if (quote !== undefined) {
      if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") quote = character;
    else if (character === '>') return index;
  }
  return -1;
}

function refuseUnknownEntities(xml: string): void {
  for (const match of xml.matchAll(/&([A-Za-z_][\w.-]*);/g)) {
    if (!XML_ENTITIES.has(match[1]!)) invalidStatement(`the entity &${match[1]}; is not defined in XML (only &amp; &lt; &gt; &quot; &apos; and numeric ones are)`);
  }
}

function entryOf(entry: unknown, where: string, account: string, fingerprints: Map<string, number>): BankEntry {
  const directionCode = text(child(entry, 'CdtDbtInd'));
  if (directionCode !== 'CRDT' && directionCode !== 'DBIT') invalidStatement(`${where}: CdtDbtInd must be CRDT or DBIT`, `${where}.CdtDbtInd`);
  const direction = directionCode === 'CRDT' ? 'credit' : 'debit';
  const transactions = list(child(entry, 'NtryDtls')).flatMap((details) => list(child(details, 'TxDtls')));
  const first = transactions[0];
  const parties = child(first, 'RltdPties');
  // Money in names the debtor, money out the creditor; 001.02 names them directly, later versions wrap them in Pty.
  const party = direction === 'credit' ? 'Dbtr' : 'Cdtr';
  const counterpartyName = text(at(parties, party, 'Nm')) ?? text(at(parties, party, 'Pty', 'Nm'));
  const counterpartyIban = ibanOf(text(at(parties, `${party}Acct`, 'Id', 'IBAN')));
  const remittance = transactions.flatMap((transaction) => list(at(transaction, 'RmtInf', 'Ustrd')).map(text)).filter(isText);
  const description = remittance.length > 0 ? remittance.join(' ') : text(child(entry, 'AddtlNtryInf'));
  const date = bookingDate(entry, where);
  const amount = amountOf(child(entry, 'Amt'), `${where}.Amt`);
  // A structured payment reference (the RF creditor reference printed on the invoice).
  const creditorReference = transactions.flatMap((transaction) => list(at(transaction, 'RmtInf', 'Strd')).map((structured) => text(at(structured, 'CdtrRefInf', 'Ref')))).find(isText);
  const endToEnd = text(at(first, 'Refs', 'EndToEndId'));
  const bankReference =
    text(child(entry, 'AcctSvcrRef')) ??
    text(child(entry, 'NtryRef')) ??
    text(at(first, 'Refs', 'AcctSvcrRef')) ??
    (endToEnd === 'NOTPROVIDED' ? undefined : endToEnd) ??
    derivedReference([account, date, amount, counterpartyIban ?? '', description ?? ''], fingerprints, direction);
  return {
    direction,
    date,
    amount,
    bankReference,
    kind: kindOf(entry),
    ...(counterpartyName === undefined ? {} : { counterpartyName }),
    ...(counterpartyIban === undefined ? {} : { counterpartyIban }),
    ...(description === undefined ? {} : { description }),
    ...(creditorReference === undefined ? {} : { creditorReference }),
  };
}

function ibanOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : electronicFormatIBAN(value) ?? value;
}

/**
 * The bank transaction code says what kind of movement it is: ISO's sub-family CHRG (charges and
 * fees) and INTR (interest) in any domain, or the family of account-management fees/interest.
 */
function kindOf(entry: unknown): BankEntryKind {
  const family = at(entry, 'BkTxCd', 'Domn', 'Fmly');
  const codes = [text(child(family, 'Cd')), text(child(family, 'SubFmlyCd'))];
  if (codes.includes('CHRG') || codes.includes('FEES') || codes.includes('COMM')) return 'bank-costs';
  if (codes.includes('INTR')) return 'interest';
  return 'transfer';
}

/**
 * Some banks (the Rabobank export among the samples) give an entry no reference at all. Then the
 * entry's own content names it, with a counter for identical entries within the document, so a
 * re-import of the same statement finds the same references. A credit's fingerprint is what it
 * was before debits were read too, so references recorded then stay the same.
 */
function derivedReference(fields: readonly string[], fingerprints: Map<string, number>, direction: BankEntry['direction']): string {
  const content = direction === 'credit' ? fields : [...fields, 'DBIT'];
  const fingerprint = createHash('sha256').update(content.join('\u0000')).digest('hex').slice(0, 32);
  const occurrence = (fingerprints.get(fingerprint) ?? 0) + 1;
  fingerprints.set(fingerprint, occurrence);
  return `camt053:${fingerprint}:${occurrence}`;
}

function bookingDate(entry: unknown, where: string): string {
  for (const key of ['BookgDt', 'ValDt']) {
    const date = dateAt(child(entry, key), `${where}.${key}`);
    if (date !== undefined) return date;
  }
  return invalidStatement(`${where}: no booking date (BookgDt) or value date (ValDt)`, `${where}.BookgDt`);
}

/** A camt DateAndDateTimeChoice: Dt (a date) or DtTm (an instant, read in Amsterdam). */
function dateAt(node: unknown, where: string): string | undefined {
  const date = text(child(node, 'Dt'));
  if (date !== undefined) {
    if (!DateSchema.safeParse(date).success) invalidStatement(`${where}: Dt ${date} is not a date`, `${where}.Dt`);
    return date;
  }
  const instant = text(child(node, 'DtTm'));
  if (instant === undefined) return undefined;
  const parsed = new Date(instant);
  if (Number.isNaN(parsed.getTime())) invalidStatement(`${where}: DtTm ${instant} is not a date-time`, `${where}.DtTm`);
  return dateInAmsterdam(parsed);
}

/** An amount within the limits every JSON route keeps (PositiveAmountSchema), in EUR, whole cents. */
function amountOf(amount: unknown, where: string, allowZero = false): string {
  const value = text(amount);
  const currency = text(child(amount, '@_Ccy'));
  if (value === undefined || !XML_AMOUNT.test(value)) invalidStatement(`${where}: Amt ${value ?? '(missing)'} is not an amount`, where);
  if (currency !== 'EUR') invalidStatement(`${where}: Amt is in ${currency ?? 'no currency'}; the cooperative's ledger is in EUR`, where);
  const parsed = money(value);
  if (parsed.decimalPlaces() > 2) invalidStatement(`${where}: Amt ${value} has fractions of a cent`, where);
  if (allowZero && parsed.isZero()) return formatAmount(parsed);
  if (!parsed.greaterThan(0)) invalidStatement(`${where}: Amt must be more than 0`, where);
  const checked = PositiveAmountSchema.safeParse(formatAmount(parsed));
  if (!checked.success) invalidStatement(`${where}: Amt ${value} ${checked.error.issues[0]?.message ?? 'is not allowed'} (as in every request); a larger amount is not this cooperative's`, where);
  return checked.data;
}

/** The statement's balance of one of `codes` (OPBD/PRCD opening, CLBD closing), signed: a debit balance is negative. */
function balanceOf(statement: unknown, codes: readonly string[], path: string): StatementBalance | undefined {
  const balances = list(child(statement, 'Bal'));
  const index = balances.findIndex((balance) => codes.includes(text(at(balance, 'Tp', 'CdOrPrtry', 'Cd')) ?? ''));
  if (index === -1) return undefined;
  const balance = balances[index];
  const where = `${path}.Bal.${index}`;
  const amount = amountOf(child(balance, 'Amt'), `${where}.Amt`, true);
  const sign = text(child(balance, 'CdtDbtInd'));
  if (sign !== 'CRDT' && sign !== 'DBIT') invalidStatement(`${where}: CdtDbtInd must be CRDT or DBIT`, `${where}.CdtDbtInd`);
  const date = dateAt(child(balance, 'Dt'), `${where}.Dt`);
  return { amount: sign === 'DBIT' && !money(amount).isZero() ? `-${amount}` : amount, ...(date === undefined ? {} : { date }) };
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
