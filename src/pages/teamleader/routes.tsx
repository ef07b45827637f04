import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { RoomCommands } from '../../application/room-commands.js';
import { dateInAmsterdam, yearOf } from '../../domain/calendar.js';
import { refuse } from '../../domain/errors.js';
import { dutchDate, euro } from '../../documents/format.js';
import { forbidden, principalOf } from '../../http/auth.js';
import { SpendingBody } from '../../http/routes/petty-cash.js';
import { YearQuerySchema } from '../../http/routes/reads-query.js';
import { EntryBody } from '../../http/routes/volunteer-hours.js';
import type { RoutePlugin } from '../../http/services.js';
import { commandMetadata } from '../../http/write.js';
import { SlugSchema } from '../../domain/ids.js';
import { normaliseHours } from '../../domain/volunteer-hours/hours.js';
import { pettyCashProjection } from '../../projections/petty-cash.js';
import { registryProjection } from '../../projections/registry.js';
import { pettyCashView } from '../../projections/views/petty-cash.js';
import { renderPage, sendHtml } from '../layout.js';
import { nl } from '../text/nl.js';
import { formFieldsOf, nestedBody, type FormState } from '../forms/input.js';
import { refusalOf } from '../forms/refusal.js';
import { csvText } from './hours-csv.js';
import { importHoursCsv } from './hours-import.js';
import { RoomPage, type RoomPageProps } from './room-page.js';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The Dutch confirmation of the last saved form, shown once by the page it redirects to. */
    notice: string;
  }
}

const PAGE = { access: ['teamleader'] as const, session: 'page' as const };
const RoomQuery = z.object({ jaar: YearQuerySchema.optional() });
const OtherRoomParams = z.object({ kamer: SlugSchema });
/** A month of hours is a few kilobytes; a megabyte is a wrong file. */
const MAX_CSV_BYTES = 1_000_000;

const SPENDING_FIELDS = ['date', 'category', 'amount', 'description', 'receipt'] as const;
const HOURS_FIELDS = ['volunteer', 'date', 'hours', 'kind', 'activity'] as const;

/** How a form maps to its API body: the API route's schema and the form's fields, named as the body's. */
interface FormSpec<Body> {
  readonly schema: z.ZodType<Body>;
  readonly fields: readonly string[];
}

/**
 * The team leader's page, `/kamer`: the room is the session's scope, never a parameter, so a team
 * leader cannot ask for another room's page. The forms run the commands the API runs
 * (RoomCommands, the API's body schemas); a refused form comes back with 422, the Dutch message at
 * its field and what was typed; a saved one redirects (Post/Redirect/Get) with a confirmation.
 */
export const teamleaderPageRoutes: RoutePlugin = async (app, { services }) => {
  const { projections, clock, commands } = services;
  const roomCommands = new RoomCommands(services);
  // Only here: the CSV upload is the one multipart form, and the CSRF check reads its `_csrf` field.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 5 } });

  const roomOf = (request: FastifyRequest): string => principalOf(request).scope!;
  const today = () => dateInAmsterdam(clock());

  async function sendRoomPage(request: FastifyRequest, reply: FastifyReply, props: Partial<RoomPageProps>, status = 200): Promise<FastifyReply> {
    const kamer = roomOf(request);
    const [registry, pettyCash] = await Promise.all([projections.read(registryProjection, {}), projections.read(pettyCashProjection, {})]);
    const room = registry.kamers.get(kamer);
    if (!room) refuse('NOT_FOUND', `no kamer ${kamer}`);
    const year = props.year ?? yearOf(today());
    const page = <RoomPage roomName={room.name} year={year} pettyCash={pettyCashView(pettyCash, kamer, year)} csrfToken={reply.generateCsrf()} today={today()} {...props} />;
    return sendHtml(reply, renderPage(page), status);
  }

  function savedWith(request: FastifyRequest, reply: FastifyReply, notice: string): FastifyReply {
    request.session.set('notice', notice);
    return reply.redirect('/kamer', 303);
  }

  app.get('/kamer', { config: PAGE, schema: { hide: true, querystring: RoomQuery } }, async (request, reply) => {
    const notice = request.session.get('notice');
    if (notice !== undefined) request.session.set('notice', undefined);
    return sendRoomPage(request, reply, { ...(request.query.jaar === undefined ? {} : { year: request.query.jaar }), ...(notice === undefined ? {} : { notice }) });
  });

  // Another room's page does not exist for a team leader: 403, never a redirect that would hide it.
  app.get('/kamer/:kamer', { config: PAGE, schema: { hide: true, params: OtherRoomParams } }, async (request, reply) => {
    if (request.params.kamer !== roomOf(request)) throw forbidden(`a team leader of ${roomOf(request)} may not open the page of ${request.params.kamer}`);
    return reply.redirect('/kamer', 303);
  });

  /**
   * A form on the API's command path: the typed values read as the API body (Dutch decimals
   * translated, empty fields left out), checked with the API route's own schema, then the command.
   * Refused: the page again (422) with the form's values and the Dutch message at its field. Saved:
   * a redirect with the confirmation `save` answers.
   */
  function formRoute<Body>(url: string, form: 'spending' | 'hours', spec: FormSpec<Body>, save: (kamer: string, body: Body, request: FastifyRequest) => Promise<string>) {
    app.post(url, { config: PAGE, schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const values = formFieldsOf(request.body);
      try {
        const body = spec.schema.parse(nestedBody(values, spec.fields));
        return savedWith(request, reply, await save(roomOf(request), body, request));
      } catch (error) {
        const { status, errors, summary } = refusalOf(error, nl, spec.fields, { fieldRules: nl.teamleader.fieldRules });
        const state: FormState = { values, errors, ...(summary === undefined ? {} : { summary }) };
        return sendRoomPage(request, reply, { [form]: state }, status);
      }
    });
  }

  formRoute('/kamer/handgeld', 'spending', { schema: SpendingBody, fields: SPENDING_FIELDS }, async (kamer, body, request) => {
    await roomCommands.spendPettyCash(kamer, body, commandMetadata(request));
    request.log.info({ kamer, category: body.category, amount: body.amount }, 'petty cash spent through the page');
    return nl.teamleader.done.spending(euro(body.amount));
  });

  formRoute('/kamer/uren', 'hours', { schema: EntryBody, fields: HOURS_FIELDS }, async (kamer, body, request) => {
    await roomCommands.recordVolunteerHours(kamer, body, commandMetadata(request));
    request.log.info({ kamer, kind: body.kind, hours: body.hours }, 'volunteer hours recorded through the page');
    // Hours are a decimal string: shown the Dutch way by swapping the sign, never through a number.
    return nl.teamleader.done.hours(normaliseHours(body.hours).replace('.', ','), dutchDate(body.date));
  });

  app.post('/kamer/uren-csv', { config: PAGE, schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const file = (request.body as Record<string, unknown> | undefined)?.['bestand'];
    if (!Buffer.isBuffer(file) || file.length === 0) {
      return sendRoomPage(request, reply, { csvErrors: [{ row: 1, column: nl.teamleader.csv.wholeFile, message: nl.teamleader.csv.noFile }] }, 422);
    }
    const kamer = roomOf(request);
    const outcome = await importHoursCsv({ roomCommands, commands }, kamer, csvText(file), today(), (digest) =>
      commandMetadata(request, `hours import ${digest.slice(0, 16)}`),
    );
    if (!outcome.ok) return sendRoomPage(request, reply, { csvErrors: outcome.errors }, 422);
    request.log.info({ kamer, imported: outcome.imported, skipped: outcome.skipped }, 'volunteer hours imported from a CSV');
    return savedWith(request, reply, nl.teamleader.done.imported(outcome.imported, outcome.skipped));
  });
};
