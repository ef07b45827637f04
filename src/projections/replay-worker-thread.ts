/** The worker thread of replay-worker.ts: opens the ledger, folds the checked trial balance, posts the verdict. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config.js';
import { openConfiguredStore } from '../store/open.js';
import type { YearCutQuery } from './reports.js';
import { checkedTrialBalance, type ReplayWorkerVerdict } from './replay-worker.js';

const { config, query } = workerData as { config: Config; query: YearCutQuery };
let verdict: ReplayWorkerVerdict;
const opened = await openConfiguredStore(config, { mustExist: true });
if (!opened) verdict = { ok: false, message: `no ledger at ${config.SQLITE_PATH}` };
else {
  try {
    verdict = await checkedTrialBalance(opened.store, query);
  } finally {
    await opened.store.close();
  }
}
parentPort!.postMessage(verdict);
