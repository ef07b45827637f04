/**
 * The accountant's replay against ledger-cli on the same books: `npm run bench -- versus-ledger
 * [--events N] [--runs R] [--file ledger.db]`.
 *
 * 1. Writes a synthetic log of N events (bench/projections-log.ts) to a temporary SQLite file
 *    (or, with `--file ledger.db`, uses that ledger as it is).
 * 2. Exports its journal for all years as one plain-text journal (the service's hledger export
 *    format, one opening balance: the first year's, then every year's entries).
 * 3. Checks that the replay, ledger and (up to HLEDGER_MAX_EVENTS) hledger agree on the bank
 *    balance (account 1100) at the end of the last year.
 * 4. Times the replay process (`node dist/cli/main.js replay --as-of … --json`, built as `npm
 *    start` builds: the CLI and its worker as bundles run from V8's code cache, which one untimed
 *    run writes first, as any run after the first one of a build has it) and `ledger -f export
 *    bal`, interleaved, R runs each, each with its peak RSS from `/usr/bin/time -v`, and prints
 *    the medians and the ratio.
 *
 * It asserts nothing: a disagreement is printed loudly, and its figures go in the README.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hledgerJournalParts } from '../src/exports/hledger.js';
import { createProjectionRunner } from '../src/projections/create.js';
import { journalOf, ledgerProjection, type JournalEntry } from '../src/projections/journal.js';
import { yearJournal, type YearJournal } from '../src/projections/trial-balance.js';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { copyLedgerFile } from './ledger-file.js';
import { writeSyntheticLog } from './projections-log.js';

export interface VersusLedgerOptions {
  readonly events: number;
  readonly runs: number;
  /** An existing ledger to compare on instead of a new synthetic one (`--file`). */
  readonly file?: string;
}

/** hledger is slow and memory-hungry on big journals: it only cross-checks the balance on small logs. */
const HLEDGER_MAX_EVENTS = 200_000;
const BANK = '1100';
const REPO = fileURLToPath(new URL('..', import.meta.url));

export function versusLedgerOptions(args: readonly string[]): VersusLedgerOptions {
  const valueOf = (flag: string, fallback: number): number => {
    const index = args.indexOf(flag);
    if (index < 0) return fallback;
    const value = Number((args[index + 1] ?? '').replace(/_/g, ''));
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number`);
    return value;
  };
  const file = args.includes('--file') ? args[args.indexOf('--file') + 1] : undefined;
  return { events: valueOf('--events', 100_000), runs: valueOf('--runs', 3), ...(file === undefined ? {} : { file }) };
}

interface Run {
  readonly seconds: number;
  /** User plus system CPU time: steadier than wall time on a machine shared with other work. */
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly stdout: string;
  /** The CPU seconds of each thread of the timed process, largest first (Linux: /proc), when it could be read. */
  readonly threadCpuSeconds?: readonly ThreadCpu[];
}

interface ThreadCpu {
  /** 'main' (the process's first thread) or 'thread N' in the order the threads started. */
  readonly thread: string;
  readonly seconds: number;
}

export async function benchVersusLedger(options: VersusLedgerOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-versus-'));
  try {
    // A given ledger is copied first: opening it may migrate or checkpoint it, and the bench stores must stay as built.
    const path = join(dir, 'ledger.db');
    if (options.file !== undefined) copyLedgerFile(options.file, path);
    const exportPath = join(dir, 'export.journal');
    const store = new SqliteEventStore(path);
    if (options.file === undefined) await writeSyntheticLog(store, options.events);
    const events = Number((await store.lastPosition()) ?? 0);
    const lastDate = await exportAllYears(store, exportPath);
    await store.close();
    console.log(`${events.toLocaleString('en')} events ${options.file === undefined ? 'written' : `in ${options.file}`}, exported up to ${lastDate}`);

    buildForProduction();
    const replayCommand = ['node', [join(REPO, 'dist/cli/main.js'), 'replay', '--as-of', lastDate, '--json']] as const;
    const ledgerCommand = ['ledger', ['-f', exportPath, 'bal']] as const;
    const env = { ...process.env, STORE: 'sqlite', SQLITE_PATH: path, DATA_DIR: dir };

    // Untimed: the first run after a build compiles the bundles and writes their code caches.
    await timed(...replayCommand, env);
    const replays: Run[] = [];
    const ledgers: Run[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      replays.push(await timed(...replayCommand, env, true));
      ledgers.push(await timed(...ledgerCommand, env));
    }
    reportAgreement(replays[0]!.stdout, exportPath, events);
    // The replay folds on two threads (src/projections/replay-worker.ts): its CPU time is both
    // threads' and exceeds its wall time on two free cores; the goal is set on wall time.
    const replay = summary('replay (node dist/cli/main.js replay --as-of … --json; CPU is both its threads)', replays);
    printThreadCpu(replays);
    const ledger = summary('ledger -f export bal', ledgers);
    console.log(`  replay runs ${replay.ratio(ledger)} ledger's speed (ledger median / replay median)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes the whole journal as one plain-text journal: the first year's heading and opening
 * balance, then every entry up to the last year's end by date. Returns that last date.
 */
async function exportAllYears(store: SqliteEventStore, exportPath: string): Promise<string> {
  const runner = createProjectionRunner(store);
  try {
    const journal = journalOf(await runner.read(ledgerProjection));
    // A loop, not Math.min(...years): a million arguments overflow the stack.
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const entry of journal.entries) {
      const year = Number(entry.date.slice(0, 4));
      first = Math.min(first, year);
      last = Math.max(last, year);
    }
    const firstYear = yearJournal(journal, { year: first });
    const lastYear = yearJournal(journal, { year: last });
    const entries: JournalEntry[] = [...journal.entries].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const allYears: YearJournal = {
      ...firstYear,
      endDate: lastYear.endDate,
      entries,
      accounts: new Map([...firstYear.accounts, ...lastYear.accounts]),
      notes: [],
    };
    writeJournalFile(exportPath, allYears);
    return lastYear.endDate;
  } finally {
    await runner.close();
  }
}

/**
 * Writes the journal in pieces of a few MB: at 3M events the whole text passes V8's 512 MB string
 * limit (`RangeError: Invalid string length`). The file is buildHledgerJournal's text byte for byte.
 */
function writeJournalFile(exportPath: string, journal: YearJournal): void {
  const file = openSync(exportPath, 'w');
  try {
    let pending: string[] = [];
    let pendingLength = 0;
    const flush = () => {
      writeSync(file, pending.join(''));
      pending = [];
      pendingLength = 0;
    };
    let first = true;
    for (const part of hledgerJournalParts(journal, { createdAt: new Date() })) {
      const piece = first ? part : `\n\n${part}`;
      first = false;
      pending.push(piece);
      pendingLength += piece.length;
      if (pendingLength > 4_000_000) flush();
    }
    pending.push('\n');
    flush();
  } finally {
    closeSync(file);
  }
}

/**
 * The replay is timed as production runs it: the CLI and its worker bundled (tools/build-dist.mjs,
 * what `npm start` builds), not through tsx. The build removes the bundles' code caches.
 */
function buildForProduction(): void {
  console.log('building dist/ (tools/build-dist.mjs, as npm start does) so the replay runs as in production…');
  const build = spawnSync(process.execPath, [join(REPO, 'tools', 'build-dist.mjs')], { cwd: REPO, stdio: 'inherit' });
  if (build.status !== 0 || !existsSync(join(REPO, 'dist/cli.cjs'))) throw new Error('tools/build-dist.mjs failed');
}

/** Wall time of one process, and its peak RSS as `/usr/bin/time -v` reports it; with `watchThreads`, its CPU by thread (ThreadCpuWatch). */
function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv, watchThreads = false): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-v', command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const threads = watchThreads ? new ThreadCpuWatch(child.pid) : undefined;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const threadCpuSeconds = threads?.stop();
      const report = Buffer.concat(stderr).toString('utf8');
      if (code !== 0) return reject(new Error(`${command} exited with ${code}:\n${report}`));
      const kilobytes = /Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1];
      const cpu = (label: string) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(report)?.[1] ?? 0);
      resolve({
        seconds,
        cpuSeconds: cpu('User') + cpu('System'),
        maxRssMb: Number(kilobytes ?? 0) / 1024,
        stdout: Buffer.concat(stdout).toString('utf8'),
        ...(threadCpuSeconds === undefined ? {} : { threadCpuSeconds }),
      });
    });
  });
}

/**
 * The CPU time of each thread of the process `/usr/bin/time` runs (its child), read from
 * /proc/PID/task/TID/stat every few milliseconds until it exits: the replay's main thread, its
 * worker and V8's helper threads (optimising compiles, GC) apart. CPU time stays comparable on a
 * machine shared with other work, where wall time does not. Undefined where /proc is not Linux's.
 */
class ThreadCpuWatch {
  private readonly ticks = new Map<string, number>();
  private readonly started: string[] = [];
  private pid: string | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly clockTicks = 100; // USER_HZ on Linux

  constructor(private readonly timePid: number | undefined) {
    // Every 10 ms: often enough to see a thread's last CPU within that, rarely enough to take little from the timed process.
    this.timer = setInterval(() => this.poll(), 10);
  }

  private poll(): void {
    try {
      this.pid ??= readFileSync(`/proc/${this.timePid}/task/${this.timePid}/children`, 'utf8').trim().split(' ')[0] || undefined;
      if (this.pid === undefined) return;
      for (const tid of readdirSync(`/proc/${this.pid}/task`)) {
        const stat = readFileSync(`/proc/${this.pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (!this.ticks.has(tid)) this.started.push(tid);
        this.ticks.set(tid, Number(fields[11]) + Number(fields[12]));
      }
    } catch {
      // Not Linux, or the process just ended: the last reading stands.
    }
  }

  stop(): ThreadCpu[] | undefined {
    clearInterval(this.timer);
    if (this.pid === undefined || this.ticks.size === 0) return undefined;
    const numbered = [...this.started].sort((a, b) => Number(a) - Number(b));
    return numbered
      .map((tid, index) => ({ thread: tid === this.pid ? 'main' : `thread ${index}`, seconds: this.ticks.get(tid)! / this.clockTicks }))
      .filter((thread) => thread.seconds > 0)
      .sort((a, b) => b.seconds - a.seconds);
  }
}

/**
 * Each replay run's CPU by thread: the main thread, the replay's worker (the other busy one) and
 * V8's helpers, whose optimising compiles are most of the rest (a fixed cost of each thread's hot code).
 */
function printThreadCpu(runs: readonly Run[]): void {
  for (const [index, run] of runs.entries()) {
    const threads = run.threadCpuSeconds;
    if (threads === undefined) continue;
    const [main, worker, ...helpers] = [threads.find((thread) => thread.thread === 'main'), ...threads.filter((thread) => thread.thread !== 'main')];
    const helperSeconds = helpers.reduce((total, thread) => total + thread.seconds, 0);
    console.log(
      `    run ${index + 1} CPU by thread: main ${main?.seconds.toFixed(2) ?? '?'} s, worker ${worker?.seconds.toFixed(2) ?? '-'} s, ${helpers.length} other threads (V8's compiles and GC helpers) ${helperSeconds.toFixed(2)} s`,
    );
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Summary {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

function summary(label: string, runs: readonly Run[]): Summary & { ratio(other: Summary): string } {
  const seconds = median(runs.map((run) => run.seconds));
  const cpuSeconds = median(runs.map((run) => run.cpuSeconds));
  const rss = Math.max(...runs.map((run) => run.maxRssMb));
  const list = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
  console.log(`  ${label}:`);
  console.log(`    wall median ${seconds.toFixed(2)} s (${list(runs.map((run) => run.seconds))}), CPU median ${cpuSeconds.toFixed(2)} s (${list(runs.map((run) => run.cpuSeconds))}), peak RSS ${rss.toFixed(0)} MB`);
  return {
    seconds,
    cpuSeconds,
    ratio: (other) => `${(other.seconds / seconds).toFixed(2)}× by wall time, ${(other.cpuSeconds / cpuSeconds).toFixed(2)}× by CPU time`,
  };
}

/** The bank balance each tool reports; printed side by side, with a warning when they differ. */
function reportAgreement(replayJson: string, exportPath: string, events: number): void {
  const replay = JSON.parse(replayJson) as { trialBalance: { accounts: Array<{ account: string; balance: string }> } };
  const balances: Array<[tool: string, balance: string]> = [
    ['replay', replay.trialBalance.accounts.find((row) => row.account === BANK)?.balance ?? '0.00'],
    ['ledger', bankBalanceFrom(spawnSync('ledger', ['-f', exportPath, 'bal', `^${BANK}$`], { encoding: 'utf8' }).stdout)],
  ];
  if (events <= HLEDGER_MAX_EVENTS) {
    balances.push(['hledger', bankBalanceFrom(spawnSync('hledger', ['-f', exportPath, 'bal', `^${BANK}$`, '-N'], { encoding: 'utf8' }).stdout)]);
  }
  const agree = balances.every(([, balance]) => balance === balances[0]![1]);
  console.log(`  bank balance (${BANK}): ${balances.map(([tool, balance]) => `${tool} ${balance}`).join(', ')}: ${agree ? 'they agree' : 'THEY DIFFER'}`);
}

/** `EUR 1234.56` (or `EUR -1234.56`) from a one-account balance report, as the replay writes it. */
function bankBalanceFrom(report: string): string {
  const match = /EUR\s*(-?[\d,]+\.\d{2})/.exec(report);
  return match ? match[1]!.replace(/,/g, '') : `(no balance in: ${report.trim().slice(0, 80)})`;
}
