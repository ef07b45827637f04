import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { loadConfig } from '../../src/config.js';
import { formatAmount, money, sum } from '../../src/domain/money.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * One room's 2019 through the real API: a budget, a committed pledge, an invoice on it, an expense,
 * and the payment the bank booked on 30 December but the treasurer recorded on 5 January 2020.
 * The replay then reads the file alone, as the accountant would.
 */
const BUDGET = { rent: '6000.00', activities: '4000.00' };
const PLEDGED = '3000.00';
const INVOICED = '1000.00';
const RENT_PAID = '500.00';
const BANK_DATE = '2019-12-30';

async function ledgerWithLatePayment(t: Test): Promise<{ path: string; api: TestApp }> {
  const path = join(t.testdir(), 'ledger.db');
  const api = await createTestApp(t, { start: '2019-11-01T10:00:00Z', path });
  const treasurer = api.tokens.treasurer;
  const steps: Array<() => Promise<{ statusCode: number; body: string }>> = [
    () => api.post(treasurer, '/kamers', { id: 'top', name: 'TOP' }),
    () => api.post(treasurer, '/financiers', { id: 'portaal', name: 'Portaal', kind: 'housing-corporation', pays: 'invoice' }),
    () => api.post(treasurer, '/financiers', { id: 'doen', name: 'Stichting DOEN', kind: 'fund', pays: 'invoice' }),
    () =>
      api.request(treasurer, {
        method: 'PUT',
        url: '/kamers/top/budgets/2019',
        payload: { lines: [{ line: 'rent', label: 'Huur', amount: BUDGET.rent }, { line: 'activities', label: 'Activiteiten', amount: BUDGET.activities }] },
      }),
  ];
  for (const step of steps) {
    const response = await step();
    if (response.statusCode !== 201) throw new Error(response.body);
  }
  const pledge = await api.post(treasurer, '/pledges', { financier: 'portaal', kamer: 'top', year: 2019, amount: PLEDGED, form: 'cash', status: 'committed' });
  const invoice = await api.post(treasurer, '/invoices', { financier: 'portaal', kamer: 'top', year: 2019, pledge: pledge.json().id, issueDate: '2019-11-01', lines: [{ description: 'Bijdrage 2019', amount: INVOICED }] });
  t.equal(invoice.statusCode, 201, invoice.body);
  api.clock.set('2019-12-16T10:00:00Z');
  const expense = await api.post(treasurer, '/payments/made', { date: '2019-12-15', kamer: 'top', line: 'rent', amount: RENT_PAID, payee: 'Mitros', description: 'huur december' });
  t.equal(expense.statusCode, 201, expense.body);
  api.clock.set('2020-01-05T09:30:00Z');
  const paid = await api.post(treasurer, '/payments/received', { date: BANK_DATE, amount: INVOICED, payerName: 'Portaal', description: 'Factuur 2019-0001' });
  t.equal(paid.statusCode, 201, paid.body);
  t.match(paid.json(), { unallocated: '0.00' }, 'matched to the invoice by its number');
  return { path, api };
}

async function replay(path: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await replayCommand.run(args, { config: loadConfig({ SQLITE_PATH: path }), out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface ReplayJson {
  lastPosition: string;
  year: number;
  referenceDate: string;
  rooms: Array<Record<string, unknown> & { kamer: string }>;
  financiers: Array<Record<string, unknown> & { financier: string; invoices: Array<{ onTime: boolean | null; daysToPay: number | null }> }>;
  trialBalance: { accounts: Array<{ account: string; balance: string; debit: string; credit: string }>; totals: { debit: string; credit: string; balance: string } };
}

const budgetTotal = formatAmount(sum(Object.values(BUDGET)));

t.test('replay --as-of 2019-12-31 --json: the late-recorded payment counts, and the books balance', async (t) => {
  const { path } = await ledgerWithLatePayment(t);
  const { code, out, err } = await replay(path, ['--as-of', '2019-12-31', '--json']);
  t.equal(code, 0, err);
  const report = JSON.parse(out) as ReplayJson;
  t.equal(report.year, 2019, 'the year of --as-of');
  t.equal(report.referenceDate, '2019-12-31');
  t.same(report.rooms.map((room) => room.kamer), ['top']);
  t.match(report.rooms[0], {
    budget: { total: budgetTotal },
    pledged: { committed: PLEDGED },
    invoiced: INVOICED,
    received: INVOICED,
    outstanding: '0.00',
    spent: { total: RENT_PAID },
    cash: formatAmount(money(INVOICED).minus(RENT_PAID)),
    fundingGap: formatAmount(money(budgetTotal).minus(PLEDGED)),
  });
  t.same(report.financiers.map((position) => position.financier), ['doen', 'portaal'], 'every financier, in order');
  const portaal = report.financiers.find((position) => position.financier === 'portaal')!;
  t.match(portaal, { pledged: PLEDGED, invoiced: INVOICED, paid: INVOICED, open: '0.00', overdue: '0.00' });
  t.match(portaal.invoices[0], { daysToPay: 59, onTime: false }, '1 November to 30 December is 59 days: late');
  const { totals, accounts } = report.trialBalance;
  t.equal(totals.debit, totals.credit, 'debits equal credits');
  t.equal(totals.balance, '0.00');
  t.equal(accounts.find((row) => row.account === '1100')?.balance, formatAmount(money(INVOICED).minus(RENT_PAID)), 'bank: the payment in, the rent out');
});

t.test('replay --known-at 2020-01-01: the books as they stood then, without the payment recorded on 5 January', async (t) => {
  const { path } = await ledgerWithLatePayment(t);
  const { code, out, err } = await replay(path, ['--as-of', '2019-12-31', '--known-at', '2020-01-01T00:00:00Z', '--json']);
  t.equal(code, 0, err);
  const report = JSON.parse(out) as ReplayJson;
  t.match(report.rooms[0], { invoiced: INVOICED, received: '0.00', outstanding: INVOICED });
  t.match(report.financiers.find((position) => position.financier === 'portaal'), { paid: '0.00', open: INVOICED, overdue: INVOICED });
  const { totals, accounts } = report.trialBalance;
  t.equal(totals.debit, totals.credit);
  t.equal(accounts.find((row) => row.account === '1100')?.balance, formatAmount(money(RENT_PAID).negated()), 'bank: only the rent out');
});

t.test('the replay prints the figures the API gives for the same cut', async (t) => {
  const { path, api } = await ledgerWithLatePayment(t);
  const { out } = await replay(path, ['--as-of', '2019-12-31', '--json']);
  const report = JSON.parse(out) as ReplayJson;
  const budget = await api.get(api.tokens.accountant, '/kamers/top/budget/2019?asOf=2019-12-31');
  const position = await api.get(api.tokens.accountant, '/financiers/portaal/position?year=2019&asOf=2019-12-31');
  const balance = await api.get(api.tokens.accountant, '/reports/trial-balance?year=2019&asOf=2019-12-31');
  t.same(report.rooms[0], budget.json());
  // The replay lists every room and invoice; the read pages them (one page holds them all here).
  const replayed = report.financiers.find((row) => row.financier === 'portaal')!;
  const asPage = <T>(rows: T[]) => ({ items: rows, total: rows.length, limit: 50, offset: 0 });
  t.same({ ...replayed, rooms: asPage(replayed.rooms as unknown[]), invoices: asPage(replayed.invoices) }, position.json());
  t.same(report.trialBalance, (({ asOf: _asOf, ...rest }) => rest)(balance.json()));
});

t.test('replay without --json prints the three reports as aligned tables', async (t) => {
  const { path } = await ledgerWithLatePayment(t);
  const { code, out } = await replay(path, ['--as-of', '2019-12-31']);
  t.equal(code, 0);
  t.match(out, /year 2019, as of 2019-12-31, everything recorded/);
  t.match(out, 'Room budgets 2019 (EUR)');
  t.match(out, 'Financier positions 2019');
  t.match(out, 'Trial balance 2019');
  const topRow = out.split('\n').find((line) => line.startsWith('top '));
  t.ok(topRow, 'a row for the room');
  t.match(topRow, new RegExp(`${budgetTotal}\\s+${PLEDGED}\\s+0\\.00\\s+${INVOICED}\\s+${INVOICED}`), 'budget, committed, in kind, invoiced, received');
  const portaalRow = out.split('\n').find((line) => line.startsWith('portaal '));
  t.match(portaalRow, /\s0\/1$/, 'paid on time: none of one');
  const totalRow = out.split('\n').find((line) => line.startsWith('total '));
  const [debit, credit] = totalRow!.trim().split(/\s+/).slice(2, 4);
  t.equal(debit, credit, 'the totals row shows equal debit and credit');
});

t.test('replay refuses bad options and a missing ledger with exit code 2, naming the problem', async (t) => {
  const { path } = await ledgerWithLatePayment(t);
  const badDate = await replay(path, ['--as-of', '2019-02-30']);
  t.equal(badDate.code, 2);
  t.match(badDate.err, '--as-of must be a real date');
  const badInstant = await replay(path, ['--known-at', 'yesterday']);
  t.equal(badInstant.code, 2);
  t.match(badInstant.err, '--known-at must be an ISO 8601 instant');
  const unknown = await replay(path, ['--as-at', '2019-12-31']);
  t.equal(unknown.code, 2);
  t.match(unknown.err, 'usage: replay');
  const missing = await replay(join(t.testdir(), 'nothing-here.db'), []);
  t.equal(missing.code, 2);
  t.match(missing.err, 'no ledger at');
});

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Through the entry point `npm run cli` runs: the command's worker thread is started before its
 * modules load (`prepare`). The process prints what the command prints in-process, and a refused
 * command still ends at once, the idle thread holding nothing open (a timeout would leave status null).
 */
t.test('the CLI process replays with its early worker, and exits at once when refused', async (t) => {
  const { path } = await ledgerWithLatePayment(t);
  const run = (ledger: string, args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', ...args], {
      env: { ...process.env, SQLITE_PATH: ledger, DATA_DIR: dirname(path) },
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
  const replayed = run(path, ['--as-of', '2019-12-31', '--json']);
  t.equal(replayed.status, 0, replayed.stderr);
  t.equal(replayed.stdout, `${(await replay(path, ['--as-of', '2019-12-31', '--json'])).out}\n`, 'the same report as in-process');
  const missing = run(join(dirname(path), 'nothing-here.db'), []);
  t.equal(missing.status, 2, 'a missing ledger: exit code 2, not a hang');
  t.match(missing.stderr, 'no ledger at');
  const badDate = run(path, ['--as-of', '2019-02-30']);
  t.equal(badDate.status, 2, 'a bad option: exit code 2, not a hang');
});
