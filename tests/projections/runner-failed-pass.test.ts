/**
 * A pass that fails after it loaded a projection's checkpoint leaves that
 * projection `current` at the checkpoint's position; with no commit since the last complete pass,
 * the next read (caughtUpSnapshot, as catchUpAll's early return before it) answers that old state.
 */
import t from 'tap';
import { SyntheticLedger } from '../../bench/projections-log.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { pledgesProjection } from '../../src/projections/pledges.js';
import { receivablesProjection } from '../../src/projections/receivables.js';
import { registryProjection } from '../../src/projections/registry.js';
import { roomsProjection } from '../../src/projections/rooms.js';
import { STANDARD_PROJECTIONS } from '../../src/projections/standard.js';
import { stateText } from '../../src/projections/state-codec.js';
import type { EventStore, ScannedRow } from '../../src/store/port.js';
import { testStore } from './read-model-events.js';

t.test('a read after a failed checkpoint-decoding pass answers the whole log', async (t) => {
  const store = testStore(t);
  const ledger = new SyntheticLedger({ rooms: 30, financiers: 8, firstYear: 2010, years: 2 }, 11);
  const append = async (count: number) => {
    for (const { stream, event } of ledger.take(count)) await store.append(stream, [{ type: event.type, data: event.data, metadata: { recordedBy: 'system:test' } }], 'any');
  };
  await append(1_500);
  const checkpoints = { table: store.checkpoints, version: 'v1', every: 1_000 };
  const first = createProjectionRunner(store, { checkpoints });
  await Promise.all(STANDARD_PROJECTIONS.map((projection) => first.read(projection)));
  await first.close(); // saves every checkpoint at 1500
  await append(300);

  // The store fails once: the second scan from the checkpoints' position (the pass decoding the others).
  let scansFromCheckpoint = 0;
  let failed = false;
  const flaky = new Proxy(store, {
    get(target, key) {
      if (key === 'scanAll') {
        return (after: string | undefined, size: number): AsyncIterable<ScannedRow[]> => {
          if (after === '1500' && ++scansFromCheckpoint === 2) {
            failed = true;
            return (async function* () {
              throw new Error('disk I/O error (injected)');
            })();
          }
          return target.scanAll(after, size);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as EventStore;
  const runner = createProjectionRunner(flaky, { checkpoints: { ...checkpoints, table: store.checkpoints } });
  t.teardown(() => runner.close());
  await runner.readMany([registryProjection, pledgesProjection, roomsProjection] as const);
  for (let turn = 0; !failed && turn < 400; turn += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  t.ok(failed, 'the pass decoding the other checkpoints failed');
  await new Promise((resolve) => setTimeout(resolve, 50));

  const fresh = createProjectionRunner(store);
  const expected = stateText(await fresh.read(receivablesProjection));
  await fresh.close();
  const snapshot = await runner.readMany([receivablesProjection] as const);
  t.equal(snapshot.position, await store.lastPosition(), 'the read reflects the whole log');
  t.equal(stateText(snapshot.states[0]), expected, 'and its state is the one a full fold gives');
});
