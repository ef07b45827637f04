/**
 * The one table every page draws with (src/pages/table.tsx): headed columns, amounts marked as
 * numbers, a row's first cell as its header when asked, a total in the foot, a sentence instead
 * of an empty table.
 */
import t from 'tap';
import { renderToString } from 'preact-render-to-string';
import { Table } from '../../src/pages/table.js';

const columns = [{ heading: 'Maand' }, { heading: 'Saldo', numeric: true }];

t.test('rows, a row header, a caption and a total in the foot', async (t) => {
  const html = renderToString(Table({ columns, rows: [['maart', '€ 1,00']], rowHeaders: true, caption: 'In tekst', footer: ['Totaal', '€ 1,00'] }));
  t.match(html, '<caption class="utrecht-table__caption">In tekst</caption>');
  t.match(html, '<th class="utrecht-table__header-cell number" scope="col">Saldo</th>');
  t.match(html, '<tbody class="utrecht-table__body"><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="row">maart</th><td class="utrecht-table__cell number">€ 1,00</td></tr></tbody>');
  t.match(html, '<tfoot><tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="row">Totaal</th>');
});

t.test('no rows: the sentence that says so, not an empty table; without one, the empty table', async (t) => {
  t.equal(renderToString(Table({ columns, rows: [], empty: 'Geen facturen.' })), '<p class="utrecht-paragraph">Geen facturen.</p>');
  t.match(renderToString(Table({ columns, rows: [] })), /^<table class="utrecht-table">/);
});
