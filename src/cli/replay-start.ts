/**
 * The built CLI's first bundle for `replay` (dist/replay-start.cjs, tools/build-dist.mjs): it
 * only starts the replay's worker thread, so that the thread's own start (Node's bootstrap of a
 * thread, some 40 ms) and the loading of its bundle overlap the main thread's loading of the
 * replay's CLI bundle (replay-main.ts), which the starter runs next. The thread waits, unused,
 * until the command gives it the ledger and query (replay-worker.ts keeps it process-wide).
 */
import { prepareReplayWorker } from '../projections/replay-worker.js';

prepareReplayWorker();
