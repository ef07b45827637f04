/**
 * LogChanges: which financier or room each new event touched, so a cached view outlives writes
 * about others (src/projections/view-cache.ts). Over the real SQLite store.
 */
import t from 'tap';
import { EVERYTHING, financierPart, kamerPart, LogChanges, partsTouchedBy } from '../../src/projections/log-changes.js';
import { EMPTY_LOG } from '../../src/projections/runner.js';
import { appendEvents, expense, financier, hours, invoice, kamer, pledge, rate, testStore } from './read-model-events.js';

const lastPosition = async (store: ReturnType<typeof testStore>): Promise<string> => (await store.lastPosition()) ?? EMPTY_LOG;

t.test('an event touches the financier and room it names; one naming neither, or of an unlisted type, touches everything', async (t) => {
  const of = (event: { type: string; data: unknown }) => partsTouchedBy(event.type, JSON.stringify(event.data));
  t.same(of(invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-01', total: '1.00' })), [financierPart('portaal'), kamerPart('top')]);
  t.same(of(pledge({ financier: 'portaal', kamer: 'top', year: 2020 })), [financierPart('portaal'), kamerPart('top')]);
  t.same(of(expense('top', 2020, 'rent', '2020-01-02', '5.00')), [kamerPart('top')]);
  t.same(of(hours('top', 'v-001', '2020-01-02', '2.00')), [kamerPart('top')]);
  t.same(of(financier('portaal')), [financierPart('portaal')]);
  t.same(of(rate(2020, 'resident', '14.00')), [EVERYTHING], 'a valuation rate names no room but changes every budget of its year');
  t.same(of({ type: 'BankEntryBooked', data: { entryId: 'x', kamerId: 'top' } }), [EVERYTHING], 'a type not listed as confined touches everything, whatever ids it carries');
  t.same(of({ type: 'SomeFutureEvent', data: {} }), [EVERYTHING]);
});

t.test('changedSince: only the parts events after the position touched', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), kamer('annex'), financier('portaal'), financier('fonds')]);
  const changes = LogChanges.of(store);
  t.equal(LogChanges.of(store), changes, 'one per store');
  const start = await lastPosition(store);
  t.ok(changes.changedSince(start, [kamerPart('top')]), 'before it is asked anything, everything may have changed');
  await changes.catchUp(start);
  t.notOk(changes.changedSince(start, [kamerPart('top'), financierPart('portaal')]), 'nothing after the first position yet');

  await appendEvents(store, [expense('annex', 2020, 'rent', '2020-01-02', '5.00'), invoice({ number: '2020-0001', financier: 'fonds', kamer: 'annex', year: 2020, issueDate: '2020-01-01', total: '1.00' })]);
  const afterAnnex = await lastPosition(store);
  await changes.catchUp(afterAnnex);
  t.notOk(changes.changedSince(start, [kamerPart('top'), financierPart('portaal')]), 'writes about another room and financier leave these untouched');
  t.ok(changes.changedSince(start, [kamerPart('annex')]));
  t.ok(changes.changedSince(start, [financierPart('fonds')]));
  t.notOk(changes.changedSince(afterAnnex, [kamerPart('annex'), financierPart('fonds')]), 'nothing since the last write');

  await appendEvents(store, [hours('top', 'v-001', '2020-01-02', '2.00')]);
  await changes.catchUp(await lastPosition(store));
  t.ok(changes.changedSince(afterAnnex, [kamerPart('top')]));
  t.notOk(changes.changedSince(afterAnnex, [financierPart('portaal')]), 'volunteer hours name a room only');

  await appendEvents(store, [rate(2020, 'resident', '14.00')]);
  const afterRate = await lastPosition(store);
  await changes.catchUp(afterRate);
  t.ok(changes.changedSince(afterAnnex, [financierPart('portaal')]), 'an event naming no one changes every view');
  t.notOk(changes.changedSince(afterRate, [financierPart('portaal')]));
  t.ok(changes.changedSince(EMPTY_LOG, []), 'a position before the first one asked about: its events were never read');
});

t.test('a catch-up reads past the position asked, not the whole backlog after it', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), kamer('annex')]);
  const changes = LogChanges.of(store);
  const start = await lastPosition(store);
  await changes.catchUp(start);
  // A backlog (a bulk import the projections are still folding): 600 events about the annex, then one about top.
  await appendEvents(store, Array.from({ length: 600 }, (_, index) => expense('annex', 2020, 'rent', '2020-01-02', `${index + 1}.00`)));
  await appendEvents(store, [hours('top', 'v-001', '2020-01-02', '2.00')]);
  const firstOfBacklog = String(Number(start) + 1);
  await changes.catchUp(firstOfBacklog);
  t.ok(changes.changedSince(start, [kamerPart('annex')]), 'the event at the position asked is read');
  t.notOk(changes.changedSince(start, [kamerPart('top')]), 'the end of the backlog is not read yet: nothing asked for it');
  await changes.catchUp(await lastPosition(store));
  t.ok(changes.changedSince(start, [kamerPart('top')]), 'a read at the head reads on to it');
});

t.test('mustCatchUp says whether catchUp has anything to do at a position', async (t) => {
  const store = testStore(t);
  await appendEvents(store, [kamer('top'), kamer('annex')]);
  const changes = LogChanges.of(store);
  const start = await lastPosition(store);
  t.ok(changes.mustCatchUp(start), 'not started: the first catch-up sets where it starts');
  await changes.catchUp(start);
  t.notOk(changes.mustCatchUp(start), 'read through it');
  await appendEvents(store, [hours('top', 'v-001', '2020-01-02', '2.00')]);
  const head = await lastPosition(store);
  t.ok(changes.mustCatchUp(head), 'a later position: the new event is still to be read');
  const reading = changes.catchUp(head);
  t.ok(changes.mustCatchUp(start), 'while it reads, even an earlier position waits for that read');
  await reading;
  t.notOk(changes.mustCatchUp(head));
  t.ok(changes.changedSince(start, [kamerPart('top')]), 'and the event was read');
});
