/**
 * The accountant's replay on two cores. The main thread folds the rooms, pledges, receivables and
 * registry; a worker thread opens the same ledger and folds the year's trial balance
 * (year-balance.ts) on its own pass over the log.
 *
 * Every event is still checked against the event contract (`parseDomainEvent`, zod: a fifth of a
 * replay's CPU), once: the worker's runner checks each event as any first pass does, and the
 * main thread folds the events up to the head it started at unchecked. The replay prints nothing
 * before the worker's verdict, so a malformed event is refused exactly as before, with the same
 * message, only found on the other core.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { EventStore } from '../store/port.js';
import { foldedTrialBalance, type YearCutQuery } from './reports.js';
import { LogProjectionRunner } from './runner.js';
import type { TrialBalance } from './trial-balance.js';

/** The worker's answer: the trial balance of a log whose every event matched the contract, or why not. */
export type ReplayWorkerVerdict = { readonly ok: true; readonly trialBalance: TrialBalance } | { readonly ok: false; readonly message: string };

/**
 * What the worker thread runs: the trial balance folded by a runner of its own, which checks
 * every event it reads against the contract. A malformed event ends it with the reader's message.
 */
export async function checkedTrialBalance(store: EventStore, query: YearCutQuery): Promise<ReplayWorkerVerdict> {
  const runner = new LogProjectionRunner(store, { onePass: true });
  try {
    return { ok: true, trialBalance: await foldedTrialBalance(runner, query) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    await runner.close();
  }
}

/** The worker's running fold; `verdict` never rejects (a failed worker is a refusal). */
export interface ReplayWorker {
  readonly verdict: Promise<ReplayWorkerVerdict>;
}

/**
 * The worker starts from a few lines of plain JavaScript that import its module,
 * `replay-worker-thread`, in the form of this file: the built .js as it is; the .ts source (under
 * `npm run cli` and the tests) through tsx's `tsImport`, because Node 20 does not pass the main
 * thread's `--import` loader on to a worker.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.tsx === undefined) import(workerData.module);
else import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.module, workerData.module));
`;

/**
 * The worker's young generation, capped: its events die young (parsed, checked, folded, dropped),
 * so a smaller nursery is collected as cheaply and keeps the peak RSS of a 1M replay ~20 MB lower
 * (V8 otherwise grows it to 3 × 16 MB). The old generation is left to V8: a cap there would end
 * the replay of an unusual log with an out-of-memory error instead of a slower collection.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** Starts the worker on the configured ledger. */
export function startReplayWorker(config: Config, query: YearCutQuery): ReplayWorker {
  const source = import.meta.url.endsWith('.ts');
  const module = new URL(`./replay-worker-thread${source ? '.ts' : '.js'}`, import.meta.url).href;
  const tsx = source ? import.meta.resolve('tsx/esm/api') : undefined;
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { module, tsx, config, query }, resourceLimits: WORKER_LIMITS });
  const verdict = new Promise<ReplayWorkerVerdict>((resolve) => {
    worker.once('message', (message: ReplayWorkerVerdict) => resolve(message));
    worker.once('error', (error) => resolve({ ok: false, message: `the replay's worker failed: ${error.message}` }));
    worker.once('exit', (code) => resolve({ ok: false, message: `the replay's worker stopped with exit code ${code} before its verdict` }));
  });
  return { verdict };
}
