import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { DateSchema, InstantSchema, YearSchema } from '../../domain/calendar.js';
import { AmountSchema } from '../../domain/money.js';
import { closedCutFor } from '../../application/years.js';
import { ClosedYearFiles, YEAR_FILES, type YearFileContent, type YearFileName } from '../../exports/year-files.js';
import { CSV_DIALECTS } from '../../exports/csv.js';
import { readYearJournal } from '../../projections/reports.js';
import { cutOf } from './reads-query.js';
import { trialBalance } from '../../projections/trial-balance.js';
import type { RoutePlugin } from '../services.js';
import { ProblemSchema } from '../write.js';

const YearCutQuery = z.strictObject({
  year: z.coerce.number().pipe(YearSchema).describe('the fiscal (calendar) year, e.g. 2019'),
  asOf: DateSchema.optional().describe('business-date cut YYYY-MM-DD: entries dated after it are left out'),
  knownAt: InstantSchema.optional().describe('recording cut (ISO instant): the books as they stood then'),
});

const CsvQuery = z.strictObject({
  ...YearCutQuery.shape,
  dialect: z
    .enum(CSV_DIALECTS)
    .default('rfc4180')
    .describe('rfc4180: commas, 1234.50, ISO dates; nl: for a Dutch spreadsheet, semicolons, 1234,50, dates dd-mm-yyyy, a UTF-8 BOM'),
});

const SignedAmount = AmountSchema.describe('debit minus credit: a credit balance is negative');
const TrialBalanceAnswer = z.object({
  year: z.number().int(),
  asOf: z.string().optional(),
  knownAt: z.string().optional(),
  accounts: z.array(
    z.object({
      account: z.string(),
      name: z.string(),
      type: z.enum(['asset', 'liability', 'equity', 'income', 'expense', 'memorandum']),
      opening: SignedAmount.describe('balance carried forward on 1 January (debit minus credit)'),
      debit: AmountSchema.describe("the year's debits up to the cut"),
      credit: AmountSchema.describe("the year's credits up to the cut"),
      balance: SignedAmount,
    }),
  ),
  totals: z.object({ opening: AmountSchema, debit: AmountSchema, credit: AmountSchema, balance: AmountSchema }),
  notes: z.array(z.string()).describe('what the journal could not post, e.g. hours without a valuation rate'),
});

const READ_ERRORS = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema } as const;
// The kascommissie checks the year from the same books the accountant reads (docs/years.md).
const EXPORT_ACCESS = { access: ['accountant', 'treasurer', 'kascommissie'] as const };
/** The files the accountant's page links to: a signed-in browser downloads them with its session. */
const DOWNLOAD_ACCESS = { ...EXPORT_ACCESS, session: 'document' as const };

function attachment(name: string): string {
  return `attachment; filename="${name}"`;
}

type YearFileQuery = z.infer<typeof YearCutQuery>;

/** The accountant's books: trial balance and the year's journal as XAF, hledger and CSV. */
export const accountingRoutes: RoutePlugin = async (app, { services }) => {
  const { projections } = services;
  const closedFiles = ClosedYearFiles.of(services.store);

  /**
   * A year file as served: for a closed year (without a cut) the closing's own rendering, byte for
   * byte the file whose SHA-256 YearClosed recorded; otherwise the live books, dated now.
   */
  const yearFile = async (name: YearFileName, query: YearFileQuery): Promise<YearFileContent> => {
    const closing = await closedCutFor(services.store, query.year, query);
    if (closing) return closedFiles.file(closing, name);
    return YEAR_FILES[name].render({ year: query.year, projections, cut: cutOf(query), createdAt: services.clock() });
  };
  const sendYearFile = async (reply: FastifyReply, name: YearFileName, query: YearFileQuery) =>
    reply.type(YEAR_FILES[name].contentType).header('content-disposition', attachment(YEAR_FILES[name].fileName(query.year))).send(await yearFile(name, query));

  app.get(
    '/reports/trial-balance',
    {
      config: EXPORT_ACCESS,
      schema: {
        tags: ['accountant'],
        summary: 'Double-entry trial balance (proefbalans) of a year: per account opening, debit, credit and balance; totals always equal',
        querystring: YearCutQuery,
        response: { 200: TrialBalanceAnswer, ...READ_ERRORS },
      },
    },
    async (request) => {
      const { asOf, knownAt } = request.query;
      const balance = trialBalance(await readYearJournal(projections, request.query));
      return { ...balance, ...(asOf === undefined ? {} : { asOf }), ...(knownAt === undefined ? {} : { knownAt }) };
    },
  );

  app.get(
    '/exports/xaf',
    {
      config: DOWNLOAD_ACCESS,
      schema: {
        tags: ['accountant'],
        summary: 'The year as an XML Auditfile Financieel 3.2, valid against its XSD',
        querystring: YearCutQuery,
        produces: ['application/xml', 'application/problem+json'],
        response: { 200: z.string().describe('XAF 3.2 document'), ...READ_ERRORS },
      },
    },
    async (request, reply) => {
      return sendYearFile(reply, 'xaf', request.query);
    },
  );

  app.get(
    '/exports/hledger',
    {
      config: DOWNLOAD_ACCESS,
      schema: {
        tags: ['accountant'],
        summary: 'The year as a plain-text journal for hledger and ledger-cli (opening balance plus every entry)',
        querystring: YearCutQuery,
        produces: ['text/plain', 'application/problem+json'],
        response: { 200: z.string().describe('hledger/ledger journal'), ...READ_ERRORS },
      },
    },
    async (request, reply) => {
      return sendYearFile(reply, 'hledger', request.query);
    },
  );

  app.get(
    '/exports/journal.csv',
    {
      config: DOWNLOAD_ACCESS,
      schema: {
        tags: ['accountant'],
        summary: 'The year as CSV, one row per journal line (RFC 4180), the opening balance first; ?dialect=nl for a Dutch spreadsheet',
        querystring: CsvQuery,
        produces: ['text/csv', 'application/problem+json'],
        response: { 200: z.string().describe('CSV with a header row'), ...READ_ERRORS },
      },
    },
    async (request, reply) => {
      const { dialect, ...query } = request.query;
      return sendYearFile(reply, dialect === 'nl' ? 'journal-nl.csv' : 'journal.csv', query);
    },
  );
};
