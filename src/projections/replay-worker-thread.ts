/**
 * The worker thread of replay-worker.ts. Its modules load as soon as the thread starts (while the
 * main thread still loads its own); it then waits for the ledger and the query, opens the ledger,
 * folds its checked share of the trial balance and posts the verdict.
 */
import { parentPort } from 'node:worker_threads';
import type { Config } from '../config.js';
import { openConfiguredStore } from '../store/open.js';
import type { YearCutQuery } from './reports.js';
import { checkedWorkerShare } from './replay-check.js';
import type { ReplayWorkerVerdict } from './replay-worker.js';

async function verdictFor(config: Config, query: YearCutQuery): Promise<ReplayWorkerVerdict> {
  const opened = await openConfiguredStore(config, { mustExist: true });
  if (!opened) return { ok: false, message: `no ledger at ${config.SQLITE_PATH}` };
  try {
    return await checkedWorkerShare(opened.store, query);
  } finally {
    await opened.store.close();
  }
}

parentPort!.once('message', ({ config, query }: { config: Config; query: YearCutQuery }) => {
  void verdictFor(config, query).then((verdict) => parentPort!.postMessage(verdict));
});
