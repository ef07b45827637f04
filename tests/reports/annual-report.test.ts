/**
 * GET /reports/annual/:year (JSON and PDF) over the seed agreements (../shared/fixtures, loaded
 * through the fixtures loader as the CLI does) plus a year of activity recorded here through the
 * HTTP commands. Expected figures are summed in this test from the fixture files and from the
 * requests it sends, with decimal.js, never copied from an answer; and every room's figures must
 * equal what GET /kamers/:kamer/budget/:year says, so the report cannot disagree with other reads.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { SHARED_FIXTURES } from '../helpers/shared.js';
import { fixturePledgeStatus as statusOf, loadSeedAgreements, seedFinancing as financing, type SeedPledgeLine as PledgeLine } from '../helpers/seed.js';
import { pdfText } from '../documents/pdf-helpers.js';

const budgetFile = JSON.parse(readFileSync(join(SHARED_FIXTURES, 'budget-2018.json'), 'utf8')) as {
  year: number;
  lines: Array<{ line: string; amounts: Record<string, string> }>;
};
const sum = (values: readonly Decimal.Value[]): string => values.reduce<Decimal>((total, value) => total.plus(value), new Decimal(0)).toFixed(2);
const committed = (lines: readonly PledgeLine[]): string => sum(lines.filter((line) => statusOf(line) === 'committed').map((line) => line.amount));
const lines2019 = financing.pledges.filter((line) => line.year === 2019);

async function created(api: TestApp, url: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<Record<string, unknown>> {
  const response = await api.request(api.tokens.treasurer, { method, url, payload: body as object });
  if (response.statusCode !== 201) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** What this test records for TOP in 2019, beside the seed pledges. */
const TOP_BUDGET = [
  { line: 'rent', label: 'Huren van de ruimte', amount: '10680.00' },
  { line: 'coordination', label: 'Coördineren', amount: '31944.00' },
];
const EXPENSES = [
  { date: '2019-02-01', line: 'rent', amount: '890.00' },
  { date: '2019-03-01', line: 'rent', amount: '890.00' },
  { date: '2019-03-31', line: 'coordination', amount: '2661.99' },
];
const PETTY = [
  { date: '2019-02-12', category: 'A', amount: '12.50' },
  { date: '2019-02-20', category: 'F', amount: '31.45' },
  { date: '2019-03-05', category: 'A', amount: '7.05' },
];
const HOURS = [
  { volunteer: 'v-1', date: '2019-02-02', hours: '3.5', kind: 'resident' },
  { volunteer: 'v-2', date: '2019-02-03', hours: '2.25', kind: 'resident' },
  { volunteer: 'v-3', date: '2019-02-04', hours: '1', kind: 'professional' },
];
const rate2019 = (kind: string): string => {
  const rates = JSON.parse(readFileSync(join(SHARED_FIXTURES, 'volunteer-hours.json'), 'utf8')) as { rates: Array<{ year: number; kind: string; perHour: string }> };
  return rates.rates.find((rate) => rate.year === 2019 && rate.kind === kind)!.perHour;
};

async function seededLedger(t: Test): Promise<TestApp> {
  const api = await createTestApp(t);
  await loadSeedAgreements(t, api);
  await created(api, '/kamers/top/budgets/2019', { lines: TOP_BUDGET }, 'PUT');
  for (const expense of EXPENSES) await created(api, '/payments/made', { ...expense, kamer: 'top', payee: 'Verhuurder', description: 'huur' });
  await created(api, '/kamers/top/petty-cash/transfers', { date: '2019-02-01', amount: '250.00' });
  await created(api, '/kamers/top/petty-cash/transfers', { date: '2019-03-01', amount: '250.00' });
  for (const spending of PETTY) await created(api, '/kamers/top/petty-cash/spending', { ...spending, description: 'handgeld' });
  for (const entry of HOURS) await created(api, '/kamers/top/volunteer-hours', entry);
  // VSB Fonds pays within four weeks; Oranjefonds pays late; Portaal is invoiced and not paid.
  const vsb = await created(api, '/invoices', { financier: 'vsb-fonds', kamer: 'top', year: 2019, issueDate: '2019-02-01', lines: [{ description: 'Bijdrage 2019', amount: '14000.00' }] });
  await created(api, '/payments/received', { date: '2019-02-20', amount: '14000.00', allocations: [{ invoice: vsb.id, amount: '14000.00' }] });
  const oranje = await created(api, '/invoices', { financier: 'oranjefonds', kamer: 'top', year: 2019, issueDate: '2019-03-01', lines: [{ description: 'Bijdrage 2019', amount: '15000.00' }] });
  await created(api, '/payments/received', { date: '2019-05-15', amount: '15000.00', allocations: [{ invoice: oranje.id, amount: '15000.00' }] });
  await created(api, '/invoices', { financier: 'portaal', kamer: 'hart-voor-leidsche-rijn', year: 2019, issueDate: '2019-04-01', lines: [{ description: 'Bijdrage 2019', amount: '7500.00' }] });
  return api;
}

interface ReportRoom {
  kamer: string;
  budgetLines: Array<{ line: string; budgeted: string; spent: string; remaining: string }>;
  pettyCash: Array<{ category: string; spent: string }>;
  budgetTotal: string;
  spentTotal: string;
  financiers: Array<{ financier: string; pledgedByStatus: Record<string, string>; invoiced: string; paid: string }>;
  pledged: Record<string, string>;
  invoiced: string;
  received: string;
  outstanding: string;
  volunteers: { value: string; hours: Record<string, string> };
  popularBudget: string;
  financiersShare: string;
  fundingResult: { fundingGap: string; result: string; cash: string; committed: string; spent: string };
}
interface Report {
  year: number;
  financier: string | null;
  referenceDate: string;
  rooms: ReportRoom[];
  financiers: Array<{ financier: string; pledged: string; invoices: Array<{ number: string; onTime: boolean | null; paidOn: string | null; status: string }> }>;
  totals: Record<string, string>;
}

// Every test below only reads, so they share one ledger (the PDF test, last, moves its clock on).
const ledger = seededLedger(t);

t.test('the 2019 report sums to the seed agreements and agrees with the room budget read', async (t) => {
  const api = await ledger;
  const response = await api.get(api.tokens.accountant, '/reports/annual/2019');
  t.equal(response.statusCode, 200, response.body.slice(0, 300));
  const report = response.json() as Report;
  t.equal(report.referenceDate, '2019-12-31', 'a past year is judged on its last day');
  t.equal((await api.get(api.tokens.accountant, '/reports/annual/2019?knownAt=2019-06-30T12:00:00Z')).json().referenceDate, '2019-06-30', 'the books as they stood on a day are judged on that day');
  t.equal((await api.get(api.tokens.accountant, '/reports/annual/2019?asOf=2019-09-30')).json().referenceDate, '2019-09-30', 'asOf sets it');

  const rooms2019 = [...new Set(lines2019.map((line) => line.kamer))].sort();
  t.same(report.rooms.map((room) => room.kamer), rooms2019, 'every room with a 2019 pledge, in id order');
  for (const room of report.rooms) {
    const lines = lines2019.filter((line) => line.kamer === room.kamer);
    t.equal(room.pledged.committed, committed(lines), `${room.kamer}: committed`);
    t.equal(room.pledged.inKind, sum(lines.filter((line) => line.form === 'in-kind').map((line) => line.amount)), `${room.kamer}: in kind`);
    for (const row of room.financiers) {
      t.equal(row.pledgedByStatus.committed, committed(lines.filter((line) => line.financier === row.financier)), `${room.kamer}/${row.financier}: pledged`);
    }
    t.same(room.financiers.map((row) => row.financier).sort(), [...new Set(lines.map((line) => line.financier))].sort(), `${room.kamer}: one row per financier`);
    // The same figures as the room's own budget read.
    const budget = (await api.get(api.tokens.accountant, `/kamers/${room.kamer}/budget/2019`)).json();
    t.match(
      { pledged: room.pledged, invoiced: room.invoiced, received: room.received, outstanding: room.outstanding, volunteers: room.volunteers, popularBudget: room.popularBudget, financiersShare: room.financiersShare, spentTotal: room.spentTotal, fundingGap: room.fundingResult.fundingGap, cash: room.fundingResult.cash },
      { pledged: budget.pledged, invoiced: budget.invoiced, received: budget.received, outstanding: budget.outstanding, volunteers: budget.volunteers, popularBudget: budget.popularBudget, financiersShare: budget.financiersShare, spentTotal: budget.spent.total, fundingGap: budget.fundingGap, cash: budget.cash },
      `${room.kamer}: the budget read's figures`,
    );
  }
  t.equal(report.totals.committed, committed(lines2019), 'total committed: every committed 2019 line');
  t.equal(report.totals.inKind, sum(lines2019.filter((line) => line.form === 'in-kind').map((line) => line.amount)), 'total in kind');
  for (const financier of report.financiers) {
    t.equal(financier.pledged, committed(lines2019.filter((line) => line.financier === financier.financier)), `${financier.financier}: pledged in 2019`);
    const position = (await api.get(api.tokens.accountant, `/financiers/${financier.financier}/position?year=2019&asOf=2019-12-31&limit=500`)).json();
    t.ok(position.invoices.total <= 500, `${financier.financier}: every invoice on one page`);
    t.same(financier.invoices, position.invoices.items, `${financier.financier}: the position's invoices`);
  }

  const top = report.rooms.find((room) => room.kamer === 'top')!;
  for (const { line, amount } of TOP_BUDGET) {
    const spent = sum(EXPENSES.filter((expense) => expense.line === line).map((expense) => expense.amount));
    t.match(top.budgetLines.find((row) => row.line === line), { budgeted: amount, spent, remaining: new Decimal(amount).minus(spent).toFixed(2) }, `top ${line}: budget against spending`);
  }
  for (const category of ['A', 'B', 'C', 'D', 'E', 'F']) {
    t.equal(top.pettyCash.find((row) => row.category === category)?.spent, sum(PETTY.filter((row) => row.category === category).map((row) => row.amount)), `top petty cash ${category}`);
  }
  const spent = sum([...EXPENSES, ...PETTY].map((row) => row.amount));
  t.equal(top.spentTotal, spent, 'top: spent = expenses + petty cash');
  t.equal(top.fundingResult.result, new Decimal(committed(lines2019.filter((line) => line.kamer === 'top'))).minus(spent).toFixed(2), 'top: committed − spent');
  t.equal(top.volunteers.value, sum(HOURS.map((entry) => new Decimal(entry.hours).times(rate2019(entry.kind)).toFixed(2))), 'top: volunteer value at the 2019 rates');
  t.equal(top.popularBudget, new Decimal(sum(TOP_BUDGET.map((line) => line.amount))).plus(top.volunteers.value).toFixed(2), 'top: popular budget');
  const invoiceOf = (financier: string) => report.financiers.find((row) => row.financier === financier)!.invoices[0]!;
  t.match(invoiceOf('vsb-fonds'), { paidOn: '2019-02-20', onTime: true, status: 'paid' }, 'paid within four weeks: on time');
  t.match(invoiceOf('oranjefonds'), { paidOn: '2019-05-15', onTime: false, status: 'paid' }, 'paid after four weeks: late');
  t.match(invoiceOf('portaal'), { paidOn: null, onTime: null, status: 'overdue' }, 'unpaid at year end: overdue');
});

t.test('the 2018 report sets the budget file against spending, line by line', async (t) => {
  const api = await ledger;
  const report = (await api.get(api.tokens.accountant, '/reports/annual/2018')).json() as Report;
  const rooms = [...new Set(budgetFile.lines.flatMap((line) => Object.keys(line.amounts)))];
  for (const kamer of rooms) {
    const room = report.rooms.find((row) => row.kamer === kamer);
    t.ok(room, `${kamer} is in the 2018 report`);
    const expected = budgetFile.lines.filter((line) => line.amounts[kamer] !== undefined).map((line) => ({ line: line.line, budgeted: line.amounts[kamer]!, spent: '0.00', remaining: line.amounts[kamer]! }));
    t.same(room?.budgetLines.map(({ line, budgeted, spent, remaining }) => ({ line, budgeted, spent, remaining })), expected, `${kamer}: every budget line`);
    t.equal(room?.budgetTotal, sum(expected.map((line) => line.budgeted)), `${kamer}: budget total`);
  }
  t.equal(report.totals.budgeted, sum(budgetFile.lines.flatMap((line) => Object.values(line.amounts))), 'total budget: every amount of the budget file');
});

t.test('a financier reads only its own report; others are refused', async (t) => {
  const api = await ledger;
  const own = await api.get(api.tokens.financier('vsb-fonds'), '/reports/annual/2019');
  t.equal(own.statusCode, 200);
  const report = own.json() as Report;
  t.equal(report.financier, 'vsb-fonds', 'the report is forced to its own financier');
  t.same(report.rooms.map((room) => room.kamer).sort(), [...new Set(lines2019.filter((line) => line.financier === 'vsb-fonds').map((line) => line.kamer))].sort(), 'only the rooms it funds');
  t.ok(report.rooms.every((room) => room.financiers.every((row) => row.financier === 'vsb-fonds')), 'no other financier in any room');
  t.same(report.financiers.map((row) => row.financier), ['vsb-fonds'], 'only its own invoices');
  t.same((await api.get(api.tokens.accountant, '/reports/annual/2019?financier=vsb-fonds')).json(), report, "the accountant's ?financier= gives the same report");
  t.equal((await api.get(api.tokens.financier('vsb-fonds'), '/reports/annual/2019?financier=oranjefonds')).statusCode, 403, "another financier's report: 403");
  t.equal((await api.get(api.tokens.financier('vsb-fonds'), '/reports/annual/2019/report.pdf?financier=oranjefonds')).statusCode, 403, "another financier's PDF: 403");
  t.equal((await api.get(api.tokens.teamleader('top'), '/reports/annual/2019')).statusCode, 403, 'a team leader: 403');
  t.equal((await api.get(api.tokens.accountant, '/reports/annual/2019?financier=nobody')).statusCode, 404, 'an unknown financier: 404');
  t.equal((await api.get(api.tokens.accountant, '/reports/annual/19')).statusCode, 400, 'a malformed year: 400');
});

t.test('the PDF is Dutch, shows the figures, and is byte-identical for the same log', async (t) => {
  const api = await ledger;
  const first = await api.get(api.tokens.accountant, '/reports/annual/2019/report.pdf');
  t.equal(first.statusCode, 200);
  t.match(first.headers['content-type'], /application\/pdf/);
  api.clock.set('2021-03-01T09:00:00Z');
  const again = await api.get(api.tokens.accountant, '/reports/annual/2019/report.pdf');
  const digest = (body: Buffer) => createHash('sha256').update(body).digest('hex');
  t.equal(digest(again.rawPayload), digest(first.rawPayload), 'a later day renders the same bytes');
  const text = await pdfText(first.rawPayload);
  t.match(text, 'Jaarrapportage 2019');
  for (const kamer of financing.kamers.filter((room) => lines2019.some((line) => line.kamer === room.id))) t.match(text, kamer.name, `${kamer.name} has its section`);
  const euro = (amount: string) => `€ ${new Decimal(amount).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, '.').replace(/\.(\d{2})$/, ',$1')}`;
  t.match(text, euro(committed(lines2019)), 'the total committed, printed the Dutch way');
  t.match(text, 'te laat', 'the late invoice is marked late');
  t.match(text, 'open, vervallen', 'the unpaid one past its due date says so');

  const own = await pdfText((await api.get(api.tokens.financier('vsb-fonds'), '/reports/annual/2019/report.pdf')).rawPayload);
  t.match(own, 'VSB');
  t.notMatch(own, 'Oranje', "no other financier's name in a financier's report");
});
