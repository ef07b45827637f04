/**
 * The hours CSV read and checked row by row with the single entry's rules, all rows or none
 * (Dutch decimals are read by the shared form input: tests/pages/forms.test.ts).
 */
import t from 'tap';
import { csvText, MAX_HOURS_CSV_ROWS, readHoursCsv } from '../../src/pages/teamleader/hours-csv.js';

const TODAY = '2020-03-15';

t.test('a good file gives one entry per row, numbered as the spreadsheet numbers its lines', async (t) => {
  const read = readHoursCsv('\uFEFFVrijwilliger;Datum;Uren;Soort;Activiteit\r\nv-001;2020-03-02;2,5;bewoner;inloop\r\n\r\nv-002;9/3/2020;24;professional;\r\n', 'top', TODAY);
  t.same(read, {
    ok: true,
    rows: [
      { row: 2, input: { volunteer: 'v-001', date: '2020-03-02', hours: '2.5', kind: 'resident', activity: 'inloop' } },
      { row: 4, input: { volunteer: 'v-002', date: '2020-03-09', hours: '24', kind: 'professional' } },
    ],
  });
});

t.test('every refused row is listed with its column and Dutch rule, and then no row is given', async (t) => {
  const read = readHoursCsv('vrijwilliger,datum,uren,soort\nv 1,2020-03-02,"0,00",bewoner\nv-2,2020-03-16,1,bewoner\nv-3,2020-03-01,1\n', 'top', TODAY);
  t.equal(read.ok, false);
  if (read.ok) return;
  t.same(
    read.errors.map((error) => [error.row, error.column]),
    [
      [2, 'vrijwilliger'],
      [2, 'uren'],
      [3, 'datum'],
      [4, 'soort'],
    ],
  );
  t.match(read.errors[2]!.message, /^Deze datum ligt na vandaag/);
});

t.test('a file without the required columns, without rows or with too many rows is refused as a whole', async (t) => {
  const header = readHoursCsv('vrijwilliger;uren;naam\n', 'top', TODAY);
  t.same(header.ok ? [] : header.errors.map((error) => error.message), [
    'De kolom "naam" kennen we niet. Gebruik vrijwilliger, datum, uren, soort en activiteit.',
    'De kopregel mist de kolom "datum".',
    'De kopregel mist de kolom "soort".',
  ]);
  const empty = readHoursCsv('', 'top', TODAY);
  t.equal(empty.ok, false);
  const line = 'v-1;2020-03-02;1;bewoner\n';
  const tooMany = readHoursCsv(`vrijwilliger;datum;uren;soort\n${line.repeat(MAX_HOURS_CSV_ROWS + 1)}`, 'top', TODAY);
  t.match(tooMany.ok ? '' : tooMany.errors[0]!.message, /meer dan 2000 regels/);
  t.same(readHoursCsv(`vrijwilliger;datum;uren;soort\n${line.repeat(MAX_HOURS_CSV_ROWS)}`, 'top', TODAY).ok, true, 'the maximum itself is fine');
});

t.test("a file is read as UTF-8, or as Windows-1252 (Excel's Dutch CSV export) when it is not valid UTF-8", async (t) => {
  t.equal(csvText(Buffer.from('caf\u00e9', 'utf8')), 'caf\u00e9');
  t.equal(csvText(Buffer.from([0x63, 0x61, 0x66, 0xe9])), 'caf\u00e9');
});
