/**
 * One year's exports from a large store, as the service serves them after a start:
 * `npm run bench -- export --file ledger.db [--year 2017] [--runs 3] [--closing] [--ways year]`
 * (or `--events N` to build a synthetic log first).
 *
 * Each run is a fresh child process (a restart): it opens the store with the service's runner
 * (createServiceProjectionRunner, checkpoints included), reads the read routes' projections (the
 * start), then renders the year's hledger journal twice (first request, repeat), then the XAF
 * and the journal CSV, printing wall and CPU time (user + system of the process) of each.
 * Runs alternate between two ways of getting the year's journal, in the same minute, so a
 * loaded machine slows both alike:
 * - `journal`: the whole journal projection, cut to the year (how the exports read it before);
 * - `year`: what `GET /exports/*` uses now (`readYearJournal`): the year's own events and the
 *   undated ones, read through the store's business-date index (`scanBusinessYear`), joined with
 *   the checkpointed year-openings projection's sums of the years before (year-journal.ts).
 *   The first start of a file without the index fills it in (the untimed first start here).
 * `--ways year` (or `journal`) runs only that way: the old one takes a minute of a run on 1M events.
 * `--closing` also renders all five files of the year as a closing does (at the log's head; with
 * today's code in both ways, so only in the `year` runs).
 * The store is opened read-write (checkpoints are saved): give it a copy of a shared file.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildJournalCsv } from '../src/exports/csv.js';
import { buildHledgerJournal } from '../src/exports/hledger.js';
import { buildXaf } from '../src/exports/xaf.js';
import { renderYearFiles } from '../src/exports/year-files.js';
import { createServiceProjectionRunner } from '../src/projections/create.js';
import { journalOf, ledgerProjection } from '../src/projections/journal.js';
import { readYearJournal } from '../src/projections/reports.js';
import type { ProjectionRunner } from '../src/projections/runner.js';
import { STANDARD_PROJECTIONS } from '../src/projections/standard.js';
import { yearJournal, type YearJournal } from '../src/projections/trial-balance.js';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { withLedgerFile } from './ledger-file.js';

const CHILD_FLAG = 'BENCH_EXPORT_CHILD';
const WAYS = ['journal', 'year'] as const;
type Way = (typeof WAYS)[number];

interface ExportOptions {
  readonly file: string | undefined;
  readonly events: number;
  readonly year: number;
  readonly runs: number;
  readonly closing: boolean;
  readonly ways: readonly Way[];
}

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

interface ChildFigures {
  readonly start: Timing;
  readonly steps: Record<string, Timing>;
  readonly bytes: number;
  readonly maxRssMb: number;
}

export function exportOptions(args: readonly string[]): ExportOptions {
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const whole = (flag: string, fallback: string) => {
    const value = Number((at(flag) ?? fallback).replace(/_/g, ''));
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number`);
    return value;
  };
  const ways = (at('--ways') ?? WAYS.join(',')).split(',');
  const unknown = ways.find((way) => !(WAYS as readonly string[]).includes(way));
  if (unknown !== undefined) throw new Error(`--ways takes ${WAYS.join(' and/or ')}, not ${unknown}`);
  return { file: at('--file'), events: whole('--events', '100000'), year: whole('--year', '2017'), runs: whole('--runs', '3'), closing: args.includes('--closing'), ways: ways as Way[] };
}

export async function benchExport(options: ExportOptions): Promise<void> {
  await withLedgerFile(options.file, options.events, 'ledger-export-', async (path) => {
    const store = new SqliteEventStore(path);
    const head = (await store.lastPosition()) ?? '0';
    await store.close();
    console.log(`${Number(head).toLocaleString('en')} events in ${path}, year ${options.year}; each run a fresh process started with the service's runner`);
    // One start first, untimed: it saves the checkpoint every later start loads, as a running service would have.
    await inChild(path, 'year', options.year, false);
    const figures = new Map<Way, ChildFigures[]>(options.ways.map((way) => [way, []]));
    for (let run = 0; run < options.runs; run += 1) {
      for (const way of options.ways) figures.get(way)!.push(await inChild(path, way, options.year, options.closing));
    }
    for (const way of options.ways) report(way, figures.get(way)!);
  });
}

function report(way: Way, runs: readonly ChildFigures[]): void {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const line = (label: string, pick: (figures: ChildFigures) => Timing | undefined) => {
    const timings = runs.map(pick).filter((timing): timing is Timing => timing !== undefined);
    if (timings.length === 0) return;
    const wall = median(timings.map((timing) => timing.wallMs));
    const cpu = median(timings.map((timing) => timing.cpuMs));
    console.log(`    ${label.padEnd(34)} wall ${(wall / 1000).toFixed(2).padStart(6)} s   CPU ${(cpu / 1000).toFixed(2).padStart(6)} s`);
  };
  console.log(`  ${way === 'journal' ? 'before: the whole journal, cut to the year' : 'now: the year\'s events (business-date index) + the year-openings projection (readYearJournal)'} (median of ${runs.length} runs; ${runs[0]!.bytes.toLocaleString('en')} bytes of hledger; peak RSS ${median(runs.map((run) => run.maxRssMb)).toFixed(0)} MB)`);
  line('start (read projections)', (figures) => figures.start);
  for (const step of Object.keys(runs[0]!.steps)) line(step, (figures) => figures.steps[step]);
}

function inChild(path: string, way: Way, year: number, closing: boolean): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, [CHILD_FLAG]: JSON.stringify({ path, way, year, closing }) };
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim().split('\n').pop()!) as ChildFigures) : reject(new Error(`the export child exited with ${code}`))));
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; timing: Timing }> {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, timing: { wallMs: Number(process.hrtime.bigint() - wall) / 1e6, cpuMs: (used.user + used.system) / 1000 } };
}

/** The year's journal the way this run reads it. */
async function yearOf(runner: ProjectionRunner, way: Way, year: number): Promise<YearJournal> {
  if (way === 'year') return readYearJournal(runner, { year });
  return yearJournal(journalOf(await runner.read(ledgerProjection)), { year });
}

async function measure(path: string, way: Way, year: number, closing: boolean): Promise<ChildFigures> {
  const createdAt = new Date('2025-01-01T00:00:00Z');
  const store = new SqliteEventStore(path);
  const runner = createServiceProjectionRunner(store);
  const steps: Record<string, Timing> = {};
  const start = await timed(() => Promise.all(STANDARD_PROJECTIONS.map((projection) => runner.read(projection))));
  const first = await timed(async () => buildHledgerJournal(await yearOf(runner, way, year), { createdAt }));
  steps['hledger, first request'] = first.timing;
  steps['hledger, repeated'] = (await timed(async () => buildHledgerJournal(await yearOf(runner, way, year), { createdAt }))).timing;
  steps['XAF (journal read already)'] = (await timed(async () => buildXaf(await yearOf(runner, way, year), { createdAt }))).timing;
  steps['journal CSV (journal read already)'] = (await timed(async () => buildJournalCsv(await yearOf(runner, way, year)))).timing;
  if (closing && way === 'year') {
    // A closing renders the five files from the log at its position (ProjectionsAtPosition), whatever the live runner holds.
    const head = (await store.lastPosition()) ?? '0';
    steps['closing: all five files at the head'] = (await timed(() => renderYearFiles(store, { year, position: head, createdAt: createdAt.toISOString() }))).timing;
  }
  await runner.close();
  await store.close();
  return { start: start.timing, steps, bytes: Buffer.byteLength(first.value), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

const childTask = process.env[CHILD_FLAG];
if (childTask !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  const { path, way, year, closing } = JSON.parse(childTask) as { path: string; way: Way; year: number; closing: boolean };
  measure(path, way, year, closing).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
