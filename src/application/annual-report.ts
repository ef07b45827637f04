import { dateInAmsterdam } from '../domain/calendar.js';
import { refuse } from '../domain/errors.js';
import { annualReportPdf } from '../documents/annual-report-document.js';
import { readFinancierDocumentStates } from '../projections/financier-reads.js';
import type { TimeCut } from '../projections/projection.js';
import type { ProjectionRunner } from '../projections/runner.js';
import { annualReportView, type AnnualReportView } from '../projections/views/annual-report.js';

/** Whose name a report carries when the cooperative has not recorded its details (PUT /cooperative). */
const DEFAULT_AUTHOR = 'BuurtWerkKamer Coöperatie';

export interface AnnualReportRequest {
  readonly year: number;
  readonly financier?: string | undefined;
  readonly cut?: TimeCut;
}

/**
 * The day open invoices are judged on: `asOf` when asked, else 31 December of the year, or an
 * earlier day when the books are read as they stood then (`knownAt`) or the year still runs
 * (today). For a past year read without cuts it depends on nothing but the year, so the same log
 * gives the same report whenever it is asked for.
 */
export function annualReferenceDate(year: number, cut: TimeCut, now: Date): string {
  if (cut.asOf !== undefined) return cut.asOf;
  const candidates = [`${year}-12-31`, dateInAmsterdam(now), ...(cut.knownAt === undefined ? [] : [dateInAmsterdam(new Date(cut.knownAt))])];
  return candidates.reduce((earliest, day) => (day < earliest ? day : earliest));
}

/** The report and the names it prints, from one read of the projections (their states move on between reads). */
async function readReportAndNames(projections: ProjectionRunner, now: Date, request: AnnualReportRequest) {
  const cut = request.cut ?? {};
  const { registry, pledges, receivables, rooms, documents } = await readFinancierDocumentStates(projections, cut);
  const { financier } = request;
  if (financier !== undefined && !registry.financiers.has(financier)) refuse('NOT_FOUND', `no financier ${financier}`, 'financier');
  return {
    report: annualReportView({ registry, pledges, receivables, rooms }, request.year, financier, annualReferenceDate(request.year, cut, now)),
    author: documents.cooperative?.details.name ?? DEFAULT_AUTHOR,
    financierName: financier === undefined ? undefined : (registry.financiers.get(financier)?.name ?? financier),
  };
}

/** The annual report of a year, whole or for one financier (404 for an unknown financier). */
export async function readAnnualReport(projections: ProjectionRunner, now: Date, request: AnnualReportRequest): Promise<AnnualReportView> {
  return (await readReportAndNames(projections, now, request)).report;
}

/**
 * The annual report as PDF bytes: (year, financier?) → bytes. For a past year the same log gives
 * the same bytes (no clock in the document, its date is the reference date), so the closing of a
 * year can record their SHA-256.
 */
export async function renderAnnualReportPdf(projections: ProjectionRunner, now: Date, request: AnnualReportRequest): Promise<Buffer> {
  return annualReportPdf(await readReportAndNames(projections, now, request));
}
