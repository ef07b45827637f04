import t from 'tap';
import { formatAmount, sum } from '../../src/domain/money.js';
import { buildJournalCsv, CSV_COLUMNS, spreadsheetSafe } from '../../src/exports/csv.js';
import { trialBalance, yearJournal } from '../../src/projections/trial-balance.js';
import { expense, journalFromStore, kamer, sampleLog, storeWith } from '../projections/journal-events.js';

/** A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string, delimiter = ','): string[][] {
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
      } else if (![delimiter, '\r', undefined].includes(text[index + 1])) throw new Error(`text after a closing quote at ${index}`);
      else quoted = false;
    } else if (char === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${index}`);
      quoted = true;
    } else if (char === delimiter) {
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
    return { year: journal, csv: buildJournalCsv(journal), dutch: buildJournalCsv(journal, 'nl') };
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

t.test('the Dutch dialect: semicolons, decimal commas, dd-mm-yyyy dates and a BOM, otherwise the same rows', async (t) => {
  const { csv, dutch } = await csvOf(
    [kamer('top', 'Coöperatie; TOP'), expense({ kamerId: 'top', line: 'rent', date: '2020-03-01', amount: '1234.50', payee: 'Verhuurder; "De Klop"', description: 'huur, maart' }), ...sampleLog()],
    2020,
  );
  t.ok(dutch.startsWith('\uFEFF'), 'a UTF-8 byte order mark, so a spreadsheet reads ö as ö');
  const international = parseCsv(csv);
  const rows = parseCsv(dutch.slice(1), ';');
  t.same(rows[0], [...CSV_COLUMNS], 'the same header');
  t.equal(rows.length, international.length, 'the same rows');
  const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
  const amounts = ['debit', 'credit'].map((name) => column(name as 'debit'));
  for (const [index, row] of rows.slice(1).entries()) {
    const original = international[index + 1]!;
    const [year, month, day] = original[column('date')]!.split('-');
    t.equal(row[column('date')], `${day}-${month}-${year}`, `row ${index + 1}: the date as dd-mm-yyyy`);
    for (const at of amounts) t.equal(row[at], original[at]!.replace('.', ','), `row ${index + 1}: the amount with a decimal comma`);
    t.same(row.filter((_, at) => at !== column('date') && !amounts.includes(at)), original.filter((_, at) => at !== column('date') && !amounts.includes(at)), `row ${index + 1}: every other cell unchanged`);
  }
  const rent = rows.find((row) => row[column('debit')] === '1234,50');
  t.ok(rent, 'the rent reads 1234,50 (no thousands separator: a spreadsheet would read 1.234,50 as text in some locales)');
  t.match(dutch, /"Verhuurder; ""De Klop""/, 'a semicolon in text is quoted');
  const total = (name: 'debit' | 'credit') => formatAmount(sum(rows.slice(1).map((row) => (row[column(name)] || '0,00').replace(',', '.'))));
  t.equal(total('debit'), total('credit'), 'debits and credits still add up to the same');
});
