import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { loadConfig } from '../../src/config.js';
import { appendEvents, expense, kamer, pettyCashTransfer, testStore } from './read-model-events.js';

/**
 * Every event's metadata is read by one of the replay's two threads (envelopeOf), so a log with an
 * event whose metadata is not JSON (a damaged or hand-edited ledger file) is refused at that
 * event's position, with or without --known-at. A round-6 speed-up (d8d562a, reverted) left the
 * metadata unread without --known-at, and the same log then replayed and printed figures: the two
 * runs of one log disagreed on whether it could be read (found in review; this test failed then).
 */
async function damagedLog(t: Test, position: number | undefined) {
  const store = testStore(t);
  const events = [kamer('top'), expense('top', 2020, 'rent', '2020-03-01', '100.00'), pettyCashTransfer('top', '2020-04-01', '50.00'), expense('top', 2020, 'rent', '2020-03-03', '5.00')];
  await appendEvents(store, events);
  if (position === undefined) return store;
  const db = new Database(store.path);
  db.prepare("UPDATE events SET metadata = 'not json' WHERE position = ?").run(position);
  db.close();
  return store;
}

async function replay(path: string, args: readonly string[]): Promise<{ outcome: string; out: string[] }> {
  const out: string[] = [];
  const outcome = await replayCommand
    .run([...args], { config: loadConfig({ SQLITE_PATH: path }), out: (text) => out.push(text), err: (text) => out.push(text) })
    .then(
      (code) => `exit ${code}`,
      (error: unknown) => `refused: ${String(error)}`,
    );
  return { outcome, out };
}

const WITH_KNOWN_AT = ['--as-of', '2020-12-31', '--known-at', '2030-01-01T00:00:00Z', '--json'];
const WITHOUT_KNOWN_AT = ['--as-of', '2020-12-31', '--json'];

t.test('control: the undamaged log replays, with and without --known-at', async (t) => {
  const store = await damagedLog(t, undefined);
  for (const args of [WITH_KNOWN_AT, WITHOUT_KNOWN_AT]) {
    const { outcome, out } = await replay(store.path, args);
    t.equal(outcome, 'exit 0', args.join(' '));
    t.match(out.join('\n'), /"trialBalance"/, 'with figures');
  }
});

for (const [name, position] of [
  ["an expense (the main thread's type)", 2],
  ["a petty-cash transfer (the worker's type)", 3],
] as const) {
  t.test(`a replay without --known-at refuses a log in which ${name} has metadata that is not JSON`, async (t) => {
    const store = await damagedLog(t, position);
    const withKnownAt = await replay(store.path, WITH_KNOWN_AT);
    t.match(withKnownAt.outcome, /^refused/, `with --known-at the damaged metadata is refused (${withKnownAt.outcome})`);
    const without = await replay(store.path, WITHOUT_KNOWN_AT);
    t.match(without.outcome, /^refused/, `and without --known-at too (${without.outcome})`);
    t.same(without.out.filter((line) => line.includes('trialBalance')), [], 'printing no figures');
  });
}
