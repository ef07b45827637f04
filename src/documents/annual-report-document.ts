import { money } from '../domain/money.js';
import type { AnnualReportRoom, AnnualReportView } from '../projections/views/annual-report.js';
import { dutchDate, euro, shortDate } from './format.js';
import { CONTENT_WIDTH, facts, finish, newDocument, paragraph, table, title, totalLine, type Pdf } from './pdf.js';

/**
 * The annual report (jaarrapportage) as a Dutch PDF. Its date, and so its PDF metadata, is the
 * report's reference date, and nothing reads a clock: the same log gives the same bytes, which the
 * closing of a year hashes.
 */
export interface AnnualReportDocumentInput {
  readonly report: AnnualReportView;
  /** Who the report is from: the cooperative's registered name. */
  readonly author: string;
  /** The financier's name when the report is for one financier. */
  readonly financierName?: string | undefined;
}

const heading = (document: Pdf, text: string): void => {
  document.moveDown(0.6);
  paragraph(document, text, { bold: true, size: 12 });
  document.moveDown(0.2);
};

/** Hours are two-decimal strings too: 12.50 → 12,50, text work only. */
const decimalComma = (value: string): string => value.replace('.', ',');

/** Paid within four weeks or not; an unpaid invoice says whether it is past its due date. */
function timeliness(invoice: AnnualReportView['financiers'][number]['invoices'][number]): string {
  if (invoice.onTime !== null) return invoice.onTime ? 'op tijd' : 'te laat';
  return invoice.status === 'overdue' ? 'open, vervallen' : invoice.status === 'credited' ? 'gecrediteerd' : 'open';
}

function roomSection(document: Pdf, room: AnnualReportRoom): void {
  document.addPage();
  title(document, room.name);
  heading(document, 'Begroting en werkelijke uitgaven');
  if (room.budgetLines.length === 0) paragraph(document, 'Geen begroting en geen uitgaven op begrotingsposten in dit jaar.');
  else {
    const columns = [
      { header: 'Post', width: CONTENT_WIDTH - 240 },
      { header: 'Begroot', width: 80, align: 'right' },
      { header: 'Besteed', width: 80, align: 'right' },
      { header: 'Over', width: 80, align: 'right' },
    ] as const;
    table(document, columns, room.budgetLines.map((line) => [line.label, euro(line.budgeted), euro(line.spent), euro(line.remaining)]), 9);
  }
  heading(document, 'Handgeld per categorie');
  table(
    document,
    [
      { header: 'Categorie', width: CONTENT_WIDTH - 80 },
      { header: 'Besteed', width: 80, align: 'right' },
    ],
    room.pettyCash.map((row) => [`${row.category}. ${row.label}`, euro(row.spent)]),
    9,
  );
  totalLine(document, 'Begroting', euro(room.budgetTotal), false);
  totalLine(document, 'Totaal besteed', euro(room.spentTotal));
  heading(document, 'Financiers');
  if (room.financiers.length === 0) paragraph(document, 'Geen toezeggingen of facturen in dit jaar.');
  else
    table(
      document,
      [
        { header: 'Financier', width: CONTENT_WIDTH - 330 },
        { header: 'Toegezegd', width: 70, align: 'right' },
        { header: 'In natura', width: 65, align: 'right' },
        { header: 'Gefactureerd', width: 65, align: 'right' },
        { header: 'Betaald', width: 65, align: 'right' },
        { header: 'Open', width: 65, align: 'right' },
      ],
      room.financiers.map((row) => [row.name, euro(row.pledgedByStatus.committed), euro(row.pledgedByStatus.inKind), euro(row.invoiced), euro(row.paid), euro(row.open)]),
      8,
    );
  heading(document, 'Vrijwilligers en populaire begroting');
  facts(document, [
    ['Uren bewoners', decimalComma(room.volunteers.hours.resident)],
    ['Uren professionals', decimalComma(room.volunteers.hours.professional)],
    ['Waarde van de uren', euro(room.volunteers.value)],
    ['Actieve vrijwilligers', String(room.volunteers.activeVolunteers)],
    ['Populaire begroting', euro(room.popularBudget)],
    ['Aandeel financiers', `${money(room.financiersShare).times(100).toFixed(2).replace('.', ',')}%`],
  ]);
  heading(document, 'Financieringsresultaat');
  facts(document, [
    ['Begroot', euro(room.fundingResult.budgeted)],
    ['Toegezegd', euro(room.fundingResult.committed)],
    ['Tekort op de begroting', euro(room.fundingResult.fundingGap)],
    ['Besteed', euro(room.fundingResult.spent)],
    ['Toegezegd min besteed', euro(room.fundingResult.result)],
    ['Kaspositie', euro(room.fundingResult.cash)],
  ]);
}

function invoicesSection(document: Pdf, report: AnnualReportView, kamerName: (kamer: string) => string): void {
  document.addPage();
  title(document, 'Facturen en betalingen');
  paragraph(document, 'Betalingstermijn: vier weken (28 dagen) na factuurdatum.');
  // Financiers that only pledged (a subsidy decision, in kind) are in the rooms' tables already.
  const invoiced = report.financiers.filter((financier) => financier.invoices.length > 0);
  if (invoiced.length === 0) paragraph(document, 'Geen facturen in dit jaar.');
  for (const financier of invoiced) {
    heading(document, financier.name);
    table(
      document,
      [
        { header: 'Factuur', width: 60 },
        { header: 'Kamer', width: CONTENT_WIDTH - 400 },
        { header: 'Datum', width: 70 },
        { header: 'Bedrag', width: 70, align: 'right' },
        { header: 'Betaald op', width: 70 },
        { header: 'Op tijd', width: 60 },
        { header: 'Open', width: 70, align: 'right' },
      ],
      financier.invoices.map((invoice) => [
        invoice.number,
        kamerName(invoice.kamer),
        shortDate(invoice.issueDate),
        euro(invoice.total),
        invoice.paidOn === null ? '' : shortDate(invoice.paidOn),
        timeliness(invoice),
        euro(invoice.openAmount),
      ]),
      8,
    );
  }
}

export async function annualReportPdf(input: AnnualReportDocumentInput): Promise<Buffer> {
  const { report } = input;
  const forWhom = input.financierName === undefined ? '' : ` voor ${input.financierName}`;
  const document = await newDocument({ title: `Jaarrapportage ${report.year}${forWhom}`, subject: `Begroting, financiering en vrijwilligers ${report.year}`, author: input.author, date: report.referenceDate });
  title(document, `Jaarrapportage ${report.year}`);
  facts(document, [
    ['Van', input.author],
    ...(input.financierName === undefined ? [] : ([['Voor', input.financierName]] as const)),
    ['Jaar', String(report.year)],
    ['Stand per', dutchDate(report.referenceDate)],
  ]);
  heading(document, 'Totalen');
  facts(document, [
    ['Begroot', euro(report.totals.budgeted)],
    ['Besteed', euro(report.totals.spent)],
    ['Toegezegd', euro(report.totals.committed)],
    ['Waarvan in natura', euro(report.totals.inKind)],
    ['Gefactureerd', euro(report.totals.invoiced)],
    ['Ontvangen', euro(report.totals.received)],
    ['Waarde vrijwilligersuren', euro(report.totals.volunteerValue)],
    ['Populaire begroting', euro(report.totals.popularBudget)],
    ['Tekort op de begroting', euro(report.totals.fundingGap)],
  ]);
  const names = new Map(report.rooms.map((room) => [room.kamer, room.name]));
  for (const room of report.rooms) roomSection(document, room);
  invoicesSection(document, report, (kamer) => names.get(kamer) ?? kamer);
  return finish(document);
}
