import { z } from 'zod';
import { dateInAmsterdam, yearOf } from '../domain/calendar.js';
import { principalOf } from '../http/auth.js';
import { YearQuerySchema } from '../http/routes/reads-query.js';
import type { RoutePlugin } from '../http/services.js';
import { referenceDateFor } from '../projections/reports.js';
import { pledgesProjection } from '../projections/pledges.js';
import { receivablesProjection } from '../projections/receivables.js';
import { registryProjection } from '../projections/registry.js';
import { roomsProjection } from '../projections/rooms.js';
import { financierPositionView } from '../projections/views/financier-position.js';
import { listPledges } from '../projections/views/pledges.js';
import { refuse } from '../domain/errors.js';
import { FinancierPage } from './financier-page.js';
import { renderPage, sendHtml } from './layout.js';

const FinancierQuery = z.object({ jaar: YearQuerySchema.optional() });

/**
 * The financier's own page. It reads the projections GET /financiers/:id/position and GET /pledges
 * read, through the same views, so the page shows no figure the API does not also answer.
 */
export const financierPageRoutes: RoutePlugin = async (app, { services }) => {
  const { projections, clock } = services;
  app.get('/financier', { config: { access: ['financier'], session: 'page' }, schema: { hide: true, querystring: FinancierQuery } }, async (request, reply) => {
    const financier = principalOf(request).scope!;
    const now = clock();
    const year = request.query.jaar ?? yearOf(dateInAmsterdam(now));
    const [registry, pledges, receivables, rooms] = await Promise.all([
      projections.read(registryProjection, {}),
      projections.read(pledgesProjection, {}),
      projections.read(receivablesProjection, {}),
      projections.read(roomsProjection, {}),
    ]);
    const record = registry.financiers.get(financier);
    if (!record) refuse('NOT_FOUND', `no financier ${financier}`);
    const position = financierPositionView({ pledges, receivables, rooms }, financier, year, referenceDateFor({}, now));
    const page = (
      <FinancierPage name={record.name} year={year} position={position} pledges={listPledges(pledges, rooms, { financier, year })} csrfToken={reply.generateCsrf()} />
    );
    return sendHtml(reply, renderPage(page));
  });
};
