import { DateSchema, InstantSchema, YearSchema } from '../../domain/calendar.js';
import { StoredEventCorrupt } from '../../domain/events.js';
import { comparePositionStrings, failureAt } from '../../projections/log-reader.js';
import { failureOf, mainThreadRunnerOptions, mainThreadShare } from '../../projections/replay-split.js';
import { startReplayWorker, type ReplayWorker } from '../../projections/replay-worker.js';
import { cutOf, defaultReplayYear, referenceDateFor, replayReports, yearCutOf, type ReplayReports, type YearCutQuery } from '../../projections/reports.js';
import { LogProjectionRunner, type ProjectionRunner } from '../../projections/runner.js';
import type { TrialBalanceRow } from '../../projections/trial-balance.js';
import { mergeYearBalances, yearBalanceTrialBalance } from '../../projections/year-balance.js';
import type { RoomBudgetView } from '../../projections/views/budget.js';
import type { FinancierPositionView } from '../../projections/views/financier-position.js';
import { logPrefix } from '../../store/log-prefix.js';
import { openExistingLedger } from '../../store/open.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseCommandOptions } from '../options.js';
import { formatTable, type Column } from '../table.js';

const USAGE = 'replay [--as-of YYYY-MM-DD] [--known-at <ISO instant>] [--year YYYY] [--json]';

interface Options {
  readonly asOf?: string;
  readonly knownAt?: string;
  readonly year?: number;
  readonly json: boolean;
}

function parseOptions(args: readonly string[], err: CliContext['err']): Options | undefined {
  const values = parseCommandOptions(
    args,
    { 'as-of': { type: 'string' }, 'known-at': { type: 'string' }, year: { type: 'string' }, json: { type: 'boolean', default: false } },
    USAGE,
    err,
    (values) => [
      ...(values['as-of'] !== undefined && !DateSchema.safeParse(values['as-of']).success ? ['--as-of must be a real date YYYY-MM-DD'] : []),
      ...(values['known-at'] !== undefined && !InstantSchema.safeParse(values['known-at']).success ? ['--known-at must be an ISO 8601 instant, e.g. 2020-01-05T10:00:00Z'] : []),
      ...(values.year !== undefined && !YearSchema.safeParse(Number(values.year)).success ? ['--year must be a year between 2000 and 2100'] : []),
    ],
  );
  if (!values) return undefined;
  return {
    json: values.json ?? false,
    ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }),
    ...(values['known-at'] === undefined ? {} : { knownAt: values['known-at'] }),
    ...(values.year === undefined ? {} : { year: Number(values.year) }),
  };
}

const ROOM_COLUMNS: readonly Column<RoomBudgetView>[] = [
  { header: 'kamer', value: (room) => room.kamer },
  { header: 'budget', value: (room) => room.budget.total, numeric: true },
  { header: 'committed', value: (room) => room.pledged.committed, numeric: true },
  { header: 'in kind', value: (room) => room.pledged.inKind, numeric: true },
  { header: 'invoiced', value: (room) => room.invoiced, numeric: true },
  { header: 'received', value: (room) => room.received, numeric: true },
  { header: 'outstanding', value: (room) => room.outstanding, numeric: true },
  { header: 'spent', value: (room) => room.spent.total, numeric: true },
  { header: 'cash', value: (room) => room.cash, numeric: true },
  { header: 'funding gap', value: (room) => room.fundingGap, numeric: true },
  { header: 'volunteer value', value: (room) => room.volunteers.value, numeric: true },
  { header: 'financiers share', value: (room) => room.financiersShare, numeric: true },
];

function onTimeCount(position: FinancierPositionView): string {
  const paid = position.invoices.filter((invoice) => invoice.onTime !== null);
  return `${paid.filter((invoice) => invoice.onTime).length}/${paid.length}`;
}

const FINANCIER_COLUMNS: readonly Column<FinancierPositionView>[] = [
  { header: 'financier', value: (position) => position.financier },
  { header: 'pledged', value: (position) => position.pledged, numeric: true },
  { header: 'invoiced', value: (position) => position.invoiced, numeric: true },
  { header: 'paid', value: (position) => position.paid, numeric: true },
  { header: 'open', value: (position) => position.open, numeric: true },
  { header: 'overdue', value: (position) => position.overdue, numeric: true },
  { header: 'invoices', value: (position) => String(position.invoices.length), numeric: true },
  { header: 'paid on time', value: onTimeCount, numeric: true },
];

const TRIAL_BALANCE_COLUMNS: readonly Column<TrialBalanceRow>[] = [
  { header: 'account', value: (row) => row.account },
  { header: 'name', value: (row) => row.name },
  { header: 'opening', value: (row) => row.opening, numeric: true },
  { header: 'debit', value: (row) => row.debit, numeric: true },
  { header: 'credit', value: (row) => row.credit, numeric: true },
  { header: 'balance', value: (row) => row.balance, numeric: true },
];

function printReports(reports: ReplayReports, lastPosition: string | undefined, out: CliContext['out']): void {
  const cut = [reports.asOf ? `as of ${reports.asOf}` : 'every business date', reports.knownAt ? `as known at ${reports.knownAt}` : 'everything recorded'].join(', ');
  out(`Replayed the log up to position ${lastPosition ?? '(empty log)'}: year ${reports.year}, ${cut}; invoices aged on ${reports.referenceDate}.`);
  out('');
  out(`Room budgets ${reports.year} (EUR)`);
  out(formatTable(ROOM_COLUMNS, reports.rooms));
  out('');
  out(`Financier positions ${reports.year} (EUR; paid on time: paid in full within 28 days / paid in full)`);
  out(formatTable(FINANCIER_COLUMNS, reports.financiers));
  out('');
  const { totals } = reports.trialBalance;
  out(`Trial balance ${reports.year} (EUR; opening and balance are debit minus credit)`);
  out(formatTable(TRIAL_BALANCE_COLUMNS, reports.trialBalance.accounts, { account: 'total', name: '', type: 'equity', ...totals }));
  for (const note of reports.trialBalance.notes) out(`note: ${note}`);
}

/**
 * The reports once both threads have folded their shares of the trial balance (replay-split.ts)
 * and found every event they checked well formed. A refusal is the failure at the lowest
 * position of either thread: a malformed event is refused with the contract's message, also when
 * it made the main thread's unchecked fold fail first (that failure would only be a symptom of it).
 */
async function checkedReports(runner: ProjectionRunner, query: YearCutQuery & { referenceDate: string }, worker: ReplayWorker): Promise<ReplayReports> {
  const refusal = (message: string) => new StoredEventCorrupt(message);
  const cut = yearCutOf(query);
  // Asked for in the same tick as replayReports' reads: the same pass over the log folds it.
  const mainShare = runner.read(mainThreadShare(cut), cutOf(query));
  const trialBalance = Promise.all([worker.verdict, mainShare]).then(([verdict, share]) => {
    if (!verdict.ok) throw refusal(verdict.message);
    try {
      return yearBalanceTrialBalance(mergeYearBalances(verdict.share, share), cut);
    } catch (error) {
      // What the worker's verdict said when it built the whole trial balance itself.
      throw refusal(failureOf(error).message);
    }
  });
  // Handled here too: the main fold may fail before replayReports awaits it.
  trialBalance.catch(() => undefined);
  try {
    return await replayReports(runner, query, trialBalance);
  } catch (error) {
    const verdict = await worker.verdict;
    if (verdict.ok) throw error;
    const failedAt = failureAt(error);
    const mainFailedFirst = failedAt !== undefined && (verdict.position === undefined || comparePositionStrings(failedAt, verdict.position) < 0);
    throw mainFailedFirst ? error : refusal(verdict.message);
  }
}

export const replayCommand: CliCommand = {
  name: 'replay',
  summary: 'rebuild every projection from the log alone and print room budgets, financier positions and the trial balance',
  usage: USAGE,
  async run(args, { config, out, err }) {
    const options = parseOptions(args, err);
    if (!options) return 2;
    const store = await openExistingLedger(config, err);
    if (!store) return 2;
    const referenceDate = referenceDateFor(options, new Date());
    const query = { year: options.year ?? defaultReplayYear(options.asOf, referenceDate), asOf: options.asOf, knownAt: options.knownAt, referenceDate };
    const lastPosition = await store.lastPosition();
    // Most of the trial balance, and the check of every event up to the head but the main thread's types, on the second core (replay-worker.ts).
    const worker = lastPosition === undefined ? undefined : startReplayWorker(config, query, lastPosition);
    // A runner of its own, without the service's standing projections: nothing cached, every figure comes from folding the log now.
    // Both threads and every pass fold the log up to the head read here, whatever is written meanwhile.
    const runner = new LogProjectionRunner(lastPosition === undefined ? store : logPrefix(store, lastPosition), lastPosition === undefined ? {} : mainThreadRunnerOptions(lastPosition));
    try {
      // The bounded fold: a replay's memory must not grow with the log (the journal keeps every entry).
      const reports = worker === undefined ? await replayReports(runner, query, 'fold') : await checkedReports(runner, query, worker);
      if (options.json) out(JSON.stringify({ lastPosition: lastPosition ?? null, ...reports }, null, 2));
      else printReports(reports, lastPosition, out);
      return 0;
    } finally {
      await runner.close();
      await store.close();
    }
  },
};

