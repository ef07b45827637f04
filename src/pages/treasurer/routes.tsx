import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { registerFinancier, registerKamer } from '../../application/master-data.js';
import { RoomCommands } from '../../application/room-commands.js';
import { yearOf } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { GeneratedIdSchema, SlugSchema } from '../../domain/ids.js';
import { euro } from '../../documents/format.js';
import { principalOf } from '../../http/auth.js';
import { CreditNoteBody, InvoiceBody } from '../../http/routes/invoices.js';
import { AllocationBody, PaymentBody, paymentsService } from '../../http/routes/payments.js';
import { TransferBody } from '../../http/routes/petty-cash.js';
import { YearQuerySchema } from '../../http/routes/reads-query.js';
import { FinancierBody, KamerBody } from '../../http/routes/registry.js';
import { EntryBody } from '../../http/routes/volunteer-hours.js';
import type { RoutePlugin } from '../../http/services.js';
import { renderPage, sendHtml } from '../layout.js';
import { DashboardPage, type DashboardProps } from './dashboard.js';
import { ENTRY_FORMS, EntryFormPage, EntryFormsIndex, fieldNamesOf, INVOICE_LINES, type EntryFormSpec } from './entry-forms.js';
import { formFieldsOf, integerOrText, nestedBody, type FormFields, type FormState } from '../forms/input.js';
import type { FormWrite } from './form-once.js';
import { pageReads } from './reads.js';
import { RoomsPage } from './rooms.js';
import { redirectWithNotice, submit, takeNotice, type Shaped, type Written } from './submit.js';
import { text } from './text.js';

const PAGE = { access: ['treasurer' as const], session: 'page' as const };
const done = text.treasurer.done;
/** A camt.053 day statement is a few hundred KB; a month of a busy account stays far below this. */
const MAX_STATEMENT_BYTES = 5 * 1024 * 1024;

/** The credit note form names its invoice in a field; the API, in the path. */
const CreditNoteForm = { ...ENTRY_FORMS.creditNote, schema: CreditNoteBody.extend({ invoice: z.string().trim().min(1).max(100) }) };

const RoomsQuery = z.object({ jaar: YearQuerySchema.optional() });
const PaymentParams = z.strictObject({ id: GeneratedIdSchema });
const KamerParams = z.strictObject({ kamer: SlugSchema });

/**
 * An invoice's lines as the form numbers them (five rows, some left empty) and as the body does
 * (only the filled ones): a refusal of the body's second line is shown at the form's row it came from.
 */
function invoiceShape(fields: FormFields): Shaped {
  const names = fieldNamesOf(ENTRY_FORMS.invoice);
  const { lines: _lines, year, ...rest } = nestedBody(
    fields,
    names.filter((name) => !name.startsWith('lines.')),
  );
  const filled = Array.from({ length: INVOICE_LINES }, (_, row) => row).filter((row) => `${fields[`lines.${row}.description`] ?? ''}${fields[`lines.${row}.amount`] ?? ''}`.trim() !== '');
  const lines = filled.map((row) => nestedBody({ description: fields[`lines.${row}.description`] ?? '', amount: fields[`lines.${row}.amount`] ?? '' }, ['description', 'amount']));
  return {
    body: { ...rest, ...(typeof year === 'string' ? { year: integerOrText(year) } : {}), ...(filled.length === 0 ? {} : { lines }) },
    fieldOf: (path) => {
      const line = /^lines\.(\d+)\.(.+)$/.exec(path);
      if (line) return `lines.${filled[Number.parseInt(line[1]!, 10)] ?? 0}.${line[2]}`;
      return path === 'lines' ? 'lines.0.description' : path;
    },
  };
}

/**
 * The treasurer's pages under /penningmeester: the overview (overdue invoices, money to allocate,
 * a bank statement to read in), the rooms (budget against spending, petty cash), and one page per
 * form. Every form runs the API route's schema and command, behind the CSRF check.
 */
export const treasurerPageRoutes: RoutePlugin = async (app, { services }) => {
  // Only these routes take uploads; keyValues puts the file's bytes and the other fields on the body.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_STATEMENT_BYTES, files: 1, fields: 10 } });
  const receivables = paymentsService(services);
  const rooms = new RoomCommands(services);
  const reads = pageReads(services);
  const who = (request: FastifyRequest) => principalOf(request).subject;

  async function dashboard(request: FastifyRequest, reply: FastifyReply, refused: Pick<DashboardProps, 'refusedAllocation' | 'bankForm'> = {}, status = 200) {
    const page = <DashboardPage signedInAs={who(request)} csrfToken={reply.generateCsrf()} notice={takeNotice(request)} {...(await reads.dashboard())} {...refused} />;
    return sendHtml(reply, renderPage(page), status);
  }

  async function roomsPage(request: FastifyRequest, reply: FastifyReply, year: number, refusedTransfer?: { kamer: string; state: FormState }, status = 200) {
    const page = (
      <RoomsPage
        signedInAs={who(request)}
        csrfToken={reply.generateCsrf()}
        notice={takeNotice(request)}
        year={year}
        rooms={await reads.rooms(year)}
        {...(refusedTransfer === undefined ? {} : { refusedTransfer })}
      />
    );
    return sendHtml(reply, renderPage(page), status);
  }

  app.get('/penningmeester', { config: PAGE, schema: { hide: true } }, async (request, reply) => dashboard(request, reply));

  app.post('/penningmeester/betalingen/:id/toewijzing', { config: PAGE, schema: { hide: true, params: PaymentParams }, preHandler: app.csrfProtection }, async (request, reply) => {
    const payment = request.params.id;
    const result = await submit(request, services.store, formFieldsOf(request.body), ['invoice', 'pledge', 'amount', 'reason'], AllocationBody, (body, write) =>
      receivables.allocatePayment(payment, body, write.metadata, ({ allocation }) =>
        write.answer(done.allocation(euro(allocation.amount), allocation.invoiceNumber ?? allocation.pledgeId ?? '')),
      ),
    );
    if (!result.ok) return dashboard(request, reply, { refusedAllocation: { payment, state: result.state } }, result.status);
    return redirectWithNotice(request, reply, '/penningmeester', result.notice);
  });

  app.post('/penningmeester/bankafschrift', { config: PAGE, schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const fields = formFieldsOf(request.body);
    const file = (request.body as Record<string, unknown> | undefined)?.['statement'];
    const xml = Buffer.isBuffer(file) ? file.toString('utf8') : '';
    const result = await submit(
      request,
      services.store,
      // The file is part of what the form sent: a different statement under the same form id is another request.
      { ...fields, statement: xml },
      ['statement', 'acceptDifference'],
      z.object({ statement: z.string().min(1), acceptDifference: z.literal('true').optional() }),
      (body, write) =>
        receivables.importBankStatement(
          body.statement,
          { acceptDifference: body.acceptDifference === 'true' },
          { ...write.metadata, reason: 'camt.053 upload on the treasurer page' },
          ({ imported, matched, duplicates, debits }) => write.answer(text.treasurer.bankDone(imported, matched, duplicates, debits)),
        ),
      (posted) => ({ body: { statement: posted['statement'], ...(posted['acceptDifference'] === 'true' ? { acceptDifference: 'true' } : {}) } }),
    );
    if (!result.ok) return dashboard(request, reply, { bankForm: { ...result.state, values: fields } }, result.status);
    return redirectWithNotice(request, reply, '/penningmeester', result.notice);
  });

  app.get('/penningmeester/kamers', { config: PAGE, schema: { hide: true, querystring: RoomsQuery } }, async (request, reply) =>
    roomsPage(request, reply, request.query.jaar ?? reads.thisYear()),
  );

  app.post('/penningmeester/kamers/:kamer/handgeld', { config: PAGE, schema: { hide: true, params: KamerParams }, preHandler: app.csrfProtection }, async (request, reply) => {
    const { kamer } = request.params;
    const fields = formFieldsOf(request.body);
    const result = await submit(request, services.store, fields, ['date', 'amount', 'month'], TransferBody, (body, write) =>
      rooms.transferPettyCash(kamer, body, write.metadata, ({ transfer }) => write.answer(done.transfer(euro(transfer.amount), kamer, transfer.month))),
    );
    // The page shows the year the transfer is about, so the treasurer sees the row it changed (or would have).
    const year = /^\d{4}/.test(fields['date'] ?? '') ? Number.parseInt(fields['date']!.slice(0, 4), 10) : reads.thisYear();
    if (!result.ok) return roomsPage(request, reply, year, { kamer, state: result.state }, result.status);
    return redirectWithNotice(request, reply, `/penningmeester/kamers?jaar=${yearOf(result.body.date)}`, result.notice);
  });

  app.get('/penningmeester/invoeren', { config: PAGE, schema: { hide: true } }, async (request, reply) =>
    sendHtml(reply, renderPage(<EntryFormsIndex signedInAs={who(request)} csrfToken={reply.generateCsrf()} notice={takeNotice(request)} />)),
  );

  /**
   * One entry form: GET draws it empty, POST runs it and redirects with the confirmation, or
   * draws it again with the refusal (422, or 400 for what the API calls malformed).
   */
  function entryForm<Schema extends z.ZodType>(
    spec: EntryFormSpec,
    schema: Schema,
    run: (body: z.output<Schema>, write: FormWrite) => Written,
    shape?: (fields: FormFields) => Shaped,
  ): void {
    const path = `/penningmeester/invoeren/${spec.slug}`;
    const names = fieldNamesOf(spec);
    const draw = async (request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) =>
      sendHtml(reply, renderPage(<EntryFormPage spec={spec} signedInAs={who(request)} csrfToken={reply.generateCsrf()} state={state} choices={await reads.choices()} />), status);
    app.get(path, { config: PAGE, schema: { hide: true } }, async (request, reply) => draw(request, reply, { values: {}, errors: {} }));
    app.post(path, { config: PAGE, schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const result = await submit(request, services.store, formFieldsOf(request.body), names, schema, run, shape);
      if (!result.ok) return draw(request, reply, result.state, result.status);
      return redirectWithNotice(request, reply, '/penningmeester/invoeren', result.notice);
    });
  }

  entryForm(ENTRY_FORMS.kamer, KamerBody, (body, write) => registerKamer(services.commands, body, write.metadata, () => write.answer(done.kamer(body.name))));
  entryForm(ENTRY_FORMS.financier, FinancierBody, (body, write) => registerFinancier(services.commands, body, write.metadata, () => write.answer(done.financier(body.name))));
  entryForm(
    ENTRY_FORMS.invoice,
    InvoiceBody,
    (body, write) => receivables.issueInvoice(body, write.metadata, ({ invoice }) => write.answer(done.invoice(invoice.number, euro(invoice.total)))),
    invoiceShape,
  );
  entryForm(CreditNoteForm, CreditNoteForm.schema, async ({ invoice, ...body }, write) => {
    try {
      return await receivables.issueCreditNote(invoice, body, { ...write.metadata, reason: body.reason }, ({ creditNote }) =>
        write.answer(done.creditNote(creditNote.number, creditNote.invoiceNumber)),
      );
    } catch (error) {
      // The API names the invoice in its path (404); on the form it is a field like any other.
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw new DomainError('UNKNOWN_INVOICE', error.message, 'invoice');
      throw error;
    }
  });
  entryForm(ENTRY_FORMS.payment, PaymentBody, (body, write) =>
    receivables.receivePayment(body, write.metadata, ({ payment, allocations }) => write.answer(done.payment(euro(payment.amount), allocations.length))),
  );
  entryForm(ENTRY_FORMS.hours, EntryBody.extend({ kamer: SlugSchema }), ({ kamer, ...entry }, write) =>
    rooms.recordVolunteerHours(kamer, entry, write.metadata, () => write.answer(done.hours(entry.hours.replace('.', ','), kamer))),
  );
};
