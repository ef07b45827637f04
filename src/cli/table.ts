/**
 * Plain-text tables for the terminal: a header, a rule, rows, and an optional totals row under
 * a second rule. Columns marked numeric are right-aligned so amounts line up on the decimal point
 * (they all have exactly two decimals). Widths count code points, enough for the Dutch names here.
 */
export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  readonly numeric?: boolean;
}

const width = (text: string): number => [...text].length;

function pad(text: string, size: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return right ? fill + text : text + fill;
}

export function formatTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], totals?: Row): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const totalCells = totals ? columns.map((column) => column.value(totals)) : undefined;
  const sizes = columns.map((column, index) =>
    Math.max(width(column.header), ...cells.map((row) => width(row[index]!)), totalCells ? width(totalCells[index]!) : 0),
  );
  const line = (values: readonly string[]) =>
    values.map((value, index) => pad(value, sizes[index]!, columns[index]!.numeric ?? false)).join('  ').trimEnd();
  const rule = sizes.map((size) => '-'.repeat(size)).join('  ');
  return [
    line(columns.map((column) => column.header)),
    rule,
    ...cells.map(line),
    ...(totalCells ? [rule, line(totalCells)] : []),
  ].join('\n');
}
