/** A column of a table: its heading, and whether it holds amounts or counts (aligned to the end). */
export type Column = readonly [label: string, numeric?: 'number'];

/** The heading row of a Utrecht table: every column a `th scope="col"`. */
export function TableHead({ columns }: { readonly columns: readonly Column[] }) {
  return (
    <thead class="utrecht-table__header">
      <tr class="utrecht-table__row">
        {columns.map(([label, numeric]) => (
          <th class={`utrecht-table__header-cell${numeric === undefined ? '' : ' number'}`} scope="col">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
