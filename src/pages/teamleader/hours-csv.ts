import { parse } from 'csv-parse/sync';
import type { VolunteerHoursInput } from '../../application/room-commands.js';
import { volunteerEntryDecider } from '../../domain/volunteer-hours/decider.js';
import { EntryBody } from '../../http/routes/volunteer-hours.js';
import { nl } from '../text/nl.js';
import { decimalFromDutch } from '../forms/input.js';
import { refusalOf } from '../forms/refusal.js';

/**
 * A month's volunteer hours as a spreadsheet exports them (the layout is in
 * docs/volunteer-hours.md): a header row naming the columns, then one entry per line. Every row
 * is checked with the rules of POST /kamers/:kamer/volunteer-hours, its schema and its decider, so
 * a file is refused for exactly what a single entry would be refused for.
 */

/** The Dutch column names and the API field each one fills. */
export const HOURS_CSV_COLUMNS = { vrijwilliger: 'volunteer', datum: 'date', uren: 'hours', soort: 'kind', activiteit: 'activity' } as const;
type Column = keyof typeof HOURS_CSV_COLUMNS;
const REQUIRED_COLUMNS: readonly Column[] = ['vrijwilliger', 'datum', 'uren', 'soort'];
const COLUMN_OF_FIELD = Object.fromEntries(Object.entries(HOURS_CSV_COLUMNS).map(([column, field]) => [field, column])) as Record<string, Column>;
const FIELDS: readonly string[] = Object.values(HOURS_CSV_COLUMNS);

/** A file larger than a room's year of hours is a mistake, not a month. */
export const MAX_HOURS_CSV_ROWS = 2000;

/** What a person finds in the error list: the line as their spreadsheet numbers it, the column, why. */
export interface CsvRowError {
  /** 1 is the header row, so the first entry is row 2: the number a spreadsheet shows. */
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

export interface CsvRow {
  readonly row: number;
  readonly input: VolunteerHoursInput;
}

export type HoursCsv = { readonly ok: true; readonly rows: readonly CsvRow[] } | { readonly ok: false; readonly errors: readonly CsvRowError[] };

const text = nl.teamleader.csv;
const KINDS: Record<string, string> = { bewoner: 'resident', resident: 'resident', professional: 'professional', professioneel: 'professional' };

/**
 * The file's text: UTF-8 when it is valid UTF-8, else Windows-1252, which is what Excel's plain
 * "CSV (puntkomma)" export on a Dutch Windows writes; decoding that as UTF-8 would garble "café".
 */
export function csvText(file: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    return new TextDecoder('windows-1252').decode(file);
  }
}

/** Semicolons are what a Dutch spreadsheet writes (the comma is its decimal sign); commas otherwise. */
function separatorOf(content: string): ';' | ',' {
  const header = content.split(/\r?\n/, 1)[0] ?? '';
  return header.includes(';') ? ';' : ',';
}

/** 10-6-2020 and 10/06/2020 (the Dutch order) become 2020-06-10; anything else is left to the schema. */
function isoDate(typed: string): string {
  const dutch = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(typed);
  return dutch ? `${dutch[3]}-${dutch[2]!.padStart(2, '0')}-${dutch[1]!.padStart(2, '0')}` : typed;
}

function headerErrors(header: readonly string[]): CsvRowError[] {
  const errors: CsvRowError[] = [];
  for (const name of header) {
    if (!(name in HOURS_CSV_COLUMNS)) errors.push({ row: 1, column: name, message: text.unknownColumn(name) });
  }
  for (const column of REQUIRED_COLUMNS) {
    if (!header.includes(column)) errors.push({ row: 1, column, message: text.missingColumn(column) });
  }
  return errors;
}

/** One line's cells as the body the API route reads: Dutch decimals and dates and kinds translated. */
function bodyOf(header: readonly string[], cells: readonly string[]): Record<string, string> {
  const body: Record<string, string> = {};
  header.forEach((column, index) => {
    const field = HOURS_CSV_COLUMNS[column as Column];
    const cell = cells[index] ?? '';
    if (field === 'activity' && cell === '') return;
    body[field] = field === 'hours' ? decimalFromDutch(cell) : field === 'date' ? isoDate(cell) : field === 'kind' ? (KINDS[cell.toLowerCase()] ?? cell) : cell;
  });
  return body;
}

/**
 * The row's refusals by the API schema, then by the decider's rules (the future date), in the
 * Dutch the page form says them in, each at its column (a rule about no column: the whole row).
 */
function rowErrors(row: number, body: Record<string, string>, kamer: string, today: string): { errors: CsvRowError[]; input?: VolunteerHoursInput } {
  try {
    const input = EntryBody.parse(body);
    const { volunteer, date, hours, kind, activity } = input;
    const entry = { entryId: '00000000-0000-4000-8000-000000000000', kamerId: kamer, volunteerId: volunteer, date, hours, kind, ...(activity === undefined ? {} : { activity }) };
    volunteerEntryDecider.decide({ type: 'RecordVolunteerHours', entry, today, kamerExists: true }, volunteerEntryDecider.initialState);
    return { errors: [], input };
  } catch (error) {
    const { errors, summary } = refusalOf(error, nl, FIELDS, { fieldRules: nl.teamleader.fieldRules });
    const atColumns = Object.entries(errors).map(([field, message]) => ({ row, column: COLUMN_OF_FIELD[field]!, message }));
    return { errors: summary === undefined ? atColumns : [...atColumns, { row, column: text.wholeFile, message: summary }] };
  }
}

/**
 * Reads and checks the whole file. Either every row is an entry the single command would accept
 * (in the room `kamer`, on `today`), or the answer lists every error, per row and column, and no row.
 */
export function readHoursCsv(content: string, kamer: string, today: string): HoursCsv {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info`, csv-parse answers each record with where it was read; its types do not say so.
    records = parse(content, { delimiter: separatorOf(content), bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch {
    return { ok: false, errors: [{ row: 1, column: text.wholeFile, message: text.notCsv }] };
  }
  const [first, ...lines] = records;
  if (!first) return { ok: false, errors: [{ row: 1, column: text.wholeFile, message: text.empty }] };
  const header = first.record.map((name) => name.toLowerCase());
  const problems = headerErrors(header);
  if (problems.length > 0) return { ok: false, errors: problems };
  if (lines.length === 0) return { ok: false, errors: [{ row: 2, column: text.wholeFile, message: text.empty }] };
  if (lines.length > MAX_HOURS_CSV_ROWS) return { ok: false, errors: [{ row: MAX_HOURS_CSV_ROWS + 2, column: text.wholeFile, message: text.tooMany(MAX_HOURS_CSV_ROWS) }] };
  const rows: CsvRow[] = [];
  const errors: CsvRowError[] = [];
  for (const { record, info } of lines) {
    const checked = rowErrors(info.lines, bodyOf(header, record), kamer, today);
    errors.push(...checked.errors);
    if (checked.input) rows.push({ row: info.lines, input: checked.input });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}
