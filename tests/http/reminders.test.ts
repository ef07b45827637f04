/**
 * Reminders (issue 10, item 5) through HTTP: POST /invoices/:id/reminders records a ReminderSent
 * event, GET /reminders/:id/document.pdf prints it, GET /reports/overdue shows the last reminder
 * and which invoices are due for one.
 */
import t from 'tap';
import { join } from 'node:path';
import { creditorReferenceFor, printedCreditorReference } from '../../src/domain/receivables/payment-reference.js';
import { dutchDate, euro } from '../../src/documents/format.js';
import { remindersCommand } from '../../src/cli/commands/reminders.js';
import { loadConfig } from '../../src/config.js';
import { assertRefused, issue, receivablesApp } from './receivables.fixtures.js';
import { COOPERATIVE, PORTAAL_DETAILS, setCooperative, setFinancierDetails } from './parties.fixtures.js';
import { pdfText, qrOnFirstPage } from '../documents/pdf-helpers.js';

async function world(t: Parameters<typeof receivablesApp>[0], path?: string) {
  const api = await receivablesApp(t, { start: '2020-06-01T10:00:00Z', ...(path === undefined ? {} : { path }) });
  await setCooperative(api);
  await setFinancierDetails(api, 'portaal', PORTAAL_DETAILS);
  // Issued 1 June, due 29 June; 600.00 of 1000.00 paid on 15 June.
  const invoice = (await issue(api, { issueDate: '2020-06-01', reference: 'PO-4711' })).json() as { id: string; number: string };
  api.clock.set('2020-07-20T10:00:00Z');
  const paid = await api.post(api.tokens.treasurer, '/payments/received', { date: '2020-06-15', amount: '600.00', allocations: [{ invoice: invoice.number, amount: '600.00' }] });
  if (paid.statusCode !== 201) throw new Error(paid.body);
  return { api, invoice };
}

t.test('a herinnering is recorded and printed: open amount, original due date, days overdue, RF reference and QR code', async (t) => {
  const { api, invoice } = await world(t);
  const response = await api.post(api.tokens.treasurer, `/invoices/${invoice.number}/reminders`, { kind: 'herinnering', channel: 'email', date: '2020-07-13' });
  t.equal(response.statusCode, 201, response.body);
  // 1000.00 − 600.00 open; 29 June → 13 July = 14 days
  t.match(response.json(), { invoice: invoice.id, invoiceNumber: invoice.number, kind: 'herinnering', date: '2020-07-13', dueDate: '2020-06-29', daysOverdue: 14, openAmount: '400.00', sequence: 1 });
  t.equal((await api.allEvents()).at(-1)?.type, 'ReminderSent');
  const pdf = await api.get(api.tokens.treasurer, response.json().document);
  t.equal(pdf.statusCode, 200, pdf.body.slice(0, 200));
  const text = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
  const reference = creditorReferenceFor(invoice.number);
  for (const field of ['Betalingsherinnering', `Factuurnummer ${invoice.number}`, `Oorspronkelijke vervaldatum ${dutchDate('2020-06-29')}`, 'Dagen over de vervaldatum 14', `Nog te betalen ${euro('400.00')}`, printedCreditorReference(reference), PORTAAL_DETAILS.address.street, `KvK ${COOPERATIVE.kvkNumber}`, 'PO-4711']) {
    t.ok(text.includes(field), `prints ${field}`);
  }
  const qr = await qrOnFirstPage(pdf.rawPayload);
  t.equal(qr?.split('\n')[7], 'EUR400.00', 'the QR code pays the open amount');
  t.equal(qr?.split('\n')[9], reference, 'with the invoice\'s RF reference');
  const again = await api.get(api.tokens.accountant, response.json().document);
  t.ok(again.rawPayload.equals(pdf.rawPayload), 'byte-identical');
  assertRefused(t, await api.get(api.tokens.financier('doen'), response.json().document), 404, 'NOT_FOUND');
  t.equal((await api.get(api.tokens.financier('portaal'), response.json().document)).statusCode, 200, 'the financier reads its own');
});

t.test('reminders that make no sense are refused and write nothing', async (t) => {
  const { api, invoice } = await world(t);
  const before = (await api.allEvents()).length;
  const url = `/invoices/${invoice.number}/reminders`;
  assertRefused(t, await api.post(api.tokens.treasurer, url, { kind: 'herinnering', channel: 'email', date: '2020-06-29' }), 422, 'REMINDER_NOT_DUE', 'date');
  assertRefused(t, await api.post(api.tokens.treasurer, url, { kind: 'aanmaning', channel: 'post', date: '2020-07-13' }), 422, 'REMINDER_NOT_DUE', 'kind');
  assertRefused(t, await api.post(api.tokens.treasurer, url, { kind: 'herinnering', channel: 'email', date: '2020-07-21' }), 422, 'DATE_IN_FUTURE', 'date');
  assertRefused(t, await api.post(api.tokens.treasurer, url, { kind: 'herinnering', channel: 'fax' }), 400, 'VALIDATION_FAILED', 'channel');
  assertRefused(t, await api.post(api.tokens.treasurer, '/invoices/2020-0099/reminders', { kind: 'herinnering', channel: 'email' }), 404, 'NOT_FOUND');
  await api.post(api.tokens.treasurer, '/payments/received', { date: '2020-07-16', amount: '400.00', allocations: [{ invoice: invoice.number, amount: '400.00' }] });
  const afterPayment = (await api.allEvents()).length;
  assertRefused(t, await api.post(api.tokens.treasurer, url, { kind: 'herinnering', channel: 'email' }), 422, 'INVOICE_NOT_OPEN');
  t.equal((await api.allEvents()).length, afterPayment, 'nothing written');
  t.equal(afterPayment, before + 2, 'only the payment and its allocation');
  const accountant = await api.post(api.tokens.accountant, url, { kind: 'herinnering', channel: 'email' });
  t.equal(accountant.statusCode, 403);
});

t.test('the overdue report shows the last reminder and which invoices are due for one; the CLI lists them', async (t) => {
  const path = join(t.testdir(), 'ledger.db');
  const { api, invoice } = await world(t, path);
  const other = (await issue(api, { issueDate: '2020-07-06', lines: [{ description: 'Tweede termijn', amount: '50.00' }] })).json() as { number: string };
  // On 20 July: the first invoice is 21 days overdue (due 29 June): due for a herinnering (14 days).
  // The second is due 3 August: not overdue.
  let report = (await api.get(api.tokens.treasurer, '/reports/overdue')).json() as Array<{ number: string; lastReminder: unknown; reminderDue: string | null }>;
  t.same(report.map((row) => [row.number, row.lastReminder, row.reminderDue]), [[invoice.number, null, 'herinnering']]);
  const first = await api.post(api.tokens.treasurer, `/invoices/${invoice.number}/reminders`, { kind: 'herinnering', channel: 'email', date: '2020-07-13' });
  report = (await api.get(api.tokens.treasurer, '/reports/overdue')).json();
  t.match(report[0], { number: invoice.number, lastReminder: { id: first.json().id, kind: 'herinnering', date: '2020-07-13', channel: 'email', sequence: 1 }, reminderDue: null }, '7 days after the herinnering: nothing due yet');
  // 14 days after the herinnering (27 July): the aanmaning is due.
  report = (await api.get(api.tokens.treasurer, '/reports/overdue?asOf=2020-07-27')).json();
  t.match(report[0], { number: invoice.number, reminderDue: 'aanmaning' });
  t.notOk(report.some((row) => row.number === other.number));
  // A cut before the reminder does not show it; on 12 July the invoice is 13 days overdue, one short of the first reminder.
  report = (await api.get(api.tokens.treasurer, '/reports/overdue?asOf=2020-07-12')).json();
  t.match(report[0], { number: invoice.number, daysOverdue: 13, lastReminder: null, reminderDue: null });

  const out: string[] = [];
  const code = await remindersCommand.run(['--as-of', '2020-07-27'], { config: loadConfig({ SQLITE_PATH: path }), out: (line) => out.push(line), err: (line) => out.push(line) });
  t.equal(code, 0, out.join('\n'));
  const printed = out.join('\n');
  t.match(printed, new RegExp(`${invoice.number}.*portaal.*2020-06-29.*28.*400\\.00.*herinnering 2020-07-13 \\(email\\).*aanmaning`));
  t.match(printed, /1 due for a reminder/);
});
