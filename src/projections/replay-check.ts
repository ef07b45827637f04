/**
 * What the replay's worker thread computes (replay-worker.ts): its share of the year's trial
 * balance (replay-split.ts), folded by a runner of its own that checks every event it reads
 * against the event contract and leaves the main thread's types unparsed.
 */
import type { EventStore } from '../store/port.js';
import { cutOf, yearCutOf, type YearCutQuery } from './reports.js';
import { failureOf, WORKER_RUNNER_OPTIONS, workerShare } from './replay-split.js';
import type { ReplayWorkerVerdict } from './replay-worker.js';
import { LogProjectionRunner } from './runner.js';

/** The worker's share of the trial balance of a log whose events (but the main thread's types) matched the contract; else where and why it stopped. */
export async function checkedWorkerShare(store: EventStore, query: YearCutQuery): Promise<ReplayWorkerVerdict> {
  const runner = new LogProjectionRunner(store, WORKER_RUNNER_OPTIONS);
  try {
    return { ok: true, share: await runner.read(workerShare(yearCutOf(query)), cutOf(query)) };
  } catch (error) {
    return { ok: false, ...failureOf(error) };
  } finally {
    await runner.close();
  }
}
