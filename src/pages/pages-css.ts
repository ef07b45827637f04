/**
 * The few layout rules the Utrecht components leave to the pages, and the print styles. A module
 * rather than a .css file, so `npm run build` carries it into dist/ with the rest.
 */
export const PAGES_CSS = `/* The few layout rules the Utrecht components leave to the page. No inline styles (CSP). */
body { margin: 0; }
.page-header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 1rem; padding: 0.75rem 1.5rem; border-bottom: 1px solid #ccc; }
.page-header__name { font-weight: bold; margin: 0; }
.page-header__sign-out { display: flex; align-items: center; gap: 0.75rem; }
.page-main { max-width: 70rem; margin: 0 auto; padding: 1.5rem; }
.skip-link { position: absolute; left: -10000px; }
.skip-link:focus { position: static; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: 1rem; margin: 0; }
.figures div { border: 1px solid #ccc; padding: 0.75rem; }
.figures dt { font-size: 0.9rem; }
.figures dd { margin: 0; font-size: 1.3rem; font-weight: bold; }
.number { text-align: end; white-space: nowrap; }
.mark--late { font-weight: bold; color: #a00; }
.mark--on-time { color: #064; }
.chart { max-width: 100%; height: auto; }
.chart__invoiced { fill: #4a6fa5; }
.chart__paid { fill: #2e7d32; }
.chart__axis { stroke: #333; }
.chart__label { font-size: 11px; fill: #222; }
.legend-swatch--invoiced { color: #4a6fa5; }
.legend-swatch--paid { color: #2e7d32; }
.form-error { color: #a00; font-weight: bold; }
@media print {
  .no-print, .skip-link { display: none !important; }
  .page-header { border: none; padding: 0; }
  .page-main { max-width: none; padding: 0; }
  a[href$=".pdf"]::after { content: " (" attr(href) ")"; font-size: 0.8em; }
  table { page-break-inside: auto; }
  tr { page-break-inside: avoid; }
}
.page-main h2 { margin-block-start: 2rem; }
.page-main h3 { margin-block-start: 1.25rem; }
.year-form { display: flex; align-items: end; gap: 0.75rem; }
.year-form .utrecht-textbox { max-inline-size: 8rem; }
/* The treasurer's pages: navigation, forms one field under the other, a receipt per card. */
.treasurer-nav__list { display: flex; flex-wrap: wrap; gap: 1.5rem; list-style: none; padding: 0; }
.treasurer-nav a[aria-current="page"] { font-weight: bold; }
.page-form { max-inline-size: 40rem; }
.page-form .utrecht-form-field { margin-block-end: 1rem; }
.page-form fieldset { border: 1px solid #ccc; padding: 0.75rem 1rem; margin-block-end: 1rem; }
.optional { font-weight: normal; }
.receipt { border: 1px solid #ccc; padding: 0.75rem 1rem; margin-block-end: 1.5rem; }
.receipt__facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
.receipt__facts dd { margin: 0; }
.room { margin-block-end: 3rem; }
@media print {
  .page-form, .treasurer-nav { display: none !important; }
  .receipt, .room { page-break-inside: avoid; border: none; padding: 0; }
}
.history-form { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0.75rem; align-items: end; }
.history-form__actions { grid-column: 1 / -1; margin: 0; }
.digest__code { grid-column: 1 / -1; }
.digest__code code, .audit-data { overflow-wrap: anywhere; }
.audit-data { white-space: pre-wrap; font-size: 0.85rem; max-inline-size: 28rem; margin: 0; }
`;
