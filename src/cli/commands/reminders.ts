import { DateSchema } from '../../domain/calendar.js';
import { reminderPolicyOf } from '../../config.js';
import { createProjectionRunner } from '../../projections/create.js';
import { documentsProjection } from '../../projections/documents.js';
import { receivablesProjection } from '../../projections/receivables.js';
import { referenceDateFor } from '../../projections/reports.js';
import { overdueReport } from '../../projections/views/invoices.js';
import { withReminders, type OverdueWithReminders } from '../../projections/views/reminders.js';
import { openExistingLedger } from '../../store/open.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseCommandOptions } from '../options.js';
import { formatTable, type Column } from '../table.js';

const USAGE = 'reminders [--as-of YYYY-MM-DD] [--due] [--json]';

interface Options {
  readonly asOf?: string;
  readonly due: boolean;
  readonly json: boolean;
}

function parseOptions(args: readonly string[], err: CliContext['err']): Options | undefined {
  const values = parseCommandOptions(
    args,
    { 'as-of': { type: 'string' }, due: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    USAGE,
    err,
    (values) => (values['as-of'] !== undefined && !DateSchema.safeParse(values['as-of']).success ? ['--as-of must be a real date YYYY-MM-DD'] : []),
  );
  if (!values) return undefined;
  return { due: values.due ?? false, json: values.json ?? false, ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }) };
}

const COLUMNS: readonly Column<OverdueWithReminders>[] = [
  { header: 'invoice', value: (row) => row.number },
  { header: 'financier', value: (row) => row.financier },
  { header: 'due', value: (row) => row.dueDate },
  { header: 'days overdue', value: (row) => String(row.daysOverdue), numeric: true },
  { header: 'open', value: (row) => row.openAmount, numeric: true },
  { header: 'last reminder', value: (row) => (row.lastReminder ? `${row.lastReminder.kind} ${row.lastReminder.date} (${row.lastReminder.channel})` : '-') },
  { header: 'due for', value: (row) => row.reminderDue ?? '-' },
];

/** `npm run cli -- reminders`: the overdue invoices, each with its last reminder and the one it is due for. */
export const remindersCommand: CliCommand = {
  name: 'reminders',
  summary: 'overdue invoices with their last reminder and which are due for a herinnering or aanmaning',
  usage: USAGE,
  async run(args, { config, out, err }) {
    const options = parseOptions(args, err);
    if (!options) return 2;
    const store = await openExistingLedger(config, err);
    if (!store) return 2;
    const runner = createProjectionRunner(store);
    try {
      const referenceDate = referenceDateFor(options, new Date());
      const cut = options.asOf === undefined ? {} : { asOf: options.asOf };
      const [receivables, documents] = await Promise.all([runner.read(receivablesProjection, cut), runner.read(documentsProjection, cut)]);
      const policy = reminderPolicyOf(config);
      const rows = withReminders(overdueReport(receivables, referenceDate), documents, referenceDate, policy).filter((row) => !options.due || row.reminderDue !== null);
      if (options.json) out(JSON.stringify({ referenceDate, policy, invoices: rows }, null, 2));
      else {
        out(`overdue invoices on ${referenceDate} (herinnering ${policy.firstAfterDays} days after the due date, aanmaning ${policy.formalAfterDays} days after it)`);
        out(rows.length === 0 ? '  none' : formatTable(COLUMNS, rows));
        const due = rows.filter((row) => row.reminderDue !== null).length;
        out(`${due} due for a reminder: POST /invoices/<number>/reminders, then GET /reminders/<id>/document.pdf`);
      }
      return 0;
    } finally {
      await runner.close();
      await store.close();
    }
  },
};
