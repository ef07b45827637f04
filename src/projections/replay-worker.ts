/**
 * The accountant's replay on two cores. The main thread folds the rooms, pledges, receivables and
 * registry; a worker thread opens the same ledger and folds its share of the year's trial balance
 * (year-balance.ts) on its own pass over the log; the main thread folds the other share
 * (replay-split.ts says which types each thread takes) and adds the two up.
 *
 * Every event is still checked against the event contract (event-precheck.ts, zod where it
 * cannot pass an event), once: the main thread checks the types it posts, the worker's runner
 * (replay-check.ts) every other event, and the main thread folds the rest of the events up to
 * the head it started at unchecked. The replay prints nothing before the worker's verdict, and a
 * refusal is the lowest-position failure of either thread, so a malformed event is refused
 * exactly as by a single pass, with the same message.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { BUILD_ID } from './build-id.js';
import type { YearCutQuery } from './reports.js';
import type { Failure } from './replay-split.js';
import type { YearBalanceState } from './year-balance.js';

/**
 * The worker's answer: its share of the trial balance (replay-split.ts) of a log whose events it
 * checked all matched the contract, or why not, with the position of the event it stopped at.
 * The share crosses threads as a structured clone (Maps and bigint cents survive it).
 */
export type ReplayWorkerVerdict = { readonly ok: true; readonly share: YearBalanceState } | ({ readonly ok: false } & Failure);

/** The worker's running fold; `verdict` never rejects (a failed worker is a refusal). */
export interface ReplayWorker {
  readonly verdict: Promise<ReplayWorkerVerdict>;
}

/**
 * The worker starts from a few lines of plain JavaScript that load its module,
 * `replay-worker-thread`, in the form of this file: bundled (the CLI run from dist/cli.cjs,
 * tools/build-dist.mjs) as the bundle dist/replay-worker.cjs, through the loader that hands V8 its
 * code cache (required: CommonJS, so the thread never starts Node's ESM loader); the built .js as
 * it is; the .ts source (under `npm run cli` and the tests) through tsx's `tsImport`, because
 * Node 20 does not pass the main thread's `--import` loader on to a worker.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.bundle !== undefined) require(workerData.loader).runBundle(workerData.bundle);
else if (workerData.tsx === undefined) import(workerData.module);
else import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.module, workerData.module));
`;

/** Where the worker's code is, beside this module's (see BOOTSTRAP). */
function workerCode(): { module?: string; tsx?: string; bundle?: string; loader?: string } {
  const here = import.meta.url;
  // In a bundle import.meta.url is the bundle's (tools/build-dist.mjs). Judged by the path: a
  // module imported under a URL with a query (a test's second copy of it) is the same file.
  const { pathname } = new URL(here);
  if (pathname.endsWith('.cjs')) return { bundle: new URL('./replay-worker.cjs', here).href, loader: fileURLToPath(new URL('./bundle-loader.cjs', here)) };
  if (pathname.endsWith('.ts')) return { module: new URL('./replay-worker-thread.ts', here).href, tsx: import.meta.resolve('tsx/esm/api') };
  return { module: new URL('./replay-worker-thread.js', here).href };
}

/**
 * The worker's young generation, capped: its events die young (parsed, checked, folded, dropped),
 * so a smaller nursery is collected as cheaply and keeps the peak RSS of a 1M replay ~20 MB lower
 * (V8 otherwise grows it to 3 × 16 MB). The old generation is left to V8: a cap there would end
 * the replay of an unusual log with an out-of-memory error instead of a slower collection.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** A started thread that has its modules loading and waits for its ledger and query. */
interface IdleThread {
  readonly worker: Worker;
  readonly verdict: Promise<ReplayWorkerVerdict>;
}

function spawnThread(): IdleThread {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: workerCode(), resourceLimits: WORKER_LIMITS });
  const verdict = new Promise<ReplayWorkerVerdict>((resolve) => {
    worker.once('message', (message: ReplayWorkerVerdict) => resolve(message));
    worker.once('error', (error) => resolve({ ok: false, message: `the replay's worker failed: ${error.message}` }));
    worker.once('exit', (code) => resolve({ ok: false, message: `the replay's worker stopped with exit code ${code} before its verdict` }));
  });
  // Until it is given work, an idle thread keeps no process alive (a refused command just exits).
  // After the listeners: listening for messages would ref it again.
  worker.unref();
  return { worker, verdict };
}

interface Preparation {
  prepared?: IdleThread;
  /** Set once a worker was given work: a preparation arriving after that (it lost the race) is not needed. */
  started: boolean;
}

/**
 * The process's preparation, kept on the global object rather than in this module: built, the
 * replay's start bundle (src/cli/replay-start.ts, dist/replay-start.cjs) prepares the thread
 * before the CLI's replay bundle, which holds another copy of this module, has even loaded.
 */
const PREPARATION = Symbol.for('buurtwerkkamer-ledger.replay-worker.preparation');

function preparation(): Preparation {
  const slots = globalThis as { [PREPARATION]?: Preparation };
  return (slots[PREPARATION] ??= { started: false });
}

/**
 * Starts the worker thread before the replay's own modules load (the built CLI's starter, else
 * the CLI as the command is chosen): the thread's start and module loading then overlap the main
 * thread's, a tenth of a 100k-event replay. `startReplayWorker` takes it; unused, it ends with the
 * process.
 */
export function prepareReplayWorker(): void {
  const state = preparation();
  if (!state.started) state.prepared ??= spawnThread();
}

/**
 * Starts the worker on the configured ledger (the prepared thread when there is one). `head`: the
 * log position the replay folds up to (the main thread read it), whatever is written meanwhile.
 */
export function startReplayWorker(config: Config, query: YearCutQuery, head: string): ReplayWorker {
  const state = preparation();
  const thread = state.prepared ?? spawnThread();
  state.prepared = undefined;
  state.started = true;
  thread.worker.ref();
  thread.worker.postMessage({ config, query, head, build: BUILD_ID });
  return { verdict: thread.verdict };
}
