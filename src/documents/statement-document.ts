import { refuse } from '../domain/errors.js';
import type { CooperativeDetails, PostalAddress } from '../domain/events.js';
import type { FinancierPositionView } from '../projections/views/financier-position.js';
import type { PledgeView } from '../projections/views/pledges.js';
import { dutchDate, euro, shortDate } from './format.js';
import { addressLines, CONTENT_WIDTH, facts, finish, MARGIN, newDocument, paragraph, supplierHeader, table, title, totalLine, type Logo } from './pdf.js';

/**
 * A financier's statement (rekeningoverzicht) for a year: its pledges, its invoices with issue,
 * due and paid dates, days to pay and on time or late, and the open and overdue totals: the
 * four-week check on paper. Made on a reference date (today, or `asOf`), which is also its PDF
 * date, so the same cut renders the same bytes.
 */
export interface StatementInput {
  readonly supplier: CooperativeDetails | undefined;
  readonly logo: Logo | undefined;
  readonly financier: { readonly id: string; readonly name: string; readonly address?: PostalAddress | undefined };
  readonly year: number;
  readonly referenceDate: string;
  readonly pledges: readonly PledgeView[];
  readonly position: FinancierPositionView;
  readonly kamerName: (kamerId: string) => string;
}

const STATUS: Record<PledgeView['status'], string> = { proposed: 'voorstel', conditional: 'voorwaardelijk', committed: 'toegezegd', withdrawn: 'ingetrokken' };
const INVOICE_STATUS: Record<FinancierPositionView['invoices'][number]['status'], string> = {
  open: 'open',
  paid: 'betaald',
  'partially-paid': 'deels betaald',
  credited: 'gecrediteerd',
  overdue: 'te laat',
};

export async function statementPdf(input: StatementInput): Promise<Buffer> {
  const { supplier, financier, year, referenceDate, position } = input;
  if (!supplier) refuse('DOCUMENT_DETAILS_MISSING', "a statement cannot be printed without the cooperative's details (PUT /cooperative)", 'supplier');
  const document = await newDocument({ title: `Overzicht ${year} ${financier.name}`, subject: `Toezeggingen, facturen en betalingen ${year}`, author: supplier.name, date: referenceDate });
  supplierHeader(document, supplier, input.logo);
  document.font('Helvetica').fontSize(9).fillColor('#555555').text('Aan', MARGIN, document.y);
  document.fillColor('black').font('Helvetica-Bold').fontSize(11).text(financier.name, MARGIN);
  if (financier.address) document.font('Helvetica').text(addressLines(financier.address).join('\n'), MARGIN);
  document.moveDown(1.5);
  title(document, `Overzicht ${year}`);
  facts(document, [
    ['Financier', financier.name],
    ['Jaar', String(year)],
    ['Stand per', dutchDate(referenceDate)],
    ['Betalingstermijn', 'vier weken (28 dagen) na factuurdatum'],
  ]);
  paragraph(document, 'Toezeggingen', { bold: true, size: 12 });
  document.moveDown(0.3);
  if (input.pledges.length === 0) paragraph(document, 'Geen toezeggingen in dit jaar.');
  else
    table(
      document,
      [
        { header: 'Buurtwerkkamer', width: 150 },
        { header: 'Status', width: 90 },
        { header: 'Vorm', width: 60 },
        { header: 'Kenmerk', width: 95 },
        { header: 'Bedrag', width: CONTENT_WIDTH - 395, align: 'right' },
      ],
      input.pledges.map((pledge) => [
        input.kamerName(pledge.kamer),
        STATUS[pledge.status],
        pledge.form === 'cash' ? 'geld' : 'in natura',
        pledge.reference ?? '',
        pledge.share ? `${pledge.share.numerator}/${pledge.share.denominator}: ${euro(pledge.amount)}` : euro(pledge.amount),
      ]),
      9,
    );
  document.moveDown(1);
  paragraph(document, 'Facturen', { bold: true, size: 12 });
  document.moveDown(0.3);
  if (position.invoices.length === 0) paragraph(document, 'Geen facturen in dit jaar.');
  else
    table(
      document,
      [
        { header: 'Factuur', width: 58 },
        { header: 'Kamer', width: 62 },
        { header: 'Datum', width: 62 },
        { header: 'Vervalt', width: 62 },
        { header: 'Bedrag', width: 62, align: 'right' },
        { header: 'Betaald op', width: 62 },
        { header: 'Dagen', width: 34, align: 'right' },
        { header: 'Op tijd', width: 42 },
        { header: 'Open', width: CONTENT_WIDTH - 444, align: 'right' },
      ],
      position.invoices.map((invoice) => [
        invoice.number,
        input.kamerName(invoice.kamer),
        shortDate(invoice.issueDate),
        shortDate(invoice.dueDate),
        euro(invoice.total),
        invoice.paidOn === null ? '' : shortDate(invoice.paidOn),
        invoice.daysToPay === null ? '' : String(invoice.daysToPay),
        invoice.onTime === null ? INVOICE_STATUS[invoice.status] : invoice.onTime ? 'ja' : 'nee, te laat',
        euro(invoice.openAmount),
      ]),
      8,
    );
  document.moveDown(0.5);
  totalLine(document, 'Toegezegd', euro(position.pledged), false);
  totalLine(document, 'Gefactureerd', euro(position.invoiced), false);
  totalLine(document, 'Betaald', euro(position.paid), false);
  totalLine(document, 'Openstaand', euro(position.open));
  totalLine(document, 'Waarvan achterstallig', euro(position.overdue));
  return finish(document);
}
