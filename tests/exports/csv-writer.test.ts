/**
 * csv.ts writes the CSV without csv-stringify, and must give the bytes csv-stringify gave with the
 * options the export used (the closed years' recorded SHA-256s are of them).
 */
import t from 'tap';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS, writeCsv, type Row } from '../../src/exports/csv.js';

// Quotes, both delimiters, CR, LF, CRLF, apostrophes, formulas, spaces, non-ASCII.
const hostile = fc
  .array(fc.constantFrom('a', '1', ' ', '"', ',', ';', '\r', '\n', '\r\n', "'", '=', '-', '@', '\t', 'é', '\uFEFF'), { maxLength: 8 })
  .map((pieces) => pieces.join(''));
const row: fc.Arbitrary<Row> = fc.tuple(...CSV_COLUMNS.map(() => hostile)).map((values) => Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, values[index]!])) as Row);

t.test('rows of hostile text are written as csv-stringify wrote them, in both dialects', async (t) => {
  let compared = 0;
  fc.assert(
    fc.property(fc.array(row, { maxLength: 5 }), fc.constantFrom(',', ';'), (rows, delimiter) => {
      const expected = stringify(rows, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows', delimiter });
      const written = writeCsv(rows, delimiter);
      if (written !== expected) throw new Error(`${JSON.stringify(rows)}:\n${JSON.stringify(written)}\n≠\n${JSON.stringify(expected)}`);
      compared += 1;
    }),
    { numRuns: 1000 },
  );
  t.equal(compared, 1000, 'every list of rows compared');
});
