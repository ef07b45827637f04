import t from 'tap';
import type { Worker } from 'node:worker_threads';
import { loadConfig } from '../../src/config.js';
import { startReplayWorker } from '../../src/projections/replay-worker.js';
import { appendEvents, kamer, testStore } from './read-model-events.js';

/**
 * Built, the CLI prepares the replay's worker thread from a bundle of its own
 * (src/cli/replay-start.ts, dist/replay-start.cjs) before the replay's CLI bundle loads: two
 * copies of replay-worker.ts in one process. The thread one copy prepared is the one the other
 * starts, not a second thread. A second copy of the module is imported here under another URL.
 */
const PREPARATION = Symbol.for('buurtwerkkamer-ledger.replay-worker.preparation');

interface Preparation {
  readonly prepared?: { readonly worker: Worker };
  readonly started: boolean;
}

t.test('the thread another copy of the module prepared is the one the replay gives its work', async (t) => {
  const copy = (await import(`../../src/projections/replay-worker.ts?copy=${Date.now()}`)) as typeof import('../../src/projections/replay-worker.js');
  copy.prepareReplayWorker();
  const slots = globalThis as { [PREPARATION]?: Preparation };
  const prepared = slots[PREPARATION]?.prepared?.worker;
  t.ok(prepared !== undefined, 'the copy prepared a thread, process-wide');
  const answered = new Promise((resolve) => prepared!.once('message', resolve));

  const store = testStore(t);
  await appendEvents(store, [kamer('top')]);
  const verdict = await startReplayWorker(loadConfig({ SQLITE_PATH: store.path }), { year: 2020, asOf: '2020-12-31' }, (await store.lastPosition())!).verdict;
  t.match(verdict, { ok: true }, 'the replay got its verdict');
  t.same(await answered, verdict, 'from the prepared thread');
  t.equal(slots[PREPARATION]?.prepared, undefined, 'which is taken, not left waiting');
  copy.prepareReplayWorker();
  t.equal(slots[PREPARATION]?.prepared, undefined, 'and a preparation after the start spawns nothing');
});
