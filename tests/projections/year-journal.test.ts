/**
 * year-journal.ts: one year's journal folded from the log (the year's entries, sums before it)
 * must be the very YearJournal the whole journal gives for that year and cut, since the exports'
 * bytes (and the closed years' recorded SHA-256s) are made of it.
 */
import t from 'tap';
import fc from 'fast-check';
import { ProjectionsAtPosition } from '../../src/projections/at-position.js';
import { readYearJournal, type YearCutQuery } from '../../src/projections/reports.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { LogReader } from '../../src/projections/log-reader.js';
import type { ProjectedEvent } from '../../src/projections/projection.js';
import { decodeState, encodeState, stateText } from '../../src/projections/state-codec.js';
import { yearBounds, yearJournal, type YearJournal } from '../../src/projections/trial-balance.js';
import { windowIsComplete, yearJournalWithOpenings, yearWindowProjection } from '../../src/projections/year-journal.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { yearOpeningsProjection, type YearOpeningsState } from '../../src/projections/year-openings.js';
import type { EventStore } from '../../src/store/port.js';
import { storeWith } from './journal-events.js';
import { forRandomLogsAndCuts } from './year-cuts.js';
import { scenario } from './journal-scenarios.js';

/** Everything a YearJournal holds, as comparable text (its maps as entry lists). */
function comparable(year: YearJournal): string {
  return JSON.stringify({ ...year, accounts: [...year.accounts], context: Object.entries(year.context).map(([key, map]) => [key, [...map]]) });
}

async function throughRunner(store: EventStore, query: YearCutQuery): Promise<YearJournal> {
  const runner = new LogProjectionRunner(store);
  try {
    return await readYearJournal(runner, query);
  } finally {
    await runner.close();
  }
}

t.test('the year fold gives the whole journal\'s year, for any log, year and asOf cut, live and at a position', async (t) => {
  await forRandomLogsAndCuts(t, async (store, query, journal) => {
    const expected = comparable(yearJournal(journal, query));
    const live = comparable(await throughRunner(store, query));
    if (live !== expected) throw new Error(`${query.year} as of ${query.asOf ?? '-'}: fold ${live} ≠ journal ${expected}`);
    const head = await store.lastPosition();
    if (head !== undefined) {
      const atPosition = comparable(await readYearJournal(new ProjectionsAtPosition(store, head), query));
      if (atPosition !== expected) throw new Error(`${query.year} as of ${query.asOf ?? '-'} at ${head}: fold ${atPosition} ≠ journal ${expected}`);
    }
  });
});

t.test('the year window with the year-openings sums gives the whole journal\'s year (the path the service takes)', async (t) => {
  // The same property, on the fast path itself: readYearJournal would fall back to the whole
  // fold if the two reads did not meet, so the parts are read and joined here directly.
  await forRandomLogsAndCuts(t, async (store, cut, journal) => {
    const expected = comparable(yearJournal(journal, cut));
    const { startDate, lastDate } = yearBounds(cut);
    if (lastDate < startDate) return;
    const runner = new LogProjectionRunner(store);
    try {
      const window = await runner.readMany([yearWindowProjection(cut)] as const, { asOf: lastDate });
      const openings = await runner.readMany([yearOpeningsProjection] as const);
      if (window.position !== openings.position) throw new Error(`the window at ${window.position}, the openings at ${openings.position}`);
      if (!windowIsComplete(window.states[0], openings.states[0], cut)) throw new Error(`${cut.year} as of ${cut.asOf ?? '-'}: the index's window misses events the openings count`);
      const joined = comparable(yearJournalWithOpenings(window.states[0], openings.states[0], cut));
      if (joined !== expected) throw new Error(`${cut.year} as of ${cut.asOf ?? '-'}: window and openings ${joined} ≠ journal ${expected}`);
    } finally {
      await runner.close();
    }
  });
});

t.test('a damaged business-date index leaves no event out of the year: a missing row, or one moved to another year or to the undated', async (t) => {
  // The index is derived data outside the hash chains: the year's window is held against
  // year-openings' counts and read again from the whole log when it came up short.
  let damaged = 0;
  let shortWindows = 0;
  await forRandomLogsAndCuts(t, async (store, cut, journal) => {
    if (!(store instanceof SqliteEventStore)) throw new Error('the harness gives a SQLite store');
    const expected = comparable(yearJournal(journal, cut));
    const rows = store.db.prepare<[], { position: number; year: number }>('SELECT position, year FROM business_days ORDER BY position').all();
    if (rows.length === 0) return;
    const victim = rows[(cut.year * 7 + (cut.asOf?.length ?? 0)) % rows.length]!;
    const damage = [
      () => store.db.prepare('DELETE FROM business_days WHERE position = ?').run(victim.position),
      () => store.db.prepare('UPDATE business_days SET year = ?, day = ? WHERE position = ?').run(1999, 19990101, victim.position),
      () => store.db.prepare('UPDATE business_days SET year = ?, day = ? WHERE position = ?').run(cut.year, cut.year * 10_000 + 101, victim.position),
      () => store.db.prepare('UPDATE business_days SET year = 0, day = 0 WHERE position = ?').run(victim.position),
    ][victim.position % 4]!;
    damage();
    damaged += 1;
    const runner = new LogProjectionRunner(store);
    try {
      const { startDate, lastDate } = yearBounds(cut);
      if (lastDate >= startDate) {
        const window = await runner.readMany([yearWindowProjection(cut)] as const, { asOf: lastDate });
        const openings = await runner.readMany([yearOpeningsProjection] as const);
        if (!windowIsComplete(window.states[0], openings.states[0], cut)) shortWindows += 1;
      }
      const read = comparable(await readYearJournal(runner, cut));
      if (read !== expected) throw new Error(`${cut.year} as of ${cut.asOf ?? '-'}, index row at ${victim.position} damaged: ${read} ≠ journal ${expected}`);
    } finally {
      await runner.close();
    }
  });
  t.ok(damaged > 0, `${damaged} logs had an index row damaged`);
  t.ok(shortWindows > 0, `in ${shortWindows} of them the index's window came up short and was caught`);
});

t.test('the year-openings state survives a checkpoint: decoded and folded on, it is the state folded from the start', async (t) => {
  await t.resolves(
    fc.assert(
      fc.asyncProperty(scenario, fc.nat(), async ({ events }, split) => {
        const store = await storeWith(events);
        try {
          const all: ProjectedEvent[] = [];
          const reader = new LogReader(store);
          await reader.scan(undefined, events.length + 1, (event) => all.push(event));
          const at = all.length === 0 ? 0 : split % (all.length + 1);
          let whole = yearOpeningsProjection.initial();
          for (const event of all) whole = yearOpeningsProjection.apply(whole, event);
          let resumed = yearOpeningsProjection.initial();
          for (const event of all.slice(0, at)) resumed = yearOpeningsProjection.apply(resumed, event);
          resumed = decodeState<YearOpeningsState>(encodeState(resumed));
          for (const event of all.slice(at)) resumed = yearOpeningsProjection.apply(resumed, event);
          if (stateText(resumed) !== stateText(whole)) throw new Error(`resumed at ${at} of ${all.length}: ${stateText(resumed)} ≠ ${stateText(whole)}`);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    ),
    '30 random logs, each checkpointed at a random event',
  );
});
