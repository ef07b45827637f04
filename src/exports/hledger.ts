/**
 * The year's journal as a plain-text accounting journal that both hledger and ledger-cli read:
 * account declarations with their Dutch names, an opening-balance transaction on 1 January, then
 * every journal entry with explicit `EUR 12.50`-style amounts (debit positive, credit negative).
 *
 * Plain-text journals have a syntax in their descriptions (`;` starts a comment, a line break
 * ends the transaction), so user text is put on one line and `;` becomes `,`: the source event's
 * position, in the transaction code `(42)`, leads back to the exact text.
 */
import type { AccountType } from '../projections/chart-of-accounts.js';
import type { JournalEntry, JournalLine } from '../projections/journal.js';
import type { YearJournal } from '../projections/trial-balance.js';

const INDENT = '    ';

/** One line of text without the journal syntax's comment marker. */
export function journalText(value: string): string {
  return value.replace(/[\u0000-\u001F\u007F\s]+/g, ' ').replace(/;/g, ',').trim();
}

/** `EUR 12.50` for a debit, `EUR -12.50` for a credit. */
function amountOf(line: JournalLine): string {
  return `EUR ${line.side === 'credit' ? '-' : ''}${line.amount}`;
}

function posting(line: JournalLine): string {
  const tags = [
    ...(line.costCentre === undefined ? [] : [`kamer: ${line.costCentre}`]),
    ...(line.financier === undefined ? [] : [`financier: ${line.financier}`]),
  ];
  return `${INDENT}${line.account}  ${amountOf(line)}${tags.length === 0 ? '' : `  ; ${tags.join(', ')}`}`;
}

/** A tag value ends at a comma in hledger: keep user text from starting a new tag. */
function tagValue(value: string): string {
  return journalText(value).replace(/,/g, ' ');
}

/** The source event's facts as hledger tags (ledger-cli reads them as metadata). */
function transaction(entry: JournalEntry): string {
  const reference = entry.reference === undefined ? '' : `, referentie: ${tagValue(entry.reference)}`;
  const { type, position, recordedAt, recordedBy } = entry.source;
  return [
    `${entry.date} * (${entry.id}) ${journalText(entry.description)}`,
    `${INDENT}; bron: ${type}, positie: ${position}, vastgelegd: ${recordedAt}, door: ${tagValue(recordedBy)}`,
    `${INDENT}; dagboek: ${entry.journal}${reference}`,
    ...entry.lines.map(posting),
  ].join('\n');
}

/**
 * hledger's account types (`type:` tags), so that `hledger is` and `hledger bs` sort our accounts
 * into an income statement and a balance sheet: numeric account ids say nothing to hledger's
 * name-based guesses. Memorandum accounts (the volunteers' hours in euros) get no type: they are
 * in neither statement, as in ours.
 */
const HLEDGER_TYPE: Record<AccountType, string | undefined> = { asset: 'A', liability: 'L', equity: 'E', income: 'R', expense: 'X', memorandum: undefined };

function accountDirective(id: string, type: AccountType): string {
  const hledgerType = HLEDGER_TYPE[type];
  return `account ${id}${hledgerType === undefined ? '' : `  ; type: ${hledgerType}`}`;
}

export interface HledgerOptions {
  readonly createdAt: Date;
}

export function buildHledgerJournal(year: YearJournal, options: HledgerOptions): string {
  return [...hledgerJournalParts(year, options)].join('\n\n') + '\n';
}

/**
 * The journal in pieces (heading, opening balance, one per entry): joined by a blank line and
 * ended by a newline, they are `buildHledgerJournal`'s text. For a writer that streams a journal
 * too large for one string (V8 caps a string at 512 MB: an all-years journal of 3M events).
 */
export function* hledgerJournalParts(year: YearJournal, options: HledgerOptions): Generator<string> {
  const heading = [
    `; BuurtWerkKamer Coöperatie, journaal ${year.year} (${year.startDate} t/m ${year.endDate})`,
    `; gemaakt ${options.createdAt.toISOString()}; bedragen in EUR, debet positief, credit negatief`,
    ...year.notes.map((note) => `; let op: ${journalText(note.text)}`),
    '',
    'commodity EUR',
    `${INDENT}format EUR 1000.00`,
    '',
    ...[...year.accounts.values()].flatMap((account) => [accountDirective(account.id, account.type), `${INDENT}; ${journalText(account.name)} (${account.type})`]),
  ];
  const opening =
    year.opening.length === 0
      ? []
      : [[`${year.startDate} * Beginbalans ${year.year}`, `${INDENT}; dagboek: opening`, ...year.opening.map(posting)].join('\n')];
  yield heading.join('\n');
  yield* opening;
  for (const entry of year.entries) yield transaction(entry);
}
