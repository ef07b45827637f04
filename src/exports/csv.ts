/**
 * The year's journal as CSV: one row per journal line, the opening balance first. RFC 4180
 * quoting (fields with a comma, quote or line break are quoted, quotes doubled, CRLF between
 * records) comes from csv-stringify rather than from hand-written escaping.
 *
 * Text a user typed could start with `=`, `+`, `-` or `@`, which a spreadsheet runs as a formula
 * (CSV injection); such cells get a leading apostrophe, as OWASP advises. Amounts are never
 * touched: they are our own positive two-decimal strings.
 */
import { stringify } from 'csv-stringify/sync';
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

type Row = Record<(typeof CSV_COLUMNS)[number], string>;

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

export function buildJournalCsv(year: YearJournal): string {
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
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' });
}
