/**
 * How long a service start takes to its first answered room-budget read, without and with a
 * checkpoint: `npm run bench -- checkpoint-start [--events N] [--file ledger.db] [--runs R] [--keep-checkpoints]`.
 *
 * It works on a copy (a file given is never changed): the copy's checkpoints are dropped (unless
 * `--keep-checkpoints`: then the start without one is skipped when the copy has some) and the
 * copy is opened once (a file written by a build without running digests gets them then, once).
 *
 * 1. The projections alone, each start a fresh child process that opens the ledger with the
 *    service's runner, reads one room's budget and closes (which saves a checkpoint): first
 *    without a checkpoint (folds the whole log), then from the one the first saved. Printed per
 *    part: open, digest check, decode, catch-up.
 * 2. The real service, started `--runs` times (default 3) as `npm start` starts it (its `start`
 *    script, after its `prestart`), from the checkpoint: time and CPU from the spawn to the first
 *    200 of `GET /kamers/:id/budget/:year`, with the parts the service logs (module load, open,
 *    start check, anchor, app, listen; then the first read's digest check and decode). The first
 *    run follows the build, so it compiles the service bundle and writes its code cache; the
 *    others start from that cache, as every start after the first does.
 *
 * CPU time (from /proc) stays comparable on a loaded machine; wall time does not.
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TokenRegistry } from '../src/auth/tokens.js';
import { createServiceProjectionRunner } from '../src/projections/create.js';
import { pledgesProjection } from '../src/projections/pledges.js';
import { registryProjection } from '../src/projections/registry.js';
import { roomsProjection } from '../src/projections/rooms.js';
import { roomBudgetView } from '../src/projections/views/budget.js';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { freePort, processCpuMs } from './http.js';
import { copyLedgerFile } from './ledger-file.js';
import { writeSyntheticLog } from './projections-log.js';

const CHILD_FLAG = 'BENCH_CHECKPOINT_START_FILE';
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUDGET_PATH = '/kamers/kamer-042/budget/2020';

interface RunnerFigures {
  readonly openMs: number;
  readonly firstReadMs: number;
  readonly digestMs: number;
  readonly decodeMs: number;
  readonly closeMs: number;
  readonly loaded: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

export interface CheckpointStartOptions {
  readonly events: number;
  readonly file: string | undefined;
  readonly runs: number;
  readonly keepCheckpoints: boolean;
}

export function checkpointStartOptions(args: readonly string[]): CheckpointStartOptions {
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const events = Number((at('--events') ?? '100000').replace(/_/g, ''));
  if (!Number.isInteger(events) || events <= 0) throw new Error('--events needs a positive whole number');
  const runs = Number(at('--runs') ?? '3');
  if (!Number.isInteger(runs) || runs <= 0) throw new Error('--runs needs a positive whole number');
  return { events, file: at('--file'), runs, keepCheckpoints: args.includes('--keep-checkpoints') };
}

export async function benchCheckpointStart(options: CheckpointStartOptions): Promise<void> {
  // Next to the given file (the same disk, and /tmp may be small); a fresh log goes to the temp folder.
  const dir = mkdtempSync(options.file === undefined ? join(process.env.TMPDIR ?? '/tmp', 'ledger-checkpoint-') : join(dirname(options.file), 'checkpoint-start-'));
  try {
    const path = join(dir, 'ledger.db');
    if (options.file === undefined) {
      const store = new SqliteEventStore(path);
      await writeSyntheticLog(store, options.events);
      await store.close();
    } else {
      copyLedgerFile(options.file, path);
    }
    const opening = process.hrtime.bigint();
    const clean = new SqliteEventStore(path);
    const openSeconds = seconds(opening);
    if (!options.keepCheckpoints) clean.db.exec('DROP TABLE IF EXISTS projection_checkpoints');
    const kept = clean.checkpoints.all().length;
    const events = (await clean.lastPosition()) ?? '0';
    await clean.close();
    console.log(`${Number(events).toLocaleString('en')} events in a copy of ${options.file ?? 'a fresh synthetic log'} (first open, which adds running digests to an older file: ${openSeconds.toFixed(2)} s)`);
    console.log('projections alone (a child process per start, timed from opening the file):');
    const starts = kept > 0 ? [`from the ${kept} checkpoints the copy holds`] : ['without a checkpoint', 'from the checkpoint the first start saved'];
    for (const label of starts) {
      const figures = await runnerStartInChild(path);
      console.log(
        `  ${label}: first room-budget read after ${ms(figures.firstReadMs)} (open ${ms(figures.openMs)}, digest check ${ms(figures.digestMs)}, decode ${ms(figures.decodeMs)}, ` +
          `catch-up and read ${ms(figures.firstReadMs - figures.openMs - figures.digestMs - figures.decodeMs)}; ${figures.loaded} projections from a checkpoint); ` +
          `CPU ${ms(figures.cpuMs)}, close with checkpoint ${ms(figures.closeMs)}, peak RSS ${figures.maxRssMb.toFixed(0)} MB`,
      );
    }
    await benchServiceStarts(dir, path, options.runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

function runnerStartInChild(path: string): Promise<RunnerFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env: { ...process.env, [CHILD_FLAG]: path }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim().split('\n').pop()!) as RunnerFigures) : reject(new Error(`the start child exited with ${code}`))));
  });
}

/** The child: one start of the service's projections, measured from opening the file. */
async function measureRunnerStart(path: string): Promise<RunnerFigures> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const store = new SqliteEventStore(path);
  const openMs = performance.now() - started;
  let loaded = 0;
  let digestMs = 0;
  let decodeMs = 0;
  const runner = createServiceProjectionRunner(store, (event) => {
    if (event.kind !== 'loaded') return;
    loaded += 1;
    digestMs += event.digestMs;
    decodeMs += event.decodeMs;
  });
  const [registry, pledges, rooms] = await Promise.all([runner.read(registryProjection), runner.read(pledgesProjection), runner.read(roomsProjection)]);
  roomBudgetView({ registry, pledges, rooms }, 'kamer-042', 2020);
  const firstReadMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const closing = performance.now();
  await runner.close();
  await store.close();
  const closeMs = performance.now() - closing;
  return { openMs, firstReadMs, digestMs, decodeMs, closeMs, loaded, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

interface ServiceFigures {
  readonly firstAnswerMs: number;
  readonly cpuMs: number;
  /** The service's main thread only: the critical path (worker threads check the file beside it). */
  readonly mainThreadCpuMs: number;
  /** The parts the service logged: its `startMs` at listen, and the checkpoints' digest check and decode. */
  readonly parts: Record<string, number>;
}

/** The real service, started as `npm start` starts it, from the checkpoints the runner saved. */
async function benchServiceStarts(dir: string, path: string, runs: number): Promise<void> {
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const start = scripts.start!;
  if (scripts.prestart !== undefined) execSync('npm run --silent prestart', { cwd: REPO_ROOT, stdio: 'inherit' });
  const token = TokenRegistry.open(join(dir, 'tokens.json')).create({ role: 'treasurer', name: 'bench' }).token;
  console.log(`the service (\`${start}\`), from the checkpoint, to its first 200 on GET ${BUDGET_PATH}:`);
  for (let run = 1; run <= runs; run += 1) {
    // The build removes the bundle's code cache (tools/bundle-loader.cjs): the first start after it compiles and writes one.
    const codeCache = existsSync(join(REPO_ROOT, 'dist', 'service.cjs.cache')) ? 'from the code cache' : 'no code cache yet';
    const figures = await serviceStart(start, dir, path, token);
    const parts = Object.entries(figures.parts).map(([name, value]) => `${name} ${ms(value)}`).join(', ');
    console.log(`  run ${run} (${codeCache}): first answer after ${ms(figures.firstAnswerMs)}, CPU ${ms(figures.cpuMs)} of which the main thread ${ms(figures.mainThreadCpuMs)} (${parts})`);
  }
}

async function serviceStart(command: string, dir: string, path: string, token: string): Promise<ServiceFigures> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    DATA_DIR: dir,
    SQLITE_PATH: path,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
  };
  delete env.NODE_OPTIONS;
  const started = performance.now();
  // exec: the shell becomes the service, so its pid is the one whose CPU is read and signalled.
  const child = spawn('sh', ['-c', `exec ${command}`], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}) before answering:\n${log}`);
      const status = await getStatus(port, BUDGET_PATH, token).catch(() => 0);
      if (status === 200) break;
      if (status !== 0) throw new Error(`GET ${BUDGET_PATH} answered ${status}`);
      if (performance.now() - started > 300_000) throw new Error('no answer within 300 s');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const firstAnswerMs = performance.now() - started;
    const cpuMs = treeCpuMs(child.pid);
    const mainThreadCpuMs = processCpuMs(`${serviceProcess(child.pid)}/task/${serviceProcess(child.pid)}`);
    child.kill('SIGTERM');
    await exited;
    // Parsed after the exit: the logger writes asynchronously, its last lines come late.
    return { firstAnswerMs, cpuMs, mainThreadCpuMs, parts: partsFromLog(log) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** The CPU time of a process and its descendants (the tsx command runs node as its child). */
function treeCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  return childrenOf(pid).reduce((total, child) => total + treeCpuMs(child), processCpuMs(pid));
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return []; // gone already, or no /proc
  }
}

/** The process that runs the service: the spawned one, or its last descendant (tsx's node). */
function serviceProcess(pid: number | undefined): number | undefined {
  const children = pid === undefined ? [] : childrenOf(pid);
  return children.length === 0 ? pid : serviceProcess(children[children.length - 1]);
}

/** The `startMs` of the service's "listening" line, and the checkpoints' digest check and decode summed. */
function partsFromLog(log: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { startMs?: Record<string, number>; checkpoint?: { kind: string; digestMs?: number; decodeMs?: number } };
    if (entry.startMs) Object.assign(parts, entry.startMs);
    if (entry.checkpoint?.kind === 'loaded') {
      // Summed over every checkpoint loaded while it ran: those the first read did not need come after its answer.
      parts['checkpoint digest checks (all)'] = (parts['checkpoint digest checks (all)'] ?? 0) + (entry.checkpoint.digestMs ?? 0);
      parts['checkpoint decodes (all, most after the answer)'] = (parts['checkpoint decodes (all, most after the answer)'] ?? 0) + (entry.checkpoint.decodeMs ?? 0);
    }
  }
  return parts;
}

function getStatus(port: number, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end();
  });
}

const childPath = process.env[CHILD_FLAG];
if (childPath !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  measureRunnerStart(childPath).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
