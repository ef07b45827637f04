import { z } from 'zod';
import { readAnnualReport, renderAnnualReportPdf, type AnnualReportRequest } from '../../application/annual-report.js';
import { closedCutFor } from '../../application/years.js';
import { ClosedYearFiles, type FilesCut } from '../../exports/year-files.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { PettyCashCategorySchema } from '../../domain/events.js';
import { SlugSchema } from '../../domain/ids.js';
import { AmountSchema } from '../../domain/money.js';
import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../services.js';
import { cutOf, CUT_QUERY, financierFilterFor, READ_ERRORS, YearQuerySchema } from './reads-query.js';
import { BudgetAnswer } from './reads-rooms.js';
import { PositionAnswer, PositionInvoiceRow } from './reads.js';

const ReportParams = z.strictObject({ year: YearQuerySchema });
const ReportQuery = z.strictObject({
  financier: SlugSchema.optional().describe("one financier's report; a financier token always gets its own, and another's is a 403"),
  ...CUT_QUERY,
});

const FinancierFigures = { invoiced: AmountSchema, paid: AmountSchema, open: AmountSchema, overdue: AmountSchema };
const ReportRoom = z.object({
  kamer: z.string(),
  name: z.string(),
  budgetLines: z.array(z.object({ line: z.string(), label: z.string(), budgeted: AmountSchema, spent: AmountSchema, remaining: AmountSchema.describe('budgeted minus spent') })),
  pettyCash: z.array(z.object({ category: PettyCashCategorySchema, label: z.string(), spent: AmountSchema })),
  budgetTotal: AmountSchema,
  spentTotal: AmountSchema.describe('expenses on every line plus petty cash spent'),
  financiers: z.array(z.object({ financier: z.string(), name: z.string(), pledgedByStatus: PositionAnswer.shape.pledgedByStatus, ...FinancierFigures })),
  pledged: BudgetAnswer.shape.pledged,
  invoiced: AmountSchema,
  received: AmountSchema,
  outstanding: AmountSchema,
  volunteers: BudgetAnswer.shape.volunteers,
  popularBudget: AmountSchema,
  financiersShare: BudgetAnswer.shape.financiersShare,
  fundingResult: z.object({
    budgeted: AmountSchema,
    committed: AmountSchema,
    fundingGap: AmountSchema.describe('budgeted minus committed'),
    spent: AmountSchema,
    result: AmountSchema.describe('committed minus spent: surplus (positive) or shortfall (negative)'),
    cash: AmountSchema,
  }),
});
const ReportAnswer = z.object({
  year: z.number().int(),
  financier: z.string().nullable(),
  referenceDate: z.string().describe('the day open invoices are judged overdue on: asOf, else 31 December of the year (today while it runs)'),
  rooms: z.array(ReportRoom),
  financiers: z.array(
    z.object({
      financier: z.string(),
      name: z.string(),
      pledged: AmountSchema,
      pledgedByStatus: PositionAnswer.shape.pledgedByStatus,
      ...FinancierFigures,
      fourWeeks: PositionAnswer.shape.fourWeeks,
      invoices: z.array(PositionInvoiceRow),
    }),
  ),
  totals: z.object({
    budgeted: AmountSchema,
    spent: AmountSchema,
    committed: AmountSchema,
    inKind: AmountSchema,
    invoiced: AmountSchema,
    received: AmountSchema,
    volunteerValue: AmountSchema,
    popularBudget: AmountSchema,
    fundingGap: AmountSchema,
  }),
});
const PdfAnswer = z.instanceof(Buffer).describe('the PDF document (application/pdf)');

/** Treasurer, accountant and kascommissie read every report; a financier only its own. */
const REPORT_READERS = ['treasurer', 'accountant', 'kascommissie', 'financier'] as const;

function reportRequest(request: FastifyRequest, params: z.infer<typeof ReportParams>, query: z.infer<typeof ReportQuery>): AnnualReportRequest {
  return { year: params.year, financier: financierFilterFor(request, query.financier), cut: cutOf(query) };
}

/** The books a report is read from, and the day it is read on. */
interface ReportBooks {
  readonly projections: ProjectionRunner;
  readonly now: Date;
  /** Set when the books are a closed year's, as its closing cut them. */
  readonly closing?: FilesCut;
}

/** The annual report (jaarrapportage): JSON for tools, a Dutch PDF for the financiers and the kascommissie. */
export const annualReportRoutes: RoutePlugin = async (app, { services }) => {
  const { projections, clock, store } = services;
  const closedYears = ClosedYearFiles.of(store);

  /**
   * A closed year (asked without asOf/knownAt) is reported as its closing cut it: from the log up
   * to `filesAtPosition`, on `closedAt`, so nothing recorded later (a 2021 payment, a financier's
   * new address) changes it, and the whole report is the PDF whose SHA-256 YearClosed recorded
   * (docs/years.md). Any other read is of the live books, now.
   */
  const booksFor = async (wanted: AnnualReportRequest): Promise<ReportBooks> => {
    const closing = await closedCutFor(store, wanted.year, wanted.cut ?? {});
    if (!closing) return { projections, now: clock() };
    const source = closedYears.source(closing);
    return { projections: source.projections, now: source.createdAt, closing };
  };

  app.get(
    '/reports/annual/:year',
    {
      config: { access: REPORT_READERS },
      schema: {
        tags: ['reads'],
        summary: 'The annual report of a year: per room budget against spending, financiers, volunteers, popular budget and funding result',
        params: ReportParams,
        querystring: ReportQuery,
        response: { 200: ReportAnswer, ...READ_ERRORS },
      },
    },
    async (request) => {
      const wanted = reportRequest(request, request.params, request.query);
      const books = await booksFor(wanted);
      return readAnnualReport(books.projections, books.now, wanted);
    },
  );

  app.get(
    '/reports/annual/:year/report.pdf',
    {
      config: { access: REPORT_READERS },
      schema: {
        tags: ['documents'],
        summary: 'The annual report as a Dutch PDF, byte-identical for the same log and year',
        params: ReportParams,
        querystring: ReportQuery,
        produces: ['application/pdf', 'application/problem+json'],
        response: { 200: PdfAnswer, ...READ_ERRORS },
      },
    },
    async (request, reply) => {
      const wanted = reportRequest(request, request.params, request.query);
      const books = await booksFor(wanted);
      const pdf =
        books.closing && wanted.financier === undefined
          ? await closedYears.file(books.closing, 'annual-report.pdf')
          : await renderAnnualReportPdf(books.projections, books.now, wanted);
      const name = `jaarrapportage-${wanted.year}${wanted.financier === undefined ? '' : `-${wanted.financier}`}.pdf`;
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).send(pdf);
    },
  );
};
