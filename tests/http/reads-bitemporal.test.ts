/**
 * asOf and knownAt on EVERY read route, over one history recorded through the HTTP commands in two
 * sittings: the January facts recorded on 1 February, then on 5 March a batch of facts dated back
 * into January (a late bank payment, late petty-cash receipts and hours, a late expense) plus a new
 * pledge and a March invoice. Each route is read three ways:
 * - now: everything;
 * - knownAt 15 February: only the first sitting;
 * - asOf 29 January: every dated fact up to that day (the late receipts included, the 31 January
 *   payment and expense not), and every undated declaration (the pledge).
 * Every expected figure is computed here from the amounts this test records.
 */
import t, { type Test } from 'tap';
import { addDays, daysBetween } from '../../src/domain/calendar.js';
import { formatAmount, money, sum } from '../../src/domain/money.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const KNOWN_AT = 'knownAt=2020-02-15T00:00:00Z';
const AS_OF = 'asOf=2020-01-29';
const TODAY = '2020-06-15';

const BUDGET = { rent: '9000.00', activities: '3000.00' };
const RATE = '11.00';
// First sitting (recorded 2020-02-01)
const INVOICE_1 = { issueDate: '2020-01-15', amount: '1000.00' };
const PORTAAL_PLEDGE = '5000.00';
const TRANSFER = { date: '2020-01-15', amount: '100.00' };
const SPENT_EARLY = { date: '2020-01-20', category: 'B', amount: '20.00' };
const HOURS_EARLY = { date: '2020-01-20', hours: '5.00' };
const RENT_PAID = { date: '2020-01-31', amount: '750.00' };
// Second sitting (recorded 2020-03-05), dated back
const PAYMENT = { date: '2020-01-31', amount: '1000.00' };
const UNMATCHED = { date: '2020-01-31', amount: '75.00' };
const MITROS_PLEDGE = '2000.00';
const SPENT_LATE = { date: '2020-01-25', category: 'C', amount: '30.00' };
const HOURS_LATE = { date: '2020-01-25', hours: '3.00' };
const ACTIVITIES_PAID = { date: '2020-01-28', amount: '100.00' };
const INVOICE_2 = { issueDate: '2020-03-02', amount: '400.00' };

async function ok(api: TestApp, url: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<Record<string, unknown>> {
  const response = await api.request(api.tokens.treasurer, { method, url, payload: body as object });
  if (response.statusCode !== 201) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

async function history(t: Test): Promise<{ api: TestApp; invoice1: string; invoice2: string }> {
  const api = await createTestApp(t, { start: '2020-02-01T10:00:00Z' });
  await ok(api, '/kamers', { id: 'top', name: 'TOP' });
  await ok(api, '/financiers', { id: 'portaal', name: 'Portaal', kind: 'housing-corporation', pays: 'invoice' });
  await ok(api, '/financiers', { id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' });
  await ok(api, '/kamers/top/budgets/2020', { lines: Object.entries(BUDGET).map(([line, amount]) => ({ line, label: line, amount })) }, 'PUT');
  await ok(api, '/valuation-rates', { year: 2020, kind: 'resident', perHour: RATE });
  await ok(api, '/pledges', { financier: 'portaal', kamer: 'top', year: 2020, amount: PORTAAL_PLEDGE, form: 'cash', status: 'committed' });
  const invoice1 = await ok(api, '/invoices', { financier: 'portaal', kamer: 'top', year: 2020, issueDate: INVOICE_1.issueDate, lines: [{ description: 'Bijdrage', amount: INVOICE_1.amount }] });
  await ok(api, '/kamers/top/petty-cash/transfers', TRANSFER);
  await ok(api, '/kamers/top/petty-cash/spending', { ...SPENT_EARLY, description: 'koffie' });
  await ok(api, '/kamers/top/volunteer-hours', { volunteer: 'v-1', kind: 'resident', ...HOURS_EARLY });

  api.clock.set('2020-02-01T12:00:00Z');
  await ok(api, '/payments/made', { kamer: 'top', line: 'rent', payee: 'Verhuurder', description: 'huur januari', ...RENT_PAID });

  api.clock.set('2020-03-05T10:00:00Z');
  await ok(api, '/payments/received', { ...PAYMENT, payerName: 'Portaal', allocations: [{ invoice: invoice1.id, amount: PAYMENT.amount }] });
  await ok(api, '/payments/received', { ...UNMATCHED, payerName: 'Onbekend', allocations: [] });
  await ok(api, '/pledges', { financier: 'mitros', kamer: 'top', year: 2020, amount: MITROS_PLEDGE, form: 'cash', status: 'committed' });
  await ok(api, '/kamers/top/petty-cash/spending', { ...SPENT_LATE, description: 'boodschappen' });
  await ok(api, '/kamers/top/volunteer-hours', { volunteer: 'v-2', kind: 'resident', ...HOURS_LATE });
  await ok(api, '/payments/made', { kamer: 'top', line: 'activities', payee: 'Drukker', description: 'flyers', ...ACTIVITIES_PAID });
  const invoice2 = await ok(api, '/invoices', { financier: 'mitros', kamer: 'top', year: 2020, issueDate: INVOICE_2.issueDate, lines: [{ description: 'Bijdrage', amount: INVOICE_2.amount }] });
  api.clock.set(`${TODAY}T10:00:00Z`);
  return { api, invoice1: invoice1.id as string, invoice2: invoice2.id as string };
}

const add = (...amounts: string[]): string => formatAmount(sum(amounts));
const minus = (a: string, b: string): string => formatAmount(money(a).minus(b));
const with_ = (url: string, cut: string): string => (cut === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${cut}`);

async function json(api: TestApp, url: string): Promise<any> {
  const response = await api.get(api.tokens.accountant, url);
  if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

t.test('GET /pledges: knownAt leaves out the pledge recorded later; asOf keeps it (a pledge has no business date)', async (t) => {
  const { api } = await history(t);
  const rows = async (cut: string) => (await json(api, with_('/pledges', cut))).map((p: { financier: string; amount: string }) => [p.financier, p.amount]);
  t.same(await rows(''), [['portaal', PORTAAL_PLEDGE], ['mitros', MITROS_PLEDGE]]);
  t.same(await rows(KNOWN_AT), [['portaal', PORTAAL_PLEDGE]]);
  t.same(await rows(AS_OF), [['portaal', PORTAAL_PLEDGE], ['mitros', MITROS_PLEDGE]]);
});

t.test('GET /invoices and GET /invoices/:id: cut by issue date and by recording, statuses aged on the cut', async (t) => {
  const { api, invoice1, invoice2 } = await history(t);
  const rows = async (cut: string) => (await json(api, with_('/invoices', cut))).map((i: { id: string; status: string; paidAmount: string }) => [i.id, i.status, i.paidAmount]);
  t.same(await rows(''), [[invoice1, 'paid', INVOICE_1.amount], [invoice2, 'overdue', '0.00']], `on ${TODAY} the March invoice is past due`);
  t.same(await rows(KNOWN_AT), [[invoice1, 'overdue', '0.00']], 'on 15 February: unpaid, due on ' + addDays(INVOICE_1.issueDate, 28));
  t.same(await rows(AS_OF), [[invoice1, 'open', '0.00']], 'on 29 January: not yet due, the 31 January payment not yet made');

  t.equal((await api.get(api.tokens.accountant, `/invoices/${invoice2}`)).statusCode, 200);
  t.equal((await api.get(api.tokens.accountant, with_(`/invoices/${invoice2}`, KNOWN_AT))).statusCode, 404, 'not yet recorded');
  t.equal((await api.get(api.tokens.accountant, with_(`/invoices/${invoice2}`, AS_OF))).statusCode, 404, 'not yet issued');
  t.equal((await api.get(api.tokens.accountant, with_(`/invoices/${invoice2}`, `asOf=${INVOICE_2.issueDate}`))).statusCode, 200, 'issued on the cut day');
  t.match(await json(api, with_(`/invoices/${invoice1}`, KNOWN_AT)), { status: 'overdue', paidAmount: '0.00', openAmount: INVOICE_1.amount });
  const paid = await json(api, `/invoices/${invoice1}`);
  const days = daysBetween(INVOICE_1.issueDate, PAYMENT.date);
  t.match(paid, { status: 'paid', paidOn: PAYMENT.date, daysToPay: days, onTime: days <= 28 });
});

t.test('GET /payments/unallocated: the unmatched payment only from its date and its recording on', async (t) => {
  const { api } = await history(t);
  const amounts = async (cut: string) => (await json(api, with_('/payments/unallocated', cut))).map((p: { unallocated: string }) => p.unallocated);
  t.same(await amounts(''), [UNMATCHED.amount]);
  t.same(await amounts(KNOWN_AT), []);
  t.same(await amounts(AS_OF), []);
  t.same(await amounts(`asOf=${UNMATCHED.date}`), [UNMATCHED.amount]);
});

t.test('GET /reports/overdue: aged on the day of the cut, with what was paid by then', async (t) => {
  const { api } = await history(t);
  const rows = async (cut: string) => (await json(api, with_('/reports/overdue', cut))).map((r: { financier: string; daysOverdue: number; openAmount: string }) => [r.financier, r.daysOverdue, r.openAmount]);
  t.same(await rows(''), [['mitros', daysBetween(addDays(INVOICE_2.issueDate, 28), TODAY), INVOICE_2.amount]]);
  t.same(await rows(KNOWN_AT), [['portaal', daysBetween(addDays(INVOICE_1.issueDate, 28), '2020-02-15'), INVOICE_1.amount]]);
  t.same(await rows(AS_OF), []);
});

t.test('GET /financiers/:financier/position: pledged, invoiced, paid, open and overdue at each cut', async (t) => {
  const { api } = await history(t);
  const figures = async (financier: string, cut: string) => {
    const body = await json(api, with_(`/financiers/${financier}/position?year=2020`, cut));
    return [body.pledged, body.invoiced, body.paid, body.open, body.overdue];
  };
  t.same(await figures('portaal', ''), [PORTAAL_PLEDGE, INVOICE_1.amount, PAYMENT.amount, '0.00', '0.00']);
  t.same(await figures('portaal', KNOWN_AT), [PORTAAL_PLEDGE, INVOICE_1.amount, '0.00', INVOICE_1.amount, INVOICE_1.amount]);
  t.same(await figures('portaal', AS_OF), [PORTAAL_PLEDGE, INVOICE_1.amount, '0.00', INVOICE_1.amount, '0.00']);
  t.same(await figures('mitros', ''), [MITROS_PLEDGE, INVOICE_2.amount, '0.00', INVOICE_2.amount, INVOICE_2.amount]);
  t.same(await figures('mitros', KNOWN_AT), ['0.00', '0.00', '0.00', '0.00', '0.00']);
  t.same(await figures('mitros', AS_OF), [MITROS_PLEDGE, '0.00', '0.00', '0.00', '0.00']);
});

t.test('GET /kamers/:kamer/budget/:year: every figure follows the cut', async (t) => {
  const { api } = await history(t);
  const budgetTotal = add(...Object.values(BUDGET));
  const expected = (parts: { committed: string[]; received: string[]; rent: string[]; activities: string[]; B: string[]; C: string[]; hours: string[] }) => {
    const hours = add(...parts.hours);
    const value = formatAmount(money(hours).times(RATE));
    const committed = add(...parts.committed);
    const expenses = add(...parts.rent, ...parts.activities);
    const pettySpent = add(...parts.B, ...parts.C);
    return {
      pledged: { committed },
      received: add(...parts.received),
      spent: { byLine: { rent: add(...parts.rent), activities: add(...parts.activities) }, pettyCash: { B: add(...parts.B), C: add(...parts.C) }, total: add(expenses, pettySpent) },
      cash: formatAmount(money(add(...parts.received)).minus(expenses).minus(TRANSFER.amount)),
      fundingGap: minus(budgetTotal, committed),
      volunteers: { hours: { resident: hours }, value },
      popularBudget: add(budgetTotal, value),
    };
  };
  const url = '/kamers/top/budget/2020';
  t.match(await json(api, url), expected({ committed: [PORTAAL_PLEDGE, MITROS_PLEDGE], received: [PAYMENT.amount], rent: [RENT_PAID.amount], activities: [ACTIVITIES_PAID.amount], B: [SPENT_EARLY.amount], C: [SPENT_LATE.amount], hours: [HOURS_EARLY.hours, HOURS_LATE.hours] }), 'now');
  t.match(await json(api, with_(url, KNOWN_AT)), expected({ committed: [PORTAAL_PLEDGE], received: [], rent: [RENT_PAID.amount], activities: [], B: [SPENT_EARLY.amount], C: [], hours: [HOURS_EARLY.hours] }), 'known at 15 February');
  t.match(await json(api, with_(url, AS_OF)), expected({ committed: [PORTAAL_PLEDGE, MITROS_PLEDGE], received: [], rent: [], activities: [ACTIVITIES_PAID.amount], B: [SPENT_EARLY.amount], C: [SPENT_LATE.amount], hours: [HOURS_EARLY.hours, HOURS_LATE.hours] }), 'as of 29 January');
});

t.test('GET /kamers/:kamer/petty-cash: January transferred, spent per category and balance at each cut', async (t) => {
  const { api } = await history(t);
  const january = async (cut: string) => {
    const body = await json(api, with_('/kamers/top/petty-cash?year=2020', cut));
    const month = body.months.find((m: { month: string }) => m.month === '2020-01');
    return [month.transferred, month.spent.B, month.spent.C, month.balance, body.closingBalance];
  };
  const afterBoth = formatAmount(money(TRANSFER.amount).minus(SPENT_EARLY.amount).minus(SPENT_LATE.amount));
  const afterEarly = minus(TRANSFER.amount, SPENT_EARLY.amount);
  t.same(await january(''), [TRANSFER.amount, SPENT_EARLY.amount, SPENT_LATE.amount, afterBoth, afterBoth]);
  t.same(await january(KNOWN_AT), [TRANSFER.amount, SPENT_EARLY.amount, '0.00', afterEarly, afterEarly]);
  t.same(await january(AS_OF), [TRANSFER.amount, SPENT_EARLY.amount, SPENT_LATE.amount, afterBoth, afterBoth]);
  t.same(await january('asOf=2020-01-14'), ['0.00', '0.00', '0.00', '0.00', '0.00'], 'before the first transfer');
});

t.test('GET /reports/trial-balance and the exports: the bank account and the entries follow the cut', async (t) => {
  const { api } = await history(t);
  const bank = async (cut: string) => {
    const body = await json(api, with_('/reports/trial-balance?year=2020', cut));
    t.equal(body.totals.debit, body.totals.credit, `${cut || 'now'}: debit and credit totals are equal`);
    return body.accounts.find((row: { account: string }) => row.account === '1100')?.balance ?? '0.00';
  };
  const out = (...amounts: string[]) => formatAmount(money(0).minus(sum(amounts)));
  t.equal(await bank(''), formatAmount(sum([PAYMENT.amount, UNMATCHED.amount]).minus(sum([RENT_PAID.amount, ACTIVITIES_PAID.amount, TRANSFER.amount]))));
  t.equal(await bank(KNOWN_AT), out(RENT_PAID.amount, TRANSFER.amount));
  t.equal(await bank(AS_OF), out(ACTIVITIES_PAID.amount, TRANSFER.amount));

  // The CSV has one row per journal line: it grows and shrinks with the cut like the journal.
  const csvRows = async (cut: string) => (await api.get(api.tokens.accountant, with_('/exports/journal.csv?year=2020', cut))).body.trim().split('\r\n').length - 1;
  const [now, known, asOf] = [await csvRows(''), await csvRows(KNOWN_AT), await csvRows(AS_OF)];
  t.ok(known < now && asOf < now, `fewer journal lines in a cut (${known}, ${asOf}) than now (${now})`);
  const entries = async (url: string, pattern: RegExp, cut: string) => ((await api.get(api.tokens.accountant, with_(url, cut))).body.match(pattern) ?? []).length;
  for (const [url, pattern] of [['/exports/hledger?year=2020', /^\d{4}-\d{2}-\d{2} /gm], ['/exports/xaf?year=2020', /<transaction>/g]] as const) {
    const [all, knownThen, dueThen] = [await entries(url, pattern, ''), await entries(url, pattern, KNOWN_AT), await entries(url, pattern, AS_OF)];
    t.ok(knownThen < all && dueThen < all, `${url}: fewer entries in a cut (${knownThen}, ${dueThen}) than now (${all})`);
  }
});
