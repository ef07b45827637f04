/**
 * The year's journal as CSV: one row per journal line, the opening balance first. RFC 4180
 * quoting (fields with a comma, quote or CRLF are quoted, quotes doubled, CRLF after every
 * record) as csv-stringify wrote it (`writeCsv`; a test holds the two equal).
 *
 * Text a user typed could start with `=`, `+`, `-` or `@`, which a spreadsheet runs as a formula
 * (CSV injection); such cells get a leading apostrophe, as OWASP advises. Amounts are never
 * touched: they are our own positive two-decimal strings.
 */
import type { JournalEntry, JournalLine } from '../projections/journal.js';
import type { YearJournal } from '../projections/trial-balance.js';

export const CSV_COLUMNS = [
  'entry',
  'date',
  'journal',
  'description',
  'reference',
  'line',
  'account',
  'accountName',
  'debit',
  'credit',
  'costCentre',
  'financier',
  'sourcePosition',
  'sourceType',
  'recordedAt',
  'recordedBy',
] as const;

export type Row = Record<(typeof CSV_COLUMNS)[number], string>;

/** Neutralises a leading formula character (CSV injection). */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function row(year: YearJournal, entry: Omit<Row, 'line' | 'account' | 'accountName' | 'debit' | 'credit' | 'costCentre' | 'financier'>, line: JournalLine, index: number): Row {
  return {
    ...entry,
    description: spreadsheetSafe(entry.description),
    reference: spreadsheetSafe(entry.reference),
    recordedBy: spreadsheetSafe(entry.recordedBy),
    line: String(index + 1),
    account: line.account,
    accountName: spreadsheetSafe(year.accounts.get(line.account)?.name ?? ''),
    debit: line.side === 'debit' ? line.amount : '',
    credit: line.side === 'credit' ? line.amount : '',
    costCentre: line.costCentre ?? '',
    financier: line.financier ?? '',
  };
}

function entryRows(year: YearJournal, entry: JournalEntry): Row[] {
  const facts = {
    entry: entry.id,
    date: entry.date,
    journal: entry.journal,
    description: entry.description,
    reference: entry.reference ?? '',
    sourcePosition: entry.source.position,
    sourceType: entry.source.type,
    recordedAt: entry.source.recordedAt,
    recordedBy: entry.source.recordedBy,
  };
  return entry.lines.map((line, index) => row(year, facts, line, index));
}

/**
 * `rfc4180`: comma-separated, amounts `1234.50`, ISO dates: for tools. `nl`: for a Dutch
 * spreadsheet (Excel or LibreOffice in a Dutch locale), which splits on semicolons and reads
 * `1234,50` and `31-12-2019` as a number and a date: semicolons, decimal commas (no thousands
 * separator, which would read as text), dates as dd-mm-yyyy, and a UTF-8 byte order mark so
 * `Coöperatie` is not shown as `CoÃ¶peratie`. recordedAt stays an ISO instant in both.
 */
export const CSV_DIALECTS = ['rfc4180', 'nl'] as const;
export type CsvDialect = (typeof CSV_DIALECTS)[number];

/** 2019-12-31 → 31-12-2019. */
const dutchDay = (date: string): string => date.split('-').reverse().join('-');
/** 1234.50 → 1234,50: our amounts are two-decimal strings, so this is text work, never arithmetic. */
const decimalComma = (amount: string): string => amount.replace('.', ',');

function inDialect(row: Row, dialect: CsvDialect): Row {
  if (dialect === 'rfc4180') return row;
  return { ...row, date: dutchDay(row.date), debit: decimalComma(row.debit), credit: decimalComma(row.credit) };
}

export function buildJournalCsv(year: YearJournal, dialect: CsvDialect = 'rfc4180'): string {
  const opening = {
    entry: `beginbalans-${year.year}`,
    date: year.startDate,
    journal: 'opening',
    description: `Beginbalans ${year.year}`,
    reference: '',
    sourcePosition: '',
    sourceType: '',
    recordedAt: '',
    recordedBy: '',
  };
  const rows = [...year.opening.map((line, index) => row(year, opening, line, index)), ...year.entries.flatMap((entry) => entryRows(year, entry))];
  const text = writeCsv(
    rows.map((one) => inDialect(one, dialect)),
    dialect === 'nl' ? ';' : ',',
  );
  return dialect === 'nl' ? `\uFEFF${text}` : text;
}

/**
 * The header and one record per row, each ended by CRLF: what csv-stringify wrote with
 * `{ header: true, columns: CSV_COLUMNS, record_delimiter: 'windows', delimiter }`, byte for byte
 * (closed years' SHA-256s are of these files; a test compares the two), without its per-field
 * option handling, which cost seconds on a large year. A field is quoted when it holds a quote
 * (doubled), the delimiter or a CRLF; csv-stringify, given a record delimiter, does not quote a
 * lone CR or LF, and neither does this.
 */
export function writeCsv(rows: readonly Row[], delimiter: string): string {
  const field = (value: string): string => {
    if (value.includes('"')) return `"${value.replaceAll('"', '""')}"`;
    return value.includes(delimiter) || value.includes('\r\n') ? `"${value}"` : value;
  };
  const lines = [CSV_COLUMNS.map(field).join(delimiter)];
  for (const one of rows) lines.push(CSV_COLUMNS.map((column) => field(one[column])).join(delimiter));
  return `${lines.join('\r\n')}\r\n`;
}
