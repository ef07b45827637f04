import { money } from '../domain/money.js';

/**
 * How documents print amounts and dates, the Dutch way: `€ 1.234,50` and `15 maart 2019`.
 * Written out by hand rather than through Intl, so a document renders the same bytes whatever
 * ICU data the Node build carries.
 */
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** "1234.5" / "-1234.50" → "€ 1.234,50" / "€ -1.234,50" (exact: through decimal.js, never a float). */
export function euro(amount: string): string {
  const fixed = money(amount).toFixed(2);
  const negative = fixed.startsWith('-');
  const [whole, cents] = (negative ? fixed.slice(1) : fixed).split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `€ ${negative ? '-' : ''}${grouped},${cents}`;
}

/** "2019-03-15" → "15 maart 2019". */
export function dutchDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** 2020-06-15 → 15-06-2020: the compact form for table cells. */
export function shortDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}-${month}-${year}`;
}

/** An IBAN in groups of four, as printed: NL91 ABNA 0417 1643 00. */
export function printedIban(iban: string): string {
  return iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}
