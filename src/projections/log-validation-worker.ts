/** The worker thread of log-validation.ts: opens the ledger, validates the log through a position, posts the verdict. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config.js';
import { openConfiguredStore } from '../store/open.js';
import { validateLog, type ValidationVerdict } from './log-validation.js';

const { config, through } = workerData as { config: Config; through: string };
let verdict: ValidationVerdict;
const opened = await openConfiguredStore(config, { mustExist: true });
if (!opened) verdict = { ok: false, message: `no ledger at ${config.SQLITE_PATH}` };
else {
  try {
    verdict = await validateLog(opened.store, through);
  } finally {
    await opened.store.close();
  }
}
parentPort!.postMessage(verdict);
