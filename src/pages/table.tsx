import type { ComponentChildren } from 'preact';

export interface Column {
  readonly heading: string;
  /** Amounts and counts: aligned to the end, never wrapped. */
  readonly numeric?: boolean;
}

export interface TableProps {
  readonly columns: readonly Column[];
  /** One array of cells per row, in the columns' order. */
  readonly rows: ReadonlyArray<readonly ComponentChildren[]>;
  /** The first cell names its row (a month, a category): a row header for screen readers. */
  readonly rowHeaders?: boolean;
  /** A last row apart from the others (a total), in the table's foot. */
  readonly footer?: readonly ComponentChildren[];
  /** Said instead of the table when it has no rows ("no invoices this year"). */
  readonly empty?: string;
  /** What the table is, said above it (the text alternative of a chart). */
  readonly caption?: string;
  readonly id?: string;
}

/** A Utrecht table: the markup every page's tables share, so a page states only its columns and rows. */
export function Table({ columns, rows, rowHeaders = false, footer, empty, caption, id }: TableProps) {
  if (rows.length === 0 && empty !== undefined) return <p class="utrecht-paragraph">{empty}</p>;
  const numeric = (index: number) => (columns[index]?.numeric ? ' number' : '');
  const row = (cells: readonly ComponentChildren[]) => (
    <tr class="utrecht-table__row">
      {cells.map((cell, index) =>
        rowHeaders && index === 0 ? (
          <th class={`utrecht-table__header-cell${numeric(index)}`} scope="row">
            {cell}
          </th>
        ) : (
          <td class={`utrecht-table__cell${numeric(index)}`}>{cell}</td>
        ),
      )}
    </tr>
  );
  return (
    <table class="utrecht-table" {...(id === undefined ? {} : { id })}>
      {caption !== undefined && <caption class="utrecht-table__caption">{caption}</caption>}
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          {columns.map((column, index) => (
            <th class={`utrecht-table__header-cell${numeric(index)}`} scope="col">
              {column.heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="utrecht-table__body">{rows.map(row)}</tbody>
      {footer !== undefined && <tfoot>{row(footer)}</tfoot>}
    </table>
  );
}
