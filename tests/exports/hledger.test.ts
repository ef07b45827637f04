import t, { type Test } from 'tap';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatAmount, money, ZERO, type Money } from '../../src/domain/money.js';
import { buildHledgerJournal, journalText } from '../../src/exports/hledger.js';
import { trialBalance, yearJournal, type TrialBalance, type YearJournal } from '../../src/projections/trial-balance.js';
import { journalFromStore, sampleLog, storeWith } from '../projections/journal-events.js';
import { scenario } from '../projections/journal-scenarios.js';

const CREATED_AT = new Date('2021-02-01T09:00:00Z');

function installed(command: string): boolean {
  return spawnSync(command, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Says why a comparison did not run where a person reading the run sees it (tap's default reporter hides comments). */
/** Reported as a skip with its reason (never a pass): .ci/run installs both, so CI runs them. */
function reportMissing(t: Test, command: string): void {
  const reason = `${command} not installed: comparison skipped (install with apt-get install ${command})`;
  process.stderr.write(`${reason}\n`);
  t.test(`${command} comparison`, { skip: reason }, async () => {});
}
const HAS_HLEDGER = installed('hledger');
const HAS_LEDGER = installed('ledger');

/** Our trial balance as account → balance, leaving out accounts that end at zero. */
function expected(balance: TrialBalance): Map<string, string> {
  return new Map(balance.accounts.filter((row) => !money(row.balance).isZero()).map((row) => [row.account, row.balance]));
}

/** "EUR -12.50" or "0" as a two-decimal amount. */
function amountFrom(display: string): string {
  const match = /^(?:EUR )?(-?\d+(?:\.\d+)?)$/.exec(display.trim());
  if (!match) throw new Error(`not an amount: ${display}`);
  return formatAmount(money(match[1]!));
}

function nonZero(balances: Array<[string, string]>): Map<string, string> {
  return new Map(balances.filter(([, amount]) => !money(amount).isZero()));
}

/** Every account's balance as hledger computes it from the exported file. */
function hledgerBalances(file: string): Map<string, string> {
  const run = spawnSync('hledger', ['-f', file, 'balance', '-O', 'csv', '-E', '-N', '-l'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`hledger refused the journal: ${run.stderr}`);
  const rows = run.stdout.trim().split('\n').slice(1);
  return nonZero(rows.map((row) => {
    const [account, balance] = JSON.parse(`[${row}]`) as [string, string];
    return [account, amountFrom(balance)];
  }));
}

/** The same from ledger-cli. */
function ledgerBalances(file: string): Map<string, string> {
  const run = spawnSync('ledger', ['-f', file, '--flat', '--no-total', '--format', '%(account)|%(display_total)\n', 'balance'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ledger refused the journal: ${run.stderr}`);
  return nonZero(run.stdout.trim().split('\n').filter(Boolean).map((row) => {
    const [account, balance] = row.split('|') as [string, string];
    return [account, amountFrom(balance)];
  }));
}

/**
 * Reads the journal back by its syntax alone: every transaction's postings sum to zero, and the
 * per-account sums are the balances. It is what the test can check where no hledger is installed.
 */
function structuralBalances(journal: string): Map<string, string> {
  const balances = new Map<string, Money>();
  for (const block of journal.split('\n\n')) {
    const lines = block.split('\n').filter(Boolean);
    if (!/^\d{4}-\d{2}-\d{2} \* /.test(lines[0] ?? '')) continue;
    const postings = lines.slice(1).filter((line) => !line.trimStart().startsWith(';'));
    let total = ZERO;
    for (const posting of postings) {
      const match = /^ {4}(\S+) {2}EUR (-?\d+\.\d{2})(?: {2}; .*)?$/.exec(posting);
      if (!match) throw new Error(`not a posting: ${JSON.stringify(posting)}`);
      total = total.plus(match[2]!);
      balances.set(match[1]!, (balances.get(match[1]!) ?? ZERO).plus(match[2]!));
    }
    if (!total.isZero()) throw new Error(`transaction does not balance: ${lines[0]}`);
  }
  return nonZero([...balances].map(([account, balance]) => [account, formatAmount(balance)]));
}

async function exportOf(events: Parameters<typeof storeWith>[0], year: number): Promise<{ year: YearJournal; text: string }> {
  const store = await storeWith(events);
  try {
    const journal = yearJournal(await journalFromStore(store), { year });
    return { year: journal, text: buildHledgerJournal(journal, { createdAt: CREATED_AT }) };
  } finally {
    await store.close();
  }
}

t.test('the exported journal reads back, by its syntax alone, to the trial balance to the cent', async (t) => {
  for (const fiscalYear of [2019, 2020]) {
    const exported = await exportOf(sampleLog(), fiscalYear);
    t.same(structuralBalances(exported.text), expected(trialBalance(exported.year)), `${fiscalYear}`);
  }
});

t.test('hledger reads the export and finds every account balance of the trial balance, to the cent', async (t) => {
  if (!HAS_HLEDGER) {
    reportMissing(t, 'hledger');
    return;
  }
  const directory = t.testdir();
  for (const fiscalYear of [2019, 2020]) {
    const exported = await exportOf(sampleLog(), fiscalYear);
    const file = join(directory, `sample-${fiscalYear}.journal`);
    writeFileSync(file, exported.text);
    t.same(hledgerBalances(file), expected(trialBalance(exported.year)), `${fiscalYear}: hledger agrees`);
  }
  let index = 0;
  for (const { events } of fc.sample(scenario, { numRuns: 15, seed: 4242 })) {
    const fiscalYear = 2019 + (index % 2);
    const exported = await exportOf(events, fiscalYear);
    const file = join(directory, `random-${index++}.journal`);
    writeFileSync(file, exported.text);
    t.same(hledgerBalances(file), expected(trialBalance(exported.year)), `${file}: hledger agrees`);
  }
});

/** One statement as `hledger is|bs|bse -O csv` prints it: per section (Revenues, Assets...) its accounts and total, and the net. */
interface Statement {
  readonly sections: Map<string, { accounts: Map<string, string>; total: string }>;
  readonly net: string;
}

function hledgerStatement(file: string, command: 'is' | 'bs' | 'bse'): Statement {
  const run = spawnSync('hledger', ['-f', file, command, '-O', 'csv'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`hledger ${command} refused the journal: ${run.stderr}`);
  const sections = new Map<string, { accounts: Map<string, string>; total: string }>();
  let current: { accounts: Map<string, string>; total: string } | undefined;
  let net = '0.00';
  for (const row of run.stdout.trim().split('\n').slice(2)) {
    const [label, amount] = JSON.parse(`[${row}]`) as [string, string | undefined];
    const value = amount === undefined || amount === '' ? undefined : amountFrom(amount);
    if (label === 'Net:') net = value ?? '0.00';
    else if (label === 'total' && current) current.total = value ?? '0.00';
    else if (value === undefined) sections.set(label, (current = { accounts: new Map(), total: '0.00' }));
    else current?.accounts.set(label, value);
  }
  return { sections, net };
}

/** Our trial balance's accounts of one type, signed as hledger's statements show them (income and liabilities positive). */
function ofType(balance: TrialBalance, type: TrialBalance['accounts'][number]['type'], sign: 1 | -1): { accounts: Map<string, string>; total: string } {
  const rows = balance.accounts.filter((row) => row.type === type && !money(row.balance).isZero());
  const signed = (value: string) => formatAmount(money(value).times(sign));
  return { accounts: new Map(rows.map((row) => [row.account, signed(row.balance)])), total: signed(formatAmount(rows.reduce((total, row) => total.plus(row.balance), ZERO))) };
}

t.test('hledger is, bs and bse on the export give our income statement and balance sheet, every total to the cent', async (t) => {
  if (!HAS_HLEDGER) {
    reportMissing(t, 'hledger');
    return;
  }
  const directory = t.testdir();
  const samples = [
    ...[2019, 2020].map((year) => ({ name: `sample-${year}`, events: sampleLog(), year })),
    ...fc.sample(scenario, { numRuns: 8, seed: 1212 }).map(({ events }, index) => ({ name: `random-${index}`, events, year: 2019 + (index % 2) })),
  ];
  for (const sample of samples) {
    const exported = await exportOf(sample.events, sample.year);
    const file = join(directory, `${sample.name}.journal`);
    writeFileSync(file, exported.text);
    const ours = trialBalance(exported.year);
    const revenues = ofType(ours, 'income', -1);
    const expenses = ofType(ours, 'expense', 1);
    const assets = ofType(ours, 'asset', 1);
    const liabilities = ofType(ours, 'liability', -1);
    const equity = ofType(ours, 'equity', -1);
    const result = formatAmount(money(revenues.total).minus(expenses.total));

    const is = hledgerStatement(file, 'is');
    t.same(is.sections.get('Revenues'), revenues, `${sample.name}: revenues per account and in total`);
    t.same(is.sections.get('Expenses'), expenses, `${sample.name}: expenses per account and in total`);
    t.equal(is.net, result, `${sample.name}: the year's result`);

    const bs = hledgerStatement(file, 'bs');
    t.same(bs.sections.get('Assets'), assets, `${sample.name}: assets`);
    t.same(bs.sections.get('Liabilities'), liabilities, `${sample.name}: liabilities`);
    t.equal(bs.net, formatAmount(money(assets.total).minus(liabilities.total)), `${sample.name}: net assets`);

    const bse = hledgerStatement(file, 'bse');
    t.same(bse.sections.get('Equity'), equity, `${sample.name}: equity`);
    t.equal(bse.net, result, `${sample.name}: assets − liabilities − equity is the year's result, which the memorandum accounts stay out of`);
  }
});

t.test('ledger-cli reads the same export to the same balances', async (t) => {
  if (!HAS_LEDGER) {
    reportMissing(t, 'ledger');
    return;
  }
  const exported = await exportOf(sampleLog(), 2020);
  const file = join(t.testdir(), 'sample.journal');
  writeFileSync(file, exported.text);
  t.same(ledgerBalances(file), expected(trialBalance(exported.year)));
});

t.test('user text cannot break the journal syntax', async (t) => {
  t.equal(journalText('Huur maart;\n2019-01-01 * nep\n    1100  EUR 1000000.00'), 'Huur maart, 2019-01-01 * nep 1100 EUR 1000000.00');
  const exported = await exportOf(sampleLog(), 2020);
  t.notMatch(exported.text, /<geen> korting\n/, 'a description stays on its own line');
  t.match(exported.text, /Huur maart, <geen> korting/);
  t.equal((exported.text.match(/^\d{4}-\d{2}-\d{2} \* \(\d+\) /gm) ?? []).length, exported.year.entries.length, 'one transaction per entry, coded with its log position');
});
