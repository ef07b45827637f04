import { z } from 'zod';
import { DateSchema, dateInAmsterdam, yearOf } from '../domain/calendar.js';
import { principalOf } from '../http/auth.js';
import { auditPageQueryOf } from '../http/routes/audit-query.js';
import { EVENT_TYPES } from '../http/routes/audit.js';
import { YearQuerySchema } from '../http/routes/reads-query.js';
import type { RoutePlugin } from '../http/services.js';
import { readYearJournal } from '../projections/reports.js';
import { trialBalance } from '../projections/trial-balance.js';
import { verifyWithAnchors } from '../store/anchors.js';
import { readAuditPage } from '../store/integrity.js';
import { AccountantPage } from './accountant-page.js';
import { renderPage, sendHtml } from './layout.js';

/** A GET form sends its empty fields as `name=`: an empty field means "no filter". */
const field = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const AccountantQuery = z.object({
  jaar: field(YearQuerySchema),
  na: field(z.string().regex(/^\d+$/)),
  aantal: field(z.coerce.number().int().min(1).max(200)),
  stroom: field(z.string().trim().min(1).max(200)),
  type: field(z.enum([...EVENT_TYPES] as [string, ...string[]])),
  van: field(DateSchema),
  tot: field(DateSchema),
  controle: field(z.literal('1')),
});

const DEFAULT_HISTORY_PAGE = 25;
const SORTED_EVENT_TYPES = [...EVENT_TYPES].sort();

/**
 * The accountant's page: the verification GET /audit/verify runs, on request (with the digest to keep), the
 * year's trial balance from the journal GET /reports/trial-balance reads, links to the exports, and
 * the audit history GET /audit/events pages through, with the same filters. No figure of its own.
 */
export const accountantPageRoutes: RoutePlugin = async (app, { services }) => {
  const { projections, store, clock } = services;
  app.get('/accountant', { config: { access: ['accountant'], session: 'page' }, schema: { hide: true, querystring: AccountantQuery } }, async (request, reply) => {
    const { jaar, na, aantal, stroom, type, van, tot, controle } = request.query;
    const year = jaar ?? yearOf(dateInAmsterdam(clock()));
    const filters = { stroom, type, van, tot, na, aantal: aantal ?? DEFAULT_HISTORY_PAGE };
    // Verifying rehashes the whole log (seconds at 100,000 events), so it runs when asked, not on every visit.
    const [verification, journal, history] = await Promise.all([
      controle === undefined ? undefined : verifyWithAnchors(store, services.anchorFile),
      readYearJournal(projections, { year }),
      readAuditPage(store, auditPageQueryOf({ after: na, limit: filters.aantal, streamPrefix: stroom, type, from: van, to: tot })),
    ]);
    const page = (
      <AccountantPage
        signedInAs={principalOf(request).subject}
        csrfToken={reply.generateCsrf()}
        year={year}
        {...(verification === undefined ? {} : { verification })}
        trialBalance={trialBalance(journal)}
        history={history}
        filters={filters}
        eventTypes={SORTED_EVENT_TYPES}
      />
    );
    return sendHtml(reply, renderPage(page));
  });
};
