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
