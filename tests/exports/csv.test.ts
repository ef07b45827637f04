import t from 'tap';
import { formatAmount, sum } from '../../src/domain/money.js';
import { buildJournalCsv, CSV_COLUMNS, spreadsheetSafe } from '../../src/exports/csv.js';
import { trialBalance, yearJournal } from '../../src/projections/trial-balance.js';
import { expense, journalFromStore, kamer, sampleLog, storeWith } from '../projections/journal-events.js';

/** A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (![',', '\r', undefined].includes(text[index + 1])) throw new Error(`text after a closing quote at ${index}`);
      else quoted = false;
    } else if (char === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${index}`);
      quoted = true;
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      records.push([...record, field]);
      record = [];
      field = '';
      index += 1;
    } else if (char === '\r' || char === '\n') {
      throw new Error(`a bare line break outside quotes at ${index}`);
    } else field += char;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

async function csvOf(events: Parameters<typeof storeWith>[0], year: number) {
  const store = await storeWith(events);
  try {
    const journal = yearJournal(await journalFromStore(store), { year });
    return { year: journal, csv: buildJournalCsv(journal) };
  } finally {
    await store.close();
  }
}

t.test('the CSV has one row per journal line, the opening balance first, and its totals are the trial balance', async (t) => {
  const { year, csv } = await csvOf(sampleLog(), 2020);
  const [header, ...rows] = parseCsv(csv);
  t.same(header, [...CSV_COLUMNS]);
  t.ok(rows.every((row) => row.length === CSV_COLUMNS.length), 'every row has every column');
  const lineCount = year.opening.length + year.entries.reduce((count, entry) => count + entry.lines.length, 0);
  t.equal(rows.length, lineCount);
  t.same(rows.slice(0, year.opening.length).map((row) => row[2]), year.opening.map(() => 'opening'));
  const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  const totalOf = (name: 'debit' | 'credit') => formatAmount(sum(rows.map((row) => row[column(name)] || '0.00')));
  const balance = trialBalance(year);
  const openingDebit = sum(year.opening.filter((line) => line.side === 'debit').map((line) => line.amount));
  const openingCredit = sum(year.opening.filter((line) => line.side === 'credit').map((line) => line.amount));
  t.equal(totalOf('debit'), formatAmount(openingDebit.plus(balance.totals.debit)));
  t.equal(totalOf('credit'), formatAmount(openingCredit.plus(balance.totals.credit)));
  t.equal(totalOf('debit'), totalOf('credit'));
});

t.test('fields with commas and quotes are quoted per RFC 4180 and read back exactly', async (t) => {
  const { csv } = await csvOf([kamer('top', 'TOP'), expense({ kamerId: 'top', line: 'rent', date: '2020-03-01', amount: '650.00', payee: 'Verhuurder "De Klop", BV', description: 'Huur, maart' })], 2020);
  t.match(csv, /"Verhuurder ""De Klop"", BV: Huur, maart \(TOP\)"/);
  t.ok(csv.endsWith('\r\n') && !/[^\r]\n/.test(csv), 'records end in CRLF');
  const rows = parseCsv(csv).slice(1);
  t.equal(rows[0]![CSV_COLUMNS.indexOf('description')], 'Verhuurder "De Klop", BV: Huur, maart (TOP)');
});

t.test('a cell a spreadsheet would run as a formula is neutralised', async (t) => {
  const { csv } = await csvOf([kamer('top', 'TOP'), expense({ kamerId: 'top', line: 'rent', date: '2020-03-01', amount: '1.00', payee: '=HYPERLINK("http://x")', description: 'x' })], 2020);
  const rows = parseCsv(csv).slice(1);
  t.equal(rows[0]![CSV_COLUMNS.indexOf('description')], `'=HYPERLINK("http://x"): x (TOP)`);
  t.equal(spreadsheetSafe('+31 6 1234'), "'+31 6 1234");
  t.equal(spreadsheetSafe('@SUM(A1)'), "'@SUM(A1)");
  t.equal(spreadsheetSafe('Huur'), 'Huur');
});
