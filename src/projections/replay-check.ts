/**
 * What the replay's worker thread computes (replay-worker.ts): the year's trial balance folded by
 * a runner of its own, which checks every event it reads against the event contract.
 */
import type { EventStore } from '../store/port.js';
import { foldedTrialBalance, type YearCutQuery } from './reports.js';
import type { ReplayWorkerVerdict } from './replay-worker.js';
import { LogProjectionRunner } from './runner.js';

/** The trial balance of a log whose every event matched the contract; a malformed event ends it with the reader's message. */
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
