import t, { type Test } from 'tap';
import { SyntheticLedger } from '../../bench/projections-log.js';
import { recomputeCheckpoints, type CheckpointEvent } from '../../src/projections/checkpoints.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { pledgesProjection } from '../../src/projections/pledges.js';
import { receivablesProjection } from '../../src/projections/receivables.js';
import { registryProjection } from '../../src/projections/registry.js';
import { roomsProjection } from '../../src/projections/rooms.js';
import type { ProjectionRunner } from '../../src/projections/runner.js';
import { STANDARD_PROJECTIONS } from '../../src/projections/standard.js';
import { stateText } from '../../src/projections/state-codec.js';
import { roomBudgetView } from '../../src/projections/views/budget.js';
import { financierPositionView } from '../../src/projections/views/financier-position.js';
import type { SqliteEventStore } from '../../src/store/sqlite.js';
import { testStore } from './read-model-events.js';
import { inflateRoomsCheckpoint } from '../helpers/tamper.js';

/** A plausible log of every kind of fact (the benchmark's generator, seeded). */
async function appendSynthetic(store: SqliteEventStore, ledger: SyntheticLedger, count: number): Promise<void> {
  for (const { stream, event } of ledger.take(count)) {
    await store.append(stream, [{ type: event.type, data: event.data, metadata: { recordedBy: 'system:test' } }], 'any');
  }
}

function runnerWith(store: SqliteEventStore, version: string | undefined, events: CheckpointEvent[]): ProjectionRunner {
  if (version === undefined) return createProjectionRunner(store);
  return createProjectionRunner(store, { checkpoints: { table: store.checkpoints, version, every: 1_000, report: (event) => events.push(event) } });
}

/** What the read routes answer from the projections: some rooms' budgets and financiers' positions, and every state as text. */
async function answers(runner: ProjectionRunner): Promise<string> {
  const [registry, pledges, receivables, rooms] = await Promise.all([
    runner.read(registryProjection),
    runner.read(pledgesProjection),
    runner.read(receivablesProjection),
    runner.read(roomsProjection),
  ]);
  const budgets = ['kamer-001', 'kamer-042', 'kamer-300'].map((kamer) => roomBudgetView({ registry, pledges, rooms }, kamer, 2011));
  const positions = ['financier-01', 'financier-17'].map((financier) => financierPositionView({ pledges, receivables, rooms }, financier, 2011, '2012-01-01'));
  const states = await Promise.all(STANDARD_PROJECTIONS.map((projection) => runner.read(projection)));
  return JSON.stringify({ budgets, positions, states: states.map(stateText) });
}

async function withRunner<T>(runner: ProjectionRunner, use: (runner: ProjectionRunner) => Promise<T>): Promise<T> {
  try {
    return await use(runner);
  } finally {
    await runner.close();
  }
}

/** A store whose log was folded by a checkpointing runner (saved at close), then grew by 400 events. */
async function checkpointedStore(t: Test): Promise<{ store: SqliteEventStore; saved: CheckpointEvent[] }> {
  const store = testStore(t);
  const ledger = new SyntheticLedger({ rooms: 300, financiers: 40, firstYear: 2010, years: 3 }, 11);
  await appendSynthetic(store, ledger, 2_500);
  const saved: CheckpointEvent[] = [];
  await withRunner(runnerWith(store, 'v1', saved), answers);
  await appendSynthetic(store, ledger, 400);
  return { store, saved };
}

t.test('a start from a checkpoint folds only the events after it and answers exactly as a full replay', async (t) => {
  const { store, saved } = await checkpointedStore(t);
  const savedPositions = new Set(saved.filter((event) => event.kind === 'saved').map((event) => `${event.projection}@${event.position}`));
  t.ok(savedPositions.size >= STANDARD_PROJECTIONS.length, 'the first runner saved a checkpoint of every read projection');
  const lastSaved = Math.max(...saved.map((event) => Number(event.position)));

  const events: CheckpointEvent[] = [];
  const fromCheckpoint = await withRunner(runnerWith(store, 'v1', events), answers);
  const loaded = events.filter((event) => event.kind === 'loaded');
  t.same(loaded.map((event) => event.projection).sort(), STANDARD_PROJECTIONS.map((projection) => projection.name).sort(), 'every read projection started from its checkpoint');
  t.ok(loaded.every((event) => Number(event.position) === lastSaved), 'from the newest one');
  const fullReplay = await withRunner(runnerWith(store, undefined, []), answers);
  t.equal(fromCheckpoint, fullReplay, 'the same answers and states as folding the whole log');
  const checks = await recomputeCheckpoints(store, STANDARD_PROJECTIONS, 'v1');
  t.ok(checks.some((check) => Number(check.position) > lastSaved), 'the second runner saved newer checkpoints at close');
  t.same(checks.filter((check) => check.outcome !== 'matches'), [], 'and a state folded on from a checkpoint is the state folded from the start');
});

t.test("a start's first read decodes only the checkpoints it reads; the pass after it decodes the others, unasked", async (t) => {
  const { store } = await checkpointedStore(t);
  const fullReplay = await withRunner(runnerWith(store, undefined, []), answers);
  const events: CheckpointEvent[] = [];
  const runner = runnerWith(store, 'v1', events);
  const loadedNames = () => events.filter((event) => event.kind === 'loaded').map((event) => event.projection).sort();
  const budgetRead = [registryProjection, pledgesProjection, roomsProjection] as const;
  const first = await runner.readMany(budgetRead);
  t.same(loadedNames(), budgetRead.map((projection) => projection.name).sort(), 'the room budget read decoded its three states only');
  t.equal(first.position, '2900', 'and they were caught up with the log');
  for (let turns = 0; loadedNames().length < STANDARD_PROJECTIONS.length && turns < 1_000; turns += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  t.same(loadedNames(), STANDARD_PROJECTIONS.map((projection) => projection.name).sort(), 'the others were decoded without a read asking for them');
  t.equal(await withRunner(runner, answers), fullReplay, 'every answer is the one a full replay gives');
});

t.test('with no usable checkpoint, the first read folds the log once for every projection, not once for it and again for the others', async (t) => {
  const store = testStore(t);
  await appendSynthetic(store, new SyntheticLedger({ rooms: 300, financiers: 40, firstYear: 2010, years: 3 }, 11), 2_500);
  let rowsScanned = 0;
  const counting = new Proxy(store, {
    get: (target, key) =>
      key === 'scanAll'
        ? async function* (after: string | undefined, batchSize: number) {
            for await (const batch of target.scanAll(after, batchSize)) {
              rowsScanned += batch.length;
              yield batch;
            }
          }
        : Reflect.get(target, key),
  });
  const events: CheckpointEvent[] = [];
  const runner = runnerWith(counting, 'v1', events);
  await runner.readMany([registryProjection, pledgesProjection, roomsProjection] as const);
  await withRunner(runner, answers);
  t.equal(rowsScanned, 2_500, 'every event was read once');
  t.ok(events.some((event) => event.kind === 'saved'), 'and checkpoints were saved at close');
});

t.test('a checkpoint whose digest does not match the log, or of another code version, is ignored and the state rebuilt', async (t) => {
  const { store } = await checkpointedStore(t);
  const fullReplay = await withRunner(runnerWith(store, undefined, []), answers);

  const otherVersion: CheckpointEvent[] = [];
  t.equal(await withRunner(runnerWith(store, 'v2', otherVersion), answers), fullReplay, 'another version: the same answers');
  t.notOk(otherVersion.some((event) => event.kind === 'loaded'), 'nothing of version v1 was loaded by v2');

  store.db.prepare("UPDATE projection_checkpoints SET digest = 'not-the-digest' WHERE version = 'v1'").run();
  const wrongDigest: CheckpointEvent[] = [];
  t.equal(await withRunner(runnerWith(store, 'v1', wrongDigest), answers), fullReplay, 'a wrong digest: the same answers');
  t.notOk(wrongDigest.some((event) => event.kind === 'loaded'), 'no checkpoint loaded');
  t.ok(wrongDigest.some((event) => event.kind === 'ignored' && /not the log it was taken of/.test(event.reason)), 'each ignored with the reason');
});

t.test('a checkpoint of a log whose hashes changed up to its position is ignored: the running digest the store keeps there differs', async (t) => {
  const { store } = await checkpointedStore(t);
  const checkpointed = store.db.prepare<[], number>('SELECT MIN(position) FROM projection_checkpoints').pluck().get()!;
  // One stored hash before every checkpoint changed, and the running digests folded again from the
  // changed hashes (what an open does for rows that are missing): the log is not the one checkpointed.
  store.db.prepare("UPDATE events SET hash = 'x' || substr(hash, 2) WHERE position = 10").run();
  store.db.prepare('DELETE FROM log_digests WHERE position >= 10').run();
  store.runningDigests.followInTransaction();
  t.ok(checkpointed > 10, 'the changed event lies before every checkpoint');
  const events: CheckpointEvent[] = [];
  const started = await withRunner(runnerWith(store, 'v1', events), answers);
  t.notOk(events.some((event) => event.kind === 'loaded'), 'no checkpoint loaded');
  t.ok(events.some((event) => event.kind === 'ignored' && /not the log it was taken of/.test(event.reason)), 'each ignored with the reason');
  t.equal(started, await withRunner(runnerWith(store, undefined, []), answers), 'the states were rebuilt from the log');
});

t.test('a store that keeps no running digests has the checkpoint digest folded from the hashes, to the same effect', async (t) => {
  const { store } = await checkpointedStore(t);
  const fullReplay = await withRunner(runnerWith(store, undefined, []), answers);
  // The EventStoreDB adapter keeps none: the same store with its running digests hidden.
  const withoutDigests = new Proxy(store, { get: (target, key) => (key === 'runningDigests' ? undefined : Reflect.get(target, key)) });
  const events: CheckpointEvent[] = [];
  t.equal(await withRunner(runnerWith(withoutDigests, 'v1', events), answers), fullReplay, 'the same answers');
  t.same(events.filter((event) => event.kind === 'loaded').map((event) => event.projection).sort(), STANDARD_PROJECTIONS.map((projection) => projection.name).sort(), 'every projection from its checkpoint');

  store.db.prepare("UPDATE projection_checkpoints SET digest = 'not-the-digest' WHERE version = 'v1'").run();
  const wrong: CheckpointEvent[] = [];
  t.equal(await withRunner(runnerWith(withoutDigests, 'v1', wrong), answers), fullReplay, 'a wrong digest: the same answers');
  t.notOk(wrong.some((event) => event.kind === 'loaded'), 'and no checkpoint loaded');
});

t.test('verify recomputes every stored checkpoint and names one whose state was tampered with', async (t) => {
  const { store } = await checkpointedStore(t);
  const before = await recomputeCheckpoints(store, STANDARD_PROJECTIONS, 'v1');
  t.ok(before.length >= STANDARD_PROJECTIONS.length, 'every stored checkpoint was checked');
  t.same(before.filter((check) => check.outcome !== 'matches'), [], 'all match the log');

  const target = store.db.prepare<[], { position: number }>("SELECT position FROM projection_checkpoints WHERE projection = 'rooms' ORDER BY position DESC LIMIT 1").get()!;
  // The rooms' invoiced figures changed: a state that decodes, another state.
  t.equal(inflateRoomsCheckpoint(store.db, target.position), 1, 'the newest rooms checkpoint was changed');
  const after = await recomputeCheckpoints(store, STANDARD_PROJECTIONS, 'v1');
  const bad = after.filter((check) => check.outcome !== 'matches');
  t.same(bad.map((check) => [check.projection, check.position, check.outcome]), [['rooms', String(target.position), 'differs']], 'exactly the tampered one differs');

  const versions = await recomputeCheckpoints(store, STANDARD_PROJECTIONS, 'v2');
  t.ok(versions.every((check) => check.outcome === 'other-version'), 'a build of another version names them, not judges them');
});

t.test('a checkpoint whose state cannot be decoded (V8 bytes of a newer Node, say) is ignored, reported, and the state rebuilt; verify names it', async (t) => {
  const { store } = await checkpointedStore(t);
  const fullReplay = await withRunner(runnerWith(store, undefined, []), answers);
  const damaged = store.db.prepare("UPDATE projection_checkpoints SET state = X'ff0f' WHERE projection = 'rooms' AND version = 'v1'").run().changes;
  t.ok(damaged >= 1, 'every rooms checkpoint made undecodable');
  const events: CheckpointEvent[] = [];
  t.equal(await withRunner(runnerWith(store, 'v1', events), answers), fullReplay, 'the same answers as a full replay');
  t.ok(events.some((event) => event.kind === 'ignored' && event.projection === 'rooms' && /cannot be decoded/.test(event.reason)), 'the rooms checkpoint ignored with the reason');
  t.ok(events.some((event) => event.kind === 'loaded' && event.projection === 'registry'), 'the others still loaded theirs');

  store.db.prepare("UPDATE projection_checkpoints SET state = X'ff0f' WHERE projection = 'rooms' AND version = 'v1'").run();
  const checks = await recomputeCheckpoints(store, STANDARD_PROJECTIONS, 'v1');
  t.ok(checks.some((check) => check.projection === 'rooms' && check.outcome === 'differs' && /cannot be decoded/.test(check.problem)), 'verify reports it');
});
