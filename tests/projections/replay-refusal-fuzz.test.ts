/**
 * On random logs with malformed events of random types at random positions, the
 * two-thread replay (scanAllExcept on the worker, the trusted cut pass on the main thread) refuses
 * the first malformed event in log order, with the message a single plain pass gives.
 */
import t from 'tap';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { loadConfig } from '../../src/config.js';
import type { DomainEvent } from '../../src/domain/events.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import type { Projection } from '../../src/projections/projection.js';
import type { SqliteEventStore } from '../../src/store/sqlite.js';
import { appendEvents, expense, hours, invoice, kamer, payment, pettyCashSpent, testStore } from './read-model-events.js';

let seed = 12345;
const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const everything: Projection<number> = { name: 'everything', initial: () => 0, apply: (state) => state + 1 };

function good(year: number): DomainEvent {
  const day = `${year}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
  return pick([
    () => expense('top', year, 'rent', day, '3.00'),
    () => hours('top', 'ann', day, '2.00'),
    () => payment(day, '4.00'),
    () => pettyCashSpent('top', day, 'A', '1.00'),
    () => invoice({ financier: 'mitros', kamer: 'top', year, number: `${year}-${Math.floor(random() * 1e6)}`, issueDate: day, total: '10.00' }),
  ])();
}

function malformed(year: number): { type: string; data: Record<string, unknown> } {
  const event = good(year);
  const kind = pick(['badField', 'unknownType', 'badDate']);
  if (kind === 'unknownType') return { type: 'Bogus', data: event.data as unknown as Record<string, unknown> };
  if (kind === 'badDate') {
    const data = { ...(event.data as unknown as Record<string, unknown>) };
    for (const key of ['date', 'issueDate']) if (key in data) data[key] = '2020-13-45';
    return { type: event.type, data };
  }
  return { type: event.type, data: { ...(event.data as unknown as Record<string, unknown>), amount: 12, total: 12, hours: 3 } };
}

async function singlePassRefusal(store: SqliteEventStore): Promise<string | undefined> {
  const runner = new LogProjectionRunner(store);
  try {
    await runner.read(everything);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await runner.close();
  }
}

t.test('the replay refuses what a single pass refuses', async (t) => {
  for (let round = 0; round < 24; round += 1) {
    const store = testStore(t);
    await appendEvents(store, [kamer('top')]);
    const length = 5 + Math.floor(random() * 25);
    const bad = 1 + Math.floor(random() * 3);
    const badAt = new Set(Array.from({ length: bad }, () => 1 + Math.floor(random() * length)));
    for (let index = 0; index < length; index += 1) {
      const year = pick([2019, 2020, 2021]);
      if (badAt.has(index)) {
        const { type, data } = malformed(year);
        await store.append(`bad-${index}`, [{ type, data, metadata: { recordedBy: 'test' } }], 'any');
      } else await appendEvents(store, [good(year)]);
    }
    const expected = await singlePassRefusal(store);
    t.type(expected, 'string', `round ${round}: a single pass refuses the log (it has a malformed event)`);
    const args = pick([['--as-of', '2020-12-31', '--json'], ['--year', '2020', '--json'], ['--json'], ['--as-of', '2020-06-30', '--year', '2020', '--json']]);
    let got: string | undefined;
    try {
      await replayCommand.run([...args], { config: loadConfig({ SQLITE_PATH: store.path }), out: () => undefined, err: () => undefined });
    } catch (error) {
      got = (error as Error).message;
    }
    t.equal(got, expected, `round ${round} (${args.join(' ')}, bad at ${[...badAt].join(',')})`);
  }
});
