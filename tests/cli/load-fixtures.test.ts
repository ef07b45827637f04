import t, { type Test } from 'tap';
import { PROJECT_SHARED, REPO_ROOT, SHARED_FIXTURES } from '../helpers/shared.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadFixturesCommand, DEFAULT_FIXTURES_PATH } from '../../src/cli/commands/load-fixtures.js';
import { loadConfig } from '../../src/config.js';
import { formatAmount, sum } from '../../src/domain/money.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import type { RecordedEvent } from '../../src/store/port.js';

const FIXTURES_DIR = SHARED_FIXTURES;

interface PledgeLine {
  financier: string;
  kamer: string;
  year: number;
  amount?: string;
  form?: string;
  status: string;
  reference?: string;
}
interface BudgetLine {
  line: string;
  amounts: Record<string, string>;
}

/** The fixture files as the test reads them itself: the expected counts come from here. */
function readJson<T>(directory: string, file: string): T {
  return JSON.parse(readFileSync(join(directory, file), 'utf8')) as T;
}
const financing = readJson<{ kamers: unknown[]; financiers: unknown[]; pledges: PledgeLine[] }>(FIXTURES_DIR, 'financing.json');
const budget = readJson<{ year: number; lines: BudgetLine[] }>(FIXTURES_DIR, 'budget-2018.json');
const rates = readJson<{ rates: unknown[] }>(FIXTURES_DIR, 'volunteer-hours.json').rates;
const budgetRooms = [...new Set(budget.lines.flatMap((line) => Object.keys(line.amounts)))];

async function runLoader(t: Test, directory: string, args: string[]) {
  const output: string[] = [];
  const errors: string[] = [];
  const config = loadConfig({ SQLITE_PATH: join(directory, 'ledger.db'), DATA_DIR: directory });
  const exitCode = await loadFixturesCommand.run(args, { config, out: (line) => output.push(line), err: (line) => errors.push(line) });
  t.comment(output.join('\n'));
  return { exitCode, output, errors };
}

async function eventsIn(directory: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore(join(directory, 'ledger.db'));
  try {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    return events;
  } finally {
    await store.close();
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

const ofType = (events: readonly RecordedEvent[], type: string) => events.filter((event) => event.type === type);

t.test('the default fixtures path, resolved from the repository root, is the shared fixtures folder', async (t) => {
  t.equal(resolve(REPO_ROOT, DEFAULT_FIXTURES_PATH), resolve(PROJECT_SHARED, 'fixtures'));
});

t.test('the real fixtures load through the API, and a second run doubles nothing', async (t) => {
  const directory = t.testdir();
  const first = await runLoader(t, directory, [FIXTURES_DIR]);
  t.equal(first.exitCode, 0, first.errors.join('\n'));
  const events = await eventsIn(directory);

  t.equal(ofType(events, 'KamerRegistered').length, financing.kamers.length, 'one room per fixture room');
  t.equal(ofType(events, 'FinancierRegistered').length, financing.financiers.length, 'one financier per fixture financier');
  t.equal(ofType(events, 'BudgetSet').length, budgetRooms.length, 'one budget per room in the budget file');
  t.equal(ofType(events, 'ValuationRateSet').length, rates.length, 'one rate per fixture rate');
  t.equal(ofType(events, 'PledgeMade').length, financing.pledges.length, 'one pledge per fixture line');
  t.equal(events.length, financing.kamers.length + financing.financiers.length + budgetRooms.length + rates.length + financing.pledges.length, 'and nothing else');

  const pledges = ofType(events, 'PledgeMade');
  const pledgeData = pledges.map((event) => event.data as { status: string; form: string; amount?: string; reference?: string });
  t.same(countBy(pledgeData, (pledge) => pledge.status), countBy(financing.pledges, (line) => line.status), 'each line keeps its status');
  t.same(countBy(pledgeData, (pledge) => pledge.form), countBy(financing.pledges, (line) => line.form ?? 'cash'), 'in-kind lines are in kind');
  t.equal(pledgeData.filter((pledge) => pledge.reference).length, financing.pledges.filter((line) => line.reference).length, 'subsidy references carried over');
  t.equal(
    formatAmount(sum(pledgeData.map((pledge) => pledge.amount ?? '0.00'))),
    formatAmount(sum(financing.pledges.map((line) => line.amount ?? '0.00'))),
    'the pledged amounts add up to the lines',
  );
  for (const room of budgetRooms) {
    const set = ofType(events, 'BudgetSet').find((event) => (event.data as { kamerId: string }).kamerId === room);
    const expected = formatAmount(sum(budget.lines.flatMap((line) => (line.amounts[room] === undefined ? [] : [line.amounts[room]]))));
    t.equal((set?.data as { total?: string } | undefined)?.total, expected, `budget of ${room} totals its lines`);
  }
  const keys = pledges.map((event) => event.metadata.idempotencyKey ?? '');
  t.ok(keys.every((key) => key.startsWith('fixture:pledge:')), 'every pledge names its fixture line');
  t.equal(new Set(keys).size, pledges.length, 'and no two name the same line');
  t.ok(events.every((event) => event.metadata.recordedBy === 'treasurer(fixtures loader)'), 'recorded by the loader, as treasurer');

  const second = await runLoader(t, directory, [FIXTURES_DIR]);
  t.equal(second.exitCode, 0, second.errors.join('\n'));
  t.equal((await eventsIn(directory)).length, events.length, 'the second run wrote nothing');
  t.match(second.output.join('\n'), /pledges:\s+0 loaded,\s+\d+ skipped/);
  t.match(second.output.find((line) => line.includes('pledges:')), new RegExp(`${financing.pledges.length} skipped`));
});

t.test('a fixture line the API refuses is reported, and everything else still loads', async (t) => {
  const directory = t.testdir();
  const fixtures = join(directory, 'fixtures');
  mkdirSync(fixtures);
  const bad = { financier: 'mitros', kamer: 'nowhere', year: 2020, amount: '100.00', form: 'cash', status: 'toegezegd' };
  const good = { financier: 'mitros', kamer: 'top', year: 2020, amount: '100.00', form: 'in-kind', status: 'voorstel' };
  writeFileSync(
    join(fixtures, 'financing.json'),
    JSON.stringify({
      kamers: [{ id: 'top', name: 'TOP' }],
      financiers: [{ id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' }],
      pledges: [bad, good],
    }),
  );
  writeFileSync(join(fixtures, 'budget-2018.json'), JSON.stringify({ year: 2018, lines: [{ line: 'rent', label: 'Huur', amounts: { top: '100.00' } }] }));
  writeFileSync(join(fixtures, 'volunteer-hours.json'), JSON.stringify({ rates: [] }));
  const result = await runLoader(t, directory, [fixtures]);
  t.equal(result.exitCode, 1, 'a refused line makes the run fail');
  t.match(result.output.join('\n'), /failed: pledge fixture:pledge:mitros:nowhere:2020:0: 422 UNKNOWN_KAMER/);
  const pledges = ofType(await eventsIn(directory), 'PledgeMade').map((event) => event.data as { kamerId: string; status: string; form: string });
  t.same(pledges.map(({ kamerId, status, form }) => ({ kamerId, status, form })), [{ kamerId: 'top', status: 'proposed', form: 'in-kind' }], 'the Dutch status word maps to the status');
});

t.test('a fixture file of the wrong shape stops the run before anything is written', async (t) => {
  const directory = t.testdir();
  const fixtures = join(directory, 'fixtures');
  mkdirSync(fixtures);
  writeFileSync(join(fixtures, 'financing.json'), JSON.stringify({ kamers: [], financiers: [], pledges: [{ financier: 'x', kamer: 'y', year: 2020, status: 'maybe' }] }));
  writeFileSync(join(fixtures, 'budget-2018.json'), JSON.stringify({ year: 2018, lines: [] }));
  writeFileSync(join(fixtures, 'volunteer-hours.json'), JSON.stringify({ rates: [] }));
  await t.rejects(runLoader(t, directory, [fixtures]), /pledges\.0\.status: unknown pledge status "maybe"/);
  t.equal((await eventsIn(directory)).length, 0);
});
