import { euro } from '../documents/format.js';
import { money } from '../domain/money.js';
import type { MonthFigures } from '../projections/views/financier-position.js';
import { Table } from './table.js';
import { MONTH_NAMES, nl } from './text/nl.js';

const WIDTH = 720;
const HEIGHT = 240;
const TOP = 10;
const BOTTOM = 30;
const LEFT = 10;

/**
 * Invoiced against paid per month of one year, as inline SVG (no script, no inline style), with
 * the same figures as a table beside it for screen readers and print. The amounts come from the
 * position view; Number() here only sizes the bars, it never makes a figure anyone reads.
 */
export function MonthChart({ year, months }: { year: number; months: readonly MonthFigures[] }) {
  const byMonth = new Map(months.map((figures) => [figures.month, figures]));
  const rows = MONTH_NAMES.map((name, index) => {
    const key = `${year}-${String(index + 1).padStart(2, '0')}`;
    const figures = byMonth.get(key);
    return { name, invoiced: figures?.invoiced ?? '0.00', paid: figures?.paid ?? '0.00' };
  });
  // Amounts stay decimal; only the bar's height in pixels becomes a number.
  const largest = rows.flatMap((row) => [money(row.invoiced), money(row.paid)]).reduce((high, value) => (value.greaterThan(high) ? value : high), money(1));
  const slot = (WIDTH - LEFT) / 12;
  const barWidth = slot * 0.35;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const barHeight = (amount: string) => {
    const value = money(amount);
    return value.isNegative() ? 0 : value.div(largest).times(plotHeight).toNumber();
  };
  const base = HEIGHT - BOTTOM;
  return (
    <figure class="chart-figure">
      <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-labelledby="grafiek-titel grafiek-uitleg">
        <title id="grafiek-titel">{`${nl.financier.chart} ${year}`}</title>
        <desc id="grafiek-uitleg">{nl.financier.chartAlternative}</desc>
        <line class="chart__axis" x1={LEFT} y1={base} x2={WIDTH} y2={base} />
        {rows.map((row, index) => {
          const x = LEFT + index * slot + slot * 0.1;
          const invoicedHeight = barHeight(row.invoiced);
          const paidHeight = barHeight(row.paid);
          return (
            <g>
              <rect class="chart__invoiced" x={x} y={base - invoicedHeight} width={barWidth} height={invoicedHeight}>
                <title>{`${row.name}: ${nl.financier.chartInvoiced} ${euro(row.invoiced)}`}</title>
              </rect>
              <rect class="chart__paid" x={x + barWidth} y={base - paidHeight} width={barWidth} height={paidHeight}>
                <title>{`${row.name}: ${nl.financier.chartPaid} ${euro(row.paid)}`}</title>
              </rect>
              <text class="chart__label" x={x + barWidth} y={HEIGHT - 10} text-anchor="middle">
                {row.name.slice(0, 3)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="utrecht-paragraph">
        <span class="legend-swatch--invoiced" aria-hidden="true">■</span> {nl.financier.chartInvoiced}{' '}
        <span class="legend-swatch--paid" aria-hidden="true">■</span> {nl.financier.chartPaid}
      </figcaption>
      <Table
        caption={nl.financier.chartAlternative}
        rowHeaders
        columns={[{ heading: nl.financier.month }, { heading: nl.financier.chartInvoiced, numeric: true }, { heading: nl.financier.chartPaid, numeric: true }]}
        rows={rows.map((row) => [row.name, euro(row.invoiced), euro(row.paid)])}
      />
    </figure>
  );
}
