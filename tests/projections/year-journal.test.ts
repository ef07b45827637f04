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
import { yearJournalWithOpenings, yearWindowProjection } from '../../src/projections/year-journal.js';
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
      const joined = comparable(yearJournalWithOpenings(window.states[0], openings.states[0], cut));
      if (joined !== expected) throw new Error(`${cut.year} as of ${cut.asOf ?? '-'}: window and openings ${joined} ≠ journal ${expected}`);
    } finally {
      await runner.close();
    }
  });
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
