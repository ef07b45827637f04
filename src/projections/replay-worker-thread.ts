/**
 * The worker thread of replay-worker.ts. Its modules load as soon as the thread starts (while the
 * main thread still loads its own); it then waits for the ledger and the query, opens the ledger,
 * folds its checked share of the trial balance and posts the verdict.
 */
import { parentPort } from 'node:worker_threads';
import type { Config } from '../config.js';
import { BUILD_ID, OTHER_BUILD } from './build-id.js';
import { logPrefix } from '../store/log-prefix.js';
import { openConfiguredStore } from '../store/open.js';
import type { YearCutQuery } from './reports.js';
import { checkedWorkerShare } from './replay-check.js';
import type { ReplayWorkerVerdict } from './replay-worker.js';

async function verdictFor(config: Config, query: YearCutQuery, head: string): Promise<ReplayWorkerVerdict> {
  const opened = await openConfiguredStore(config, { mustExist: true });
  if (!opened) return { ok: false, message: `no ledger at ${config.SQLITE_PATH}` };
  try {
    return await checkedWorkerShare(logPrefix(opened.store, head), query);
  } finally {
    await opened.store.close();
  }
}

parentPort!.once('message', ({ config, query, head, build }: { config: Config; query: YearCutQuery; head: string; build: string | undefined }) => {
  if (build !== BUILD_ID) {
    parentPort!.postMessage({ ok: false, message: OTHER_BUILD } satisfies ReplayWorkerVerdict);
    return;
  }
  void verdictFor(config, query, head).then((verdict) => parentPort!.postMessage(verdict));
});
