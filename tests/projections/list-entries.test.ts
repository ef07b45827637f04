/**
 * The projections behind the list routes (receipts, payments made, room entries): reading after
 * every few appends gives what a full rebuild gives, a redelivered event counts once, and the rows
 * add up to the sums the other projections keep (so a list never tells another story than the
 * budget, petty-cash and unallocated reads).
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '../../src/domain/events.js';
import { formatAmount, sum } from '../../src/domain/money.js';
import { formatCents } from '../../src/projections/cents.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { paymentsMadeProjection } from '../../src/projections/payments-made.js';
import { pettyCashProjection } from '../../src/projections/petty-cash.js';
import { receiptsProjection } from '../../src/projections/receipts.js';
import { receivablesProjection } from '../../src/projections/receivables.js';
import { roomEntriesProjection } from '../../src/projections/room-entries.js';
import { findRoomYear, roomsProjection } from '../../src/projections/rooms.js';
import { LiveProjection, type ProjectionRunner } from '../../src/projections/runner.js';
import { listPaymentsMade, listPettyCashEntries, listReceipts, listVolunteerHours } from '../../src/projections/views/entries.js';
import { unallocatedPayments } from '../../src/projections/views/payments.js';
import { pettyCashView } from '../../src/projections/views/petty-cash.js';
import { allocation, expense, financier, hours, hoursReversed, invoice, kamer, payment, pettyCashSpent, pettyCashTransfer, projected, streamOf, testStore } from './read-model-events.js';

const ALL = { limit: 500, offset: 0 };

function debit(date: string, amount: string, booking: 'unassigned' | 'bank-costs' | 'expense', bankReference: string): DomainEvent & { type: 'BankEntryBooked' } {
  return { type: 'BankEntryBooked', data: { entryId: randomUUID(), account: 'NL91ABNA0417164300', direction: 'debit', date, amount, bankReference, booking } };
}

function history(): DomainEvent[] {
  const top = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '1000.00' });
  const klop = invoice({ number: '2020-0002', financier: 'doen', kamer: 'klop', year: 2020, issueDate: '2020-01-11', total: '500.00' });
  const full = payment('2020-02-01', '1000.00');
  const split = payment('2020-02-03', '500.00');
  const open = payment('2020-02-05', '75.25');
  const rent = debit('2020-03-02', '890.00', 'unassigned', 'D-RENT');
  const corrected = hours('top', 'v-1', '2020-04-01', '3.00') as DomainEvent & { type: 'VolunteerHoursRecorded' };
  const withdrawn = hours('top', 'v-2', '2020-04-02', '1.50');
  return [
    kamer('top'),
    kamer('klop'),
    financier('portaal'),
    financier('doen'),
    top,
    klop,
    full,
    allocation(full, { invoice: top }, '1000.00'),
    split,
    allocation(split, { invoice: klop }, '300.00'),
    open,
    allocation(split, { invoice: klop }, '200.00'),
    expense('top', 2020, 'rent', '2020-02-10', '890.00'),
    expense('klop', 2020, 'rent', '2020-02-11', '450.00'),
    rent,
    debit('2020-03-03', '7.95', 'bank-costs', 'D-COST'),
    debit('2020-03-04', '450.00', 'expense', 'D-MATCHED'),
    debit('2020-03-05', '12.00', 'unassigned', 'D-ODD'),
    { type: 'BankEntryAssigned', data: { entryId: rent.data.entryId, date: rent.data.date, amount: rent.data.amount, assignment: 'budget-line', kamerId: 'top', line: 'rent', year: 2020 } },
    corrected,
    withdrawn,
    hours('klop', 'v-3', '2020-04-03', '2.25', 'professional'),
    hoursReversed(corrected),
    { type: 'VolunteerHoursRecorded', data: { ...corrected.data, hours: '3.75' } },
    hoursReversed(withdrawn),
    pettyCashTransfer('top', '2020-04-01', '200.00'),
    pettyCashSpent('top', '2020-04-05', 'A', '20.00'),
    pettyCashSpent('top', '2020-05-05', 'C', '35.10'),
    pettyCashTransfer('klop', '2020-05-01', '50.00', '2020-06'),
  ];
}

async function lists(runner: ProjectionRunner) {
  const [receipts, made, entries] = await Promise.all([runner.read(receiptsProjection), runner.read(paymentsMadeProjection), runner.read(roomEntriesProjection)]);
  return {
    receipts: listReceipts(receipts, {}, ALL),
    made: listPaymentsMade(made, {}, ALL),
    hours: ['top', 'klop'].map((room) => listVolunteerHours(entries, room, {}, ALL)),
    pettyCash: ['top', 'klop'].map((room) => listPettyCashEntries(entries, room, {}, ALL)),
  };
}

t.test('reading after every few appends gives what a full rebuild gives', async (t) => {
  const events = history();
  for (const chunk of [1, 3, 7]) {
    const store = testStore(t);
    const incremental = createProjectionRunner(store);
    for (let next = 0; next < events.length; next += chunk) {
      for (const event of events.slice(next, next + chunk)) await store.append(streamOf(event), [{ type: event.type, data: event.data, metadata: { recordedBy: 'test' } }], 'any');
      await lists(incremental);
    }
    const rebuild = createProjectionRunner(store);
    t.same(await lists(incremental), await lists(rebuild), `appended ${chunk} at a time`);
    await Promise.all([incremental.close(), rebuild.close()]);
  }
});

t.test('a redelivered event counts once', async (t) => {
  const events = history();
  const offerTwice = <S>(live: LiveProjection<S>): S => {
    events.forEach((event, index) => {
      live.offer(projected(event, String(index + 1)));
      live.offer(projected(event, String(index + 1)));
    });
    return live.state;
  };
  const once = <S>(live: LiveProjection<S>): S => {
    events.forEach((event, index) => live.offer(projected(event, String(index + 1))));
    return live.state;
  };
  t.same(listReceipts(offerTwice(new LiveProjection(receiptsProjection)), {}, ALL), listReceipts(once(new LiveProjection(receiptsProjection)), {}, ALL));
  t.same(listPaymentsMade(offerTwice(new LiveProjection(paymentsMadeProjection)), {}, ALL), listPaymentsMade(once(new LiveProjection(paymentsMadeProjection)), {}, ALL));
  t.same(listVolunteerHours(offerTwice(new LiveProjection(roomEntriesProjection)), 'top', {}, ALL), listVolunteerHours(once(new LiveProjection(roomEntriesProjection)), 'top', {}, ALL));
});

t.test('the rows add up to the sums the budget, petty-cash and unallocated reads answer', async (t) => {
  const events = history();
  const store = testStore(t);
  for (const event of events) await store.append(streamOf(event), [{ type: event.type, data: event.data, metadata: { recordedBy: 'test' } }], 'any');
  const runner = createProjectionRunner(store);
  t.teardown(() => runner.close());
  const { receipts, made, hours: roomHours, pettyCash } = await lists(runner);
  const [receivables, rooms, pettyCashState] = await Promise.all([runner.read(receivablesProjection), runner.read(roomsProjection), runner.read(pettyCashProjection)]);

  t.same(
    receipts.items.filter((receipt) => receipt.allocation !== 'allocated').map((receipt) => [receipt.id, receipt.unallocated]),
    unallocatedPayments(receivables).map((payment) => [payment.id, payment.unallocated]),
    'receipts not fully allocated are the unallocated payments, with the same sums',
  );
  t.same(
    receipts.items.map((receipt) => receipt.allocation),
    ['allocated', 'allocated', 'unallocated'],
    'the split payment is allocated in full after its second allocation',
  );

  t.same(
    made.items.map((row) => [row.date, row.amount, row.source, row.assigned, row.assignment ?? null]),
    [
      ['2020-02-10', '890.00', 'expense', true, 'budget-line'],
      ['2020-02-11', '450.00', 'expense', true, 'budget-line'],
      ['2020-03-02', '890.00', 'bank-statement', true, 'budget-line'],
      ['2020-03-03', '7.95', 'bank-statement', true, 'bank-costs'],
      ['2020-03-05', '12.00', 'bank-statement', false, null],
    ],
    'a debit that matched a recorded expense is not listed twice',
  );
  for (const room of ['top', 'klop']) {
    const expenses = made.items.filter((row) => row.source === 'expense' && row.kamer === room).map((row) => row.amount);
    t.equal(formatAmount(sum(expenses)), formatCents(findRoomYear(rooms, room, 2020)!.expenses), `${room}: recorded expenses add up to the budget's spent`);
  }

  const [topHours, klopHours] = roomHours;
  t.same(
    topHours!.items.map((entry) => [entry.volunteer, entry.hours, entry.corrections]),
    [
      ['v-1', '3.75', 1],
      ['v-2', '0.00', 0],
    ],
    'a corrected entry shows its new hours; a reversed one counts for nothing',
  );
  const resident = findRoomYear(rooms, 'top', 2020)!.volunteerHours.resident;
  t.equal(formatAmount(sum(topHours!.items.map((entry) => entry.hours))), formatCents(resident), "top's entries add up to the room's resident hours");
  t.equal(klopHours!.items[0]!.kind, 'professional');

  const view = pettyCashView(pettyCashState, 'top', 2020);
  const spent = pettyCash[0]!.items.filter((entry) => entry.kind === 'spending').map((entry) => entry.amount);
  const transferred = pettyCash[0]!.items.filter((entry) => entry.kind === 'transfer').map((entry) => entry.amount);
  t.equal(formatAmount(sum(spent)), view.totals.spentTotal, "top's spending adds up to the petty-cash read");
  t.equal(formatAmount(sum(transferred)), view.totals.transferredByDate, "and its transfers to what it transferred");
  t.same(pettyCash[1]!.items.map((entry) => ('month' in entry ? entry.month : null)), ['2020-06'], 'a transfer keeps the month whose limit it counts against');
});
