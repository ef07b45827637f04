/**
 * The accountant's replay folds the rooms of the reported year only (yearRoomsProjection), and
 * skips the hours and petty-cash spending dated in other years before parsing them. On random
 * logs spanning three years, with events on the years' edges and counted in another year than
 * their date (an expense of last year's budget, a transfer for next January), its figures for
 * the year are the full rooms fold's, through the same "as of" cut on the real SQLite store.
 */
import fc from 'fast-check';
import t from 'tap';
import { PETTY_CASH_CATEGORIES, findRoomYear, roomsProjection, yearRoomsProjection } from '../../src/projections/rooms.js';
import { dayFilterOf, LogProjectionRunner } from '../../src/projections/runner.js';
import { registryProjection } from '../../src/projections/registry.js';
import { yearJournalProjection } from '../../src/projections/year-journal.js';
import { allocation, appendEvents, creditNote, expense, hours, hoursReversed, invoice, kamer, payment, pettyCashSpent, pettyCashTransfer, testStore } from './read-model-events.js';
import type { DomainEvent } from '../../src/domain/events.js';

const YEARS = [2019, 2020, 2021] as const;
const ROOMS = ['top', 'oost'] as const;

const dateIn = (year: number) =>
  fc.oneof(
    fc.constantFrom(`${year}-01-01`, `${year}-12-31`),
    fc.record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }).map(({ month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`),
  );

const amount = fc.integer({ min: 1, max: 99_999 }).map((cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);

let invoiceNumber = 0;

/** One room event (two or three for an invoice with its credit note or payment), dated in one year and counted in it or the next. */
const roomEvents: fc.Arbitrary<DomainEvent[]> = fc
  .record({ kind: fc.integer({ min: 0, max: 6 }), room: fc.constantFrom(...ROOMS), year: fc.constantFrom(...YEARS), counted: fc.constantFrom(0, 0, 1, -1), amount, category: fc.constantFrom(...PETTY_CASH_CATEGORIES), volunteer: fc.constantFrom('v1', 'v2') })
  .chain((spec) => dateIn(spec.year).map((date) => ({ ...spec, date })))
  .map(({ kind, room, year, counted, amount, category, volunteer, date }): DomainEvent[] => {
    const countedYear = year + counted;
    switch (kind) {
      case 0:
        return [expense(room, countedYear, 'rent', date, amount)];
      case 1:
        return [pettyCashTransfer(room, date, amount, `${countedYear}-${date.slice(5, 7)}`)];
      case 2:
        return [pettyCashSpent(room, date, category, amount)];
      case 3:
        return [hours(room, volunteer, date, '2.50')];
      case 4: {
        const recorded = hours(room, volunteer, date, '1.25', 'professional');
        return [recorded, hoursReversed(recorded)];
      }
      case 5: {
        invoiceNumber += 1;
        const issued = invoice({ number: `${countedYear}-${String(invoiceNumber).padStart(4, '0')}`, financier: 'gemeente', kamer: room, year: countedYear, issueDate: date, total: amount });
        return [issued, creditNote(issued, `${countedYear}-9${String(invoiceNumber).padStart(3, '0')}`, '0.01')];
      }
      default: {
        invoiceNumber += 1;
        const issued = invoice({ number: `${countedYear}-${String(invoiceNumber).padStart(4, '0')}`, financier: 'gemeente', kamer: room, year: countedYear, issueDate: date, total: amount });
        const paid = payment(date, amount);
        return [issued, paid, allocation(paid, { invoice: issued }, amount)];
      }
    }
  });

t.test("a year's room figures equal the full fold's, through an as-of cut", async (t) => {
  const logs = fc.sample(fc.array(roomEvents, { minLength: 1, maxLength: 40 }), { numRuns: 25, seed: 20261130 });
  for (const [run, groups] of logs.entries()) {
    const store = testStore(t);
    await appendEvents(store, [...ROOMS.map((room) => kamer(room)), ...groups.flat()]);
    for (const year of YEARS) {
      for (const asOf of [`${year}-06-30`, `${year}-12-31`, '2022-12-31']) {
        const runner = new LogProjectionRunner(store);
        const [full, one] = await Promise.all([runner.read(roomsProjection, { asOf }), runner.read(yearRoomsProjection(year), { asOf })]);
        for (const room of ROOMS) t.same(findRoomYear(one, room, year), findRoomYear(full, room, year), `log ${run}, ${room} ${year} as of ${asOf}`);
        const otherYears = [...one.byRoom.values()].flatMap((years) => [...years.keys()]).filter((counted) => counted !== year);
        t.same(otherYears, [], 'no other year is kept');
        await runner.close();
      }
    }
  }
});

t.test("a pass skips unparsed only the days no projection that wants the type admits", async (t) => {
  const admits = dayFilterOf([yearRoomsProjection(2020), registryProjection]);
  t.notOk(admits('VolunteerHoursRecorded', 20_191_231), 'hours dated in another year');
  t.ok(admits('VolunteerHoursRecorded', 20_200_101), 'hours dated in the year');
  t.notOk(admits('PettyCashSpent', 20_210_101), 'spending dated in another year');
  t.ok(admits('ExpensePaid', 20_191_231), 'an expense may count in another budget year than its date');
  t.ok(admits('PettyCashTransferred', 20_191_231), 'a transfer counts in the year of its month');
  t.ok(admits('KamerRegistered', 0), "the registry's declarations");
  t.notOk(admits('PaymentReceived', 20_200_101), 'a type none of them wants');
  const withJournal = dayFilterOf([yearRoomsProjection(2020), yearJournalProjection({ year: 2020 })]);
  t.ok(withJournal('VolunteerHoursRecorded', 20_191_231), 'a projection without a day rule that wants the type admits every day');
});
